/* robust_fifos.c -- the fifos server made to survive its clients.
 * Usage:  robust_fifos server-fifo
 * Shows:  what fifos takes on trust, checked. Each answer opens the client's
 *         FIFO with O_NONBLOCK, which fails at once (ENXIO) when nobody reads
 *         it, so a client that died cannot hold the server up; and O_NOFOLLOW
 *         plus fstat(2), so only a FIFO gets written. Each request is a
 *         bounded line parsed with strtoll(3): a malformed or overlong one,
 *         or half a line from a client that stopped, costs a log line, not
 *         the server nor the next request. The server FIFO is opened the
 *         portable way (O_RDONLY | O_NONBLOCK, then a writer that never
 *         writes, then O_NONBLOCK cleared). A FIFO in use by another server is
 *         refused; one left by a server killed with SIGKILL is replaced.
 *         SIGINT and SIGTERM remove the FIFO. fifoc is its client (fifos.h).
 * Beyond: fifos (KHU "FIFOs" exercise); APUE 15.5 and exercise 15.10.
 * Build:  cc -o robust_fifos robust_fifos.c */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction */

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

static const char *server_fifo;

static void usage(void)
{
    fprintf(stderr, "usage: robust_fifos server-fifo\n");
    exit(2);
}

/* SIGINT, SIGTERM, once the FIFO is this server's: remove it and end, wherever
 * the server waits (unlink, write and _exit are async-signal-safe). */
static void on_stop(int sig)
{
    static const char msg[] = "robust_fifos: FIFO removed; server stops\n";
    (void)sig;
    unlink(server_fifo);
    ssize_t n = write(STDOUT_FILENO, msg, sizeof msg - 1);
    (void)n; /* nothing to do if even that fails */
    _exit(0);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1 ||
        signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a client gone: EPIPE, not death */
        err(1, "sigaction");
}

/* Make the server FIFO. One that exists is either in use (a reader has it
 * open: another server), or left by a server that was killed: replace that. */
static void claim_fifo(void)
{
    struct stat st;

    if (mkfifo(server_fifo, 0600) == 0)
        return;
    if (errno != EEXIST)
        err(1, "mkfifo %s", server_fifo);
    if (lstat(server_fifo, &st) == -1)
        err(1, "%s", server_fifo);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO; not touching it", server_fifo);
    int fd = open(server_fifo, O_WRONLY | O_NONBLOCK); /* ENXIO if nobody reads */
    if (fd != -1)
        errx(1, "%s is in use by another server", server_fifo);
    if (errno != ENXIO)
        err(1, "open %s", server_fifo);
    if (unlink(server_fifo) == -1 || mkfifo(server_fifo, 0600) == -1)
        err(1, "replace stale %s", server_fifo);
    printf("replaced %s, left behind by a server that did not clean up\n", server_fifo);
}

/* Open the FIFO to read without waiting for a client, then as a writer too,
 * so that read() never sees EOF; then let reads wait again. */
static int open_requests(void)
{
    int fd = open(server_fifo, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", server_fifo);
    int dummy = open(server_fifo, O_WRONLY); /* a reader exists: no wait */
    if (dummy == -1)
        err(1, "open %s for writing", server_fifo);
    if (fcntl(fd, F_SETFL, 0) == -1)
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
static void answer(long long pid, const char *text)
{
    char path[PATH_MAX];
    struct stat st;

    if (snprintf(path, sizeof path, FIFOS_REPLY_PATH, server_fifo, (long)pid) >=
        (int)sizeof path) {
        printf("client %lld: reply path too long; skipped\n", pid);
        return;
    }
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
        printf("client %lld: answered %s", pid, text);
    close(fd);
}

/* One request line, without its '\n': "PID NUMBER". */
static void serve(char *line)
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
    answer(pid, reply);
}

/* Serve each request line that comes, read with read(2), not stdio, to see
 * where each read ends. A read that returns less than it asked for has emptied
 * the FIFO, and a client writes its whole request at once: a piece of line left
 * then is half a request whose client stopped. It is dropped, so that it cannot
 * join the next client's request (fifoc also sends a '\n' first). */
static void serve_requests(int fd)
{
    char buf[PIPE_BUF], line[FIFOS_LINE_MAX];
    size_t used = 0; /* bytes of the line so far */
    int overlong = 0;
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n') {
                if (used < sizeof line - 1)
                    line[used++] = buf[i];
                else
                    overlong = 1;
                continue;
            }
            line[used] = '\0';
            if (overlong)
                printf("ignored an overlong request\n");
            else if (used > 0) /* not the empty line fifoc sends first */
                serve(line);
            used = 0, overlong = 0;
        }
        if ((used > 0 || overlong) && (size_t)n < sizeof buf) {
            printf("ignored half a request: its client stopped before the '\\n'\n");
            used = 0, overlong = 0;
        }
        fflush(stdout);
    }
}

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-')
        usage();
    server_fifo = argv[1];
    claim_fifo(); /* a stop before catch_signals leaves it: the next run replaces it */
    catch_signals();
    int fd = open_requests();
    printf("listening on %s\n", server_fifo);
    fflush(stdout);
    serve_requests(fd);
    warn("read %s", server_fifo); /* no EOF while the dummy writer is open */
    unlink(server_fifo);
    return 1;
}
