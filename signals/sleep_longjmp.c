/* sleep_longjmp.c -- sleep from alarm() and pause(), the race closed by a jump.
 * Usage:  sleep_longjmp [-n] [-d ms] [-c count] [-t seconds] seconds
 * Shows:  sigsetjmp(3) before alarm(2), siglongjmp(3) out of the SIGALRM
 *         handler: even when SIGALRM arrives before pause(2) (force it with
 *         -d ms between alarm() and pause()), the jump skips the pause and the
 *         sleep still ends. Sleeps count times (default 1).
 *         -n saves no signal mask (sigsetjmp(env, 0), what plain setjmp does
 *         on Linux): SIGALRM, blocked while its handler runs, stays blocked
 *         after the jump, so the NEXT sleep never wakes (try -n -c 2).
 *         A watchdog timer (SIGUSR2 after -t seconds, default enough for all
 *         the sleeps + 2, then every second) ends such a wait; exit status 1.
 *         The jump has a cost of its own: see signal_timing.
 * Mirrors: SYS "Better Sleep with Longjmp" (APUE's sleep2). */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsetjmp, timer_create */

#include <err.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t can_jump, watchdog_fired;
static long delay_ms; /* -d: the widened window between alarm() and pause() */
static int save_mask = 1;

static void usage(void)
{
    fprintf(stderr,
            "usage: sleep_longjmp [-n] [-d ms] [-c count] [-t seconds] seconds\n");
    exit(2);
}

static long number(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
        usage();
    return n;
}

/* siglongjmp is async-signal-safe (POSIX.1-2008 TC2) provided the code it
 * jumps out of was not itself unsafe: here it is only nanosleep or pause. */
static void on_alarm(int signo)
{
    (void)signo;
    if (can_jump)
        siglongjmp(env, 1);
}

static void on_watchdog(int signo)
{
    (void)signo;
    watchdog_fired = 1;
}

static void catch_signal(int signo, void (*fn)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, old) == -1)
        err(1, "sigaction");
}

/* A periodic SIGUSR2, so that a pause() nobody else will end still returns. */
static void start_watchdog(long seconds)
{
    timer_t timer;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    catch_signal(SIGUSR2, on_watchdog, NULL);
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer) == -1)
        err(1, "timer_create");
    struct itimerspec when = {.it_value = {seconds, 0}, .it_interval = {1, 0}};
    if (timer_settime(timer, 0, &when, NULL) == -1)
        err(1, "timer_settime");
}

static void widen_window(void)
{
    struct timespec left = {delay_ms / 1000, delay_ms % 1000 * 1000000L};
    while (nanosleep(&left, &left) == -1)
        if (errno != EINTR)
            err(1, "nanosleep");
}

/* Returns the seconds left unslept; *jumped says whether the handler's
 * siglongjmp ended the wait (rather than the watchdog). */
static unsigned sleep_for(unsigned seconds, int *jumped)
{
    struct sigaction old;
    catch_signal(SIGALRM, on_alarm, &old);
    *jumped = 1;
    if (sigsetjmp(env, save_mask) == 0) {
        can_jump = 1;
        alarm(seconds);
        widen_window();
        pause(); /* SIGALRM already gone? Then we never get here. */
        *jumped = 0;
    }
    can_jump = 0;
    unsigned left = alarm(0);
    if (sigaction(SIGALRM, &old, NULL) == -1)
        err(1, "sigaction");
    return left;
}

static int alarm_blocked(void)
{
    sigset_t now;
    if (sigprocmask(SIG_BLOCK, NULL, &now) == -1)
        err(1, "sigprocmask");
    return sigismember(&now, SIGALRM);
}

int main(int argc, char *argv[])
{
    long count = 1, watchdog = -1;
    int opt, jumped;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "nd:c:t:")) != -1) {
        if (opt == 'n')
            save_mask = 0;
        else if (opt == 'd')
            delay_ms = number(optarg, 0, 3600000);
        else if (opt == 'c')
            count = number(optarg, 1, 100);
        else if (opt == 't')
            watchdog = number(optarg, 1, 3600);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    unsigned seconds = (unsigned)number(argv[optind], 1, 3600);
    if (watchdog < 0)
        watchdog = count * (seconds + delay_ms / 1000 + 1) + 2;

    start_watchdog(watchdog);
    for (long i = 1; i <= count; i++) {
        printf("sleep %ld: alarm(%u), wait %ld ms, then pause()\n", i, seconds, delay_ms);
        fflush(stdout);
        unsigned left = sleep_for(seconds, &jumped);
        if (!jumped) {
            if (alarm_blocked())
                printf("sleep %ld: SIGALRM is still blocked since the last jump "
                       "(sigsetjmp saved no mask)\n",
                       i);
            fflush(stdout);
            errx(1, "sleep %ld never woke up: the watchdog stopped it after %ld s", i,
                 watchdog);
        }
        printf("sleep %ld: woke by siglongjmp from the SIGALRM handler, %u s left\n", i,
               left);
    }
    return 0;
}
