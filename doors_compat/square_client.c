/* square_client.c -- asks square_server for a square, maybe with too small an rbuf.
 * Usage:  square_client [-b rsize] path number
 * Shows:  door_call(3DOOR): data_ptr/data_size for the argument, rbuf/rsize for the
 *         result. With -b smaller than a long (or 0) the result does not fit: the
 *         library puts it in a new buffer (rbuf and data_ptr change) that the
 *         caller must munmap(2).
 * Mirrors: UNP vol. 2, ch. 15, client1.c, and client2.c (where the result landed).
 * Build:  cc -o square_client square_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* getopt, munmap */

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"

#if LONG_MAX > 2147483647L
#define SQUARE_MAX 3037000499L /* the largest n whose square fits a 64-bit long */
#else
#define SQUARE_MAX 46340L /* ... a 32-bit long */
#endif

static void usage(void)
{
    fprintf(stderr, "usage: square_client [-b rsize] path number\n");
    exit(2);
}

static long number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return n;
}

int main(int argc, char *argv[])
{
    long rsize = sizeof(long), result;
    char small[sizeof(long)];
    int opt;

    opterr = 0; /* a bad option gets our usage line, not getopt's message */
    while ((opt = getopt(argc, argv, "b:")) != -1) {
        if (opt != 'b')
            usage();
        rsize = number(optarg, 0, sizeof(long));
    }
    if (argc - optind != 2)
        usage();
    const char *path = argv[optind];
    long n = number(argv[optind + 1], -SQUARE_MAX, SQUARE_MAX); /* n*n fits a long */

    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (fd == -1)
        err(1, "open %s", path);
    door_arg_t arg = {.data_ptr = (char *)&n,
                      .data_size = sizeof n,
                      .rbuf = rsize > 0 ? small : NULL,
                      .rsize = (size_t)rsize};
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", path);
    close(fd);
    if (arg.data_size != sizeof result)
        errx(1, "the server sent %zu bytes, not a long", arg.data_size);
    memcpy(&result, arg.data_ptr, sizeof result);
    printf("%ld squared is %ld\n", n, result);
    if (arg.rbuf != small) { /* it did not fit: the library mapped a buffer */
        printf("square_client: result buffer of %ld bytes too small: the result came "
               "in a new buffer of %zu bytes\n",
               rsize, arg.rsize);
        if (munmap(arg.rbuf, arg.rsize) == -1)
            err(1, "munmap");
    }
    return 0;
}
