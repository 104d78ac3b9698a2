/* car_read.c -- map car_write's file and read both cars: the relative one
 *               whole, the absolute one's pointers leading nowhere here.
 * Usage:  car_read [-f] [file]    (default: car.dat)
 *         -f: follow the absolute car's pointer as the slide's code would:
 *             a crash (SIGSEGV), or bytes that are not the car
 * Shows:  a pointer is an address in one process: the file holds car_write's
 *         heap addresses, which mean nothing in car_read. Without following
 *         them, mincore(2) tells whether anything is mapped there at all.
 *         The relative car needs no address but the mapping's own: each
 *         field is an offset from its start, the same in every process.
 * Mirrors: SYS "Absolute Memory Addressing" and "Relative Memory Addressing". */
#define _DEFAULT_SOURCE /* mincore is Linux's (and the BSDs'), not POSIX */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "car.h"

static void usage(void)
{
    fprintf(stderr, "usage: car_read [-f] [file]\n");
    exit(2);
}

/* mincore(2) fails with ENOMEM for an address no mapping covers. */
static const char *mapped_here(const void *pointer)
{
    unsigned char in_core;
    uintptr_t page = (uintptr_t)pointer & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
    if (mincore((void *)page, 1, &in_core) == 0)
        return "mapped here, but to car_read's own memory, not the car";
    if (errno == ENOMEM)
        return "nothing mapped here: following it is SIGSEGV";
    err(1, "mincore");
}

static const CarFile *map_car_file(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO must not make us wait */
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", path);
    if (st.st_size < (off_t)sizeof(CarFile))
        errx(1, "%s is too short for a CarFile: run car_write first", path);
    const CarFile *map = mmap(NULL, sizeof(CarFile), PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd); /* the mapping stays */
    return map;
}

int main(int argc, char *argv[])
{
    int opt, follow = 0;
    while ((opt = getopt(argc, argv, ":f")) != -1) {
        if (opt != 'f')
            usage();
        follow = 1;
    }
    if (argc - optind > 1)
        usage();
    const char *path = optind < argc ? argv[optind] : "car.dat";
    const CarFile *map = map_car_file(path);
    const RelativeCar *car = &map->relative;
    const unsigned char *byte = (const unsigned char *)car; /* a car is text: */
    size_t n = 0;
    while (n < sizeof *car && (isprint(byte[n]) || byte[n] == '\0')) /* no control byte */
        n++;
    if (n < sizeof *car || car->Make[0] == '\0' || !memchr(car->Make, '\0', 50) ||
        !memchr(car->Model, '\0', 50))
        errx(1, "%s holds no car: run car_write first", path);

    printf("relative: %s %s, Wheels[1].Brand \"%.49s\" at offset %zu of %s\n", car->Make,
           car->Model, car->Wheels[1].Brand, offsetof(CarFile, relative.Wheels[1].Brand),
           path);
    for (int i = 0; i < 4; i++)
        printf("  Wheels[%d]: %.49s %.2s/%.2s\n", i, car->Wheels[i].Brand,
               car->Wheels[i].TractionRating, car->Wheels[i].SpeedRating);
    printf("absolute: car_write's pointers, read here\n");
    printf("  Make -> %p: %s\n", (void *)map->absolute.Make,
           mapped_here(map->absolute.Make));
    for (int i = 0; i < 4; i++)
        printf("  Wheels[%d] -> %p: %s\n", i, (void *)map->absolute.Wheels[i],
               mapped_here(map->absolute.Wheels[i]));
    if (follow) /* what the slide's Wheels[1]->Brand does in another process */
        printf("Wheels[1]->Brand: \"%.49s\"\n", map->absolute.Wheels[1]->Brand);
    munmap((void *)map, sizeof(CarFile));
    return 0;
}
