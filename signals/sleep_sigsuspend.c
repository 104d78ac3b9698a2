/* sleep_sigsuspend.c -- sleepFor without the races of the lecture's versions.
 * Usage:  sleep_sigsuspend [-n times] [-d ms] seconds
 * Shows:  the sleep the lecture's versions lead to (APUE's sleep()): block
 *         SIGALRM with sigprocmask(2), alarm(2), then sigsuspend(2), which
 *         unblocks it and waits in one step; then alarm(0), and the mask and
 *         the SIGALRM action put back as they were. It sleeps `times` times
 *         (default 2), and SIGINT runs signal_timing's slow handler (3-4 s), so
 *         each race of the lecture programs can be tried against it:
 *         - sleep_alarm's early alarm: -d ms between alarm() and sigsuspend();
 *           SIGALRM stays pending meanwhile and ends the wait at once;
 *         - sleep_longjmp's lost mask: nothing jumps, the mask is restored,
 *           and the second sleep wakes like the first;
 *         - signal_timing's abandoned handler: send SIGINT during a sleep; the
 *           SIGALRM handler only sets a flag, so sig_int finishes ("done")
 *           and the sleep ends after it.
 *         Like sleep(3), a sleep that another caught signal ends early returns
 *         the seconds left; after each sleep it says whether SIGALRM's mask and
 *         action are as they were before it.
 * Beyond: sleep_alarm, sleep_longjmp, signal_timing (SYS's sleepFor). */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsuspend, nanosleep */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarm_fired;

static void usage(void)
{
    fprintf(stderr, "usage: sleep_sigsuspend [-n times] [-d ms] seconds\n");
    exit(2);
}

static long number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return n;
}

static void say(const char *text)
{
    ssize_t unused = write(STDOUT_FILENO, text, strlen(text));
    (void)unused;
}

/* signal_timing's sig_int: busy for 3-4 s, async-signal-safe calls only. */
static void sig_int(int signo)
{
    time_t end = time(NULL) + 4;
    (void)signo;
    say("sig_int enter\n");
    while (time(NULL) < end) /* busy, as the slide's long computation */
        continue;
    say("sig_int done\n");
}

/* Only a flag: nothing jumps, so whatever it interrupted carries on. */
static void sig_alrm(int signo)
{
    (void)signo;
    alarm_fired = 1;
}

static void install(int signo, void (*handler)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, old) == -1)
        err(1, "sigaction");
}

/* What sleepFor must leave as it found it: SIGALRM unblocked, its action the
 * default. Say so, or what it left behind (a caller's alarm() would then never
 * come, or run sig_alrm). */
static const char *left_behind(void)
{
    sigset_t now;
    struct sigaction act;
    if (sigprocmask(SIG_BLOCK, NULL, &now) == -1 || sigaction(SIGALRM, NULL, &act) == -1)
        err(1, "sigprocmask");
    if (sigismember(&now, SIGALRM))
        return "SIGALRM left blocked!";
    return act.sa_handler == SIG_DFL ? "mask and action as before"
                                     : "sig_alrm left installed!";
}

static unsigned int sleepFor(unsigned int numSeconds, long delay_ms)
{
    struct timespec busy = {delay_ms / 1000, delay_ms % 1000 * 1000000L};
    struct sigaction old_action;
    sigset_t alrm, old_mask, wait_mask;

    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    if (sigprocmask(SIG_BLOCK, &alrm, &old_mask) == -1)
        err(1, "sigprocmask");
    install(SIGALRM, sig_alrm, &old_action);
    alarm_fired = 0;
    alarm(numSeconds);
    nanosleep(&busy, NULL); /* an alarm that comes now stays pending */
    wait_mask = old_mask;
    sigdelset(&wait_mask, SIGALRM);
    sigsuspend(&wait_mask); /* unblock SIGALRM and wait: one step */
    unsigned int left = alarm(0);
    if (sigaction(SIGALRM, &old_action, NULL) == -1)
        err(1, "sigaction");
    if (sigprocmask(SIG_SETMASK, &old_mask, NULL) == -1)
        err(1, "sigprocmask");
    return left;
}

int main(int argc, char *argv[])
{
    long times = 2, delay_ms = 0;
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "n:d:")) != -1) {
        if (opt == 'n')
            times = number(optarg, 1, 100);
        else if (opt == 'd')
            delay_ms = number(optarg, 0, 3600000);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    unsigned int seconds = (unsigned int)number(argv[optind], 1, 3600);

    install(SIGINT, sig_int, NULL);
    printf("sleep_sigsuspend: pid %ld\n", (long)getpid());
    for (long i = 1; i <= times; i++) {
        printf("sleep %ld: alarm(%u), then sigsuspend() after %ld ms\n", i, seconds,
               delay_ms);
        fflush(stdout);
        unsigned int left = sleepFor(seconds, delay_ms);
        printf("sleep %ld: woke up, %u s left unslept; %s\n", i, left, left_behind());
    }
    return 0;
}
