/* fork_server.c -- concurrent TCP server: one child per client, every child reaped.
 * Usage:  fork_server port [address]
 * Shows:  accept(2) then fork(2): the child serves its client (lines in, the
 *         same lines in upper case out, as `server` does) while the parent goes
 *         back to accept the next; SIGCHLD wakes the parent, which reaps with a
 *         waitpid(WNOHANG) loop so no zombie is left; SIGPIPE ignored so a
 *         client that leaves without reading is an EPIPE, not a dead child.
 *         On SIGTERM/SIGINT the parent stops its children and waits for them.
 * Mirrors: SYS domain-socket server ("fork per connection"), here over TCP. */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux, POSIX.1-2024) */

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
#include <sys/wait.h>
#include <unistd.h>

#include "inet.h"

#define MAX_CHILDREN 128
#define MAX_LINE 1024 /* a line and its '\n' */
#define TOO_LONG "error: line longer than 1023 bytes\n"

static pid_t children[MAX_CHILDREN]; /* 0: a free slot */
static int nchildren;
static volatile sig_atomic_t stop;
static sigset_t old_mask; /* the mask before main blocked its signals */

static void usage(void)
{
    fprintf(stderr, "usage: fork_server port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

/* Nothing to do here: the signal only has to interrupt ppoll. The reaping is
 * done by main's loop, where it can also update the table of children. */
static void on_child(int sig)
{
    (void)sig;
}

/* Handlers without SA_RESTART, and the signals blocked except inside ppoll:
 * one that arrives between two checks waits for ppoll instead of being lost. */
static void catch_signals(void)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_child;
    if (sigaction(SIGCHLD, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = SIG_IGN; /* writing to a vanished client: EPIPE, not death */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &block, &old_mask) == -1)
        err(1, "sigprocmask");
}

/* ---- the child: one client, lines in, lines out ---- */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Answer every complete line in buf; return how many bytes were used, -1 on error. */
static ssize_t answer_lines(int fd, char *buf, size_t len, unsigned long *lines)
{
    size_t start = 0;
    char *nl;

    while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
        size_t n = (size_t)(nl - (buf + start)) + 1;
        for (size_t i = start; i < start + n; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        if (write_all(fd, buf + start, n) == -1)
            return -1;
        ++*lines;
        start += n;
    }
    return (ssize_t)start;
}

static void serve_client(int fd, const char *name)
{
    char buf[MAX_LINE];
    size_t len = 0;
    unsigned long lines = 0;
    const char *why = "closed";

    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - len);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1) {
            why = strerror(errno);
            break;
        }
        if (n == 0) {
            if (len > 0)
                printf("fork_server: %s left in the middle of a line "
                       "(%zu bytes dropped)\n", name, len);
            break;
        }
        len += (size_t)n;
        ssize_t used = answer_lines(fd, buf, len, &lines);
        if (used == -1) {
            why = strerror(errno); /* EPIPE: it went away without reading */
            break;
        }
        memmove(buf, buf + used, len - (size_t)used);
        len -= (size_t)used;
        if (len == sizeof buf) { /* a full buffer and still no '\n' */
            write_all(fd, TOO_LONG, strlen(TOO_LONG));
            why = "sent a line that is too long";
            break;
        }
    }
    printf("fork_server: child %ld: %s: %s (%lu lines answered)\n", (long)getpid(), name,
           why, lines);
    close(fd);
}

/* In the child: default signal actions, so the parent's SIGTERM ends it. */
static void child_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
}

/* ---- the parent: accept, fork, remember, reap ---- */

static void remember(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] == 0) {
            children[i] = pid;
            nchildren++;
            return;
        }
}

static void reap_children(void)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_CHILDREN; i++)
            if (children[i] == pid) {
                children[i] = 0;
                nchildren--;
            }
    }
}

static void accept_and_fork(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    char ip[INET_ADDRSTRLEN], name[INET_ADDRSTRLEN + 8];

    int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    if (fd == -1) {
        if (errno != EINTR && errno != ECONNABORTED)
            warn("accept");
        return;
    }
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    snprintf(name, sizeof name, "%s:%d", ip, ntohs(peer.sin_port));
    fflush(stdout); /* nothing buffered may be printed twice */
    pid_t pid = fork();
    if (pid == -1) {
        warn("fork"); /* turn this client away, keep serving the others */
        close(fd);
        return;
    }
    if (pid == 0) {
        close(listen_fd);
        child_signals();
        serve_client(fd, name);
        _exit(0);
    }
    close(fd); /* the child has its own copy; ours would keep the client open */
    remember(pid);
    printf("fork_server: child %ld serves %s\n", (long)pid, name);
}

static void stop_children(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] != 0)
            kill(children[i], SIGTERM);
    while (nchildren > 0) {
        pid_t pid = wait(NULL);
        if (pid == -1)
            break;
        for (int i = 0; i < MAX_CHILDREN; i++)
            if (children[i] == pid) {
                children[i] = 0;
                nchildren--;
            }
    }
}

int main(int argc, char *argv[])
{
    if (argc < 2 || argc > 3)
        usage();
    int port = parse_port(argv[1]);
    const char *address = argc == 3 ? argv[2] : "127.0.0.1";
    if (port < 0 || !valid_address(address))
        usage();

    setvbuf(stdout, NULL, _IOLBF, 0);
    catch_signals();
    int listen_fd = listen_inet("fork_server", SOCK_STREAM, address, port);
    while (!stop) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        /* When the table is full, wait for a child to end before accepting more. */
        int n = ppoll(&pfd, nchildren < MAX_CHILDREN ? 1 : 0, NULL, &old_mask);
        if (n == -1 && errno != EINTR)
            err(1, "ppoll");
        reap_children();
        if (n > 0 && !stop)
            accept_and_fork(listen_fd);
    }
    close(listen_fd);
    stop_children();
    printf("fork_server: stopped\n");
    return 0;
}
