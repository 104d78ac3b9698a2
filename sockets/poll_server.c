/* poll_server.c -- one process serves many TCP clients at once, each line in upper case.
 * Usage:  poll_server [-t seconds] port [address]
 * Shows:  what server.c cannot: non-blocking sockets and ppoll(2), so no client can
 *         stall the others. Lines (at most 1023 bytes) are collected across reads;
 *         a client with 64 KiB of replies unread is not read from; MSG_NOSIGNAL (a
 *         client gone is EPIPE, not SIGPIPE death); one that ends no line in -t
 *         seconds (default 30) is dropped, and while all 64 slots are taken a new
 *         one is told "busy". SIGTERM/SIGINT get in only inside ppoll: none is missed.
 * Beyond: server.c (LG server.c, CE 07_socket_server.c), one client at a time. */
#define _GNU_SOURCE /* ppoll(2) with an atomic signal mask, accept4(2) (Linux) */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define MAX_LINE 1024       /* a line and its '\n' */
#define OUT_CAP (64 * 1024) /* replies queued for a client that is slow to read */
#define TOO_LONG "error: line longer than 1023 bytes\n"
#define BUSY "error: server busy, try again later\n"
#define IDLE "error: no line for too long, closing\n"

struct client {
    int fd; /* -1: a free slot */
    char name[INET_ADDRSTRLEN + 8];
    char in[MAX_LINE]; /* bytes of a line not yet complete */
    size_t in_len;
    char out[OUT_CAP]; /* replies the client has not taken yet */
    size_t out_len;
    int closing; /* no more reading: close once out is sent */
    unsigned long lines;
    long long deadline; /* ms (CLOCK_MONOTONIC) by which it must end a line */
};

static struct client clients[MAX_CLIENTS];
static long long idle_ms = 30 * 1000;
static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: poll_server [-t seconds] port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    stop = sig; /* not 0: the loop ends */
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Close c's connection, after last_words if any (sent only if they fit at once). */
static void drop_client(struct client *c, const char *why, const char *last_words)
{
    if (last_words != NULL)
        send(c->fd, last_words, strlen(last_words), MSG_DONTWAIT | MSG_NOSIGNAL);
    printf("poll_server: %s: %s (%lu lines answered)\n", c->name, why, c->lines);
    close(c->fd);
    c->fd = -1;
}

static void accept_client(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    int i = 0;
    int fd = accept4(listen_fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK);
    if (fd == -1) {
        if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR)
            warn("accept");
        return;
    }
    while (i < MAX_CLIENTS && clients[i].fd != -1)
        i++;
    if (i == MAX_CLIENTS) { /* a polite no, never a wait in the listen queue */
        send(fd, BUSY, strlen(BUSY), MSG_DONTWAIT | MSG_NOSIGNAL);
        close(fd);
        printf("poll_server: refused a client: all %d slots are taken\n", MAX_CLIENTS);
        return;
    }
    struct client *c = &clients[i];
    *c = (struct client){.fd = fd, .deadline = now_ms() + idle_ms};
    inet_ntop(AF_INET, &peer.sin_addr, c->name, INET_ADDRSTRLEN);
    snprintf(c->name + strlen(c->name), 8, ":%d", ntohs(peer.sin_port));
    printf("poll_server: %s connected\n", c->name);
}

/* Answer every complete line in c->in; keep the incomplete rest. */
static void answer_lines(struct client *c)
{
    size_t start = 0;
    char *nl;
    while ((nl = memchr(c->in + start, '\n', c->in_len - start)) != NULL) {
        size_t len = (size_t)(nl - (c->in + start)) + 1;
        for (size_t i = 0; i < len; i++)
            c->out[c->out_len++] = (char)toupper((unsigned char)c->in[start + i]);
        c->lines++;
        c->deadline = now_ms() + idle_ms; /* a whole line: it is not idle */
        start += len;
    }
    memmove(c->in, c->in + start, c->in_len - start);
    c->in_len -= start;
    if (c->in_len == sizeof c->in) { /* full, and still no '\n' */
        memcpy(c->out + c->out_len, TOO_LONG, strlen(TOO_LONG));
        c->out_len += strlen(TOO_LONG);
        printf("poll_server: %s sent a line that is too long\n", c->name);
        c->closing = 1;
    }
}

