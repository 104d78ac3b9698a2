/* mech_fd.c -- ipcbench's mechanisms that move bytes through file descriptors:
 * pipe, FIFO, UNIX stream and datagram sockets, TCP and UDP on loopback.
 * Part of ipcbench (see ipcbench.c for how to build it). */
#define _GNU_SOURCE /* ipcbench.c explains: Linux extensions are the point */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ipcbench.h"

/* fds[side][0] is what that side reads, fds[side][1] what it writes (the same
 * descriptor for a socket). The other side's descriptors are closed after fork. */
static int fds[2][2] = {{-1, -1}, {-1, -1}};
static int listen_fd = -1;
static char paths[2][108]; /* files to unlink: FIFOs or socket names */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void unlink_paths(void)
{
    for (int i = 0; i < 2; i++)
        if (paths[i][0] != '\0') {
            unlink(paths[i]);
            paths[i][0] = '\0';
        }
}

/* After fork each side keeps only its own descriptors. */
static void keep_side(int side)
{
    int other = 1 - side;
    if (fds[other][0] == fds[other][1])
        fds[other][1] = -1;
    close_fd(&fds[other][0]);
    close_fd(&fds[other][1]);
}

static void fd_destroy(int side)
{
    (void)side;
    for (int s = 0; s < 2; s++) {
        if (fds[s][0] == fds[s][1])
            fds[s][1] = -1;
        close_fd(&fds[s][0]);
        close_fd(&fds[s][1]);
    }
    close_fd(&listen_fd);
    unlink_paths();
}

static size_t no_limit(const char **why)
{
    *why = "the bench's own cap";
    return (size_t)16 << 20;
}

/* Byte streams: write all of it, read exactly size bytes (the frame is the
 * fixed message size), and treat EOF as the peer's death. */
static void stream_send(int side, const void *buf, size_t size)
{
    const char *p = buf;
    while (size > 0) {
        ssize_t n = write(fds[side][1], p, size);
        if (n == -1) {
            if (errno != EINTR)
                bench_fail("write");
            bench_poll();
            continue;
        }
        p += n;
        size -= (size_t)n;
    }
}

static void stream_recv(int side, void *buf, size_t size)
{
    char *p = buf;
    while (size > 0) {
        ssize_t n = read(fds[side][0], p, size);
        if (n == -1) {
            if (errno != EINTR)
                bench_fail("read");
            bench_poll();
            continue;
        }
        if (n == 0)
            bench_failx("read: end of file: the peer went away");
        p += n;
        size -= (size_t)n;
    }
}

/* Datagrams: one send is one message; MSG_TRUNC makes recv return the real
 * length, so a datagram of the wrong size is caught, never cut short. */
static void dgram_send(int side, const void *buf, size_t size)
{
    for (;;) {
        ssize_t n = send(fds[side][1], buf, size, 0);
        if (n == (ssize_t)size)
            return;
        if (n >= 0)
            bench_failx("send: %zd of %zu bytes went", n, size);
        if (errno != EINTR && errno != ENOBUFS)
            bench_fail("send");
        bench_poll();
    }
}

static void dgram_recv(int side, void *buf, size_t size)
{
    for (;;) {
        ssize_t n = recv(fds[side][0], buf, size, MSG_TRUNC);
        if (n == (ssize_t)size)
            return;
        if (n >= 0)
            bench_failx("recv: a %zd-byte datagram where %zu were sent", n, size);
        if (errno != EINTR && errno != EAGAIN)
            bench_fail("recv");
        bench_poll(); /* EAGAIN: SO_RCVTIMEO ran out; bench_poll knows for how long */
    }
}

/* ---- pipe: two of them, one each way ---- */
static void pipe_create(size_t size)
{
    int a[2], b[2];
    (void)size;
    if (pipe(a) == -1 || pipe(b) == -1)
        bench_fail("pipe");
    fds[PARENT][1] = a[1]; /* parent -> child */
    fds[CHILD][0] = a[0];
    fds[CHILD][1] = b[1]; /* child -> parent */
    fds[PARENT][0] = b[0];
}

const struct mech mech_pipe = {
    .name = "pipe",
    .how = "two pipe(2)s, write/read",
    .limit = no_limit,
    .create = pipe_create,
    .attach = keep_side,
    .send = stream_send,
    .recv = stream_recv,
    .destroy = fd_destroy,
};

/* ---- FIFO: two named pipes in bench_dir, unlinked once both ends are open ---- */
static void make_fifo(int i, const char *file)
{
    bench_path(paths[i], sizeof paths[i], file);
    if (mkfifo(paths[i], 0600) == 0)
        return;
    if (errno == EEXIST) {
        unlink(paths[i]); /* left by a run that was killed with SIGKILL */
        if (mkfifo(paths[i], 0600) == 0)
            return;
    }
    bench_fail("mkfifo %s", paths[i]);
}

