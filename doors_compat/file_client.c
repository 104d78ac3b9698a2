/* file_client.c -- gets a file through file_server's door, copies it to stdout.
 * Usage:  file_client [-s] path file
 * Shows:  a descriptor coming back from door_call(3DOOR) in desc_ptr; with -s, one
 *         going the other way: the client sends its standard output (DOOR_DESCRIPTOR
 *         | DOOR_RELEASE: the copy sent is closed here) and the server writes into it.
 * Mirrors: UNP vol. 2, 15.9 "Descriptor passing" (the file client).
 * Build:  cc -o file_client file_client.c door.c */
#define _POSIX_C_SOURCE 200809L /* getopt, munmap */

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

static void usage(void)
{
    fprintf(stderr, "usage: file_client [-s] path file\n");
    exit(2);
}

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
    int opt, send_stdout = 0;
    struct file_reply reply;
    union { /* room for the reply and a descriptor, aligned for both */
        struct file_reply r;
        door_desc_t d[2];
    } rbuf;

    opterr = 0; /* a bad option gets our usage line, not getopt's message */
    while ((opt = getopt(argc, argv, "s")) != -1) {
        if (opt != 's')
            usage();
        send_stdout = 1;
    }
    if (argc - optind != 2)
        usage();
    const char *path = argv[optind], *file = argv[optind + 1];
    if (strlen(file) >= FILE_NAME_MAX)
        errx(2, "file name longer than %d bytes", FILE_NAME_MAX - 1);

    int fd = open(path, O_RDONLY);
    if (fd == -1)
        err(1, "open %s", path);
    door_arg_t arg = {.data_ptr = (char *)file,
                      .data_size = strlen(file) + 1,
                      .rbuf = (char *)&rbuf,
                      .rsize = sizeof rbuf};
    door_desc_t out = {.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE};
    if (send_stdout) {
        fflush(stdout);
        out.d_data.d_desc.d_descriptor = dup(STDOUT_FILENO); /* released by the call */
        if (out.d_data.d_desc.d_descriptor == -1)
            err(1, "dup");
        arg.desc_ptr = &out;
        arg.desc_num = 1;
    }
    if (door_call(fd, &arg) == -1)
        err(1, "door_call %s", path);
    close(fd);
    if (send_stdout && fcntl(out.d_data.d_desc.d_descriptor, F_GETFD) != -1)
        errx(1, "the descriptor sent with DOOR_RELEASE is still open");
    if (arg.data_size != sizeof reply)
        errx(1, "reply of %zu bytes, expected %zu", arg.data_size, sizeof reply);
    memcpy(&reply, arg.data_ptr, sizeof reply);
    if (reply.error != 0) {
        errno = reply.error;
        err(1, "server: %s", file);
    }
    if (!send_stdout) {
        if (arg.desc_num != 1)
            errx(1, "expected one descriptor, got %u", arg.desc_num);
        int got = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
        copy_to_stdout(got);
        close(got);
    }
    if (arg.rbuf != (char *)&rbuf)
        munmap(arg.rbuf, arg.rsize);
    return 0;
}
