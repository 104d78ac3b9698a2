/* overlap_client.c -- one call to overlap_server, optionally with a big argument.
 * Usage:  overlap_client [-z bytes] path
 * Shows:  door_call(3DOOR) blocking while the server's procedure runs; the reply's
 *         counters show whether calls overlapped. With -z, the argument carries
 *         that many bytes: the echo comes back larger than rbuf (which only holds
 *         the counters), in a buffer the library maps; past the library's limit
 *         (DOOR_COMPAT_DATA_MAX) door_call fails with E2BIG. Ctrl-C (SIGINT) during
 *         the call: door_call fails with EINTR although the handler was installed
 *         with SA_RESTART (illumos does the same), and the server cancels the call.
 * Beyond: extends slow_client (UNP's automatic thread management).
 * Build:  cc -o overlap_client overlap_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* getopt, munmap */

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "slow_proto.h"

static void interrupted(int sig) /* only there to interrupt door_call */
{
    (void)sig;
}

static void usage(void)
{
    fprintf(stderr, "usage: overlap_client [-z bytes] path\n");
    exit(2);
}

/* The bytes sent, a pattern that a shifted or truncated echo does not match. */
static char *pattern(size_t size)
{
    char *p = malloc(size ? size : 1);
    if (p == NULL)
        err(1, "malloc");
    for (size_t i = 0; i < size; i++)
        p[i] = (char)(i % 251);
    return p;
}

int main(int argc, char *argv[])
{
    long size = 0;
    int opt;
    char *end;
    struct slow_reply r;

    opterr = 0; /* a bad option gets our usage line, not getopt's message */
    while ((opt = getopt(argc, argv, "z:")) != -1) {
        if (opt != 'z')
            usage();
        size = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || size < 0 || size > (64L << 20))
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    struct sigaction sa = {.sa_handler = interrupted, .sa_flags = SA_RESTART};
    if (sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    char *arg_bytes = pattern((size_t)size);
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (fd == -1)
        err(1, "open %s", path);
    door_arg_t arg = {.data_ptr = arg_bytes,
                      .data_size = (size_t)size,
                      .rbuf = (char *)&r,
                      .rsize = sizeof r};
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", path);
    close(fd);
    if (arg.data_size != sizeof r + (size_t)size)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size,
             sizeof r + (size_t)size);
    if (arg.data_ptr != (char *)&r)
        memcpy(&r, arg.data_ptr, sizeof r);
    printf("call %ld: %d in progress at its start, at most %d at once\n", r.call,
           r.at_start, r.at_most);
    if (size > 0) {
        if (memcmp(arg.data_ptr + sizeof r, arg_bytes, (size_t)size) != 0)
            errx(1, "the echo differs from what was sent");
        printf("echo: %ld bytes intact, in a buffer of %zu bytes the library mapped\n",
               size, arg.rsize);
    }
    if (arg.rbuf != (char *)&r && munmap(arg.rbuf, arg.rsize) == -1)
        err(1, "munmap");
    free(arg_bytes);
    return 0;
}
