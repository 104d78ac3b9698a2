/* epoll_server.c -- server.c's service (every byte back in upper case) for many clients.
 * Usage:  epoll_server [-l] [-t seconds] port [address]
 * Shows:  epoll_ctl(2) registers a socket once (poll(2) is handed every descriptor
 *         at every call); epoll_pwait(2) returns the ready ones. Edge-triggered
 *         (EPOLLET, the default) reports a socket once when something new comes:
 *         the server must read, and write, until EAGAIN, or the bytes left behind
 *         wait for an event that never comes. -l: level-triggered, reported while
 *         data waits, so one read per event is enough. The log counts each
 *         client's events: send the same input in both modes. At most 64 clients
 *         (the next is told "busy"); one silent for -t seconds (default 30) is
 *         dropped. Linux only: the POSIX way is poll(2), as in poll_server.c.
 * Beyond: poll_server.c, server.c (LG server.c); TLPI ch. 63.4. */
#define _GNU_SOURCE /* epoll(7) and accept4(2) are Linux's: the point here */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define OUT_CAP 1024 /* bytes read, not yet sent back: a burst takes many reads */
#define BUSY "error: server busy, try again later\n"
#define IDLE "error: nothing sent for too long, closing\n"

struct client {
    int fd; /* -1: a free slot */
    char out[OUT_CAP];
    size_t out_len;
    int closing; /* the client's EOF: close once out is sent */
    unsigned long events;
    long long deadline; /* ms (CLOCK_MONOTONIC) by which it must send something */
};

static struct client clients[MAX_CLIENTS];
static int epfd, edge = 1; /* edge-triggered unless -l */
static long long idle_ms = 30 * 1000;
static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: epoll_server [-l] [-t seconds] port [address]\n");
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

/* Close c (which takes it out of the epoll set), after last_words if they fit. -1. */
static int drop_client(struct client *c, const char *why, const char *last_words)
{
    if (last_words != NULL)
        send(c->fd, last_words, strlen(last_words), MSG_DONTWAIT | MSG_NOSIGNAL);
    printf("epoll_server: client %d: %s (%lu events)\n", (int)(c - clients), why,
           c->events);
    close(c->fd);
    c->fd = -1;
    return -1;
}

/* Edge-triggered: everything, once for good (an event comes only on a change).
 * Level-triggered: only what c can take now (a writable socket: every time!):
 * input while its unsent replies leave room (back-pressure), output if any. */
static void watch(struct client *c, int op)
{
    struct epoll_event ev = {.data.ptr = c};
    int room = !c->closing && c->out_len < sizeof c->out;
    ev.events = edge ? EPOLLIN | EPOLLOUT | EPOLLET
                     : (room ? EPOLLIN : 0) | (c->out_len ? EPOLLOUT : 0);
    if (epoll_ctl(epfd, op, c->fd, &ev) == -1)
        err(1, "epoll_ctl");
}

/* Send what waits: 1 if bytes went, 0 if none could; -1 (from drop_client): gone. */
static int send_some(struct client *c)
{
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n == -1 && errno != EAGAIN && errno != EINTR)
        return drop_client(c, strerror(errno), NULL);
    if (n <= 0)
        return 0;
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
    return 1;
}

/* Read, in upper case, behind the waiting replies: 1 if bytes came, 0 if not. */
static int read_some(struct client *c)
{
    char *in = c->out + c->out_len;
    ssize_t n = read(c->fd, in, sizeof c->out - c->out_len);
    if (n == -1 && errno != EAGAIN && errno != EINTR)
        return drop_client(c, strerror(errno), NULL);
    if (n == 0)
        c->closing = 1; /* still send what it asked for, then close */
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        in[i] = (char)toupper((unsigned char)in[i]);
    c->out_len += (size_t)n;
    c->deadline = now_ms() + idle_ms; /* it sent something: not idle */
    return 1;
}

/* An event for c. Level-triggered: send once, read once; the next epoll_pwait says
 * if there is more. Edge-triggered: on until neither moves a byte (EAGAIN both
 * ways, or no room for more: the replies' leaving will be an EPOLLOUT edge). */
static void serve_client(struct client *c)
{
    int sent, got;
    c->events++;
    do {
        sent = c->out_len > 0 ? send_some(c) : 0;
        got = sent != -1 && !c->closing && c->out_len < OUT_CAP ? read_some(c) : 0;
        if (sent == -1 || got == -1)
            return;
    } while (edge && (sent || got));
    if (c->closing && c->out_len == 0)
        drop_client(c, "closed", NULL);
    else if (!edge)
        watch(c, EPOLL_CTL_MOD);
}

/* Accept every waiting client: one event may stand for several. */
static void accept_clients(int listen_fd)
{
    int fd, i;
    while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
        for (i = 0; i < MAX_CLIENTS && clients[i].fd != -1; i++)
            continue;
        if (i == MAX_CLIENTS) { /* a polite no, never a wait in the listen queue */
            send(fd, BUSY, strlen(BUSY), MSG_DONTWAIT | MSG_NOSIGNAL);
            close(fd);
            continue;
        }
        clients[i] = (struct client){.fd = fd, .deadline = now_ms() + idle_ms};
        printf("epoll_server: client %d connected\n", i);
        watch(&clients[i], EPOLL_CTL_ADD);
    }
    if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR)
        warn("accept");
}

/* One round: drop the idle, wait for events or the next deadline, serve them. */
static void serve_round(int listen_fd, const sigset_t *mask)
{
    struct epoll_event ev[MAX_CLIENTS + 1];
    long long now = now_ms(), next = now + idle_ms;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->fd != -1 && now >= c->deadline)
            drop_client(c, "idle: nothing sent in time", IDLE);
        if (c->fd != -1 && c->deadline < next)
            next = c->deadline;
    }
    int n = epoll_pwait(epfd, ev, MAX_CLIENTS + 1, (int)(next - now), mask);
    if (n == -1 && errno != EINTR)
        err(1, "epoll_pwait");
    for (int i = 0; i < n; i++) {
        struct client *c = ev[i].data.ptr; /* NULL: the listener */
        if (c == NULL)
            accept_clients(listen_fd);
        else if (c->fd != -1) /* not dropped earlier in this round */
            serve_client(c);
    }
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
    printf("epoll_server: listening on %s port %d (%s-triggered)\n", address,
           ntohs(addr.sin_port), edge ? "edge" : "level");
    return fd;
}

int main(int argc, char *argv[])
{
    struct sigaction sa = {.sa_handler = on_stop};
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}; /* level-triggered */
    sigset_t mask;
    char *end;
    int opt;
    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "lt:")) != -1) {
        long secs = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt == 't' && (*optarg == '\0' || *end != '\0' || secs < 1 || secs > 3600))
            usage();
        if (opt != 't' && opt != 'l')
            usage();
        edge = edge && opt != 'l';
        idle_ms = opt == 't' ? secs * 1000 : idle_ms;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    /* Stop signals blocked except inside epoll_pwait, as poll_server does with ppoll. */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1 ||
        sigprocmask(SIG_BLOCK, &sa.sa_mask, &mask) == -1)
        err(1, "sigaction");
    setvbuf(stdout, NULL, _IOLBF, 0); /* a log line appears as it happens */
    const char *address = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    int listen_fd = listen_on(argv[optind], address);
    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
        epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev) == -1)
        err(1, "epoll");
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    while (!stop)
        serve_round(listen_fd, &mask);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd != -1)
            drop_client(&clients[i], "cut off by shutdown", NULL);
    printf("epoll_server: stopped\n");
    return 0;
}
