/* handler.c -- catch SIGUSR1 and SIGINT and say which one really arrived.
 * Usage:  handler [-n count]
 * Shows:  sigaction(2) instead of signal(2); a handler that only uses write(2)
 *         and sets a volatile sig_atomic_t flag; sigsuspend(2) as the
 *         race-free pause(2): the signals stay blocked except while waiting.
 *         Ends after count signals (default: never) or on SIGTERM.
 * Mirrors: SYS "Handling Signals" (whose handler calls printf and prints
 *         "SIGHUP" when SIGINT arrives). */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsuspend, getopt */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Written by the handler, read by main only while the signals are blocked. */
static volatile sig_atomic_t got_usr1, got_int, got_term;

static void usage(void)
{
    fprintf(stderr, "usage: handler [-n count]\n");
    exit(2);
}

/* write(2) is async-signal-safe; printf is not (it may be in the middle of
 * printing for main, holding stdio's lock or half-updated buffer). */
static void say(const char *text)
{
    ssize_t unused = write(STDOUT_FILENO, text, strlen(text));
    (void)unused; /* nothing useful to do about a failed write in a handler */
}

static void on_signal(int signo)
{
    if (signo == SIGUSR1) {
        say("  (in the handler: SIGUSR1)\n");
        got_usr1 = 1;
    } else if (signo == SIGINT) {
        say("  (in the handler: SIGINT)\n");
        got_int = 1;
    } else {
        got_term = 1;
    }
}

static void install(int signo)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* sigaction also replaces a SIG_IGN inherited from the shell (a background
     * job of a non-interactive shell starts with SIGINT ignored). */
    if (sigaction(signo, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Print what the handler recorded; called with the signals blocked, so no
 * flag can change between reading it and clearing it. */
static long report(void)
{
    long n = 0;
    if (got_usr1) {
        printf("caught SIGUSR1 (signal %d)\n", SIGUSR1);
        got_usr1 = 0;
        n++;
    }
    if (got_int) {
        printf("caught SIGINT (signal %d)\n", SIGINT);
        got_int = 0;
        n++;
    }
    fflush(stdout);
    return n;
}

int main(int argc, char *argv[])
{
    long count = -1, seen = 0;
    int opt;
    char *end;
    sigset_t block, old;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 1)
            usage();
    }
    if (optind != argc)
        usage();

    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &block, &old) == -1)
        err(1, "sigprocmask");
    install(SIGUSR1);
    install(SIGINT);
    install(SIGTERM);
    printf("handler: pid %ld waiting for SIGUSR1 or SIGINT\n", (long)getpid());
    fflush(stdout);

    while (!got_term && (count < 0 || seen < count)) {
        /* Unblock and wait in one step: a signal sent just before this line
         * stays pending and ends the wait. With pause() it could arrive
         * between the test of the flag and pause(), and be slept through. */
        sigsuspend(&old);
        seen += report();
    }
    if (got_term)
        printf("handler: SIGTERM, stopping after %ld signal(s)\n", seen);
    return 0;
}
