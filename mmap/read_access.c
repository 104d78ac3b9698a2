/* read_access.c -- create test_file holding HELLO_STR and read it NTHLOOP
 *                  times with read(2), timed: mmap_access without the mapping.
 * Usage:  read_access [-b block-size] [-n nthloop] [file]
 *         no file: test_file, made here and gone at the end (LG's run); a file:
 *         that existing one, of any size; -b: bytes per read (4096, at most 1 MiB)
 * Shows:  each access seeks to the start (lseek(2)) and read(2)s to the end:
 *         system calls and a copy into our buffer every time, where
 *         mmap_access only loads from memory. Same sum; compare the times.
 * Mirrors: LG 105 "listing2.c" (run as `time ./test2`). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HELLO_STR "Hello, World!\n"
#define NTHLOOP 100000

static void usage(void)
{
    fprintf(stderr, "usage: read_access [-b block-size] [-n nthloop] [file]\n");
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

/* One access: the whole file from its start; read() may return less than asked. */
static uint64_t access_file(int fd, unsigned char *buffer, size_t block)
{
    uint64_t sum = 0;
    ssize_t n;
    if (lseek(fd, 0, SEEK_SET) == -1)
        err(1, "lseek");
    while ((n = read(fd, buffer, block)) != 0) {
        if (n == -1 && errno != EINTR)
            err(1, "read");
        for (ssize_t i = 0; i < n; i++)
            sum += buffer[i];
    }
    return sum;
}

int main(int argc, char *argv[])
{
    long nthloop = NTHLOOP, block = 4096;
    int opt;
    while ((opt = getopt(argc, argv, ":b:n:")) != -1) {
        if (opt == 'b')
            block = positive(optarg, 1048576); /* 1 MiB */
        else if (opt == 'n')
            nthloop = positive(optarg, 1000000000);
        else
            usage();
    }
    if (argc - optind > 1)
        usage();
    const char *name = optind < argc ? argv[optind] : "test_file";
    size_t size;
    int fd = open_file(name, optind == argc, &size);
    unsigned char *buffer = malloc((size_t)block);
    if (buffer == NULL)
        err(1, "malloc");

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t sum = 0;
    for (long loop = 0; loop < nthloop; loop++)
        sum += access_file(fd, buffer, (size_t)block);
    printf("%s: %zu bytes, read %ld times by read, %ld-byte blocks\n", name, size,
           nthloop, block);
    printf("sum: %ju\ntime: %.6f s\n", (uintmax_t)sum, seconds_since(&start));
    free(buffer);
    close(fd);
    return 0;
}
