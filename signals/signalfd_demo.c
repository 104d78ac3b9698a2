/* signalfd_demo.c -- signals read from a descriptor: signalfd(2), or sigwaitinfo(3) in a
 * thread. Usage:  signalfd_demo [-w] Shows:  self_pipe's loop, poll(2) on stdin and on
 * the signals, without a handler. SIGUSR1, SIGUSR2, SIGINT and SIGTERM are blocked with
 *         sigprocmask(2) (else their default action, or a handler, would take
 *         them first) and signalfd(-1, &mask, SFD_CLOEXEC) gives a descriptor
 *         that poll sees readable while one of them is pending. read(2) gives
 *         a struct signalfd_siginfo per signal: who sent it (ssi_pid) and, for
 *         sigqueue(3), the value it carries (ssi_int). Nothing runs
 *         asynchronously: printf is safe here, and there is no flag, no byte,
 *         no EINTR. A read shorter than the struct fails (EINVAL).
 *         -w: the POSIX way to the same loop: a thread waits in sigwaitinfo(3)
 *         (the signals blocked in every thread, so only it takes them) and
 *         writes what it got into a pipe that poll watches: a signalfd by hand.
 *         It prints the same lines. Ends at the end of stdin or on SIGINT or
 *         SIGTERM (read like any other signal).
 *         Linux only: signalfd. POSIX: -w, self_pipe, or pselect(2) with the
 *         signals let in only during the wait.
 * Beyond: handler (SYS "Handling Signals"); TLPI 22.11 (signalfd), 22.10, 33.2.4.
 * Build:  cc -pthread -o signalfd_demo signalfd_demo.c */
#define _GNU_SOURCE /* signalfd is Linux's own */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

struct event { /* what either way tells about one signal */
    int signo, code, value;
    long pid;
};

static sigset_t mask;     /* SIGUSR1, SIGUSR2, SIGINT, SIGTERM: blocked everywhere */
static int event_pipe[2]; /* -w: the thread writes events into [1] */

static const char *name(int signo)
{
    return signo == SIGUSR1   ? "SIGUSR1"
           : signo == SIGUSR2 ? "SIGUSR2"
           : signo == SIGINT  ? "SIGINT"
                              : "SIGTERM";
}

/* -w: the thread that takes the signals; it never returns. */
static void *wait_for_signals(void *unused)
{
    siginfo_t info;
    (void)unused;
    for (;;) {
        if (sigwaitinfo(&mask, &info) == -1) {
            if (errno == EINTR)
                continue;
            err(1, "sigwaitinfo");
        }
        struct event ev = {info.si_signo, info.si_code, info.si_value.sival_int,
                           (long)info.si_pid};
        /* one write of a few bytes to a pipe: whole, never mixed (PIPE_BUF) */
        if (write(event_pipe[1], &ev, sizeof ev) != (ssize_t)sizeof ev)
            err(1, "write event pipe");
    }
    return NULL;
}

/* The descriptor poll watches for signals: a signalfd, or -w's pipe. */
static int signal_source(int use_thread)
{
    pthread_t thread;
    if (!use_thread) {
        int fd = signalfd(-1, &mask, SFD_CLOEXEC);
        if (fd == -1)
            err(1, "signalfd");
        return fd;
    }
    if (pipe2(event_pipe, O_CLOEXEC) == -1) /* pipe2: POSIX.1-2024 */
        err(1, "pipe2");
    int rc = pthread_create(&thread, NULL, wait_for_signals, NULL);
    if (rc != 0)
        errx(1, "pthread_create: %s", strerror(rc));
    return event_pipe[0];
}

/* One signal from the source; 0 if it asks us to stop. */
static int read_signal(int fd, int use_thread)
{
    struct signalfd_siginfo si;
    struct event ev;
    if (use_thread) {
        if (read(fd, &ev, sizeof ev) != (ssize_t)sizeof ev)
            err(1, "read event pipe");
    } else {
        if (read(fd, &si, sizeof si) != (ssize_t)sizeof si) /* never less: EINVAL */
            err(1, "read signalfd");
        ev = (struct event){(int)si.ssi_signo, si.ssi_code, si.ssi_int, (long)si.ssi_pid};
    }
    printf("signal: %s from pid %ld", name(ev.signo), ev.pid);
    if (ev.code == SI_QUEUE)
        printf(", value %d", ev.value);
    printf("\n");
    return ev.signo != SIGINT && ev.signo != SIGTERM;
}

int main(int argc, char *argv[])
{
    int use_thread = argc == 2 && strcmp(argv[1], "-w") == 0, go_on = 1, input_open = 1;
    char buf[4096];

    if (argc != 1 && !use_thread) {
        fprintf(stderr, "usage: signalfd_demo [-w]\n");
        return 2;
    }
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    /* Blocked before anything else: a thread made later inherits the mask. */
    if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1)
        err(1, "sigprocmask");
    int sigfd = signal_source(use_thread);
    printf("signalfd_demo: pid %ld waiting for stdin and SIGUSR1, SIGUSR2, SIGINT, "
           "SIGTERM (%s)\n",
           (long)getpid(), use_thread ? "sigwaitinfo in a thread" : "signalfd");

    while (go_on && input_open) {
        struct pollfd fds[2] = {{.fd = sigfd, .events = POLLIN},
                                {.fd = STDIN_FILENO, .events = POLLIN}};
        fflush(stdout);
        if (poll(fds, 2, -1) == -1) /* no handler: no EINTR to handle */
            err(1, "poll");
        if (fds[0].revents & POLLIN)
            go_on = read_signal(sigfd, use_thread);
        if (go_on && fds[1].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n == -1)
                err(1, "read stdin");
            if (n > 0)
                printf("stdin: %zd bytes\n", n);
            input_open = n > 0;
        }
    }
    printf("signalfd_demo: %s\n", go_on ? "end of input" : "stopped by a signal");
    return 0;
}