/* Room for the replies to one more full read: else stop reading (back-pressure). */
static int wants_input(const struct client *c)
{
    return !c->closing && c->out_len + MAX_LINE + sizeof TOO_LONG <= sizeof c->out;
}

/* What ppoll said of one client: read (data, EOF or an error), send replies. */
static void serve_client(struct client *c, short ev)
{
    ssize_t n;
    if ((ev & (POLLIN | POLLHUP | POLLERR)) && wants_input(c)) {
        n = read(c->fd, c->in + c->in_len, sizeof c->in - c->in_len);
        if (n == -1 && errno != EAGAIN && errno != EINTR)
            drop_client(c, strerror(errno), NULL);
        if (n == 0 && c->in_len > 0)
            printf("poll_server: %s left in the middle of a line (%zu bytes dropped)\n",
                   c->name, c->in_len);
        if (n == 0)
            c->closing = 1; /* still send what it asked for, then close */
        if (n > 0) {
            c->in_len += (size_t)n;
            answer_lines(c);
        }
    } /* A hang-up without POLLIN asked for comes with POLLOUT: send() then fails. */
    if (c->fd != -1 && (ev & POLLOUT)) {
        n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
        if (n == -1 && errno != EAGAIN && errno != EINTR)
            drop_client(c, strerror(errno), NULL);
        if (n > 0) {
            memmove(c->out, c->out + n, c->out_len - (size_t)n);
            c->out_len -= (size_t)n;
        }
    }
}

/* One round: drop the idle and the finished, wait for a ready socket or the next
 * deadline, serve. Slot i is pfd[i] (fd -1, ignored, when free), the listener last. */
static void serve_round(int listen_fd, const sigset_t *mask)
{
    struct pollfd pfd[MAX_CLIENTS + 1];
    long long now = now_ms(), next = now + idle_ms;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->fd != -1 && now >= c->deadline)
            drop_client(c, "idle: no whole line in time", IDLE);
        if (c->fd != -1 && c->closing && c->out_len == 0)
            drop_client(c, "closed", NULL);
        if (c->fd != -1 && c->deadline < next)
            next = c->deadline;
        pfd[i].fd = c->fd;
        pfd[i].events = (wants_input(c) ? POLLIN : 0) | (c->out_len ? POLLOUT : 0);
    }
    pfd[MAX_CLIENTS] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
    struct timespec wait = {(next - now) / 1000, (next - now) % 1000 * 1000000};
    if (ppoll(pfd, MAX_CLIENTS + 1, &wait, mask) == -1) {
        if (errno != EINTR)
            err(1, "ppoll");
        return;
    }
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (pfd[i].revents)
            serve_client(&clients[i], pfd[i].revents);
    if (pfd[MAX_CLIENTS].revents)
        accept_client(listen_fd);
}

/* socket, bind, listen as in server.c; non-blocking, so accept() never waits. */
static int listen_on(const char *port, const char *address)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof addr;
    char *end;
    int one = 1;
    long n = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || n < 0 || n > 65535 ||
        inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        usage();
    addr.sin_port = htons((unsigned short)n);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "socket");
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %s", address, port);
    if (listen(fd, SOMAXCONN) == -1 || getsockname(fd, (struct sockaddr *)&addr, &len))
        err(1, "listen");
    printf("poll_server: listening on %s port %d\n", address, ntohs(addr.sin_port));
    return fd;
}

int main(int argc, char *argv[])
{
    sigset_t mask;
    char *end;
    int opt;
    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        long secs = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt != 't' || *optarg == '\0' || *end != '\0' || secs < 1 || secs > 3600)
            usage();
        idle_ms = secs * 1000;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    /* No SA_RESTART (ppoll must return EINTR), and the signals blocked except
     * inside ppoll: one cannot slip in between the test of stop and the wait. */
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1 ||
        sigprocmask(SIG_BLOCK, &sa.sa_mask, &mask) == -1)
        err(1, "sigaction");
    setvbuf(stdout, NULL, _IOLBF, 0); /* a log line appears as it happens */
    const char *address = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    int listen_fd = listen_on(argv[optind], address);
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    while (!stop)
        serve_round(listen_fd, &mask);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd != -1)
            drop_client(&clients[i], "cut off by shutdown", NULL);
    printf("poll_server: stopped\n");
    return 0;
}
