/* cred_server.c -- a door that tells each caller who the server thinks it is.
 * Usage:  cred_server path
 * Shows:  door_cred(3DOOR) inside a server procedure: the caller's effective and
 *         real user and group ids and its pid; a door created with DOOR_REFUSE_DESC
 *         (it has no use for descriptors, so callers may not send any). Who may call
 *         at all is who may open path: it is created mode 0600.
 * Mirrors: UNP vol. 2, ch. 15, server4.c (door_cred).
 * Build:  cc -o cred_server cred_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "door.h"

static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

static void who(void *cookie, char *argp, size_t arg_size, door_desc_t *dp, uint_t n_desc)
{
    door_cred_t cred;
    (void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;

    if (door_cred(&cred) == -1) { /* only fails outside a door call */
        warn("door_cred");
        door_return(NULL, 0, NULL, 0);
    }
    printf("cred_server: call from pid %ld: euid %ld, egid %ld, ruid %ld, rgid %ld\n",
           (long)cred.dc_pid, (long)cred.dc_euid, (long)cred.dc_egid, (long)cred.dc_ruid,
           (long)cred.dc_rgid);
    door_return((char *)&cred, sizeof cred, NULL, 0);
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
        fprintf(stderr, "usage: cred_server path\n");
        return 2;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(who, NULL, DOOR_REFUSE_DESC);
    if (fd == -1)
        err(1, "door_create");
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600); /* a file given: not ours */
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
    printf("cred_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
