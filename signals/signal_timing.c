/* signal_timing.c -- a slow SIGINT handler, and the longjmp sleep that abandons it.
 * Usage:  signal_timing [seconds]
 * Shows:  sleepFor of sleep_longjmp while sig_int computes for 3-4 s. Send SIGINT
 *         in the sleep (default 1 s): SIGALRM comes in the middle of sig_int, the
 *         longjmp leaves both handlers, and sig_int says "enter", never "done".
 *         Keep handlers short; never jump out of one (sleep_sigsuspend does not).
 * Mirrors: SYS "Signal Timing Problem". */
#define _DEFAULT_SOURCE /* glibc's BSD signal(): the handler stays */

#include <err.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static jmp_buf env_alrm;

/* The slide's sig_int calls printf (not async-signal-safe), its int i * i
 * overflows past i = 46340 (undefined behaviour), and its 10^7 rounds take
 * milliseconds today, too short to meet the alarm: this one runs 3-4 s. */
static void sig_int(int signo)
{
    time_t end = time(NULL) + 4; /* time() is async-signal-safe */
    (void)signo;
    ssize_t unused = write(STDOUT_FILENO, "sig_int enter\n", 14);
    while (time(NULL) < end) /* busy, as the slide's long computation */
        continue;
    unused = write(STDOUT_FILENO, "sig_int done\n", 13);
    (void)unused;
}

static void sig_alrm(int signo)
{
    (void)signo;
    longjmp(env_alrm, 1);
}

static unsigned int sleepFor(unsigned int numSeconds)
{
    if (signal(SIGALRM, sig_alrm) == SIG_ERR)
        err(1, "signal");
    if (setjmp(env_alrm) == 0) {
        alarm(numSeconds);
        pause();
    }
    return alarm(0);
}

int main(int argc, char *argv[])
{
    char *end = "";
    long seconds = argc == 2 ? strtol(argv[1], &end, 10) : 1;
    if (argc > 2 || *end != '\0' || seconds < 1 || seconds > 3600) {
        fprintf(stderr, "usage: signal_timing [seconds]\n");
        return 2;
    }
    if (signal(SIGINT, sig_int) == SIG_ERR)
        err(1, "signal");
    printf("signal_timing: pid %ld, sleepFor(%ld): send SIGINT\n", (long)getpid(),
           seconds);
    fflush(stdout);
    unsigned int unslept = sleepFor((unsigned int)seconds);
    printf("sleepFor returned: %u\n", unslept);
    return 0;
}
