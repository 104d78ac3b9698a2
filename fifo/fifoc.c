/* fifoc.c -- FIFO client: asks the fifos server for the square of a number.
 * Usage:  fifoc [-t seconds] server-fifo number
 * Shows:  a reply FIFO named by the client's pid ("<server-fifo>.<pid>"), made
 *         and opened BEFORE the request is sent, so the server can answer at
 *         once; the request is one write(2) of less than PIPE_BUF bytes, so it
 *         cannot mix with other clients'; alarm(2) bounds the wait for an
 *         answer (read(2) fails with EINTR); the reply FIFO is removed at exit,
 *         and on SIGINT and SIGTERM by the handler itself (unlink(2) and
 *         _exit(2) are async-signal-safe), wherever fifoc is waiting.
 * Build:  cc -o fifoc fifoc.c   (fifos.h is the protocol, shared with fifos)
 * Mirrors: KHU lecture "fifos.c / fifoc.c" (the design of APUE section 15.5). */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction, getopt */

#include "fifos.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static char reply_path[PATH_MAX];
static volatile sig_atomic_t have_reply_fifo; /* read by on_stop */

static void usage(void)
{
    fprintf(stderr, "usage: fifoc [-t seconds] server-fifo number\n");
    exit(2);
}

/* The time limit. Asks for another SIGALRM a second later: one that lands
 * before read() has begun cannot interrupt it, the next one does. */
static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
    alarm(1); /* async-signal-safe */
}

/* SIGINT, SIGTERM. fifoc may wait in write() (a full server FIFO) or read(),
 * and a stop that lands just before either has begun could not interrupt
 * it. The whole clean-up is async-signal-safe, so the handler does it and
 * ends the process itself, wherever it is. */
static void on_stop(int sig)
{
    static const char msg[] = "fifoc: interrupted\n";
    (void)sig;
    if (have_reply_fifo)
        unlink(reply_path);
    ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)n; /* nothing to do if even that fails */
    _exit(1);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_alarm; /* no SA_RESTART: read() fails with EINTR */
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = SIG_IGN; /* a server that vanishes gives EPIPE, reported */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void remove_reply_fifo(void)
{
    if (have_reply_fifo)
        unlink(reply_path);
}

/* mkfifo, replacing a FIFO already there: the name holds our pid, so such a
 * FIFO was left by a dead process that had the same pid. */
static void mkfifo_fresh(const char *path)
{
    struct stat st;

    if (mkfifo(path, 0600) == 0)
        return;
    if (errno != EEXIST)
        err(1, "mkfifo %s", path);
    if (lstat(path, &st) == -1)
        err(1, "%s", path);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO", path);
    if (unlink(path) == -1 || mkfifo(path, 0600) == -1)
        err(1, "replace stale %s", path);
}

/* Make this client's reply FIFO, and open it without waiting for the server:
 * to read, and to write as well (a dummy writer: without one, read() would
 * return EOF at once, before the server has even opened its end). */
static int make_reply_fifo(const char *server, int *dummy)
{
    if (snprintf(reply_path, sizeof reply_path, FIFOS_REPLY_PATH, server, (long)getpid()) >=
        (int)sizeof reply_path)
        errx(1, "%s: path too long", server);
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    /* No stop between making the FIFO and telling on_stop it is ours. */
    if (sigprocmask(SIG_BLOCK, &stops, &old) == -1)
        err(1, "sigprocmask");
    mkfifo_fresh(reply_path);
    have_reply_fifo = 1;
    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
        err(1, "sigprocmask");
    if (atexit(remove_reply_fifo) != 0)
        errx(1, "atexit failed");
    int fd = open(reply_path, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", reply_path);
    *dummy = open(reply_path, O_WRONLY);
    if (*dummy == -1)
        err(1, "open %s for writing", reply_path);
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
        err(1, "fcntl");
    return fd;
}

/* Send "PID NUMBER\n" in one write(2). O_NONBLOCK on open: no server, no wait. */
static void send_request(const char *server, long long number)
{
    char line[FIFOS_LINE_MAX];
    struct stat st;

    int fd = open(server, O_WRONLY | O_NONBLOCK);
    if (fd == -1 && errno == ENXIO)
        errx(1, "no server is reading %s", server);
    if (fd == -1)
        err(1, "%s", server);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", server);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s is not a FIFO", server);
    int flags = fcntl(fd, F_GETFL); /* a full FIFO should make us wait, not fail */
    if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
        err(1, "fcntl");
    int len = snprintf(line, sizeof line, "%ld %lld\n", (long)getpid(), number);
    ssize_t n = write(fd, line, (size_t)len);
    if (n == -1)
        err(1, "write to %s", server);
    if (n != len) /* cannot happen under PIPE_BUF; would corrupt the server's stream */
        errx(1, "short write to %s", server);
    close(fd);
}

/* Read one line, waiting at most seconds for it to be complete. */
static void read_reply(int fd, unsigned seconds, char *line, size_t size)
{
    size_t used = 0;

    alarm(seconds);
    while (used == 0 || line[used - 1] != '\n') {
        if (used == size - 1)
            errx(1, "the answer is too long");
        ssize_t n = read(fd, line + used, size - 1 - used);
        if (n == -1 && errno == EINTR && timed_out)
            errx(1, "no answer within %u s", seconds);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            err(1, "read %s", reply_path);
        if (n == 0) /* cannot happen while we hold the dummy writer */
            errx(1, "unexpected EOF on %s", reply_path);
        used += (size_t)n;
    }
    alarm(0);
    line[used - 1] = '\0';
}

static long long parse_or_usage(const char *s, long long min, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
        usage();
    return v;
}

int main(int argc, char *argv[])
{
    long long seconds = 10;
    int opt, dummy;
    char answer[FIFOS_LINE_MAX];

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        seconds = parse_or_usage(optarg, 1, 3600);
    }
    if (argc - optind != 2)
        usage();
    const char *server = argv[optind];
    long long number = parse_or_usage(argv[optind + 1], -FIFOS_NUMBER_MAX, FIFOS_NUMBER_MAX);

    catch_signals();
    int fd = make_reply_fifo(server, &dummy);
    send_request(server, number);
    read_reply(fd, (unsigned)seconds, answer, sizeof answer);
    if (strncmp(answer, "error:", 6) == 0)
        errx(1, "the server says: %s", answer);
    printf("%lld squared is %s\n", number, answer);
    return 0; /* remove_reply_fifo runs at exit */
}
