/* signal_timing.c -- a slow SIGINT handler cut short by a longjmp-based sleep.
 * Usage:  signal_timing [-s] [-w ms] seconds
 * Shows:  the sleep of sleep_longjmp (alarm, sigsetjmp, pause, siglongjmp out
 *         of the SIGALRM handler) while a SIGINT handler is busy for ms
 *         (default 3000) milliseconds. Send SIGINT during the sleep: when the
 *         alarm fires inside the SIGINT handler, the jump leaves BOTH handlers,
 *         and the SIGINT handler never finishes (exit 1, said on stderr).
 *         -s sleeps with sigsuspend(2) instead: the SIGALRM handler only sets a
 *         flag, the SIGINT handler finishes, and the sleep ends after it.
 *         The window is widened by -w: any ms longer than the sleep left.
 * Mirrors: SYS "Signal Timing Problem" (APUE's sleep2 with a slow sig_int). */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsetjmp, clock_gettime */

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
static volatile sig_atomic_t can_jump, alarm_fired, int_started, int_finished;
static long work_ms = 3000; /* -w: how long the SIGINT handler is busy */

static void usage(void)
{
    fprintf(stderr, "usage: signal_timing [-s] [-w ms] seconds\n");
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

static void say(const char *text)
{
    ssize_t unused = write(STDOUT_FILENO, text, strlen(text));
    (void)unused;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The lecture's sig_int: a long computation (here: busy until a deadline,
 * as the lecture's nested loop is). Only write(2) and clock_gettime(2). */
static void on_int(int signo)
{
    (void)signo;
    int_started = 1;
    say("SIGINT handler: starting\n");
    long end = now_ms() + work_ms;
    while (now_ms() < end)
        continue;
    say("SIGINT handler: finished\n");
    int_finished = 1;
}

static void on_alarm(int signo)
{
    (void)signo;
    alarm_fired = 1;
    if (can_jump)
        siglongjmp(env, 1); /* also out of any handler this one interrupted */
}

static void catch_signal(int signo, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* sleep_longjmp's sleep. */
static unsigned sleep_jump(unsigned seconds)
{
    if (sigsetjmp(env, 1) == 0) {
        can_jump = 1;
        alarm(seconds);
        pause();
    }
    can_jump = 0;
    return alarm(0);
}

/* sleep_alarm -s's sleep: nothing jumps, handlers return where they were. */
static unsigned sleep_suspend(unsigned seconds)
{
    sigset_t alrm, saved, wait_mask;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    if (sigprocmask(SIG_BLOCK, &alrm, &saved) == -1)
        err(1, "sigprocmask");
    alarm(seconds);
    wait_mask = saved;
    sigdelset(&wait_mask, SIGALRM);
    while (!alarm_fired)
        sigsuspend(&wait_mask);
    unsigned left = alarm(0);
    if (sigprocmask(SIG_SETMASK, &saved, NULL) == -1)
        err(1, "sigprocmask");
    return left;
}

int main(int argc, char *argv[])
{
    int opt, safe = 0;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sw:")) != -1) {
        if (opt == 's')
            safe = 1;
        else if (opt == 'w')
            work_ms = number(optarg, 0, 600000);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    unsigned seconds = (unsigned)number(argv[optind], 1, 3600);

    catch_signal(SIGINT, on_int);
    catch_signal(SIGALRM, on_alarm);
    printf("signal_timing: pid %ld sleeping %u s with %s; send SIGINT now\n",
           (long)getpid(), seconds, safe ? "sigsuspend" : "siglongjmp");
    fflush(stdout);
    unsigned left = safe ? sleep_suspend(seconds) : sleep_jump(seconds);
    printf("sleep returned, %u s left unslept\n", left);
    fflush(stdout);

    if (!int_started) {
        printf("no SIGINT arrived during the sleep\n");
        return 0;
    }
    if (!int_finished)
        errx(1, "the SIGINT handler never finished: the siglongjmp out of the "
                "SIGALRM handler abandoned it");
    printf("the SIGINT handler ran to its end\n");
    return 0;
}
