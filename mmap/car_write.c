/* car_write.c -- build the lecture's Car both ways, the absolute one with
 *                Make, Model and four Wheels each on the heap, and copy each
 *                car into a mapped file for car_read.
 * Usage:  car_write [file [make model]]    (default: car.dat Toyota Corolla)
 * Shows:  memcpy of an AbsoluteCar into the mapping copies its pointers, not
 *         the wheels and names they point at: those stay in this process's
 *         heap and go when it ends. A RelativeCar is one block: its copy is
 *         the whole car, and each field is at the same offset for everyone.
 * Mirrors: SYS "Absolute Memory Addressing" and "Relative Memory Addressing". */
#define _POSIX_C_SOURCE 200809L /* ftruncate */

#include <err.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "car.h"

static const Wheel wheels[4] = {{"Michelin", "AA", "V"},
                                {"Pirelli", "A", "V"},
                                {"Michelin", "AA", "V"},
                                {"Pirelli", "A", "V"}};

static void *allocate(size_t size) /* zeroed: no stray bytes reach the file */
{
    void *p = calloc(1, size);
    if (p == NULL)
        err(1, "malloc");
    return p;
}

static AbsoluteCar *build_absolute(const char *make, const char *model)
{
    AbsoluteCar *car = allocate(sizeof(AbsoluteCar));
    /* The slide writes car.Make on a pointer to a Car: car->Make. */
    car->Make = allocate(sizeof(char) * 50);
    car->Model = allocate(sizeof(char) * 50);
    for (int i = 0; i < 4; i++) {
        car->Wheels[i] = allocate(sizeof(Wheel));
        *car->Wheels[i] = wheels[i];
    }
    snprintf(car->Make, 50, "%s", make);
    snprintf(car->Model, 50, "%s", model);
    return car;
}

static RelativeCar *build_relative(const char *make, const char *model)
{
    RelativeCar *car = allocate(sizeof(RelativeCar));
    memcpy(car->Wheels, wheels, sizeof wheels);
    snprintf(car->Make, sizeof car->Make, "%s", make);
    snprintf(car->Model, sizeof car->Model, "%s", model);
    return car;
}

/* O_NONBLOCK: a FIFO given as the file fails at ftruncate, never waits. */
static CarFile *map_car_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NONBLOCK, 0600);
    if (fd == -1)
        err(1, "open %s", path);
    if (ftruncate(fd, sizeof(CarFile)) == -1)
        err(1, "ftruncate %s", path);
    CarFile *map = mmap(NULL, sizeof(CarFile), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd); /* the mapping stays */
    return map;
}

int main(int argc, char *argv[])
{
    if ((argc != 1 && argc != 2 && argc != 4) || (argc > 1 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: car_write [file [make model]]\n");
        return 2;
    }
    const char *path = argc > 1 ? argv[1] : "car.dat";
    const char *make = argc == 4 ? argv[2] : "Toyota";
    const char *model = argc == 4 ? argv[3] : "Corolla";
    if (strlen(make) >= 50 || strlen(model) >= 50)
        errx(1, "make and model must be shorter than 50 bytes");
    AbsoluteCar *absolute = build_absolute(make, model);
    RelativeCar *relative = build_relative(make, model);

    CarFile *map = map_car_file(path);
    memcpy(&map->absolute, absolute, sizeof(AbsoluteCar)); /* six pointers */
    memcpy(&map->relative, relative, sizeof(RelativeCar)); /* the whole car */

    printf("absolute: Wheels[1]->Brand \"%s\" at %p, on car_write's heap\n",
           absolute->Wheels[1]->Brand, (void *)absolute->Wheels[1]->Brand);
    printf("relative: Wheels[1].Brand \"%s\" at offset %zu of %s\n",
           relative->Wheels[1].Brand, offsetof(CarFile, relative.Wheels[1].Brand), path);
    if (munmap(map, sizeof(CarFile)) == -1)
        err(1, "munmap");
    for (int i = 0; i < 4; i++)
        free(absolute->Wheels[i]);
    free(absolute->Make);
    free(absolute->Model);
    free(absolute);
    free(relative);
    return 0;
}
