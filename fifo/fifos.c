/* fifos.c -- FIFO server: answers each client on the client's own FIFO.
 * Usage:  fifos server-fifo
 * Shows:  mkfifo(3) of the well-known FIFO; fopen(3) of it to read and write,
 *         so read never sees EOF when the last client closes; one request at a
 *         time read with fscanf(3); the answer by open(2) of the client's FIFO,
 *         write(2), close(2). Clients that come at once are served in turn.
 *         SIGINT and SIGTERM remove the FIFO; one left by kill -9 is used again.
 * Limit:  as on the slide, the server trusts its clients: one that dies after
 *         making its FIFO leaves the server waiting in open() forever, and a
 *         request that is not "PID NUMBER" stops it. A second server on the
 *         same FIFO is not refused. robust_fifos lifts all three.
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

/* Make the FIFO, or use the one that is there; refuse any other kind of file. */
static void make_fifo(void)
{
    struct stat st;

    if (mkfifo(server_fifo, 0600) == -1 && errno != EEXIST)
        err(1, "mkfifo %s", server_fifo);
    if (stat(server_fifo, &st) == -1)
        err(1, "%s", server_fifo);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO; not touching it", server_fifo);
}

/* Answer on the client's FIFO, named after its pid. */
static void answer(long pid, long long number)
{
    char client_fifo[PATH_MAX], reply[FIFOS_LINE_MAX];

    if (number < -FIFOS_NUMBER_MAX || number > FIFOS_NUMBER_MAX) /* its square overflows */
        strcpy(reply, "error: number out of range\n");
    else
        snprintf(reply, sizeof reply, "%lld\n", number * number);
    snprintf(client_fifo, sizeof client_fifo, FIFOS_REPLY_PATH, server_fifo, pid);
    int fd = open(client_fifo, O_WRONLY); /* waits until the client opens it to read */
    if (fd == -1) {
        warn("open %s", client_fifo);
        return;
    }
    if (write(fd, reply, strlen(reply)) == -1) /* under PIPE_BUF: all or nothing */
        warn("write %s", client_fifo);
    else
        printf("client %ld: answered %s", pid, reply);
    fflush(stdout);
    close(fd);
}

int main(int argc, char *argv[])
{
    long pid;
    long long number;

    if (argc != 2 || argv[1][0] == '-')
        usage();
    server_fifo = argv[1];
    make_fifo(); /* a stop before catch_signals leaves it: the next server uses it */
    catch_signals();
    /* "r+": the server is a writer of its FIFO too, so read never sees EOF when
     * the last client closes. Linux opens a FIFO for reading and writing at
     * once; POSIX leaves that undefined (robust_fifos shows the portable way). */
    FILE *requests = fopen(server_fifo, "r+");
    if (requests == NULL)
        err(1, "fopen %s", server_fifo);
    printf("listening on %s\n", server_fifo);
    fflush(stdout);

    /* Widths bound the numbers: an 11-character one always fits a long long. */
    while (fscanf(requests, "%10ld %11lld", &pid, &number) == 2)
        answer(pid, number);
    warnx("%s: %s; the server stops", server_fifo,
          ferror(requests) ? "read error" : "a request that is not \"PID NUMBER\"");
    unlink(server_fifo);
    return 1;
}
