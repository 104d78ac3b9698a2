/* car.h -- the file car_write makes and car_read maps: one car stored twice,
 * once with pointers (absolute addresses) and once with fixed arrays
 * (everything inside the record, so it means the same at any address). */
#ifndef CAR_H
#define CAR_H

#include <stdint.h>

#define CAR_TEXT 32
#define CAR_WHEELS 4
#define CAR_MAGIC 0x43415231U /* "CAR1" */

struct wheel {
    int pressure; /* psi */
};

/* Absolute addressing: the pointers hold addresses in car_write's mapping. */
struct car_by_pointer {
    char *make;
    char *model;
    struct wheel *wheels;
    int nwheels;
};

/* Relative addressing: the data is part of the record. */
struct car_by_value {
    char make[CAR_TEXT];
    char model[CAR_TEXT];
    struct wheel wheels[CAR_WHEELS];
    int nwheels;
};

struct car_file {
    unsigned magic;
    uintptr_t writer_base; /* where car_write had this file mapped */
    struct car_by_pointer by_pointer;
    struct car_by_value by_value;
    /* What by_pointer's pointers point at, also in the file. */
    char make_text[CAR_TEXT];
    char model_text[CAR_TEXT];
    struct wheel wheel_pool[CAR_WHEELS];
};

#endif
