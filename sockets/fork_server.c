/* fork_server.c -- concurrent TCP server: one child per client, every child reaped.
 * Usage:  fork_server [-t seconds] port [address]
 * Shows:  accept(2) then fork(2): the child serves its client (lines in upper case,
 *         at most 1023 bytes each, as poll_server) while the parent accepts the
 *         next, so a silent client holds up only its own child, and that for -t
 *         seconds (default 30, an alarm(2)): a client must end a line, and take its
 *         replies, in time. With 128 children at work a new client is told "busy".
 *         SIGCHLD wakes the parent, which reaps with a waitpid(WNOHANG) loop: no
 *         zombie. SIGPIPE is ignored. On SIGTERM/SIGINT it stops its children.
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
#define BUSY "error: server busy, try again later\n"
#define IDLE "error: no line for too long, closing\n"

static pid_t children[MAX_CHILDREN]; /* 0: a free slot */
static int nchildren;
static unsigned idle_secs = 30;
static int client_fd;      /* in a child: its client's socket */
static char idle_log[128]; /* and what on_idle prints */
static volatile sig_atomic_t stop;
static sigset_t old_mask; /* the mask before main blocked its signals */

static void usage(void)
{
    fprintf(stderr, "usage: fork_server [-t seconds] port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    stop = sig; /* not 0: the loop ends */
}

/* Empty: SIGCHLD only has to interrupt ppoll; main's loop reaps. */
static void on_child(int sig)
{
    (void)sig;
}

/* The signals are blocked except inside ppoll: one that comes between two checks
 * waits for ppoll. SIGPIPE ignored: writing to a client gone is EPIPE, not death. */
static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};

    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGCHLD);
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR || signal(SIGCHLD, on_child) == SIG_ERR ||
        sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1 ||
        sigprocmask(SIG_BLOCK, &sa.sa_mask, &old_mask) == -1)
        err(1, "sigaction");
}

/* SIGALRM in a child: its client has ended no line for idle_secs. Only calls
 * that are async-signal-safe: send(), write(), strlen(), _exit(). */
static void on_idle(int sig)
{
    send(client_fd, IDLE, sizeof IDLE - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    write(STDOUT_FILENO, idle_log, strlen(idle_log));
    _exit(sig);
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

/* The child: answer each complete line, keep the rest. The alarm is set again only
 * after a line: trickling bytes, or never taking the replies, does not keep it. */
static void serve_client(int fd, const char *name)
{
    char buf[MAX_LINE];
    size_t len = 0;
    unsigned long lines = 0;
    const char *why = "closed";
    char *nl;

    client_fd = fd;
    snprintf(idle_log, sizeof idle_log, "fork_server: child %ld: %s: idle, dropped\n",
             (long)getpid(), name);
    signal(SIGALRM, on_idle);
    alarm(idle_secs);
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
            alarm(idle_secs); /* a whole line answered: not idle */
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

/* The table of children: the first slot holding `from` gets `to` instead, so
 * (0, pid) records a child and (pid, 0) forgets it. */
static void replace_child(pid_t from, pid_t to)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] == from) {
            children[i] = to;
            nchildren += to != 0 ? 1 : -1;
            return;
        }
}

static void accept_and_fork(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    char name[INET_ADDRSTRLEN + 8];

    int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    if (fd == -1) {
        if (errno != EINTR && errno != ECONNABORTED)
            warn("accept");
        return;
    }
    inet_ntop(AF_INET, &peer.sin_addr, name, INET_ADDRSTRLEN);
    snprintf(name + strlen(name), 8, ":%d", ntohs(peer.sin_port));
    pid_t pid = nchildren < MAX_CHILDREN ? fork() : -1;
    if (pid == -1) { /* a polite no, never a wait in the listen queue */
        printf("fork_server: refused %s: %s\n", name,
               nchildren < MAX_CHILDREN ? strerror(errno) : "128 children at work");
        send(fd, BUSY, strlen(BUSY), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
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
        replace_child(0, pid);
        printf("fork_server: child %ld serves %s\n", (long)pid, name);
    }
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof addr;
    char *end;
    int opt, one = 1;
    pid_t pid;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        long secs = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt != 't' || *optarg == '\0' || *end != '\0' || secs < 1 || secs > 3600)
            usage();
        idle_secs = (unsigned)secs;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *port = argv[optind];
    const char *address = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    long n = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || n < 0 || n > 65535 ||
        inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        usage();
    addr.sin_port = htons((unsigned short)n);
    setvbuf(stdout, NULL, _IOLBF, 0); /* nothing buffered for a child to repeat */
    catch_signals();

    /* socket, bind, listen as in server.c */
    int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd == -1 ||
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "socket");
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %s", address, port);
    if (listen(listen_fd, SOMAXCONN) == -1 ||
        getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
        err(1, "listen");
    printf("fork_server: listening on %s port %d\n", address, ntohs(addr.sin_port));
    while (!stop) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        int ready = ppoll(&pfd, 1, NULL, &old_mask);
        if (ready == -1 && errno != EINTR)
            err(1, "ppoll");
        while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
            replace_child(pid, 0);
        if (ready > 0 && !stop)
            accept_and_fork(listen_fd);
    }
    close(listen_fd);
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] != 0)
            kill(children[i], SIGTERM);
    while (nchildren > 0 && (pid = wait(NULL)) > 0)
        replace_child(pid, 0);
    printf("fork_server: stopped\n");
    return 0;
}
