/* copy_client.c -- has copy_server write a file into this process's standard output.
 * Usage:  copy_client path file
 * Shows:  a descriptor sent with door_call(3DOOR) in desc_ptr/desc_num: a dup(2) of
 *         standard output marked DOOR_DESCRIPTOR | DOOR_RELEASE, so the library
 *         closes the copy sent once the call is done; the server writes into it.
 * Beyond: extends file_client, which receives a descriptor instead.
 * Build:  cc -o copy_client copy_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* munmap */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "file_proto.h"

int main(int argc, char *argv[])
{
    struct file_reply reply;

    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: copy_client path file\n");
        return 2;
    }
    if (strlen(argv[2]) >= FILE_NAME_MAX)
        errx(2, "file name longer than %d bytes", FILE_NAME_MAX - 1);
    int door = open(argv[1], O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (door == -1)
        err(1, "open %s", argv[1]);
    door_desc_t out = {.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE};
    out.d_data.d_desc.d_descriptor = dup(STDOUT_FILENO); /* released by the call */
    if (out.d_data.d_desc.d_descriptor == -1)
        err(1, "dup");
    door_arg_t arg = {.data_ptr = argv[2], /* the name, with its NUL */
                      .data_size = strlen(argv[2]) + 1,
                      .desc_ptr = &out,
                      .desc_num = 1,
                      .rbuf = (char *)&reply,
                      .rsize = sizeof reply};
    if (door_call(door, &arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(door);
    if (fcntl(out.d_data.d_desc.d_descriptor, F_GETFD) != -1)
        errx(1, "the descriptor sent with DOOR_RELEASE is still open");
    if (arg.data_size != sizeof reply)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof reply);
    if (arg.rbuf != (char *)&reply) { /* the library mapped a buffer of its own */
        memcpy(&reply, arg.data_ptr, sizeof reply);
        munmap(arg.rbuf, arg.rsize);
    }
    if (reply.error != 0) {
        errno = reply.error;
        err(1, "server: %s", argv[2]);
    }
    return 0;
}
