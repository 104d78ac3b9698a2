/* robust_fifos.c -- the fifos server made to survive its clients.
 * Usage:  robust_fifos server-fifo
 * Shows:  what fifos takes on trust, checked. Each answer opens the client's
 *         FIFO with O_NONBLOCK, which fails at once (ENXIO) when nobody reads
 *         it, so a client that died cannot hold the server up; and O_NOFOLLOW
 *         plus fstat(2), so only a FIFO gets written. Each request is a
 *         bounded line parsed with strtoll(3): a malformed or overlong one
 *         costs a log line, not the server. The server FIFO is opened the
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
static FILE *open_requests(void)
{
    int fd = open(server_fifo, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", server_fifo);
    int dummy = open(server_fifo, O_WRONLY); /* a reader exists: no wait */
    if (dummy == -1)
        err(1, "open %s for writing", server_fifo);
    if (fcntl(fd, F_SETFL, 0) == -1)
        err(1, "fcntl");
    FILE *requests = fdopen(fd, "r");
    if (requests == NULL)
        err(1, "fdopen");
    return requests;
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

/* Read one request line into line, without its '\n'. Returns 1, or 0 for a
 * line too long for any request (read to its end and dropped), or -1 at EOF. */
static int read_request(FILE *requests, char *line, size_t size)
{
    size_t used = 0;
    int c, overlong = 0;

    while ((c = getc(requests)) != EOF && c != '\n') {
        if (used < size - 1)
            line[used++] = (char)c;
        else
            overlong = 1;
    }
    line[used] = '\0';
    return c == EOF ? -1 : !overlong;
}

int main(int argc, char *argv[])
{
    char line[FIFOS_LINE_MAX];
    int got;

    if (argc != 2 || argv[1][0] == '-')
        usage();
    server_fifo = argv[1];
    claim_fifo(); /* a stop before catch_signals leaves it: the next run replaces it */
    catch_signals();
    FILE *requests = open_requests();
    printf("listening on %s\n", server_fifo);
    fflush(stdout);

    while ((got = read_request(requests, line, sizeof line)) != -1) {
        if (got == 1)
            serve(line);
        else
            printf("ignored an overlong request\n");
        fflush(stdout);
    }
    warn("read %s", server_fifo); /* no EOF while the dummy writer is open */
    unlink(server_fifo);
    return 1;
}
