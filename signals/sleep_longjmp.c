/* sleep_longjmp.c -- sleepFor that jumps out of the SIGALRM handler, twice.
 * Usage:  sleep_longjmp [-s]
 * Shows:  setjmp(3) before alarm(2), longjmp(3) out of the SIGALRM handler.
 *         Sleep 1 waits 1500 ms between alarm(1) and pause(2), the race of
 *         sleep_alarm: the jump skips the pause and the sleep still ends. Its
 *         limit: a handler runs with its signal blocked, the jump skips the
 *         return that unblocks it, and setjmp() does not save the mask (on
 *         Linux): SIGALRM stays blocked and sleep 2 never wakes. -s is the
 *         fix: sigsetjmp(env, 1) saves the mask, siglongjmp() restores it.
 *         The jump has another cost: see signal_timing.
 * Mirrors: SYS "Better Sleep with Longjmp". */
#define _DEFAULT_SOURCE /* glibc: BSD signal(), the handler stays (not System V's) */

#include <err.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static jmp_buf env_alrm;
static sigjmp_buf sigenv_alrm; /* -s */
static int fixed;              /* -s */
static long busy_ms;           /* stands for a scheduler that runs others first */

static void sig_alrm(int signo)
{
    (void)signo;
    if (fixed)
        siglongjmp(sigenv_alrm, 1); /* and the mask sigsetjmp saved is back */
    longjmp(env_alrm, 1);           /* SIGALRM stays blocked, as in here */
}

/* The slide writes jmpbuf (the type is jmp_buf), unsinged, and alarm(nsecs)
 * where numSeconds is meant. */
static unsigned int sleepFor(unsigned int numSeconds)
{
    struct timespec busy = {busy_ms / 1000, busy_ms % 1000 * 1000000L};
    if (signal(SIGALRM, sig_alrm) == SIG_ERR)
        err(1, "signal");
    if (fixed) {
        if (sigsetjmp(sigenv_alrm, 1) != 0)
            return alarm(0);
    } else if (setjmp(env_alrm) != 0) {
        return alarm(0);
    }
    alarm(numSeconds);
    nanosleep(&busy, NULL); /* if SIGALRM comes now, the jump skips the pause */
    pause();
    return alarm(0);
}

int main(int argc, char *argv[])
{
    fixed = argc == 2 && strcmp(argv[1], "-s") == 0;
    if (argc != 1 && !fixed) {
        fprintf(stderr, "usage: sleep_longjmp [-s]\n");
        return 2;
    }
    for (int i = 1; i <= 2; i++) {
        busy_ms = i == 1 ? 1500 : 0; /* sleep 1: the alarm comes before pause() */
        printf("sleep %d: alarm(1), then pause() after %ld ms\n", i, busy_ms);
        fflush(stdout);
        printf("sleep %d: woke up, %u s left unslept\n", i, sleepFor(1));
    }
    return 0;
}
