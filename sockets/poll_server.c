/* poll_server.c -- one process serves many TCP clients at once, each line in upper case.
 * Usage:  poll_server port [address]
 * Shows:  what server.c cannot: many clients in one process, none able to stall
 *         the others. Sockets are non-blocking and ppoll(2) says which is ready;
 *         lines (at most 1023 bytes) are collected across reads; a client that
 *         never reads its replies is not read from while 64 KiB of them wait; one
 *         that vanishes costs only its connection (MSG_NOSIGNAL: EPIPE, no SIGPIPE
 *         death). SIGTERM/SIGINT get in only inside ppoll, so none is missed.
 * Beyond: server.c (LG server.c, CE 07_socket_server.c), one client at a time. */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux) */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define MAX_LINE 1024       /* a line and its '\n' */
#define OUT_CAP (64 * 1024) /* replies queued for a client that is slow to read */
#define TOO_LONG "error: line longer than 1023 bytes\n"

struct client {
    int fd; /* -1: a free slot */
    char name[INET_ADDRSTRLEN + 8];
    char in[MAX_LINE]; /* bytes of a line not yet complete */
    size_t in_len;
    char out[OUT_CAP]; /* replies the client has not taken yet */
    size_t out_len;
    int closing; /* no more reading: close once out is sent */
    unsigned long lines;
};

static struct client clients[MAX_CLIENTS];
static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: poll_server port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

static void drop_client(struct client *c, const char *why)
{
    printf("poll_server: %s: %s (%lu lines answered)\n", c->name, why, c->lines);
    close(c->fd);
    c->fd = -1;
}

static void accept_client(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    char ip[INET_ADDRSTRLEN];
    int i = 0;

    int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    if (fd == -1) {
        if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR)
            warn("accept");
        return;
    }
    if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
        err(1, "fcntl");
    while (clients[i].fd != -1) /* one is free: see serve_round */
        i++;
    struct client *c = &clients[i];
    c->fd = fd;
    c->in_len = c->out_len = c->lines = 0;
    c->closing = 0;
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    snprintf(c->name, sizeof c->name, "%s:%d", ip, ntohs(peer.sin_port));
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

static void read_client(struct client *c)
{
    ssize_t n = read(c->fd, c->in + c->in_len, sizeof c->in - c->in_len);
    if (n == -1) {
        if (errno != EAGAIN && errno != EINTR)
            drop_client(c, strerror(errno));
        return;
    }
    if (n == 0) {
        if (c->in_len > 0)
            printf("poll_server: %s left in the middle of a line (%zu bytes dropped)\n",
                   c->name, c->in_len);
        c->closing = 1; /* still send what it asked for, then close */
        return;
    }
    c->in_len += (size_t)n;
    answer_lines(c);
}

static void write_client(struct client *c)
{
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n == -1) {
        if (errno != EAGAIN && errno != EINTR)
            drop_client(c, strerror(errno));
        return;
    }
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
}

/* One round: wait until some socket is ready, then serve what is ready. Slot i
 * is pfd[i] (fd -1, ignored by ppoll, when free); the listener is the last, left
 * out while every slot is taken (new clients wait in the listen queue). */
static void serve_round(int listen_fd, const sigset_t *mask)
{
    struct pollfd pfd[MAX_CLIENTS + 1];
    int used = 0;

    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->fd != -1 && c->closing && c->out_len == 0)
            drop_client(c, "closed");
        pfd[i].fd = c->fd;
        pfd[i].events = (wants_input(c) ? POLLIN : 0) | (c->out_len ? POLLOUT : 0);
        used += c->fd != -1;
    }
    pfd[MAX_CLIENTS].fd = used < MAX_CLIENTS ? listen_fd : -1;
    pfd[MAX_CLIENTS].events = POLLIN;
    if (ppoll(pfd, MAX_CLIENTS + 1, NULL, mask) == -1) {
        if (errno != EINTR)
            err(1, "ppoll");
        return;
    }
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        short ev = pfd[i].revents;
        if (ev & (POLLIN | POLLHUP | POLLERR)) {
            if (wants_input(c))
                read_client(c); /* data, or the EOF or error that ends it */
            else if (!(ev & POLLOUT)) {
                drop_client(c, "hung up");
                continue;
            }
        }
        if (c->fd != -1 && (ev & POLLOUT))
            write_client(c);
    }
    if (pfd[MAX_CLIENTS].revents)
        accept_client(listen_fd);
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    struct sigaction sa;
    sigset_t mask;
    char *end;
    int one = 1;

    if (argc < 2 || argc > 3)
        usage();
    long port = strtol(argv[1], &end, 10);
    const char *address = argc == 3 ? argv[2] : "127.0.0.1";
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535 ||
        inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        usage();

    /* No SA_RESTART (ppoll must return EINTR), and the signals blocked except
     * inside ppoll: one cannot slip in between the test of stop and the wait. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1 ||
        sigprocmask(SIG_BLOCK, &sa.sa_mask, &mask) == -1)
        err(1, "sigaction");

    /* socket, bind, listen as in server.c; then non-blocking, so that a client
     * that resets between ppoll and accept cannot leave us asleep in accept(). */
    int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd == -1)
        err(1, "socket");
    if (setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "setsockopt SO_REUSEADDR");
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %ld", address, port);
    if (listen(listen_fd, SOMAXCONN) == -1)
        err(1, "listen");
    if (getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
        err(1, "getsockname");
    if (fcntl(listen_fd, F_SETFL, O_NONBLOCK) == -1)
        err(1, "fcntl");
    setvbuf(stdout, NULL, _IOLBF, 0); /* a log line appears as it happens */
    printf("poll_server: listening on %s port %d\n", address, ntohs(addr.sin_port));

    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    while (!stop)
        serve_round(listen_fd, &mask);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd != -1)
            drop_client(&clients[i], "cut off by shutdown");
    close(listen_fd);
    printf("poll_server: stopped\n");
    return 0;
}
