/* fd_recv.c -- receives an open descriptor from fd_send and prints the file
 * it refers to.
 * Usage:  fd_recv [-t seconds] socket-path
 * Shows:  recvmsg(2) with room for a control message; the SCM_RIGHTS message
 *         carries a descriptor that is new in this process (its number may
 *         differ from the sender's) and refers to the sender's open file: we
 *         read it, though we never opened the file, and may not be allowed to.
 *         Only the file's bytes go to stdout. The server must send within -t
 *         seconds (default 10).
 * Mirrors: nothing in the lectures (Stevens' "open server", UNP ch. 15). */
#define _POSIX_C_SOURCE 200809L /* sockets, pselect */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: fd_recv [-t seconds] socket-path\n");
    exit(2);
}

/* Receive the one byte and the descriptor that comes with it. */
static int recv_fd(int conn)
{
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union { /* the control buffer must be aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    int fd;

    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n = recvmsg(conn, &msg, 0);
    if (n == -1)
        err(1, "recvmsg");
    if (n == 0)
        errx(1, "the server closed the connection without sending a descriptor");
    /* MSG_CTRUNC: the kernel had more than fits, and closed what it dropped. */
    if (msg.msg_flags & MSG_CTRUNC)
        errx(1, "the control message was truncated");
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
        cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
        errx(1, "the server sent no descriptor");
    memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
    return fd;
}

/* Copy everything readable through FD to stdout. */
static void copy_out(int fd)
{
    char buf[8192];
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n == -1)
            err(1, "read through the received descriptor");
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            err(1, "write stdout");
    }
    if (fflush(stdout) == EOF)
        err(1, "write stdout");
}

int main(int argc, char *argv[])
{
    int seconds = 10, opt;
    struct sockaddr_un addr;

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't' || (seconds = parse_seconds(optarg)) == -1)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];
    socklen_t len = unix_address(&addr, path);

    int conn = socket(AF_UNIX, SOCK_STREAM, 0);
    if (conn == -1)
        err(1, "socket");
    if (connect(conn, (struct sockaddr *)&addr, len) == -1)
        err(1, "connect %s", path);
    int ready = wait_fd(conn, seconds);
    if (ready == 0)
        errx(1, "no descriptor from %s within %d s", path, seconds);
    if (ready == -1)
        err(1, "waiting for the descriptor");
    int fd = recv_fd(conn);
    close(conn);
    copy_out(fd);
    close(fd);
    return 0;
}
