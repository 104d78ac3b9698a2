/* server.c -- TCP server: answers every line a client sends with the line in upper case.
 * Usage:  server port [address]
 * Shows:  socket(2), SO_REUSEADDR, bind(2) to a caller-given port (0 = any free
 *         port, printed once listen(2) is done), accept(2) with an initialised
 *         address length, and one process serving many clients with poll(2):
 *         messages are framed as lines of at most 1023 bytes, a silent client or
 *         one that never reads its replies cannot stall the others, and a client
 *         that vanishes costs nothing but its connection (MSG_NOSIGNAL, no SIGPIPE).
 * Mirrors: LG "server.c" (TCP on loopback), CE 07_socket_server.c. */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux, POSIX.1-2024) */

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

#include "inet.h"

#define MAX_CLIENTS 64
#define MAX_LINE 1024         /* a line and its '\n' */
#define OUT_CAP (64 * 1024)   /* replies queued for a client that is slow to read */
#define TOO_LONG "error: line longer than 1023 bytes\n"

struct client {
    int fd;                   /* -1: a free slot */
    char name[INET_ADDRSTRLEN + 8];
    char in[MAX_LINE];        /* bytes of a line not yet complete */
    size_t in_len;
    char out[OUT_CAP];        /* replies the client has not taken yet */
    size_t out_len;
    int closing;              /* no more reading: close once out is sent */
    unsigned long lines;
};

static struct client clients[MAX_CLIENTS];
static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: server port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

/* SIGTERM and SIGINT set the flag, and stay blocked except inside ppoll, so a
 * signal can never slip in between testing the flag and going to sleep. */
static void catch_stop_signals(sigset_t *during_poll)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: ppoll must return EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, during_poll) == -1)
        err(1, "sigprocmask");
}

/* Non-blocking: a client that resets between poll and accept must not
 * leave the server asleep in accept(). */
static int listen_on(const char *address, int port)
{
    int fd = listen_inet("server", SOCK_STREAM, address, port);
    if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
        err(1, "fcntl");
    return fd;
}

static void drop_client(struct client *c, const char *why)
{
    printf("server: %s: %s (%lu lines answered)\n", c->name, why, c->lines);
    close(c->fd);
    c->fd = -1;
}

static void accept_client(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    char ip[INET_ADDRSTRLEN];

    int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    if (fd == -1) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED &&
            errno != EINTR)
            warn("accept");
        return;
    }
    if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
        err(1, "fcntl");
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->fd != -1)
            continue;
        c->fd = fd;
        c->in_len = c->out_len = 0;
        c->closing = 0;
        c->lines = 0;
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        snprintf(c->name, sizeof c->name, "%s:%d", ip, ntohs(peer.sin_port));
        printf("server: %s connected\n", c->name);
        return;
    }
    close(fd); /* cannot happen: the listener is not polled while full */
}

static void queue_reply(struct client *c, const char *data, size_t len)
{
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
}

/* Answer every complete line in c->in; keep the incomplete rest. */
static void answer_lines(struct client *c)
{
    size_t start = 0;
    char *nl;

    while ((nl = memchr(c->in + start, '\n', c->in_len - start)) != NULL) {
        size_t len = (size_t)(nl - (c->in + start)) + 1;
        char *reply = c->out + c->out_len;
        queue_reply(c, c->in + start, len);
        for (size_t i = 0; i < len; i++)
            reply[i] = (char)toupper((unsigned char)reply[i]);
        c->lines++;
        start += len;
    }
    memmove(c->in, c->in + start, c->in_len - start);
    c->in_len -= start;
    if (c->in_len == sizeof c->in) { /* full, and still no '\n' */
        queue_reply(c, TOO_LONG, strlen(TOO_LONG));
        printf("server: %s sent a line that is too long\n", c->name);
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
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            drop_client(c, strerror(errno));
        return;
    }
    if (n == 0) {
        if (c->in_len > 0)
            printf("server: %s left in the middle of a line (%zu bytes dropped)\n",
                   c->name, c->in_len);
        c->closing = 1; /* still send what it asked for, then close */
        c->in_len = 0;
        return;
    }
    c->in_len += (size_t)n;
    answer_lines(c);
}

static void write_client(struct client *c)
{
    /* MSG_NOSIGNAL: a client gone away is EPIPE here, not a SIGPIPE that kills us. */
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n == -1) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            drop_client(c, strerror(errno));
        return;
    }
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
}

/* One round: wait for any socket to be ready, then serve what is ready. */
static void serve_round(int listen_fd, const sigset_t *mask)
{
    struct pollfd pfd[MAX_CLIENTS + 1];
    int map[MAX_CLIENTS + 1], n = 0, used = 0;

    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->fd == -1)
            continue;
        used++;
        if (c->closing && c->out_len == 0) {
            drop_client(c, "closed");
            used--;
            continue;
        }
        pfd[n].fd = c->fd;
        pfd[n].events = 0;
        if (wants_input(c))
            pfd[n].events |= POLLIN;
        if (c->out_len > 0)
            pfd[n].events |= POLLOUT;
        map[n++] = i;
    }
    if (used < MAX_CLIENTS) { /* full: new clients wait in the listen queue */
        pfd[n].fd = listen_fd;
        pfd[n].events = POLLIN;
        map[n++] = -1;
    }
    if (ppoll(pfd, (nfds_t)n, NULL, mask) == -1) {
        if (errno != EINTR)
            err(1, "ppoll");
        return;
    }
    for (int k = 0; k < n; k++) {
        short ev = pfd[k].revents;
        if (ev == 0)
            continue;
        if (map[k] == -1) {
            accept_client(listen_fd);
            continue;
        }
        struct client *c = &clients[map[k]];
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
}

int main(int argc, char *argv[])
{
    sigset_t mask;

    if (argc < 2 || argc > 3)
        usage();
    int port = parse_port(argv[1]);
    const char *address = argc == 3 ? argv[2] : "127.0.0.1";
    if (port < 0 || !valid_address(address))
        usage();

    setvbuf(stdout, NULL, _IOLBF, 0); /* a log line appears as it happens */
    catch_stop_signals(&mask);
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    int listen_fd = listen_on(address, port);
    while (!stop)
        serve_round(listen_fd, &mask);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd != -1)
            drop_client(&clients[i], "cut off by shutdown");
    close(listen_fd);
    printf("server: stopped\n");
    return 0;
}
