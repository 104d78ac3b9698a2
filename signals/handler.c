/* handler.c -- catch SIGUSR1 and SIGINT with signal(), wait for them with pause().
 * Usage:  handler [-s]
 * Shows:  signal(2) and pause(2); one handler for two signals that names each
 *         with write(2). SIGTERM (`kill PID`) ends it. -s: the same with
 *         sigaction(2) and sigsuspend(2), the way to write it (why: see below).
 * Mirrors: SYS "Handling Signals". */
#define _DEFAULT_SOURCE /* glibc: BSD signal(), the handler stays (not System V's) */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_int; /* -s: set by note() */

/* The slide's main(int argv, char* argv[]) does not compile (argv twice), its
 * handler calls printf (not async-signal-safe) and says SIGHUP for SIGINT. */
static void handler(int signalNum)
{
    const char *msg = signalNum == SIGUSR1 ? "received SIGUSR1\n" : "received SIGINT\n";
    ssize_t unused = write(STDOUT_FILENO, msg, strlen(msg));
    (void)unused; /* a handler has no one to tell that write failed */
}

static void note(int signalNum)
{
    *(signalNum == SIGUSR1 ? &got_usr1 : &got_int) = 1;
}

/* Why -s: what signal() does differs between systems (System V resets the
 * handler after one delivery: a second SIGINT kills); sigaction says. Real work
 * (printf) belongs in main, after the wait, but a signal landing between a flag
 * test and pause() is slept through; sigsuspend unblocks and waits in one step. */
static _Noreturn void wait_with_sigsuspend(void)
{
    struct sigaction sa = {.sa_handler = note};
    sigset_t both, old;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGINT);
    if (sigprocmask(SIG_BLOCK, &both, &old) == -1 ||
        sigaction(SIGUSR1, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    printf("handler: pid %ld waiting for SIGUSR1 or SIGINT\n", (long)getpid());
    for (;;) {
        fflush(stdout);
        sigsuspend(&old); /* unblock, wait, block again: no signal slips by */
        printf("%s%s", got_usr1 ? "received SIGUSR1\n" : "",
               got_int ? "received SIGINT\n" : "");
        got_usr1 = got_int = 0; /* both blocked again: none arrives meanwhile */
    }
}

int main(int argc, char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "-s") == 0)
        wait_with_sigsuspend();
    if (argc != 1) {
        fprintf(stderr, "usage: handler [-s]\n");
        return 2;
    }
    if (signal(SIGUSR1, handler) == SIG_ERR || signal(SIGINT, handler) == SIG_ERR)
        err(1, "signal");
    printf("handler: pid %ld waiting for SIGUSR1 or SIGINT\n", (long)getpid());
    fflush(stdout);
    while (1)
        pause();
}
