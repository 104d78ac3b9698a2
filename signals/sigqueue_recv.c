/* sigqueue_recv.c -- receive queued signals and the values they carry.
 * Usage:  sigqueue_recv
 * Shows:  SA_SIGINFO handlers reading si_value and si_code; signals held
 *         pending while blocked: realtime signals queue (every one arrives,
 *         with its value), a standard signal does not (SIGUSR1 sent three
 *         times while blocked arrives once). SIGUSR1 and every realtime signal
 *         stay blocked until SIGUSR2 arrives; then they are unblocked together
 *         and Linux delivers them in its order: standard signals first, then
 *         the lowest-numbered realtime signal first, each one's queue in the
 *         order it was sent. Prints what arrived, in arrival order, and exits.
 * Mirrors: beyond the lectures. */
#define _POSIX_C_SOURCE 200809L /* sigaction with SA_SIGINFO, SIGRTMIN */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RECORDS 1024

struct record {
    int signo, value, code;
};

/* Filled by the handler. Every handler blocks all the other recorded
 * signals while it runs (sa_mask), so only one writes at a time. */
static volatile struct record records[MAX_RECORDS];
static volatile sig_atomic_t nrecords, lost, released;

static void usage(void)
{
    fprintf(stderr, "usage: sigqueue_recv\n");
    exit(2);
}

static void on_signal(int signo, siginfo_t *info, void *context)
{
    (void)context;
    if (nrecords == MAX_RECORDS) {
        lost = 1;
        return;
    }
    records[nrecords].signo = signo;
    records[nrecords].value = info->si_value.sival_int;
    records[nrecords].code = info->si_code;
    nrecords++;
}

static void on_release(int signo)
{
    (void)signo;
    released = 1;
}

/* SIGUSR1 and every realtime signal. */
static void held_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGUSR1);
    for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
        sigaddset(set, s);
}

static void install(const sigset_t *held)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sa.sa_mask = *held;
    for (int s = 1; s <= SIGRTMAX; s++)
        if (sigismember(held, s) && sigaction(s, &sa, NULL) == -1)
            err(1, "sigaction %d", s);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_release;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR2, &sa, NULL) == -1)
        err(1, "sigaction SIGUSR2");
}

static void print_records(void)
{
    for (int i = 0; i < nrecords; i++) {
        const volatile struct record *r = &records[i];
        if (r->signo == SIGUSR1)
            printf("SIGUSR1");
        else if (r->signo == SIGRTMIN)
            printf("SIGRTMIN");
        else
            printf("SIGRTMIN+%d", r->signo - SIGRTMIN);
        printf(" value %d (%s)\n", r->value,
               r->code == SI_QUEUE  ? "sigqueue"
               : r->code == SI_USER ? "kill"
                                    : "other");
    }
    printf("received %d signal(s)\n", (int)nrecords);
    if (lost)
        printf("(more arrived than the %d this program records)\n", MAX_RECORDS);
}

int main(int argc, char *argv[])
{
    sigset_t held, wait_mask, old;

    (void)argv;
    if (argc != 1)
        usage();
    held_signals(&held);
    sigaddset(&held, SIGUSR2); /* until we wait for it */
    if (sigprocmask(SIG_BLOCK, &held, &old) == -1)
        err(1, "sigprocmask");
    sigdelset(&held, SIGUSR2);
    install(&held);
    printf("sigqueue_recv: pid %ld holds SIGUSR1 and SIGRTMIN..SIGRTMAX (%d..%d) "
           "blocked; send them, then SIGUSR2\n",
           (long)getpid(), SIGRTMIN, SIGRTMAX);
    fflush(stdout);

    wait_mask = old;
    sigaddset(&wait_mask, SIGUSR1);
    for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
        sigaddset(&wait_mask, s);
    while (!released)
        sigsuspend(&wait_mask); /* only SIGUSR2 (or a deadly signal) gets in */

    /* Everything pending is delivered before sigprocmask returns. */
    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
        err(1, "sigprocmask");
    print_records();
    return 0;
}
