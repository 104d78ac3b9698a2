/* usock.h -- what the domain_sock/ programs share: a checked socket address,
 * stale socket files, framed messages, and waits with a time limit that
 * SIGINT/SIGTERM end at once.
 * Header only (every function static inline: a program that uses only some
 * of them gets no unused-function warning), so that each program still
 * builds on its own: cc -o server server.c. The program defines its
 * feature-test macro before including it. */
#ifndef USOCK_H
#define USOCK_H

#include <arpa/inet.h> /* htonl, ntohl */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The longest message (text without a NUL) any program here sends or accepts. */
#define MSG_MAX 4096

/* recv_msg's answers besides a length. */
#define RECV_EOF (-1) /* the peer closed between two messages */
#define RECV_BAD (-2) /* see errno, and recv_problem() */

/* Fill ADDR for PATH and return its length. sun_path is a fixed array (108
 * bytes on Linux): a longer path is refused here, never copied past the end
 * of the array, and never cut short (that would bind another name). */
static inline socklen_t unix_address(struct sockaddr_un *addr, const char *path)
{
    size_t len = strlen(path);

    if (len == 0)
        errx(1, "the socket path is empty");
    if (len >= sizeof addr->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s", len,
             sizeof addr->sun_path - 1, path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, path, len + 1);
    return (socklen_t)sizeof *addr;
}

/* Make PATH free for bind(). A socket file nobody answers on was left by a
 * server killed with SIGKILL: connect() says ECONNREFUSED, and it is removed.
 * A server answering there, or a file that is not a socket, stops the program
 * (exit 1): never remove what another program owns. If another server binds
 * between this check and our bind(), bind() fails with EADDRINUSE. */
static inline void claim_socket_path(const char *path, int type)
{
    struct sockaddr_un addr;
    socklen_t len = unix_address(&addr, path);
    struct stat st;

    if (lstat(path, &st) == -1) {
        if (errno == ENOENT)
            return;
        err(1, "%s", path);
    }
    if (!S_ISSOCK(st.st_mode))
        errx(1, "%s exists and is not a socket: not removing it", path);

    int probe = socket(AF_UNIX, type, 0);
    if (probe == -1)
        err(1, "socket");
    /* Non-blocking, so a live server with a full backlog cannot stall us. */
    if (fcntl(probe, F_SETFL, O_NONBLOCK) == -1)
        err(1, "fcntl");
    int rc = connect(probe, (struct sockaddr *)&addr, len);
    int error = errno;
    close(probe);
    /* EAGAIN: a full backlog; EPROTOTYPE: a live socket of another type. */
    if (rc == 0 || error == EAGAIN || error == EPROTOTYPE)
        errx(1, "%s: a server is already running there", path);
    if (error != ECONNREFUSED) {
        errno = error;
        err(1, "connect %s", path);
    }
    if (unlink(path) == -1)
        err(1, "remove stale socket %s", path);
    warnx("removed stale socket %s (no server answered on it)", path);
}

/* bind() with the socket file created mode 0600: only its owner may connect. */
static inline int bind_private(int fd, const struct sockaddr_un *addr, socklen_t len)
{
    mode_t old = umask(0177);
    int rc = bind(fd, (const struct sockaddr *)addr, len);
    umask(old);
    return rc;
}

/* A stream socket listening at path (claimed first: a stale socket file is
 * replaced, a live server or a non-socket refused). Non-blocking: if a client
 * is gone between the wait and accept(), accept fails with EAGAIN instead of
 * stopping the server until the next client comes. */
static inline int listen_unix(const char *path)
{
    struct sockaddr_un addr;
    socklen_t len = unix_address(&addr, path);

    claim_socket_path(path, SOCK_STREAM);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (bind_private(fd, &addr, len) == -1)
        err(1, "bind %s", path);
    if (listen(fd, SOMAXCONN) == -1 || fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
        warn("listen");
        unlink(path);
        exit(1);
    }
    return fd;
}

/* Seconds from an argument: 1 to 3600, or -1 when it is not one. */
static inline int parse_seconds(const char *arg)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (errno != 0 || *arg == '\0' || *end != '\0' || n < 1 || n > 3600)
        return -1;
    return (int)n;
}

/* --- Signals ------------------------------------------------------------- */

/* Set by SIGINT or SIGTERM: finish up, remove what we own, exit. */
static volatile sig_atomic_t stop_signal;
/* The signal mask inside wait_fd(); the stop signals are blocked elsewhere. */
static sigset_t wait_mask;
static int wait_mask_set;

