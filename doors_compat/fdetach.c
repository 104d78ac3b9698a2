/* fdetach.c -- detaches a door from a path, whichever process attached it.
 * Usage:  fdetach path
 * Shows:  fdetach(3C) from outside the server (like illumos' fdetach(1M)
 *         command): allowed to the file's owner and to root. The server keeps
 *         running, but the path no longer leads to it: another server may attach.
 * Mirrors: the "make sure nothing else is attached" fdetach of the illumos
 *         door_create example; UNP vol. 2, 15.11.
 * Build:  cc -o fdetach fdetach.c door.c */
#define _POSIX_C_SOURCE 200809L /* nothing beyond POSIX; fdetach comes from door.h */

#include <err.h>
#include <stdio.h>

#include "door.h"

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: fdetach path\n");
        return 2;
    }
    if (fdetach(argv[1]) == -1)
        err(1, "fdetach %s", argv[1]);
    printf("fdetach: %s detached\n", argv[1]);
    return 0;
}
