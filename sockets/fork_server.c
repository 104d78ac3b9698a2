/* fork_server.c -- concurrent TCP server: one child per client, every child reaped.
 * Usage:  fork_server port [address]
 * Shows:  accept(2) then fork(2): the child serves its client (lines in, the
 *         same lines in upper case out, at most 1023 bytes each, as poll_server)
 *         while the parent goes back to accept the next, so a silent client
 *         holds up only its own child. SIGCHLD wakes the parent, which reaps
 *         with a waitpid(WNOHANG) loop: no zombie is left. SIGPIPE is ignored:
 *         a client that leaves without reading is an EPIPE, not a dead child.
 *         On SIGTERM/SIGINT the parent stops its children and waits for them.
 * Beyond: server.c (LG server.c), with SYS's one child per connection (the
 *         domain_sock/server.c pattern), here over TCP. */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux) */

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

/* Empty: SIGCHLD only has to interrupt ppoll; main's loop reaps. */
static void on_child(int sig)
{
    (void)sig;
}

/* Handlers without SA_RESTART, and the signals blocked except inside ppoll:
 * one that arrives between two checks waits for ppoll instead of being lost. */
static void catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN; /* writing to a vanished client: EPIPE, not death */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_child;
    if (sigaction(SIGCHLD, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_stop;
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGCHLD);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1 ||
        sigprocmask(SIG_BLOCK, &sa.sa_mask, &old_mask) == -1)
        err(1, "sigaction");
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n == -1)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The child: answer each complete line; keep the rest for the next read. */
static void serve_client(int fd, const char *name)
{
    char buf[MAX_LINE];
    size_t len = 0;
    unsigned long lines = 0;
    const char *why = "closed";
    char *nl;

    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - len);
        if (n == -1)
            why = strerror(errno);
        else if (n == 0 && len > 0)
            printf("fork_server: %s left in the middle of a line (%zu bytes dropped)\n",
                   name, len);
        if (n <= 0)
            break;
        len += (size_t)n;
        size_t start = 0;
        while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
            size_t line = (size_t)(nl - buf) + 1 - start;
            for (size_t i = start; i < start + line; i++)
                buf[i] = (char)toupper((unsigned char)buf[i]);
            if (write_all(fd, buf + start, line) == -1) {
                why = strerror(errno); /* EPIPE: it left without reading */
                goto out;
            }
            lines++;
            start += line;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == sizeof buf) { /* a full buffer and still no '\n' */
            write_all(fd, TOO_LONG, strlen(TOO_LONG));
            why = "sent a line that is too long";
            break;
        }
    }
out:
    printf("fork_server: child %ld: %s: %s (%lu lines answered)\n", (long)getpid(), name,
           why, lines);
}

/* Remove pid from the table of children, if it is there. */
static void forget(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] == pid) {
            children[i] = 0;
            nchildren--;
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
    pid_t pid = fork();
    if (pid == -1)
        warn("fork"); /* turn this client away, keep serving the others */
    if (pid == 0) {
        close(listen_fd);
        signal(SIGTERM, SIG_DFL); /* the parent's SIGTERM ends the child */
        signal(SIGINT, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        serve_client(fd, name);
        _exit(0);
    }
    close(fd); /* the child has its own copy; ours would keep the client open */
    if (pid > 0) {
        for (int i = 0; i < MAX_CHILDREN; i++)
            if (children[i] == 0) {
                children[i] = pid;
                nchildren++;
                break;
            }
        printf("fork_server: child %ld serves %s\n", (long)pid, name);
    }
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    char *end;
    int one = 1, status;
    pid_t pid;

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
    setvbuf(stdout, NULL, _IOLBF, 0); /* nothing buffered for a child to repeat */
    catch_signals();

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
    printf("fork_server: listening on %s port %d\n", address, ntohs(addr.sin_port));

    while (!stop) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        /* When the table is full, wait for a child to end before accepting more. */
        int n = ppoll(&pfd, nchildren < MAX_CHILDREN ? 1 : 0, NULL, &old_mask);
        if (n == -1 && errno != EINTR)
            err(1, "ppoll");
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            forget(pid);
        if (n > 0 && !stop)
            accept_and_fork(listen_fd);
    }
    close(listen_fd);
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] != 0)
            kill(children[i], SIGTERM);
    while (nchildren > 0 && (pid = wait(NULL)) > 0)
        forget(pid);
    printf("fork_server: stopped\n");
    return 0;
}