static void fifo_create(size_t size)
{
    (void)size;
    make_fifo(0, "ipcbench.fifo0");
    make_fifo(1, "ipcbench.fifo1");
}

static int open_fifo(const char *path, int flags)
{
    for (;;) {
        int fd = open(path, flags); /* blocks until the other end opens */
        if (fd >= 0)
            return fd;
        if (errno != EINTR)
            bench_fail("open %s", path);
        bench_poll();
    }
}

/* Both sides open fifo0 first, so neither waits for an open the other has not
 * reached yet. */
static void fifo_attach(int side)
{
    if (side == PARENT) {
        fds[side][1] = open_fifo(paths[0], O_WRONLY);
        fds[side][0] = open_fifo(paths[1], O_RDONLY);
        unlink_paths(); /* both ends are open: the names are no longer needed */
    } else {
        fds[side][0] = open_fifo(paths[0], O_RDONLY);
        fds[side][1] = open_fifo(paths[1], O_WRONLY);
        paths[0][0] = paths[1][0] = '\0'; /* the parent owns the names */
    }
}

const struct mech mech_fifo = {
    .name = "fifo",
    .how = "two mkfifo(3) FIFOs, write/read",
    .limit = no_limit,
    .create = fifo_create,
    .attach = fifo_attach,
    .send = stream_send,
    .recv = stream_recv,
    .destroy = fd_destroy,
};

/* ---- UNIX stream socket: listen on a path, the child connects ---- */
static void unix_addr(struct sockaddr_un *sa, const char *path)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path)
        bench_failx("socket path too long (%zu bytes max): %s", sizeof sa->sun_path - 1,
                    path);
    strcpy(sa->sun_path, path);
}

static int bound_unix(int type, int i, const char *file)
{
    struct sockaddr_un sa;
    bench_path(paths[i], sizeof paths[i], file);
    unix_addr(&sa, paths[i]);
    int fd = socket(AF_UNIX, type, 0);
    if (fd == -1)
        bench_fail("socket");
    unlink(paths[i]); /* a stale name from a run killed with SIGKILL */
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
        paths[i][0] = '\0';
        bench_fail("bind %s", sa.sun_path);
    }
    return fd;
}

static void unix_stream_create(size_t size)
{
    (void)size;
    listen_fd = bound_unix(SOCK_STREAM, 0, "ipcbench.sock");
    if (listen(listen_fd, 1) == -1)
        bench_fail("listen");
}

static int accept_one(void)
{
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd >= 0)
            return fd;
        if (errno != EINTR)
            bench_fail("accept");
        bench_poll();
    }
}

static void connect_to(int fd, const struct sockaddr *sa, socklen_t len)
{
    while (connect(fd, sa, len) == -1) {
        if (errno != EINTR)
            bench_fail("connect");
        bench_poll();
    }
}

static void unix_stream_attach(int side)
{
    if (side == PARENT) {
        fds[side][0] = fds[side][1] = accept_one();
        close_fd(&listen_fd);
        unlink_paths(); /* connected: the name has done its job */
        return;
    }
    struct sockaddr_un sa;
    unix_addr(&sa, paths[0]);
    paths[0][0] = '\0';
    close_fd(&listen_fd);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        bench_fail("socket");
    connect_to(fd, (struct sockaddr *)&sa, sizeof sa);
    fds[side][0] = fds[side][1] = fd;
}

const struct mech mech_unix_stream = {
    .name = "unix-stream",
    .how = "AF_UNIX SOCK_STREAM, write/read",
    .limit = no_limit,
    .create = unix_stream_create,
    .attach = unix_stream_attach,
    .send = stream_send,
    .recv = stream_recv,
    .destroy = fd_destroy,
};

/* ---- UNIX datagram socket: two bound sockets, each connected to the other ---- */
static size_t unix_dgram_limit(const char **why)
{
    *why = "the bench's cap for AF_UNIX datagrams (the send buffer must hold one)";
    return 128 * 1024;
}

static void set_buffers(int fd, size_t size)
{
    int want = (int)(4 * size + 65536);
    /* Best effort: the kernel caps these at wmem_max/rmem_max. */
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
}

static void pair_up(int a, int b, const struct sockaddr *sa_a,
                    const struct sockaddr *sa_b, socklen_t len)
{
    if (connect(a, sa_b, len) == -1 || connect(b, sa_a, len) == -1)
        bench_fail("connect");
    fds[PARENT][0] = fds[PARENT][1] = a;
    fds[CHILD][0] = fds[CHILD][1] = b;
}

