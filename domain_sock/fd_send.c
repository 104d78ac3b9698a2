/* fd_send.c -- hands every client an open descriptor of a file (SCM_RIGHTS).
 * Usage:  fd_send socket-path file       (a regular file)
 * Shows:  sendmsg(2) with a control message of type SCM_RIGHTS: the kernel
 *         puts a copy of the open descriptor into the receiving process, which
 *         can then read a file it may have no right to open by name (fd_recv).
 *         Each client gets a descriptor of its own open(2), so clients do not
 *         share a file offset. The server reads nothing from its clients, and
 *         never blocks on one: a client that is gone only costs a warning.
 * Mirrors: nothing in the lectures (Stevens' "open server", UNP ch. 15). */
#define _POSIX_C_SOURCE 200809L /* sockets, sigaction, pselect */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: fd_send socket-path file\n");
    exit(2);
}

/* Send FD over the connection: one byte of ordinary data (a stream socket
 * sends no control message without some), and the descriptor beside it. */
static int send_fd(int conn, int fd)
{
    char byte = 'F';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union { /* the control buffer must be aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;

    memset(&msg, 0, sizeof msg);
    memset(&control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    /* MSG_DONTWAIT: never wait on a client; MSG_NOSIGNAL: no SIGPIPE. */
    return sendmsg(conn, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == -1 ? -1 : 0;
}

static void serve_client(int conn, const char *file, long client)
{
    int fd = open(file, O_RDONLY | O_NONBLOCK); /* never wait, even if file changed kind */
    if (fd == -1) {
        warn("%s", file);
        return;
    }
    if (send_fd(conn, fd) == -1)
        warn("send the descriptor to client %ld", client);
    else
        printf("sent a descriptor of %s to client %ld\n", file, client);
    fflush(stdout);
    close(fd); /* the client's copy stays open: the file is not closed for it */
}

int main(int argc, char *argv[])
{
    if (argc != 3 || argv[1][0] == '-')
        usage();
    const char *path = argv[1], *file = argv[2];
    long clients = 0;

    /* Fail now, not at the first client, if the file cannot be read. A FIFO
     * is refused: open() of it would wait for a writer (O_NONBLOCK: not here). */
    struct stat st;
    int probe = open(file, O_RDONLY | O_NONBLOCK);
    if (probe == -1 || fstat(probe, &st) == -1)
        err(1, "%s", file);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", file);
    close(probe);

    catch_stop_signals();
    int listener = listen_unix(path);
    printf("listening on %s\n", path);
    fflush(stdout);

    while (!stop_signal) {
        if (wait_fd(listener, -1) != 1)
            continue; /* EINTR: a stop signal, checked above */
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            continue; /* EAGAIN: the client left before we took it */
        serve_client(conn, file, ++clients);
        close(conn);
    }
    close(listener);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("fd_send stopped, %s removed\n", path);
    return 0;
}
