/* file_client.c -- gets a file through file_server's door, copies it to stdout.
 * Usage:  file_client path file
 * Shows:  a descriptor coming back from door_call(3DOOR): desc_ptr/desc_num point
 *         into the result buffer, d_data.d_desc.d_descriptor is a new descriptor of
 *         this process, open on the file the server opened; the client reads it and
 *         closes it.
 * Mirrors: UNP vol. 2, ch. 15, clientfd1.c (descriptor passing).
 * Build:  cc -o file_client file_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* munmap */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "file_proto.h"

static void copy_to_stdout(int fd)
{
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            err(1, "write");
    if (n == -1)
        err(1, "read");
}

int main(int argc, char *argv[])
{
    struct file_reply reply;
    union { /* room for the reply and a descriptor, aligned for both */
        struct file_reply r;
        door_desc_t d[2];
    } rbuf;

    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: file_client path file\n");
        return 2;
    }
    if (strlen(argv[2]) >= FILE_NAME_MAX)
        errx(2, "file name longer than %d bytes", FILE_NAME_MAX - 1);
    int door = open(argv[1], O_RDONLY | O_NONBLOCK); /* a FIFO: EBADF, not a hang */
    if (door == -1)
        err(1, "open %s", argv[1]);
    door_arg_t arg = {.data_ptr = argv[2], /* the name, with its NUL */
                      .data_size = strlen(argv[2]) + 1,
                      .rbuf = (char *)&rbuf,
                      .rsize = sizeof rbuf};
    if (door_call(door, &arg) == -1)
        err(1, "door_call %s", argv[1]);
    close(door);
    if (arg.data_size != sizeof reply)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof reply);
    memcpy(&reply, arg.data_ptr, sizeof reply);
    if (reply.error != 0) {
        errno = reply.error;
        err(1, "server: %s", argv[2]);
    }
    if (arg.desc_num != 1)
        errx(1, "expected one descriptor, got %u", arg.desc_num);
    int fd = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
    copy_to_stdout(fd);
    close(fd);
    if (arg.rbuf != (char *)&rbuf && munmap(arg.rbuf, arg.rsize) == -1)
        err(1, "munmap");
    return 0;
}
