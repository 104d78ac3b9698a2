/* door_server.c -- the lecture's door server: a door on a path, answering each call.
 * Usage:  door_server path
 * Shows:  door_create, creat, fdetach, fattach, pause; server() runs once per door_call,
 *         in a thread of the library's. As on the slide, fdetach takes the path even
 *         from a server still running there, which may then remove the file under the
 *         new one when it stops (unref_server knows when its path was taken).
 * Mirrors: SYS doors (server).
 * Build:  cc -o door_server door_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, lstat */

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "door.h"
#include "hello.h"

static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

static void server(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    myArg_t arg;
    (void)cookie, (void)dp, (void)n_desc;
    if (arg_size == sizeof arg) {       /* else a stranger's call */
        memcpy(&arg, argp, sizeof arg); /* argp need not be aligned for the struct */
        printf("door_server: request %d\n", arg.id);
    }
    /* The slide's server() never calls door_return: its caller gets no answer. */
    door_return(NULL, 0, NULL, 0);
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
    struct stat st;
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: door_server path\n");
        return 2;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int doorfd = door_create(server, NULL, 0);
    if (doorfd == -1)
        err(1, "door_create");
    /* The slide's creat leaks its fd, and would empty a file already at path. */
    if (lstat(path, &st) == -1) {
        int fd = creat(path, 0600);
        if (fd == -1)
            err(1, "creat %s", path);
        close(fd);
        made = 1;
    }
    fdetach(path); /* EINVAL when no door is on path: nothing to take over */
    if (fattach(doorfd, path) == -1) {
        if (made)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("door_server: door attached to %s\n", path);
    for (;;)
        pause(); /* until SIGINT or SIGTERM runs stop() */
}
