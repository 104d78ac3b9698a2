/* car_write.c -- store a car record in a mapped file twice: once built with
 *                pointers, once with fixed arrays.
 * Usage:  car_write file [make model]
 * Shows:  a pointer is an address in this process's mapping. car_write
 *         records where its mapping was, so that car_read, which maps the
 *         same file at another address, can show the pointers leading
 *         nowhere while the fixed-array record reads back intact.
 * Mirrors: SYS "absolute vs relative addressing" in mapped memory (Car, Wheel). */
#define _POSIX_C_SOURCE 200809L /* ftruncate */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "car.h"

static const int pressures[CAR_WHEELS] = {32, 32, 35, 35};

static void usage(void)
{
    fprintf(stderr, "usage: car_write file [make model]\n");
    exit(2);
}

static struct car_file *create_car_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    if (fd == -1)
        err(1, "open %s", path);
    if (ftruncate(fd, sizeof(struct car_file)) == -1)
        err(1, "ftruncate %s", path);
    struct car_file *car =
        mmap(NULL, sizeof *car, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (car == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd);
    return car;
}

/* The way one builds a record in ordinary memory: strings and wheels
 * elsewhere, the record pointing at them. */
static void store_by_pointer(struct car_file *car, const char *make, const char *model)
{
    snprintf(car->make_text, CAR_TEXT, "%s", make);
    snprintf(car->model_text, CAR_TEXT, "%s", model);
    for (int i = 0; i < CAR_WHEELS; i++)
        car->wheel_pool[i].pressure = pressures[i];
    car->by_pointer.make = car->make_text;
    car->by_pointer.model = car->model_text;
    car->by_pointer.wheels = car->wheel_pool;
    car->by_pointer.nwheels = CAR_WHEELS;
}

static void store_by_value(struct car_file *car, const char *make, const char *model)
{
    snprintf(car->by_value.make, CAR_TEXT, "%s", make);
    snprintf(car->by_value.model, CAR_TEXT, "%s", model);
    for (int i = 0; i < CAR_WHEELS; i++)
        car->by_value.wheels[i].pressure = pressures[i];
    car->by_value.nwheels = CAR_WHEELS;
}

int main(int argc, char *argv[])
{
    if (argc != 2 && argc != 4)
        usage();
    const char *make = argc == 4 ? argv[2] : "Toyota";
    const char *model = argc == 4 ? argv[3] : "Corolla";
    if (strlen(make) >= CAR_TEXT || strlen(model) >= CAR_TEXT)
        errx(1, "make and model must be shorter than %d bytes", CAR_TEXT);

    struct car_file *car = create_car_file(argv[1]);
    car->writer_base = (uintptr_t)car;
    store_by_pointer(car, make, model);
    store_by_value(car, make, model);
    car->magic = CAR_MAGIC;

    printf("car_write: %s mapped at %p\n", argv[1], (void *)car);
    printf("by pointer: make -> %p, model -> %p, wheels -> %p\n",
           (void *)car->by_pointer.make, (void *)car->by_pointer.model,
           (void *)car->by_pointer.wheels);
    printf("by value:   make \"%s\", model \"%s\" inside the record\n",
           car->by_value.make, car->by_value.model);
    if (munmap(car, sizeof *car) == -1)
        err(1, "munmap");
    return 0;
}
