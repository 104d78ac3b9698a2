/* sleep_alarm.c -- sleep built from alarm() and pause(), and the race in it.
 * Usage:  sleep_alarm [-s] [-d ms] [-t seconds] seconds
 * Shows:  alarm(2) + pause(2) as a sleep; the race between them: if SIGALRM
 *         arrives before pause() is entered, pause() waits for a signal that
 *         has already come and gone. -d ms waits that long between alarm()
 *         and pause(), so the race happens on demand (a busy machine does the
 *         same by not scheduling the process in time). -s is the fix: SIGALRM
 *         stays blocked from alarm() until sigsuspend(2) unblocks it and waits
 *         in one atomic step. A watchdog timer (timer_create(2): SIGUSR2
 *         after -t seconds, default seconds+delay+2, then every second) ends
 *         a lost wait: the program then says so on stderr and exits 1.
 * Mirrors: SYS "sleepFor" with alarm (APUE's sleep1). */
#define _POSIX_C_SOURCE 200809L /* sigaction, timer_create, nanosleep */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarm_fired, watchdog_fired;
static long delay_ms; /* -d: the widened window between alarm() and pause() */
static int safe;      /* -s: the sigsuspend version */

static void usage(void)
{
    fprintf(stderr, "usage: sleep_alarm [-s] [-d ms] [-t seconds] seconds\n");
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

static void on_alarm(int signo)
{
    (void)signo;
    alarm_fired = 1;
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

/* A periodic SIGUSR2, so that a pause() nobody else will end still returns.
 * Periodic: if it fires before pause() too, the next one still ends it. */
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

/* Stand for "the scheduler ran someone else here": the whole delay, even if
 * a signal interrupts nanosleep (it returns EINTR and the time left). */
static void widen_window(void)
{
    struct timespec left = {delay_ms / 1000, delay_ms % 1000 * 1000000L};
    while (nanosleep(&left, &left) == -1)
        if (errno != EINTR)
            err(1, "nanosleep");
}

/* The lecture's sleepFor: returns the seconds left unslept, like sleep(3). */
static unsigned sleep_for(unsigned seconds)
{
    struct sigaction old;
    catch_signal(SIGALRM, on_alarm, &old);
    alarm(seconds);
    widen_window();
    /* The race: SIGALRM may already have come and gone here. */
    pause();
    unsigned left = alarm(0);
    if (sigaction(SIGALRM, &old, NULL) == -1) /* leave SIGALRM as we found it */
        err(1, "sigaction");
    return left;
}

/* The fix: SIGALRM cannot be delivered until sigsuspend() unblocks it, and
 * unblocking and waiting happen in one step, so it cannot be missed. */
static unsigned sleep_for_safe(unsigned seconds)
{
    struct sigaction old;
    sigset_t alrm, saved, wait_mask;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    if (sigprocmask(SIG_BLOCK, &alrm, &saved) == -1)
        err(1, "sigprocmask");
    catch_signal(SIGALRM, on_alarm, &old);
    alarm(seconds);
    widen_window(); /* a SIGALRM now stays pending */
    wait_mask = saved;
    sigdelset(&wait_mask, SIGALRM);
    while (!alarm_fired && !watchdog_fired)
        sigsuspend(&wait_mask);
    unsigned left = alarm(0);
    if (sigaction(SIGALRM, &old, NULL) == -1)
        err(1, "sigaction");
    if (sigprocmask(SIG_SETMASK, &saved, NULL) == -1)
        err(1, "sigprocmask");
    return left;
}

int main(int argc, char *argv[])
{
    long watchdog = -1;
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sd:t:")) != -1) {
        if (opt == 's')
            safe = 1;
        else if (opt == 'd')
            delay_ms = number(optarg, 0, 3600000);
        else if (opt == 't')
            watchdog = number(optarg, 1, 3600);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    unsigned seconds = (unsigned)number(argv[optind], 1, 3600);
    if (watchdog < 0)
        watchdog = seconds + delay_ms / 1000 + 2;

    start_watchdog(watchdog);
    printf("sleep_alarm: alarm(%u), wait %ld ms, then %s\n", seconds, delay_ms,
           safe ? "sigsuspend()" : "pause()");
    fflush(stdout);
    unsigned left = safe ? sleep_for_safe(seconds) : sleep_for(seconds);

    if (alarm_fired && !watchdog_fired) {
        printf("woke up: SIGALRM ended the wait, %u s left unslept\n", left);
        return 0;
    }
    if (alarm_fired)
        printf("SIGALRM had arrived before pause(): the wakeup was lost\n");
    fflush(stdout);
    errx(1, "the wait never ended by SIGALRM: the watchdog stopped it after %ld s",
         watchdog);
}