static void unix_dgram_create(size_t size)
{
    struct sockaddr_un sa_a, sa_b;
    int a = bound_unix(SOCK_DGRAM, 0, "ipcbench.dgram0");
    int b = bound_unix(SOCK_DGRAM, 1, "ipcbench.dgram1");
    unix_addr(&sa_a, paths[0]);
    unix_addr(&sa_b, paths[1]);
    set_buffers(a, size);
    set_buffers(b, size);
    pair_up(a, b, (struct sockaddr *)&sa_a, (struct sockaddr *)&sa_b, sizeof sa_a);
    /* A connected AF_UNIX datagram sender blocks while the peer's queue is
     * full, so no message is dropped and no window is needed. */
}

static void unix_dgram_attach(int side)
{
    keep_side(side);
    if (side == PARENT)
        unlink_paths(); /* connected both ways: the names are not needed */
    else
        paths[0][0] = paths[1][0] = '\0';
}

const struct mech mech_unix_dgram = {
    .name = "unix-dgram",
    .how = "AF_UNIX SOCK_DGRAM, send/recv",
    .limit = unix_dgram_limit,
    .create = unix_dgram_create,
    .attach = unix_dgram_attach,
    .send = dgram_send,
    .recv = dgram_recv,
    .destroy = fd_destroy,
};

/* ---- TCP on loopback: listen on port 0, the child connects ---- */
static struct sockaddr_in tcp_addr;

static void loopback(struct sockaddr_in *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa->sin_port = 0; /* any free port */
}

static int bound_inet(int type, struct sockaddr_in *sa)
{
    socklen_t len = sizeof *sa;
    int fd = socket(AF_INET, type, 0);
    if (fd == -1)
        bench_fail("socket");
    loopback(sa);
    if (bind(fd, (struct sockaddr *)sa, sizeof *sa) == -1)
        bench_fail("bind 127.0.0.1:0");
    if (getsockname(fd, (struct sockaddr *)sa, &len) == -1)
        bench_fail("getsockname");
    return fd;
}

static void no_delay(int fd)
{
    int one = 1; /* small messages go at once, as lmbench's lat_tcp sends them */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == -1)
        bench_fail("setsockopt TCP_NODELAY");
}

static void tcp_create(size_t size)
{
    (void)size;
    listen_fd = bound_inet(SOCK_STREAM, &tcp_addr);
    if (listen(listen_fd, 1) == -1)
        bench_fail("listen");
}

static void tcp_attach(int side)
{
    int fd;
    if (side == PARENT) {
        fd = accept_one();
    } else {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            bench_fail("socket");
        connect_to(fd, (struct sockaddr *)&tcp_addr, sizeof tcp_addr);
    }
    close_fd(&listen_fd);
    no_delay(fd);
    fds[side][0] = fds[side][1] = fd;
}

const struct mech mech_tcp = {
    .name = "tcp",
    .how = "TCP on 127.0.0.1, TCP_NODELAY",
    .limit = no_limit,
    .create = tcp_create,
    .attach = tcp_attach,
    .send = stream_send,
    .recv = stream_recv,
    .destroy = fd_destroy,
};

/* ---- UDP on loopback: two bound sockets, each connected to the other ---- */
static size_t udp_limit(const char **why)
{
    *why = "the largest UDP payload over IPv4";
    return 65507;
}

static void udp_create(size_t size)
{
    struct sockaddr_in sa_a, sa_b;
    int a = bound_inet(SOCK_DGRAM, &sa_a);
    int b = bound_inet(SOCK_DGRAM, &sa_b);
    set_buffers(a, size);
    set_buffers(b, size);
    pair_up(a, b, (struct sockaddr *)&sa_a, (struct sockaddr *)&sa_b, sizeof sa_a);
    /* UDP drops what the receiver's buffer cannot hold, so the stream waits
     * for an ack after as many messages as fit in half the buffer. */
    int rcvbuf;
    socklen_t len = sizeof rcvbuf;
    if (getsockopt(b, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) == -1)
        bench_fail("getsockopt SO_RCVBUF");
    bench_window = (int)((size_t)rcvbuf / 2 / (size + 1024));
    if (bench_window < 1)
        bench_window = 1;
    /* A lost datagram must not hang the bench: recv gives up every second
     * and bench_poll decides whether the wait has gone on too long. */
    struct timeval tv = {1, 0};
    if (setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1 ||
        setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
        bench_fail("setsockopt SO_RCVTIMEO");
}

const struct mech mech_udp = {
    .name = "udp",
    .how = "UDP on 127.0.0.1, send/recv",
    .limit = udp_limit,
    .create = udp_create,
    .attach = keep_side,
    .send = dgram_send,
    .recv = dgram_recv,
    .destroy = fd_destroy,
};
