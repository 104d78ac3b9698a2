/* square_server.c -- a door whose procedure squares the long it is given.
 * Usage:  square_server path
 * Shows:  the smallest useful door: a long in, its square out through door_return,
 *         from the procedure's stack (copied out before the thread ends). The path
 *         must be free of other doors: fattach says EBUSY (fdetach frees it).
 * Mirrors: UNP vol. 2, ch. 15, server1.c (the squaring server).
 * Build:  cc -o square_server square_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "door.h"

#if LONG_MAX > 2147483647L
#define SQUARE_MAX 3037000499L /* the largest n whose square fits a 64-bit long */
#else
#define SQUARE_MAX 46340L /* ... a 32-bit long */
#endif

static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

static void square(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    long n, result;
    (void)cookie, (void)dp, (void)n_desc;
    if (arg_size != sizeof n) /* not a long: no result at all */
        door_return(NULL, 0, NULL, 0);
    memcpy(&n, argp, sizeof n);            /* argp need not be aligned for a long */
    if (n > SQUARE_MAX || n < -SQUARE_MAX) /* would overflow: no result either */
        door_return(NULL, 0, NULL, 0);
    result = n * n;
    printf("square_server: %ld squared is %ld\n", n, result);
    door_return((char *)&result, sizeof result, NULL, 0);
}

static void stop(int sig) /* SIGINT, SIGTERM: unlink and _exit are async-signal-safe */
{
    (void)sig;
    if (made)
        unlink(path);
    _exit(0);
}

int main(int argc, char *argv[])
{
    struct sigaction sa = {.sa_handler = stop};
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: square_server path\n");
        return 2;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(square, NULL, 0);
    if (fd == -1)
        err(1, "door_create");
    /* UNP unlinks path first: that would delete a file given there. Create it only
     * if missing (O_EXCL); one that was there stays when we stop. */
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (file == -1 && errno != EEXIST)
        err(1, "open %s", path);
    made = file != -1;
    if (made)
        close(file);
    if (fattach(fd, path) == -1) {
        if (made)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("square_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
