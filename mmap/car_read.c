/* car_read.c -- map car_write's file at another address and read the car
 *               record both ways: the fixed-array record is intact, the
 *               pointers point into car_write's address space, not ours.
 * Usage:  car_read file
 * Shows:  why a structure with pointers cannot be shared through a mapping
 *         (or a file, or shared memory): each process maps it wherever its
 *         own address space has room. Following the pointers here would
 *         crash or read someone else's data, so car_read only tests whether
 *         they lead anywhere (a write(2) from an unmapped address fails with
 *         EFAULT instead of crashing), then shows the cure: an offset from
 *         the start of the mapping, which is what a fixed array is.
 * Mirrors: SYS "absolute vs relative addressing" in mapped memory (Car, Wheel). */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "car.h"

static int probe[2]; /* a pipe: the kernel checks addresses for us */

static void usage(void)
{
    fprintf(stderr, "usage: car_read file\n");
    exit(2);
}

/* Map the file anywhere but where car_write had it: another process would
 * rarely get the same address, and with ASLR off this one might. */
static const struct car_file *map_elsewhere(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd == -1)
        err(1, "open %s", path);
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (st.st_size < (off_t)sizeof(struct car_file))
        errx(1, "%s is too short (%jd bytes): run car_write first", path,
             (intmax_t)st.st_size);
    const struct car_file *car = mmap(NULL, sizeof *car, PROT_READ, MAP_SHARED, fd, 0);
    if (car == MAP_FAILED)
        err(1, "mmap %s", path);
    if (car->magic != CAR_MAGIC)
        errx(1, "%s was not written by car_write", path);
    if ((uintptr_t)car == car->writer_base) {
        const struct car_file *again =
            mmap(NULL, sizeof *car, PROT_READ, MAP_SHARED, fd, 0);
        if (again == MAP_FAILED)
            err(1, "mmap %s", path);
        munmap((void *)car, sizeof *car);
        car = again;
    }
    close(fd);
    return car;
}

/* Can 'size' bytes at 'address' be read in this process? */
static int readable(uintptr_t address, size_t size)
{
    char sink[64];
    ssize_t n = write(probe[1], (const void *)address, size);
    if (n > 0 && read(probe[0], sink, (size_t)n) != n)
        err(1, "read probe");
    return n == (ssize_t)size;
}

static void show_pointer(const char *name, const void *pointer, size_t size)
{
    uintptr_t address = (uintptr_t)pointer;
    printf("  %s -> %#jx: %s\n", name, (uintmax_t)address,
           readable(address, size) ? "mapped here, but to something else: not our data"
                                   : "unmapped here (following it would be SIGSEGV)");
}

static void print_car(const char *how, const char *make, const char *model,
                      const struct wheel *wheels, int nwheels)
{
    printf("%s make \"%.*s\", model \"%.*s\", wheels", how, CAR_TEXT - 1, make,
           CAR_TEXT - 1, model);
    for (int i = 0; i < nwheels && i < CAR_WHEELS; i++)
        printf(" %d", wheels[i].pressure);
    printf("\n");
}

/* The cure: the pointer minus the writer's base is an offset, valid in
 * any mapping of the file. */
static const void *rebase(const struct car_file *car, const void *pointer)
{
    uintptr_t offset = (uintptr_t)pointer - car->writer_base;
    if (offset >= sizeof *car)
        errx(1, "a pointer in the file does not point into the file");
    return (const char *)car + offset;
}

int main(int argc, char *argv[])
{
    if (argc != 2)
        usage();
    if (pipe(probe) == -1)
        err(1, "pipe");
    const struct car_file *car = map_elsewhere(argv[1]);
    const struct car_by_pointer *p = &car->by_pointer;

    printf("car_read: %s mapped at %p; car_write had it at %#jx\n", argv[1],
           (const void *)car, (uintmax_t)car->writer_base);
    print_car("by value:  ", car->by_value.make, car->by_value.model,
              car->by_value.wheels, car->by_value.nwheels);
    printf("by pointer: the addresses are car_write's\n");
    show_pointer("make", p->make, CAR_TEXT);
    show_pointer("model", p->model, CAR_TEXT);
    show_pointer("wheels", p->wheels, sizeof(struct wheel) * CAR_WHEELS);
    print_car("by pointer, as offsets from the mapping:", rebase(car, p->make),
              rebase(car, p->model), rebase(car, p->wheels), p->nwheels);
    munmap((void *)car, sizeof *car);
    return 0;
}