static inline void on_stop(int sig)
{
    stop_signal = sig;
}

/* Catch SIGINT and SIGTERM with a flag, and keep them blocked except while
 * the program waits in wait_fd(). A stop can then only arrive during a wait,
 * which it ends, and never between the check of the flag and the wait, where
 * it would be missed until the next client (the race pselect() solves). */
static inline void catch_stop_signals(void)
{
    struct sigaction sa;
    sigset_t stops;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, &wait_mask) == -1)
        err(1, "sigprocmask");
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    wait_mask_set = 1;
}

/* Wait until FD can be read, at most SECONDS (< 0: no limit). Returns 1 when
 * it can, 0 at the time limit, -1 on error: EINTR when a signal came. */
static inline int wait_fd(int fd, int seconds)
{
    fd_set readable;
    struct timespec limit = {seconds, 0};

    if (fd >= FD_SETSIZE) {
        errno = EBADF;
        return -1;
    }
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    return pselect(fd + 1, &readable, NULL, NULL, seconds < 0 ? NULL : &limit,
                   wait_mask_set ? &wait_mask : NULL);
}

/* --- Framed messages -------------------------------------------------------
 * A stream socket carries bytes, not messages: one read() may return half a
 * message or two of them. So every message is a 4-byte length in network
 * byte order followed by that many bytes of text (ALP's socket-client.c sends
 * a length first too, but in host order and with no upper bound). */

/* Write all N bytes. MSG_NOSIGNAL: a peer that has gone away gives EPIPE
 * here instead of a SIGPIPE that would kill the whole program. */
static inline int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t done = send(fd, p, n, MSG_NOSIGNAL);
        if (done == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += done;
        n -= (size_t)done;
    }
    return 0;
}

/* Read exactly N bytes, waiting at most SECONDS for each piece. Returns N, or
 * less at end of file, or -1: errno ETIMEDOUT (nothing came in time), EINTR
 * (a stop signal), or read()'s own. Never uses -1 as a length. */
static inline ssize_t read_full(int fd, void *buf, size_t n, int seconds)
{
    size_t got = 0;

    while (got < n) {
        int ready = wait_fd(fd, seconds);
        if (ready == -1)
            return -1;
        if (ready == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r == -1) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Send TEXT (LEN bytes) as one message: length and text in a single write. */
static inline int send_msg(int fd, const char *text, size_t len)
{
    unsigned char frame[4 + MSG_MAX];
    uint32_t prefix = htonl((uint32_t)len);

    if (len > MSG_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    memcpy(frame, &prefix, 4);
    memcpy(frame + 4, text, len);
    return write_all(fd, frame, 4 + len);
}

/* Receive one message into TEXT, which holds MSG_MAX + 1 bytes, and end it
 * with a NUL inside the array. Returns its length, RECV_EOF, or RECV_BAD with
 * errno set (EMSGSIZE: a length over MSG_MAX; EPROTO: closed mid-message). */
static inline int recv_msg(int fd, char text[MSG_MAX + 1], int seconds)
{
    uint32_t prefix;
    ssize_t got = read_full(fd, &prefix, 4, seconds);

    if (got == 0)
        return RECV_EOF;
    if (got == -1)
        return RECV_BAD;
    if (got < 4) {
        errno = EPROTO;
        return RECV_BAD;
    }
    uint32_t len = ntohl(prefix);
    if (len > MSG_MAX) { /* garbage, or another protocol: never trust it */
        errno = EMSGSIZE;
        return RECV_BAD;
    }
    got = read_full(fd, text, len, seconds);
    if (got == -1)
        return RECV_BAD;
    if ((size_t)got < len) {
        errno = EPROTO;
        return RECV_BAD;
    }
    text[len] = '\0'; /* len <= MSG_MAX: inside the array */
    return (int)len;
}

/* What went wrong in recv_msg(), in words a student can act on. */
static inline const char *recv_problem(int error)
{
    switch (error) {
    case ETIMEDOUT:
        return "nothing arrived in time";
    case EMSGSIZE:
        return "length prefix too large (garbage, or not this protocol)";
    case EPROTO:
        return "connection closed in the middle of a message";
    case EINTR:
        return "interrupted by a signal";
    default:
        return strerror(error);
    }
}

/* Replace control characters, NUL included, by '?': text from a peer is
 * printed, and may hold anything. */
static inline void make_printable(char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f)
            text[i] = '?';
    }
}

#endif
