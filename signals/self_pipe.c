/* self_pipe.c -- signals folded into a poll loop: the self-pipe trick.
 * Usage:  self_pipe
 * Shows:  one loop that waits in poll(2) for two kinds of event at once: lines
 *         on stdin and signals (SIGUSR1, SIGUSR2, SIGINT, SIGTERM). The handler
 *         does the one safe thing: it write(2)s the signal's number, one byte,
 *         into a pipe whose read end poll watches; the loop reads the byte and
 *         does the real work (printf) outside the handler. A flag tested before
 *         poll() would race: a signal that lands between the test and poll() is
 *         slept through, but a byte waits in the pipe until it is read.
 *         Both ends are O_NONBLOCK: a full pipe must not block the handler (a
 *         byte is waiting anyway), and the loop drains the pipe until EAGAIN.
 *         Both are FD_CLOEXEC (no program this one execs inherits them), and
 *         the handler saves and restores errno, which write() may change under
 *         the interrupted code. Ends at the end of stdin, or on SIGINT/SIGTERM.
 *         Portable: pipe, fcntl and poll are POSIX. The same loop with
 *         signalfd(2) (Linux) or sigwaitinfo(3): signalfd_demo.
 * Beyond: handler (SYS "Handling Signals"); TLPI 63.5.2, UNP 6. */
#define _POSIX_C_SOURCE 200809L /* sigaction, poll */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int self_pipe[2]; /* [0]: the loop reads; [1]: the handler writes */

static void on_signal(int signo)
{
    int saved = errno;
    unsigned char byte = (unsigned char)signo;
    if (write(self_pipe[1], &byte, 1) == -1 && errno != EAGAIN)
        _exit(1); /* EAGAIN: the pipe is full, and a byte waits already */
    errno = saved;
}

static void make_self_pipe(void)
{
    if (pipe(self_pipe) == -1)
        err(1, "pipe");
    for (int i = 0; i < 2; i++) {
        int flags = fcntl(self_pipe[i], F_GETFL);
        if (flags == -1 || fcntl(self_pipe[i], F_SETFL, flags | O_NONBLOCK) == -1 ||
            fcntl(self_pipe[i], F_SETFD, FD_CLOEXEC) == -1)
            err(1, "fcntl");
    }
}

static const char *name(int signo)
{
    return signo == SIGUSR1   ? "SIGUSR1"
           : signo == SIGUSR2 ? "SIGUSR2"
           : signo == SIGINT  ? "SIGINT"
                              : "SIGTERM";
}

/* The signals that came since the last look, one byte each; 0 to stop. */
static int drain_signals(void)
{
    unsigned char bytes[64];
    ssize_t n;
    int go_on = 1;
    while ((n = read(self_pipe[0], bytes, sizeof bytes)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            printf("signal: %s\n", name(bytes[i]));
            if (bytes[i] == SIGINT || bytes[i] == SIGTERM)
                go_on = 0;
        }
    if (n == -1 && errno != EAGAIN)
        err(1, "read self-pipe");
    return go_on;
}

static void print_line(const char *start, const char *end)
{
    printf("line: ");
    for (const char *p = start; p < end; p++) /* control bytes: '?', never raw */
        putchar(iscntrl((unsigned char)*p) ? '?' : *p);
    putchar('\n');
}

/* Read what stdin has and print each whole line; 0 at the end of input. */
static int take_input(char *line, size_t size, size_t *used)
{
    ssize_t n = read(STDIN_FILENO, line + *used, size - *used);
    if (n == -1)
        err(1, "read stdin");
    *used += (size_t)n;
    char *start = line, *nl;
    while ((nl = memchr(start, '\n', (size_t)(line + *used - start))) != NULL) {
        print_line(start, nl);
        start = nl + 1;
    }
    size_t rest = (size_t)(line + *used - start);
    if (rest > 0 && (n == 0 || rest == size)) { /* a last line, or a full buffer */
        print_line(start, start + rest);
        rest = 0;
    }
    memmove(line, start, rest);
    *used = rest;
    return n > 0;
}

int main(int argc, char *argv[])
{
    static const int signals[] = {SIGUSR1, SIGUSR2, SIGINT, SIGTERM};
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: see poll below */
    char line[4096];
    size_t used = 0;
    int go_on = 1, input_open = 1;

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: self_pipe\n");
        return 2;
    }
    make_self_pipe(); /* before the handler that writes into it */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (sigaction(signals[i], &sa, NULL) == -1)
            err(1, "sigaction");
    printf("self_pipe: pid %ld waiting for lines on stdin and SIGUSR1, SIGUSR2, "
           "SIGINT, SIGTERM\n",
           (long)getpid());

    while (go_on && input_open) {
        struct pollfd fds[2] = {{.fd = self_pipe[0], .events = POLLIN},
                                {.fd = STDIN_FILENO, .events = POLLIN}};
        fflush(stdout);
        if (poll(fds, 2, -1) == -1) {
            if (errno == EINTR)
                continue; /* a handler ran: its byte is in the pipe */
            err(1, "poll");
        }
        if (fds[0].revents & POLLIN)
            go_on = drain_signals();
        if (go_on && fds[1].revents & (POLLIN | POLLHUP))
            input_open = take_input(line, sizeof line, &used);
    }
    printf("self_pipe: %s\n", go_on ? "end of input" : "stopped by a signal");
    return 0;
}
