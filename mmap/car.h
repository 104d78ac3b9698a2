/* car.h -- the lecture's Car, laid out both ways, and the file car_write
 * leaves for car_read: one Car of each kind, copied byte for byte.
 * The slide names both layouts Car; here they carry its two headings. */
#ifndef CAR_H
#define CAR_H

/* The slide writes char[50] Brand and Wheel*[4] Wheels: in C the size comes
 * after the name. */
typedef struct {
    char Brand[50];
    char TractionRating[2]; /* "AA" fills it: no room for a NUL, print "%.2s" */
    char SpeedRating[2];
} Wheel;

/* Absolute memory addressing: the Car holds addresses of objects elsewhere. */
typedef struct {
    Wheel *Wheels[4];
    char *Make;
    char *Model;
} AbsoluteCar;

/* Relative memory addressing: everything inside the one object. */
typedef struct {
    Wheel Wheels[4];
    char Make[50];
    char Model[50];
} RelativeCar;

/* The file: where each car lies is an offset from its start. */
typedef struct {
    AbsoluteCar absolute;
    RelativeCar relative;
} CarFile;

#endif
