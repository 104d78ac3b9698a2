/* read_access.c -- read a whole file several times with read(2), adding up
 *                  its bytes, and say how long it took.
 * Usage:  read_access [-b block-size] file passes
 * Shows:  the access pattern of mmap_access done with read(2): one system call
 *         and one copy into a buffer per block. Same sum as mmap_access; the
 *         time is the other half of the lecture's comparison (try a large
 *         file, small blocks, and several passes).
 * Mirrors: LG 105 "listing2.c" (read access, timed). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: read_access [-b block-size] file passes\n");
    exit(2);
}

static long positive(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 1)
        usage();
    return value;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Block by block, every byte added; read() may return less than asked. */
static uint64_t sum_passes(int fd, unsigned char *buffer, size_t block, long passes,
                           size_t *size)
{
    uint64_t sum = 0;
    for (long pass = 0; pass < passes; pass++) {
        if (lseek(fd, 0, SEEK_SET) == -1)
            err(1, "lseek");
        *size = 0;
        ssize_t n;
        while ((n = read(fd, buffer, block)) != 0) {
            if (n == -1 && errno == EINTR)
                continue;
            if (n == -1)
                err(1, "read");
            for (ssize_t i = 0; i < n; i++)
                sum += buffer[i];
            *size += (size_t)n;
        }
    }
    return sum;
}

int main(int argc, char *argv[])
{
    long block = 4096;
    int opt;
    while ((opt = getopt(argc, argv, ":b:")) != -1) {
        if (opt != 'b')
            usage();
        block = positive(optarg);
    }
    if (argc - optind != 2)
        usage();
    const char *path = argv[optind];
    long passes = positive(argv[optind + 1]);

    int fd = open(path, O_RDONLY);
    if (fd == -1)
        err(1, "open %s", path);
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", path);
    unsigned char *buffer = malloc((size_t)block);
    if (buffer == NULL)
        err(1, "malloc");

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    size_t size = 0;
    uint64_t sum = sum_passes(fd, buffer, (size_t)block, passes, &size);
    double took = seconds_since(&start);
    free(buffer);
    close(fd);

    printf("file: %zu bytes, block: %ld bytes, passes: %ld\n", size, block, passes);
    printf("sum: %ju\n", (uintmax_t)sum);
    printf("time: %.6f s (read)\n", took);
    return 0;
}
