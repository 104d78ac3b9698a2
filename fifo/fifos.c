/* fifos.c -- FIFO server: answers each client on the client's own FIFO.
 * Usage:  fifos [-n count] server-fifo
 * Shows:  mkfifo(3) of a well-known FIFO; the server opens it to read and also
 *         to write (a dummy writer), so it does not see EOF each time the last
 *         client closes; requests of at most PIPE_BUF bytes arrive whole even
 *         when many clients write at once; each answer goes to the client's own
 *         FIFO, opened with O_NONBLOCK so a client that died cannot block the
 *         server. Stops after count requests (default: never) or on SIGINT or
 *         SIGTERM (let in only while pselect(2) waits, so none is missed), and
 *         removes its FIFO. A second server on the same FIFO is refused; a
 *         FIFO left by a killed server is replaced.
 * Build:  cc -o fifos fifos.c   (fifos.h is the protocol, shared with fifoc)
 * Mirrors: KHU lecture "fifos.c / fifoc.c" (the design of APUE section 15.5). */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction, getopt, pselect */

#include "fifos.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static sigset_t wait_mask; /* the signal mask inside pselect: stop signals let in */
static const char *created; /* the server FIFO, once this process has made it */

static void usage(void)
{
    fprintf(stderr, "usage: fifos [-n count] server-fifo\n");
    exit(2);
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* sigaction replaces the SIG_IGN that a background job of a non-interactive
 * shell inherits for SIGINT, so SIGINT stops the server there too. No
 * SA_RESTART: the wait returns EINTR and the loop sees the flag. SIGINT and
 * SIGTERM stay blocked except inside pselect(), so a stop cannot land between
 * the loop's test of the flag and the wait, where it would be missed. */
static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigset_t stops;
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
    sa.sa_handler = SIG_IGN; /* a client that closes too soon gives EPIPE, not death */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* On every exit, by return or err(), once the FIFO is ours. */
static void remove_fifo(void)
{
    if (created == NULL)
        return;
    if (unlink(created) == -1)
        warn("unlink %s", created);
    else
        printf("%s removed; server stops\n", created);
}

static void own(const char *path)
{
    created = path;
    if (atexit(remove_fifo) != 0)
        errx(1, "atexit failed");
}

/* Make the server FIFO. One that exists is either in use (a reader has it
 * open: another server), or left by a server that was killed: replace that. */
static void claim_fifo(const char *path)
{
    struct stat st;

    if (mkfifo(path, 0600) == 0) {
        own(path);
        return;
    }
    if (errno != EEXIST)
        err(1, "mkfifo %s", path);
    if (lstat(path, &st) == -1)
        err(1, "%s", path);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO; not touching it", path);
    int fd = open(path, O_WRONLY | O_NONBLOCK); /* fails with ENXIO if nobody reads */
    if (fd != -1) {
        close(fd);
        errx(1, "%s is in use by another server", path);
    }
    if (errno != ENXIO)
        err(1, "open %s", path);
    if (unlink(path) == -1 || mkfifo(path, 0600) == -1)
        err(1, "replace stale %s", path);
    own(path);
    printf("replaced %s, left behind by a server that did not clean up\n", path);
}

/* Open the FIFO to read without waiting for a client, then as a writer too. */
static int open_fifo(const char *path, int *dummy)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", path);
    *dummy = open(path, O_WRONLY); /* never written: it only keeps EOF away */
    if (*dummy == -1)
        err(1, "open %s for writing", path);
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
        err(1, "fcntl");
    return fd;
}

/* Parse a decimal integer in [min, max] that fills the whole string. */
static int parse(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Send one line to the client's FIFO, never waiting for it. */
static void answer(const char *server, long long pid, const char *text)
{
    char path[PATH_MAX];
    struct stat st;

    if (snprintf(path, sizeof path, FIFOS_REPLY_PATH, server, (long)pid) >= (int)sizeof path) {
        printf("client %lld: reply path too long; skipped\n", pid);
        return;
    }
    /* O_NONBLOCK: if no client reads this FIFO, fail (ENXIO) at once instead
     * of waiting forever for a client that died. */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW);
    if (fd == -1) {
        printf("client %lld: cannot open %s (%s); skipped\n", pid, path, strerror(errno));
        return;
    }
    if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
        printf("client %lld: %s is not a FIFO; skipped\n", pid, path);
        close(fd);
        return;
    }
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len); /* a short line into an empty pipe: whole */
    if (n != (ssize_t)len)
        printf("client %lld: answer not delivered (%s)\n", pid,
               n == -1 ? strerror(errno) : "short write");
    else
        printf("client %lld: answered %.*s\n", pid, (int)len - 1, text);
    close(fd);
}

/* One request line, without its '\n': "PID NUMBER". */
static void serve(const char *server, char *line)
{
    char reply[FIFOS_LINE_MAX];
    long long pid, number;
    char *space = strchr(line, ' ');

    if (space != NULL)
        *space = '\0';
    if (space == NULL || parse(line, 1, INT_MAX, &pid) == -1) {
        printf("ignored a malformed request\n");
        return;
    }
    if (parse(space + 1, -FIFOS_NUMBER_MAX, FIFOS_NUMBER_MAX, &number) == -1)
        snprintf(reply, sizeof reply, "error: not a number from %lld to %lld\n",
                 -FIFOS_NUMBER_MAX, FIFOS_NUMBER_MAX);
    else
        snprintf(reply, sizeof reply, "%lld\n", number * number);
    answer(server, pid, reply);
}

/* Read requests until count have been served or a signal stops us. A line
 * longer than the protocol allows is dropped up to its '\n'. */
static void serve_all(int fd, const char *server, long count)
{
    char buf[4096], line[FIFOS_LINE_MAX];
    size_t used = 0;
    int overlong = 0;
    long served = 0;

    while (!stop && (count == 0 || served < count)) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        if (pselect(fd + 1, &readable, NULL, NULL, NULL, &wait_mask) == -1) {
            if (errno == EINTR)
                continue;
            err(1, "pselect");
        }
        ssize_t n = read(fd, buf, sizeof buf); /* ready: only we read it, no wait */
        if (n == -1)
            err(1, "read");
        if (n == 0) /* cannot happen while the dummy writer is open */
            errx(1, "unexpected EOF on the server FIFO");
        for (ssize_t i = 0; i < n && (count == 0 || served < count); i++) {
            if (buf[i] != '\n' && used < sizeof line - 1) {
                line[used++] = buf[i];
                continue;
            }
            if (buf[i] != '\n') {
                overlong = 1;
                used = 0;
                continue;
            }
            line[used] = '\0';
            if (overlong)
                printf("ignored an overlong request\n");
            else
                serve(server, line);
            fflush(stdout);
            used = 0;
            overlong = 0;
            served++;
        }
    }
}

int main(int argc, char *argv[])
{
    long count = 0;
    int opt, dummy;
    char *end;

    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 0)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    catch_signals();
    claim_fifo(path);
    int fd = open_fifo(path, &dummy);
    printf("listening on %s\n", path); /* the readiness line: after mkfifo and open */
    fflush(stdout);
    serve_all(fd, path, count);
    return 0; /* remove_fifo runs at exit */
}
