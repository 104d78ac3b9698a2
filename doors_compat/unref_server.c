/* unref_server.c -- square_server with DOOR_UNREF: it learns when no path leads to it.
 * Usage:  unref_server path [seconds]
 * Shows:  door_create(3DOOR) with DOOR_UNREF: once the door's last path is detached
 *         (fdetach(3C), from any process), the procedure is called one more time with
 *         argp == DOOR_UNREF_DATA. The server keeps serving whoever still holds the
 *         door, and knows the path is no longer its own: stopped, it leaves the file.
 *         The references are counted as illumos counts them (our descriptor and the
 *         path: the call comes when one is left), and the call waits for the calls
 *         in progress: each sleeps `seconds` (default 0), as UNP's does.
 * Mirrors: UNP vol. 2, ch. 15, serverunref1.c (DOOR_UNREF).
 * Build:  cc -o unref_server unref_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "door.h"

#if LONG_MAX > 2147483647L
#define SQUARE_MAX 3037000499L /* the largest n whose square fits a 64-bit long */
#else
#define SQUARE_MAX 46340L /* ... a 32-bit long */
#endif

static const char *path;
static atomic_int ours; /* we created path and our door is still on it */
static unsigned seconds;

static void square(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    long n, result;
    (void)cookie, (void)dp, (void)n_desc;
    if (argp == DOOR_UNREF_DATA) {
        ours = 0; /* someone fdetached it; another server may attach it now */
        printf("unref_server: the door is unreferenced: no path leads to it\n");
        door_return(NULL, 0, NULL, 0);
    }
    if (arg_size != sizeof n) /* not a long: no result */
        door_return(NULL, 0, NULL, 0);
    memcpy(&n, argp, sizeof n);
    printf("unref_server: call for %ld\n", n);
    sleep(seconds);
    if (n > SQUARE_MAX || n < -SQUARE_MAX) /* its square would overflow a long */
        door_return(NULL, 0, NULL, 0);
    result = n * n;
    printf("unref_server: %ld squared is %ld\n", n, result);
    door_return((char *)&result, sizeof result, NULL, 0);
}

static void stop(int sig) /* SIGINT, SIGTERM: unlink and _exit are async-signal-safe */
{
    (void)sig;
    if (ours) /* window: fdetached an instant ago, the DOOR_UNREF call not yet run */
        unlink(path);
    _exit(0);
}

int main(int argc, char *argv[])
{
    struct sigaction sa = {.sa_handler = stop};
    char *end;
    long s = argc == 3 ? strtol(argv[2], &end, 10) : 0;
    if (argc < 2 || argc > 3 || argv[1][0] == '-' ||
        (argc == 3 && (*argv[2] == '\0' || *end != '\0' || s < 0 || s > 3600))) {
        fprintf(stderr, "usage: unref_server path [seconds]\n");
        return 2;
    }
    seconds = (unsigned)s;
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(square, NULL, DOOR_UNREF);
    if (fd == -1)
        err(1, "door_create");
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600); /* a file given: not ours */
    if (file == -1 && errno != EEXIST)
        err(1, "open %s", path);
    ours = file != -1;
    if (ours)
        close(file);
    if (fattach(fd, path) == -1) {
        if (ours)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("unref_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
