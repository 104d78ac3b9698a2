/* mmap_access.c -- create test_file holding HELLO_STR, map it, and read it
 *                  NTHLOOP times through the mapping, timed.
 * Usage:  mmap_access [-n nthloop] [file]
 *         no file: test_file, made here and gone at the end (LG's run); a file:
 *         that existing one, of any size (try a large one)
 * Shows:  one mmap(2), PROT_READ and MAP_SHARED; then every access is plain
 *         loads: no system call, no copy. read_access does the same accesses
 *         with read(2). Both print the sum of the bytes they read (the same)
 *         and the time the accesses took. The descriptor is closed before the
 *         accesses: the mapping stays. mmap's third and fourth arguments:
 *         cow_private.
 * Mirrors: LG 105 "listing1.c" (run as `time ./test1`). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HELLO_STR "Hello, World!\n"
#define NTHLOOP 100000

static void usage(void)
{
    fprintf(stderr, "usage: mmap_access [-n nthloop] [file]\n");
    exit(2);
}

static long positive(const char *text, long max)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 1 || value > max)
        usage();
    return value;
}

/* The file and its size. test_file is made here and its name goes at once:
 * the descriptor keeps it, so nothing is left behind (a kill between open and
 * unlink aside). O_NONBLOCK: a FIFO given as the file must not make us wait. */
static int open_file(const char *name, int create, size_t *size)
{
    struct stat st;
    int fd = open(name, create ? O_RDWR | O_CREAT | O_EXCL : O_RDONLY | O_NONBLOCK, 0600);
    if (fd == -1)
        err(1, "open %s", name);
    if (create) {
        unlink(name);
        if (write(fd, HELLO_STR, strlen(HELLO_STR)) != (ssize_t)strlen(HELLO_STR))
            err(1, "write %s", name);
    }
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", name);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", name);
    *size = (size_t)st.st_size;
    return fd;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char *argv[])
{
    long nthloop = NTHLOOP;
    int opt;
    while ((opt = getopt(argc, argv, ":n:")) != -1) {
        if (opt != 'n')
            usage();
        nthloop = positive(optarg, 1000000000);
    }
    if (argc - optind > 1)
        usage();
    const char *name = optind < argc ? argv[optind] : "test_file";
    size_t size;
    int fd = open_file(name, optind == argc, &size);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t sum = 0;
    if (size > 0) { /* a mapping of length 0 is EINVAL: an empty file sums to 0 */
        /* The slide's MAP_FLAG does not exist: MAP_SHARED or MAP_PRIVATE is required. */
        const volatile unsigned char *data;
        data = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        if (data == MAP_FAILED)
            err(1, "mmap %s", name);
        close(fd);
        for (long loop = 0; loop < nthloop; loop++) /* volatile: each loop reads */
            for (size_t i = 0; i < size; i++)
                sum += data[i];
        /* The slide says munmap takes the address and the offset: the length. */
        munmap((void *)data, size);
    }
    printf("%s: %zu bytes, read %ld times by mmap\n", name, size, nthloop);
    printf("sum: %ju\ntime: %.6f s\n", (uintmax_t)sum, seconds_since(&start));
    return 0;
}
