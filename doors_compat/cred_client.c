/* cred_client.c -- asks cred_server who it is, and prints the answer.
 * Usage:  cred_client path
 * Shows:  that the server learns the caller's identity without being told: the
 *         effective ids and pid come from the kernel (SO_PEERCRED underneath).
 *         Run it under another user, or with only the effective id changed
 *         (setpriv --euid), and compare.
 * Mirrors: UNP vol. 2, 15.8 (client credentials).
 * Build:  cc -o cred_client cred_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* munmap */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"

int main(int argc, char *argv[])
{
    door_cred_t cred;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: cred_client path\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (fd == -1)
        err(1, "open %s", argv[1]);
    door_arg_t arg = {.rbuf = (char *)&cred, .rsize = sizeof cred}; /* no argument */
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(fd);
    if (arg.data_size != sizeof cred)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof cred);
    if (arg.rbuf != (char *)&cred) {
        memcpy(&cred, arg.data_ptr, sizeof cred);
        munmap(arg.rbuf, arg.rsize);
    }
    printf("the server saw: pid %ld, euid %ld, egid %ld, ruid %ld, rgid %ld\n",
           (long)cred.dc_pid, (long)cred.dc_euid, (long)cred.dc_egid, (long)cred.dc_ruid,
           (long)cred.dc_rgid);
    return 0;
}
