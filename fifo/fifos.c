/* fifos.c -- FIFO server: answers each client on the client's own FIFO.
 * Usage:  fifos server-fifo
 * Shows:  mkfifo(3); fopen(3) of it to read and write, so it never sees EOF;
 *         a request line at a time (fgets, sscanf); the answer by open(2) of
 *         the client's FIFO, write(2), close(2). Clients that come at once are
 *         served in turn; a line that is not "PID NUMBER" costs a warning and
 *         only itself. SIGINT and SIGTERM remove the FIFO; one left by kill -9
 *         is used again.
 * Limit:  as on the slide, the server trusts its clients: one that dies after
 *         making its FIFO leaves it waiting in open() forever, and a second
 *         server on the same FIFO is not refused. robust_fifos lifts both.
 * Build:  cc -o fifos fifos.c   (fifos.h is the protocol, shared with fifoc)
 * Mirrors: KHU "FIFOs", the fifos.c / fifoc.c exercise (l.117-141; APUE 15.5). */
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
    fprintf(stderr, "usage: fifos server-fifo\n");
    exit(2);
}

/* SIGINT, SIGTERM, once the FIFO is this server's: remove it and end, wherever
 * the server waits (unlink, write and _exit are async-signal-safe). */
static void on_stop(int sig)
{
    static const char msg[] = "fifos: FIFO removed; server stops\n";
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

/* Answer on the client's FIFO, named after its pid. */
static void answer(long pid, long long number)
{
    char client_fifo[PATH_MAX], reply[FIFOS_LINE_MAX];
    struct stat st;

    if (number < -FIFOS_NUMBER_MAX || number > FIFOS_NUMBER_MAX) /* square overflows */
        strcpy(reply, "error: number out of range\n");
    else
        snprintf(reply, sizeof reply, "%lld\n", number * number);
    snprintf(client_fifo, sizeof client_fifo, FIFOS_REPLY_PATH, server_fifo, pid);
    int fd = open(client_fifo, O_WRONLY); /* waits until the client opens it to read */
    if (fd == -1)
        warn("client %ld: not answered: open %s", pid, client_fifo);
    else if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) /* never write a file */
        warnx("client %ld: not answered: %s is not a FIFO", pid, client_fifo);
    else if (write(fd, reply, strlen(reply)) == -1) /* under PIPE_BUF: all or nothing */
        warn("client %ld: write %s", pid, client_fifo);
    else
        printf("client %ld: answered %s", pid, reply);
    fflush(stdout);
    if (fd != -1)
        close(fd);
}

int main(int argc, char *argv[])
{
    char request[FIFOS_LINE_MAX + 1], extra; /* + 1: room for the '\0' after '\n' */
    long pid;
    long long number;
    struct stat st;

    if (argc != 2 || argv[1][0] == '-')
        usage();
    server_fifo = argv[1];
    if (mkfifo(server_fifo, 0600) == -1 && errno != EEXIST) /* left by kill -9: use it */
        err(1, "mkfifo %s", server_fifo);
    if (stat(server_fifo, &st) == -1 || !S_ISFIFO(st.st_mode)) /* open no other kind */
        errx(1, "%s exists and is not a FIFO; not touching it", server_fifo);
    /* "r+": a writer of its own FIFO too, the server never sees EOF. Linux allows
     * that open of a FIFO; POSIX leaves it undefined (robust_fifos: the portable way). */
    FILE *requests = fopen(server_fifo, "r+");
    if (requests == NULL)
        err(1, "fopen %s", server_fifo);
    catch_signals(); /* a stop before this leaves the FIFO: the next server uses it */
    printf("listening on %s\n", server_fifo);
    fflush(stdout);

    /* One request a line: fgets stops at its '\n' (a longer line comes in pieces,
     * each refused); the widths bound the numbers to what a long long holds. */
    while (fgets(request, sizeof request, requests) != NULL) {
        if (strchr(request, '\n') != NULL &&
            sscanf(request, "%10ld %11lld %c", &pid, &number, &extra) == 2)
            answer(pid, number);
        else if (request[0] != '\n') /* the empty line fifoc sends first: skip it */
            warnx("ignored a request that is not \"PID NUMBER\", or a piece of one");
    }
    warn("read %s", server_fifo); /* r+: there is no EOF */
    unlink(server_fifo);
    return 1;
}
