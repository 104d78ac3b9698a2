/* file_server.c -- a door that opens files for its callers and hands back the descriptor.
 * Usage:  file_server path
 * Shows:  descriptor passing with door_return(3DOOR): the procedure opens the file
 *         named in the argument and returns the open descriptor (DOOR_DESCRIPTOR |
 *         DOOR_RELEASE: the server's own copy is closed once sent). It opens with its
 *         own rights, relative to its own directory: a real server would check the
 *         caller first (door_cred, see cred_server).
 * Mirrors: UNP vol. 2, ch. 15, serverfd1.c (descriptor passing).
 * Build:  cc -o file_server file_server.c door.c */
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

static void open_file(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                      uint_t n_desc)
{
    struct file_reply reply = {0};
    char name[FILE_NAME_MAX];
    (void)cookie, (void)dp, (void)n_desc; /* DOOR_REFUSE_DESC: callers send none */

    if (arg_size == 0 || arg_size > sizeof name || argp[arg_size - 1] != '\0') {
        reply.error = EINVAL; /* not a NUL-terminated name */
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    memcpy(name, argp, arg_size);
    int fd = open_regular(name);
    if (fd == -1) {
        reply.error = errno;
        door_return((char *)&reply, sizeof reply, NULL, 0);
    }
    door_desc_t desc = {.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE};
    desc.d_data.d_desc.d_descriptor = fd;
    printf("file_server: sent a descriptor for %s\n", name);
    door_return((char *)&reply, sizeof reply, &desc, 1);
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
        fprintf(stderr, "usage: file_server path\n");
        return 2;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(open_file, NULL, DOOR_REFUSE_DESC);
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
    printf("file_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
