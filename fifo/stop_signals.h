/* stop_signals.h -- how fifo_writer and fifo_reader stop on SIGINT and SIGTERM.
 * The handler sets stop; there is no SA_RESTART, so a blocked open(), read()
 * or write() returns EINTR and the program sees the flag, removes the FIFO it
 * made and exits. open() of a FIFO has no form that takes a signal mask, so a
 * stop that lands after the flag was last tested but before the call began
 * cannot interrupt it: the handler also asks for a SIGALRM a second later,
 * which interrupts such a late wait (and asks for another one while needed).
 * Header only, so each program still builds with its one-line cc command. */
#ifndef STOP_SIGNALS_H
#define STOP_SIGNALS_H

#include <err.h>
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t stop; /* the signal that asked us to stop, or 0 */

static void on_stop(int sig)
{
    stop = sig;
    alarm(1); /* async-signal-safe */
}

static void on_alarm(int sig)
{
    (void)sig; /* its EINTR is the point */
    if (stop) /* this one, too, may land just before the wait: ask again */
        alarm(1);
}

static inline void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_alarm;
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");
}

#endif
