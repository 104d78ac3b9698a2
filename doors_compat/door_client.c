/* door_client.c -- the lecture's door client: one request through the door, one answer.
 * Usage:  door_client path id [text]
 * Shows:  open(2) on the door's path, door_call(3DOOR) with an argument struct and
 *         a result buffer of the reply's size.
 * Mirrors: SYS doors (client).
 * Build:  cc -o door_client door_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* snprintf, munmap */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "hello.h"

static void usage(void)
{
    fprintf(stderr, "usage: door_client path id [text]\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    struct hello_request req = {0};
    struct hello_reply reply;
    char *end;

    if (argc < 3 || argc > 4)
        usage();
    req.id = strtol(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0')
        usage();
    if (argc == 4 && strlen(argv[3]) >= sizeof req.text)
        errx(2, "text longer than %zu bytes", sizeof req.text - 1);
    snprintf(req.text, sizeof req.text, "%s", argc == 4 ? argv[3] : "hello");

    int fd = open(argv[1], O_RDONLY);
    if (fd == -1)
        err(1, "open %s", argv[1]);
    door_arg_t arg = {
        .data_ptr = (char *)&req,
        .data_size = sizeof req, /* the argument */
        .rbuf = (char *)&reply,
        .rsize = sizeof reply, /* room for the result */
    };
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(fd);
    if (arg.data_size != sizeof reply)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof reply);
    if (arg.rbuf != (char *)&reply) { /* the library mapped a buffer of its own */
        memcpy(&reply, arg.data_ptr, sizeof reply);
        munmap(arg.rbuf, arg.rsize);
    }
    printf("door_client: reply to request %ld from server %ld (request %ld it served)\n",
           reply.id, (long)reply.server, reply.served);
    return 0;
}
