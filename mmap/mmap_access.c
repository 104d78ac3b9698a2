/* mmap_access.c -- read a whole file several times through a mapping, adding
 *                  up its bytes, and say how long it took.
 * Usage:  mmap_access [-b block-size] file passes
 * Shows:  mmap(2) of a whole file and plain loads from it: no system call and
 *         no copy per block. read_access does the same work with read(2);
 *         both print the same sum, and their times (or `time` on each) are
 *         the lecture's comparison. The file can be any size, empty too.
 * Mirrors: LG 105 "listing1.c" (mmap access, timed). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: mmap_access [-b block-size] file passes\n");
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

/* The access pattern both programs share: block by block, every byte added. */
static uint64_t sum_passes(const unsigned char *data, size_t size, size_t block,
                           long passes)
{
    uint64_t sum = 0;
    for (long pass = 0; pass < passes; pass++)
        for (size_t at = 0; at < size; at += block) {
            size_t n = size - at < block ? size - at : block;
            for (size_t i = 0; i < n; i++)
                sum += data[at + i];
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
    size_t size = (size_t)st.st_size;

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t sum = 0;
    if (size > 0) { /* mmap of length 0 is EINVAL: an empty file sums to 0 */
        const unsigned char *data = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        if (data == MAP_FAILED)
            err(1, "mmap %s", path);
        sum = sum_passes(data, size, (size_t)block, passes);
        munmap((void *)data, size);
    }
    double took = seconds_since(&start);
    close(fd);

    printf("file: %zu bytes, block: %ld bytes, passes: %ld\n", size, block, passes);
    printf("sum: %ju\n", (uintmax_t)sum);
    printf("time: %.6f s (mmap)\n", took);
    return 0;
}
