/* file_server.c -- a door that opens files for its callers: descriptors both ways.
 * Usage:  file_server path
 * Shows:  descriptor passing with door_return(3DOOR): the server opens the file
 *         named in the argument and returns the open descriptor (DOOR_DESCRIPTOR |
 *         DOOR_RELEASE: the server's own copy is closed once sent). A caller that
 *         sends a descriptor instead gets the file written into it. The server
 *         opens with its own rights, relative to its own directory: a real one
 *         would check the caller first (door_cred, see cred_server).
 * Mirrors: UNP vol. 2, 15.9 "Descriptor passing" (the file server).
 * Build:  cc -o file_server file_server.c door.c */
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
#include "file_proto.h"

/* Copy the file into the caller's descriptor; the number of bytes, or -1. */
static long copy_file(int from, int to)
{
    char buf[8192];
    long total = 0;
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(to, buf + off, (size_t)(n - off));
            if (w == -1)
                return -1;
            off += w;
        }
        total += n;
    }
    return n == -1 ? -1 : total;
}

static void open_file(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                      uint_t n_desc)
{
    struct file_reply reply = {0};
    char name[FILE_NAME_MAX];
    (void)cookie;

    if (arg_size == 0 || arg_size > sizeof name || argp[arg_size - 1] != '\0') {
        reply.error = EINVAL; /* not a NUL-terminated name */
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    memcpy(name, argp, arg_size);
    int fd = open(name, O_RDONLY);
    if (fd == -1) {
        reply.error = errno;
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    if (n_desc == 1) { /* the caller sent a descriptor: write the file into it */
        int to = dp[0].d_data.d_desc.d_descriptor;
        reply.bytes = copy_file(fd, to);
        reply.error = reply.bytes == -1 ? errno : 0;
        close(to); /* it is ours now: the caller's copy is its own business */
        close(fd);
        printf("file_server: wrote %s into the caller's descriptor\n", name);
        fflush(stdout);
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    door_desc_t desc = {.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE};
    desc.d_data.d_desc.d_descriptor = fd; /* DOOR_RELEASE: closed here once sent */
    printf("file_server: sent a descriptor for %s\n", name);
    fflush(stdout);
    door_return((char *)&reply, sizeof reply, &desc, 1);
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: file_server path\n");
        return 2;
    }
    door_file_catch();
    int d = door_create(open_file, NULL, 0);
    if (d == -1)
        err(1, "door_create");
    door_file_attach(d, argv[1]);
    printf("file_server: door attached to %s\n", argv[1]);
    fflush(stdout);
    door_file_wait();
    door_file_remove(d, argv[1]);
    return 0;
}
