/* mmap_read.c -- read the number mmap_write left in a file, through a
 *                mapping, print it, and double it in place.
 * Usage:  mmap_read file
 * Shows:  mapping an existing file read-write, parsing text inside the
 *         mapping without trusting it to be terminated, and a store into the
 *         mapping changing the file: run it twice and the file holds four
 *         times the first value.
 * Mirrors: ALP listing 5.6 "mmap-read.c"; CE 02_mmap-read.c. */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmap_file.h"

static void usage(void)
{
    fprintf(stderr, "usage: mmap_read file\n");
    exit(2);
}

/* Map the file, refusing one too short to hold what mmap_write writes:
 * mapping past the end of a file (an empty one above all) is the bug. */
static char *map_file(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_NONBLOCK); /* a FIFO must not make us wait */
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", path);
    if (st.st_size < FILE_LENGTH)
        errx(1, "%s is too short (%jd bytes, need %d): run mmap_write first", path,
             (intmax_t)st.st_size, FILE_LENGTH);
    char *file_memory =
        mmap(NULL, FILE_LENGTH, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (file_memory == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd);
    return file_memory;
}

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-') /* -h, --help: ./-x is a file */
        usage();
    char *file_memory = map_file(argv[1]);

    if (memchr(file_memory, '\0', FILE_LENGTH) == NULL)
        errx(1, "%s: no number in the first %d bytes", argv[1], FILE_LENGTH);
    char *end;
    errno = 0;
    long value = strtol(file_memory, &end, 10);
    if (end == file_memory || (*end != '\n' && *end != '\0') || errno != 0)
        errx(1, "%s does not start with a number", argv[1]);
    if (value > LONG_MAX / 2 || value < LONG_MIN / 2)
        errx(1, "%ld cannot be doubled without overflow", value);
    printf("value: %ld\n", value);

    snprintf(file_memory, FILE_LENGTH, "%ld\n", 2 * value);
    printf("wrote back: %ld\n", 2 * value);
    if (munmap(file_memory, FILE_LENGTH) == -1)
        err(1, "munmap");
    return 0;
}
