/* sleep_alarm.c -- sleepFor from alarm() and pause(), and the race in it.
 * Usage:  sleep_alarm seconds [ms]
 * Shows:  signal(2), alarm(2), pause(2), alarm(0) returning the seconds left. Its
 *         limit: if SIGALRM comes before pause() has begun (a busy machine did not
 *         run the process in time), pause() waits forever for a signal already
 *         gone. ms waits that long between alarm() and pause(), to see the wakeup
 *         lost. Fixes: sleep_longjmp (the lecture's), sleep_sigsuspend.
 * Mirrors: SYS "Sleep with Alarm". */
#define _DEFAULT_SOURCE /* glibc: BSD signal(), the handler stays (not System V's) */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long delay_ms; /* the window between alarm() and pause(), widened */

static void sig_alrm(int signo)
{
    (void)signo;
    ssize_t unused = write(STDOUT_FILENO, "SIGALRM caught\n", 15);
    (void)unused;
}

/* The slide has a stray `handler;` statement after its return. */
static unsigned int sleepFor(unsigned int numSeconds)
{
    struct timespec busy = {delay_ms / 1000, delay_ms % 1000 * 1000000L};
    if (signal(SIGALRM, sig_alrm) == SIG_ERR)
        err(1, "signal");
    alarm(numSeconds);
    nanosleep(&busy, NULL); /* stands for a scheduler that runs others first */
    pause();                /* SIGALRM already caught? Then this waits forever. */
    return alarm(0);
}

static void usage(void)
{
    fprintf(stderr, "usage: sleep_alarm seconds [ms]\n");
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

int main(int argc, char *argv[])
{
    if (argc != 2 && argc != 3)
        usage();
    unsigned int seconds = (unsigned int)number(argv[1], 1, 3600);
    delay_ms = argc == 3 ? number(argv[2], 0, 3600000) : 0;
    printf("sleep_alarm: alarm(%u), then pause() after %ld ms\n", seconds, delay_ms);
    fflush(stdout);
    printf("woke up: %u s left unslept\n", sleepFor(seconds));
    return 0;
}
