/* peercred.c -- a server that asks the kernel who each client is: SO_PEERCRED.
 * Usage:  peercred [-t seconds] socket-file
 *         then, from another terminal:  client socket-file
 * Shows:  getsockopt(SO_PEERCRED) on an accepted UNIX socket gives the pid, uid
 *         and gid of the process that called connect(2), as the kernel recorded
 *         them: a client cannot lie about them, unlike anything it writes. The
 *         server prints them, reads the client's message (a line, as server.c
 *         reads it), and sends them back as the reply. One client at a time:
 *         a client that has not sent its whole line -t seconds (default 10) after
 *         it was accepted is dropped, silent or sending a byte now and then
 *         (SO_RCVTIMEO set to the time left before each read): it holds up the
 *         others that long at most.
 * Beyond: server.c (SYS domain_sock), which cannot tell who its client is. */
#define _GNU_SOURCE /* struct ucred and SO_PEERCRED are Linux's: the point here */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "usock.h"

static const char *socket_file; /* for on_stop */

static void usage(void)
{
    fprintf(stderr, "usage: peercred [-t seconds] socket-file\n");
    exit(2);
}

static void on_stop(int sig)
{
    static const char msg[] = "peercred stopped, socket file removed\n";
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

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

/* The next read on conn may wait until the deadline and no longer (SO_RCVTIMEO,
 * set again before each read): a byte now and then must not hold the server. */
static int time_left(int conn, long long deadline)
{
    long long ms = deadline - now_ms();
    struct timeval left = {.tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000};

    errno = EAGAIN; /* what a read that ran out of time says */
    return ms > 0 && setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &left, sizeof left) == 0;
}

/* Who is it, what does it say (one line, within seconds), and tell it who it is. */
static void serve_client(int conn, int seconds)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    long long deadline = now_ms() + seconds * 1000LL;
    char text[MESSAGE_MAX + 1], reply[128];
    size_t got = 0;
    ssize_t n = 0;

    if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
        warn("SO_PEERCRED");
        return;
    }
    printf("peer pid=%ld uid=%ld gid=%ld\n", (long)cred.pid, (long)cred.uid,
           (long)cred.gid);
    while (got < sizeof text && memchr(text, '\n', got) == NULL) {
        n = time_left(conn, deadline) ? read(conn, text + got, sizeof text - got) : -1;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (n == -1 || got == 0 || (n > 0 && memchr(text, '\n', got) == NULL)) {
        const char *why = n == -1 ? strerror(errno)
                          : got   ? "message too long"
                                  : "no message";
        warnx("no reply to this peer: %s",
              n == -1 && errno == EAGAIN ? "no whole message in time" : why);
        return;
    }
    int r = snprintf(reply, sizeof reply, "you are pid %ld, uid %ld, gid %ld\n",
                     (long)cred.pid, (long)cred.uid, (long)cred.gid);
    if (send(conn, reply, (size_t)r, MSG_NOSIGNAL) == -1) /* gone: EPIPE, no SIGPIPE */
        warn("reply to pid %ld", (long)cred.pid);
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr;
    long seconds = 10;
    char *end;
    int opt;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        seconds = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || seconds < 1 || seconds > 3600)
            usage();
    }
    if (argc - optind != 1)
        usage();
    socket_file = argv[optind];
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
        serve_client(conn, (int)seconds);
        close(conn);
    }
}
