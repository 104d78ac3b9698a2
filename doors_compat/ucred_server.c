/* ucred_server.c -- cred_server with door_ucred, the call that replaced door_cred.
 * Usage:  ucred_server path
 * Shows:  door_ucred(3C): inside the procedure it gives the caller's credentials in
 *         an opaque ucred_t, read with ucred_geteuid, ucred_getruid, ucred_getsuid,
 *         ucred_getegid, ucred_getrgid, ucred_getsgid, ucred_getpid, and freed with
 *         ucred_free (door_ucred allocates it when given a pointer to NULL). The
 *         answer is a door_cred_t, as cred_server's: cred_client talks to both.
 * Beyond: extends cred_server (UNP's door_cred), with the illumos ucred_get(3C) calls.
 * Build:  cc -o ucred_server ucred_server.c door.c */
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
    ucred_t *uc = NULL; /* NULL: door_ucred allocates one, ucred_free frees it */
    door_cred_t cred = {0};
    (void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;

    if (door_ucred(&uc) == -1) { /* fails only outside a door call */
        warn("door_ucred");
        door_return(NULL, 0, NULL, 0);
    }
    cred.dc_pid = ucred_getpid(uc);
    cred.dc_euid = ucred_geteuid(uc);
    cred.dc_ruid = ucred_getruid(uc);
    cred.dc_egid = ucred_getegid(uc);
    cred.dc_rgid = ucred_getrgid(uc);
    printf("ucred_server: call from pid %ld: euid %ld, ruid %ld, suid %ld, egid %ld, "
           "rgid %ld, sgid %ld\n",
           (long)cred.dc_pid, (long)cred.dc_euid, (long)cred.dc_ruid,
           (long)ucred_getsuid(uc), (long)cred.dc_egid, (long)cred.dc_rgid,
           (long)ucred_getsgid(uc));
    ucred_free(uc); /* door_return never returns: free it before */
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
        fprintf(stderr, "usage: ucred_server path\n");
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
    printf("ucred_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
