/* pipe_capacity.c -- fill a pipe that nobody reads until the kernel says "full".
 * Usage:  pipe_capacity [-s size]
 * Shows:  a pipe holds a limited number of bytes: with O_NONBLOCK a write(2) to
 *         a full pipe fails with EAGAIN (without it, the writer would block). The
 *         count of bytes written is the capacity; fcntl(2) F_GETPIPE_SZ reports
 *         the kernel's figure, and -s asks for another size with F_SETPIPE_SZ.
 * Mirrors: ALP 5.4 and CE, "a pipe's capacity is limited". */
#define _GNU_SOURCE /* F_GETPIPE_SZ, F_SETPIPE_SZ: Linux extensions, the point here */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SIZE (16L * 1024 * 1024) /* the bytes end up in kernel memory: stay modest */

static void usage(void)
{
    fprintf(stderr, "usage: pipe_capacity [-s size]\n");
    exit(2);
}

/* Write until EAGAIN. Big writes first; on EAGAIN halve the write, down to one
 * byte, so the count is exact even if the space left is not a whole chunk. */
static long fill(int fd)
{
    static char chunk[PIPE_BUF];
    size_t len = sizeof chunk;
    long total = 0;

    memset(chunk, 'x', sizeof chunk);
    for (;;) {
        ssize_t n = write(fd, chunk, len);
        if (n >= 0) {
            total += n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            err(1, "write");
        if (len == 1)
            return total; /* not even one more byte fits */
        len /= 2;
    }
}

int main(int argc, char *argv[])
{
    long want = 0;
    int opt, fds[2];
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "s:")) != -1) {
        if (opt != 's')
            usage();
        want = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || want < 1 || want > MAX_SIZE)
            usage();
    }
    if (optind != argc)
        usage();

    if (pipe(fds) == -1)
        err(1, "pipe");
    if (want > 0 && fcntl(fds[1], F_SETPIPE_SZ, (int)want) == -1)
        err(1, "F_SETPIPE_SZ %ld (see /proc/sys/fs/pipe-max-size)", want);
    int flags = fcntl(fds[1], F_GETFL);
    if (flags == -1 || fcntl(fds[1], F_SETFL, flags | O_NONBLOCK) == -1)
        err(1, "fcntl O_NONBLOCK");
    int size = fcntl(fds[1], F_GETPIPE_SZ);
    if (size == -1)
        err(1, "F_GETPIPE_SZ");

    long written = fill(fds[1]);
    printf("wrote %ld bytes before write(2) failed with EAGAIN\n", written);
    printf("F_GETPIPE_SZ: %d bytes (page size %ld)\n", size, sysconf(_SC_PAGESIZE));
    close(fds[0]);
    close(fds[1]);
    return 0;
}
