/* fifoc.c -- FIFO client: asks the fifos server for the square of a number.
 * Usage:  fifoc server-fifo number
 * Shows:  the client makes its own FIFO, "<server-fifo>.<pid>", with mkfifo(3),
 *         and opens it before it asks, so the server finds a reader there at once;
 *         it sends "\nPID NUMBER\n" into the server's FIFO with one write(2),
 *         shorter than PIPE_BUF, so it never mixes with another client's; it
 *         reads the answer, closes, and removes its FIFO, also on SIGINT and
 *         SIGTERM. A server that stops before it answers leaves fifoc waiting;
 *         Ctrl-C ends it.
 * Build:  cc -o fifoc fifoc.c   (fifos.h is the protocol, shared with fifos)
 * Mirrors: KHU "FIFOs", the fifos.c / fifoc.c exercise (l.117-141; APUE 15.5). */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction */

#include "fifos.h"

#include <ctype.h>
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

static char client_fifo[PATH_MAX];
static volatile sig_atomic_t made; /* client_fifo is this process's: remove it */

static void usage(void)
{
    fprintf(stderr, "usage: fifoc server-fifo number\n");
    exit(2);
}

static void remove_fifo(void)
{
    if (made)
        unlink(client_fifo);
}

/* mkfifo with SIGINT and SIGTERM held back: made says exactly whether it is ours. */
static int make_fifo(void)
{
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &old);
    made = mkfifo(client_fifo, 0600) == 0;
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL); /* a stop held back comes now */
    errno = e;
    return made;
}

/* SIGINT, SIGTERM: remove the FIFO and end, wherever the client waits
 * (unlink, write and _exit are async-signal-safe). */
static void on_stop(int sig)
{
    static const char msg[] = "fifoc: interrupted\n";
    (void)sig;
    remove_fifo();
    ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)n; /* nothing to do if even that fails */
    _exit(1);
}

/* "\nPID NUMBER\n" in one write(2): the '\n' first ends any half line that a
 * client which stopped mid-request left (fifos.h). O_NONBLOCK: with no server
 * reading, open() fails with ENXIO at once instead of waiting for one. */
static void send_request(const char *server_fifo, long long number)
{
    char request[FIFOS_LINE_MAX];
    struct stat st;

    int fd = open(server_fifo, O_WRONLY | O_NONBLOCK);
    if (fd == -1 && errno == ENXIO)
        errx(1, "no server is reading %s", server_fifo);
    if (fd == -1)
        err(1, "%s", server_fifo);
    if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode))
        errx(1, "%s is not a FIFO", server_fifo);
    if (fcntl(fd, F_SETFL, 0) == -1) /* a full FIFO: wait for room, do not fail */
        err(1, "fcntl");
    int len = snprintf(request, sizeof request, "\n%ld %lld\n", (long)getpid(), number);
    if (write(fd, request, (size_t)len) == -1) /* under PIPE_BUF: all or nothing */
        err(1, "write %s", server_fifo);
    close(fd);
}

/* The slide calls FIFOs full-duplex; a FIFO carries bytes one way, so the answer
 * comes back through a second FIFO, the client's own. */
int main(int argc, char *argv[])
{
    char answer[FIFOS_LINE_MAX], *end;
    struct sigaction sa = {.sa_handler = on_stop};

    if (argc != 3 || argv[1][0] == '-')
        usage();
    errno = 0;
    long long number = strtoll(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || errno == ERANGE || number < -FIFOS_NUMBER_MAX ||
        number > FIFOS_NUMBER_MAX)
        usage();
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1 ||
        signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a server gone: EPIPE, not death */
        err(1, "sigaction");
    if (snprintf(client_fifo, sizeof client_fifo, FIFOS_REPLY_PATH, argv[1],
                 (long)getpid()) >= (int)sizeof client_fifo)
        errx(1, "%s: name too long", argv[1]);
    if (!make_fifo())
        err(1, "mkfifo %s", client_fifo);
    if (atexit(remove_fifo) != 0)
        errx(1, "atexit failed");

    /* "r+" as in fifos: open() waits for no writer, and EOF stays away. */
    FILE *in = fopen(client_fifo, "r+");
    if (in == NULL)
        err(1, "fopen %s", client_fifo);
    send_request(argv[1], number);
    if (fgets(answer, sizeof answer, in) == NULL || strchr(answer, '\n') == NULL)
        errx(1, "no answer from the server");
    fclose(in);
    for (char *p = answer; *p != '\0'; p++) /* a peer's control bytes: shown as '?' */
        *p = isprint((unsigned char)*p) || *p == '\n' ? *p : '?';
    if (strncmp(answer, "error:", 6) == 0)
        errx(1, "the server says: %.*s", (int)strlen(answer) - 1, answer);
    printf("%lld squared is %s", number, answer);
    return 0; /* remove_fifo runs at exit */
}
