/* fd_recv.c -- receives an open descriptor from fd_send and prints the file
 * it refers to.
 * Usage:  fd_recv [-t seconds] socket-file
 * Shows:  recvmsg(2) with room for a control message; the SCM_RIGHTS message
 *         carries a descriptor that is new in this process (its number may
 *         differ from the sender's) and refers to the sender's open file: we
 *         read it, though we never opened the file, and may not be allowed to.
 *         Only the file's bytes go to stdout. The server must send within -t
 *         seconds (default 10, SO_RCVTIMEO).
 * Beyond: client.c (SYS domain_sock); Stevens' "open server", UNP ch. 15. */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: fd_recv [-t seconds] socket-file\n");
    exit(2);
}

/* Receive the one byte and the descriptor that comes with it. */
static int recv_fd(int conn, const char *path, long seconds)
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
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
        errx(1, "no descriptor from %s within %ld s", path, seconds);
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
    if (fflush(stdout) == EOF || ferror(stdout))
        err(1, "write stdout");
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr;
    struct timeval limit = {.tv_sec = 10};
    char *end;
    int opt;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        limit.tv_sec = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || limit.tv_sec < 1 || limit.tv_sec > 3600)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];
    if (strlen(path) >= sizeof addr.sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr.sun_path - 1, path);
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);

    int conn = socket(AF_UNIX, SOCK_STREAM, 0);
    if (conn == -1)
        err(1, "socket");
    if (connect(conn, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "connect %s", path);
    if (setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt SO_RCVTIMEO");
    int fd = recv_fd(conn, path, (long)limit.tv_sec);
    close(conn);
    copy_out(fd);
    close(fd);
    return 0;
}
