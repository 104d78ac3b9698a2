/* sigqueue_send.c -- send signals that carry a value, with sigqueue(3).
 * Usage:  sigqueue_send pid signal[:value]...
 *         signal is USR1, USR2, RTMIN, RTMIN+n, RTMAX or RTMAX-n (a leading
 *         SIG is allowed); value is an int, default 0. Sent in the order given.
 * Shows:  sigqueue(3) and its union sigval; EAGAIN when the receiver's queue
 *         of realtime signals is full. Try it on sigqueue_recv.
 * Mirrors: beyond the lectures. */
#define _POSIX_C_SOURCE 200809L /* sigqueue, SIGRTMIN */

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static void usage(void)
{
    fprintf(stderr, "usage: sigqueue_send pid signal[:value]...\n");
    exit(2);
}

static long number(const char *s, const char *stop_at, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (s == stop_at || end != stop_at || errno != 0 || n < min || n > max)
        usage();
    return n;
}

/* "RTMIN+2" -> SIGRTMIN + 2; sets *value from ":value". Bad text: usage. */
static int parse_signal(const char *arg, int *value)
{
    const char *colon = strchr(arg, ':');
    const char *stop_at = colon != NULL ? colon : arg + strlen(arg);
    size_t len = (size_t)(stop_at - arg);
    int range = SIGRTMAX - SIGRTMIN;

    *value = colon != NULL
                 ? (int)number(colon + 1, colon + 1 + strlen(colon + 1), INT_MIN, INT_MAX)
                 : 0;
    if (len > 3 && strncmp(arg, "SIG", 3) == 0) {
        arg += 3;
        len -= 3;
    }
    if (len == 4 && strncmp(arg, "USR1", 4) == 0)
        return SIGUSR1;
    if (len == 4 && strncmp(arg, "USR2", 4) == 0)
        return SIGUSR2;
    if (len >= 5 && strncmp(arg, "RTMIN", 5) == 0)
        return SIGRTMIN + (len == 5 ? 0 : (int)number(arg + 5, stop_at, 0, range));
    if (len >= 5 && strncmp(arg, "RTMAX", 5) == 0)
        return SIGRTMAX + (len == 5 ? 0 : (int)number(arg + 5, stop_at, -range, 0));
    usage();
    return 0;
}

static void name(int signo, char *buf, size_t size)
{
    if (signo == SIGUSR1 || signo == SIGUSR2)
        snprintf(buf, size, "SIGUSR%d", signo == SIGUSR1 ? 1 : 2);
    else if (signo == SIGRTMIN)
        snprintf(buf, size, "SIGRTMIN");
    else
        snprintf(buf, size, "SIGRTMIN+%d", signo - SIGRTMIN);
}

int main(int argc, char *argv[])
{
    char *end, label[32];

    if (argc < 3)
        usage();
    errno = 0;
    long pid = strtol(argv[1], &end, 10);
    /* Only one process: 0 or a negative pid would signal a whole group. */
    if (*argv[1] == '\0' || *end != '\0' || errno != 0 || pid < 1 || pid > INT_MAX)
        usage();
    int signo, value;
    for (int i = 2; i < argc; i++) /* check every argument before sending any */
        parse_signal(argv[i], &value);

    for (int i = 2; i < argc; i++) {
        signo = parse_signal(argv[i], &value);
        union sigval sv = {.sival_int = value};
        name(signo, label, sizeof label);
        if (sigqueue((pid_t)pid, signo, sv) == -1) {
            if (errno == EAGAIN)
                errx(1, "sigqueue %s: the queue of pending signals is full", label);
            err(1, "sigqueue %s to pid %ld", label, pid);
        }
        printf("sent %s value %d\n", label, value);
    }
    return 0;
}
