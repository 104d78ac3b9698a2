/* square_server.c -- a door whose procedure squares the number it is given.
 * Usage:  square_server path
 * Shows:  the smallest useful door: a long in, its square out through door_return,
 *         the result living on the procedure's stack until door_return copied it.
 * Mirrors: UNP vol. 2, 15.3 "door_call function" (server1.c).
 * Build:  cc -o square_server square_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsuspend (door_file.h) */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "door.h"
#include "door_file.h"

#define SQUARE_MAX 3037000499L /* the largest n whose square fits in a long */

static void square(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    long n, result;
    (void)cookie, (void)dp, (void)n_desc;

    if (arg_size != sizeof n) /* not a long: no result at all */
        door_return(NULL, 0, NULL, 0);
    memcpy(&n, argp, sizeof n);
    if (n > SQUARE_MAX || n < -SQUARE_MAX) /* would overflow: no result either */
        door_return(NULL, 0, NULL, 0);
    result = n * n;
    printf("square_server: %ld squared is %ld\n", n, result);
    fflush(stdout);
    door_return((char *)&result, sizeof result, NULL, 0);
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: square_server path\n");
        return 2;
    }
    door_file_catch();
    int d = door_create(square, NULL, 0);
    if (d == -1)
        err(1, "door_create");
    door_file_attach(d, argv[1]);
    printf("square_server: door attached to %s\n", argv[1]);
    fflush(stdout);
    door_file_wait();
    door_file_remove(d, argv[1]);
    return 0;
}
