/* cred_server.c -- a door that tells each caller who the server thinks it is.
 * Usage:  cred_server path
 * Shows:  door_cred(3DOOR) inside a server procedure: the caller's effective and
 *         real user and group ids and its pid; a door created with DOOR_REFUSE_DESC
 *         (it has no use for descriptors, so callers may not send any).
 * Mirrors: UNP vol. 2, 15.6 "door_cred function" and 15.8 (client credentials).
 * Build:  cc -o cred_server cred_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsuspend (door_file.h) */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "door.h"
#include "door_file.h"

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
    fflush(stdout);
    door_return((char *)&cred, sizeof cred, NULL, 0);
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: cred_server path\n");
        return 2;
    }
    door_file_catch();
    int d = door_create(who, NULL, DOOR_REFUSE_DESC);
    if (d == -1)
        err(1, "door_create");
    door_file_attach(d, argv[1]);
    printf("cred_server: door attached to %s\n", argv[1]);
    fflush(stdout);
    door_file_wait();
    door_file_remove(d, argv[1]);
    return 0;
}
