/* slow_client.c -- one call to slow_server: it waits while the procedure sleeps.
 * Usage:  slow_client path
 * Shows:  door_call(3DOOR) blocking until the server's procedure has run; start
 *         several at once (./slow_client slow.door & ...) and they end together:
 *         the replies say how many calls were in progress at once.
 * Mirrors: UNP vol. 2, ch. 15, client for server5.c (automatic thread management).
 * Build:  cc -o slow_client slow_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* munmap */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "slow_proto.h"

int main(int argc, char *argv[])
{
    struct slow_reply r;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: slow_client path\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (fd == -1)
        err(1, "open %s", argv[1]);
    door_arg_t arg = {.rbuf = (char *)&r, .rsize = sizeof r}; /* no argument */
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(fd);
    if (arg.data_size != sizeof r)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof r);
    if (arg.rbuf != (char *)&r) { /* the library mapped a buffer of its own */
        memcpy(&r, arg.data_ptr, sizeof r);
        munmap(arg.rbuf, arg.rsize);
    }
    printf("call %ld: %d in progress at its start, at most %d at once\n", r.call,
           r.at_start, r.at_most);
    return 0;
}
