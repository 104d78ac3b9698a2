/* door_client.c -- the lecture's door client: one call through the door, with an id.
 * Usage:  door_client path id
 * Shows:  open(2) of the door's path, like any file; a door_arg_t that packs the
 *         argument struct; door_call(3DOOR), which returns once server() has run.
 * Mirrors: SYS doors (client).
 * Build:  cc -o door_client door_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* POSIX.1-2008: open, close; nothing more */

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "door.h"
#include "hello.h"

static void usage(void)
{
    fprintf(stderr, "usage: door_client path id\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    myArg_t arg; /* The slide's malloc is never checked nor freed: a local will do. */
    door_arg_t d_arg;
    char *end;

    if (argc != 3 || argv[1][0] == '-')
        usage();
    long id = strtol(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || id < INT_MIN || id > INT_MAX)
        usage();

    /* O_NONBLOCK: a FIFO at the path must not hold us in open (door_call then
     * fails with EBADF); it changes nothing for a door's file. */
    int doorfd = open(argv[1], O_RDONLY | O_NONBLOCK);
    if (doorfd == -1)
        err(1, "open %s", argv[1]);
    arg.id = (int)id;
    d_arg.data_ptr = (char *)&arg;
    d_arg.data_size = sizeof arg;
    d_arg.desc_ptr = NULL;
    d_arg.desc_num = 0;
    /* The slide leaves rbuf and rsize unset: results would land at a wild address. */
    d_arg.rbuf = NULL; /* no results expected (any would come in a mapped buffer) */
    d_arg.rsize = 0;
    if (door_call(doorfd, &d_arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(doorfd);
    printf("door_client: request %d answered\n", arg.id);
    return 0;
}
