/* stop_sleep.h -- a sleep that SIGINT or SIGTERM ends at once, and never
 * misses: used by lockfile, spool_submit and spool_run, whose -d and -w pauses
 * may last an hour. nanosleep() would not do: a signal that lands after the
 * caller last tested its stop flag, but before nanosleep() has begun, cannot
 * interrupt it. So the stop signals are blocked while the flag is tested and
 * let in only inside pselect(), which changes the mask and waits in one step.
 * (SIGALRM is blocked with them: lockfile's -t limit ends a wait the same way.)
 * Header only, so each program still builds with its one-line cc command. */
#ifndef STOP_SLEEP_H
#define STOP_SLEEP_H

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>

/* Block the signals that end a wait; *old gets the mask to wait with. */
static inline void block_stops(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGALRM);
    if (sigprocmask(SIG_BLOCK, &block, old) == -1)
        err(1, "sigprocmask");
}

/* Sleep ms milliseconds, or less if *stop is set or gets set meanwhile. */
static inline void stop_sleep(long ms, volatile sig_atomic_t *stop)
{
    struct timespec length = {ms / 1000, ms % 1000 * 1000000L};
    sigset_t old;
    block_stops(&old);
    if (!*stop && pselect(0, NULL, NULL, NULL, &length, &old) == -1 && errno != EINTR)
        err(1, "pselect");
    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
        err(1, "sigprocmask");
}

#endif
