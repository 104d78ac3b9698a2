/* copy_server.c -- a door that writes a file into a descriptor its caller sends.
 * Usage:  copy_server path
 * Shows:  a descriptor passed to the server: it arrives with the call in dp[0] (a
 *         new descriptor of the server's, which the server must close), the
 *         procedure writes the file named in the argument into it and answers how
 *         many bytes it wrote. Like file_server it opens with its own rights.
 * Beyond: extends file_server, whose descriptor goes the other way (server to caller).
 * Build:  cc -o copy_server copy_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "door.h"
#include "file_proto.h"

static const char *path;

/* Open a regular file only: a FIFO would hold this thread in open (O_NONBLOCK: it
 * does not), a directory or a device is not what a caller may ask for. */
static int open_regular(const char *name)
{
    struct stat st;
    int fd = open(name, O_RDONLY | O_NONBLOCK);
    if (fd != -1 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

/* Copy the file into the caller's descriptor: the number of bytes, or -1. */
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

static void copy(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                 uint_t n_desc)
{
    struct file_reply reply = {.error = EINVAL}; /* no name, or not one descriptor */
    char name[FILE_NAME_MAX];
    (void)cookie;

    for (uint_t i = 1; i < n_desc; i++) /* they are ours now: keep no stray one */
        close(dp[i].d_data.d_desc.d_descriptor);
    if (n_desc != 1 || arg_size == 0 || arg_size > sizeof name ||
        argp[arg_size - 1] != '\0') {
        if (n_desc > 0)
            close(dp[0].d_data.d_desc.d_descriptor);
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    memcpy(name, argp, arg_size);
    int to = dp[0].d_data.d_desc.d_descriptor;
    int fd = open_regular(name);
    if (fd == -1) {
        reply.error = errno;
    } else {
        reply.bytes = copy_file(fd, to);
        reply.error = reply.bytes == -1 ? errno : 0;
        close(fd);
        printf("copy_server: wrote %s into the caller's descriptor\n", name);
    }
    close(to);
    door_return((char *)&reply, sizeof reply, NULL, 0);
}

static void stop(int sig) /* SIGINT, SIGTERM: unlink and _exit are async-signal-safe */
{
    (void)sig;
    if (made)
        unlink(path);
    _exit(0);
}

int main(int argc, char *argv[])
{
    struct sigaction sa = {.sa_handler = stop};
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: copy_server path\n");
        return 2;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(copy, NULL, 0);
    if (fd == -1)
        err(1, "door_create");
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600); /* a file given: not ours */
    if (file == -1 && errno != EEXIST)
        err(1, "open %s", path);
    made = file != -1;
    if (made)
        close(file);
    if (fattach(fd, path) == -1) {
        if (made)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("copy_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
