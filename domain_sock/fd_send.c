/* fd_send.c -- hands every client an open descriptor of a file (SCM_RIGHTS).
 * Usage:  fd_send socket-file file       (a regular file)
 * Shows:  sendmsg(2) with a control message of type SCM_RIGHTS: the kernel
 *         puts a copy of the open descriptor into the receiving process, which
 *         can then read a file it may have no right to open by name (fd_recv).
 *         Each client gets a descriptor of its own open(2), so clients do not
 *         share a file offset. The server reads nothing from its clients, and
 *         never blocks on one: a client that is gone only costs a warning.
 * Beyond: server.c (SYS domain_sock); Stevens' "open server", UNP ch. 15. */
#define _DEFAULT_SOURCE /* SOCK_NONBLOCK (Linux, POSIX.1-2024) */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

static const char *socket_file; /* for on_stop */

static void on_stop(int sig)
{
    static const char msg[] = "fd_send stopped, socket file removed\n";
    (void)sig;
    unlink(socket_file);
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* Fill addr for path, and free the path for bind(): a socket nobody answers on
 * (left by a server killed with SIGKILL) is removed, nothing else ever is. */
static void claim_path(struct sockaddr_un *addr, const char *path)
{
    struct stat st;

    if (strlen(path) >= sizeof addr->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr->sun_path - 1, path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    strcpy(addr->sun_path, path);
    if (lstat(path, &st) == -1)
        return; /* nothing there, or bind() will say what is wrong */
    if (!S_ISSOCK(st.st_mode))
        errx(1, "%s exists and is not a socket: not removing it", path);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (probe == -1)
        err(1, "socket");
    if (connect(probe, (const struct sockaddr *)addr, sizeof *addr) == 0 ||
        errno != ECONNREFUSED)
        errx(1, "%s: a server is already running there", path);
    close(probe);
    if (unlink(path) == -1)
        err(1, "remove stale socket %s", path);
    warnx("removed stale socket %s (no server answered on it)", path);
}

/* The slide (CE l.150) says a process's descriptors cannot be passed to an
 * unrelated process: over a UNIX socket they can. Send FD with one byte of
 * ordinary data (a stream socket sends no control message without some). */
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
    /* O_NONBLOCK: never wait, even if the file has changed kind since. */
    int fd = open(file, O_RDONLY | O_NONBLOCK);
    if (fd == -1) {
        warn("%s", file);
        return;
    }
    if (send_fd(conn, fd) == -1)
        warn("send the descriptor to client %ld", client);
    else
        printf("sent a descriptor of %s to client %ld\n", file, client);
    close(fd); /* the client's copy stays open: the file is not closed for it */
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr;
    struct stat st;
    long clients = 0;

    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: fd_send socket-file file\n");
        return 2;
    }
    const char *file = argv[2];
    /* Fail now, not at the first client, if the file cannot be read. A FIFO
     * is refused: open() of it would wait for a writer (O_NONBLOCK: not here). */
    int probe = open(file, O_RDONLY | O_NONBLOCK);
    if (probe == -1 || fstat(probe, &st) == -1)
        err(1, "%s", file);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", file);
    close(probe);

    socket_file = argv[1];
    claim_path(&addr, socket_file);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener == -1)
        err(1, "socket");
    umask(0177); /* the socket file 0600: only its owner may connect */
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s", socket_file);
    if (signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal"); /* a stop before this leaves a stale file, which is replaced */
    if (listen(listener, 5) == -1)
        err(1, "listen");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("listening on %s\n", socket_file);
    for (;;) {
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            err(1, "accept");
        serve_client(conn, file, ++clients);
        close(conn);
    }
}
