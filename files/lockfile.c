/* lockfile.c -- a lock file guards a resource; a dead holder's lock is taken over.
 * Usage:  lockfile [-u] [-d ms] [-t seconds] lockpath
 * Shows:  open(2) with O_CREAT|O_EXCL as an atomic "create if absent": one
 *         process wins, the others get EEXIST and are refused, naming the
 *         holder (its pid is in the file). The holder keeps the lock for -t
 *         seconds (default: until SIGINT or SIGTERM), then removes it.
 *         A lock whose pid no longer exists (its holder was killed with
 *         SIGKILL and could not remove it) is stale and is taken over.
 *         The take-over race: two processes that both judged the same lock
 *         stale must not both remove "it", or the second removes the first
 *         one's NEW lock. Here a take-over happens only under a second,
 *         short-lived lock, lockpath.takeover (also O_CREAT|O_EXCL), which
 *         checks again that the file is still the dead pid's before removing it.
 *         -d ms waits between judging a lock stale and taking it over (the race
 *         window, widened); -u takes over without the guard (unlink, then
 *         create), so the race can be seen: two processes both hold the lock.
 * Mirrors: SYS "lock files". */
#define _POSIX_C_SOURCE 200809L /* sigaction, pselect, getopt */

#include "stop_sleep.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ATTEMPTS 300 /* 10 ms apart: how long to wait out another take-over */

static volatile sig_atomic_t done;
static long delay_ms; /* -d */
static int unsafe;    /* -u */

static void usage(void)
{
    fprintf(stderr, "usage: lockfile [-u] [-d ms] [-t seconds] lockpath\n");
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

static void on_signal(int signo)
{
    (void)signo;
    done = 1;
}

/* Create path holding our pid; 0 if it already exists. */
static int create_with_pid(const char *path)
{
    char text[32];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd == -1) {
        if (errno == EEXIST)
            return 0;
        err(1, "open %s", path);
    }
    int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (write(fd, text, (size_t)len) != len)
        err(1, "write %s", path);
    if (close(fd) == -1)
        err(1, "close %s", path);
    return 1;
}

/* The pid written in path: -1 if path is gone, 0 if it is still empty (its
 * creator has not written its pid yet); anything else is refused. */
static long read_pid(const char *path)
{
    char text[32];
    int fd = open(path, O_RDONLY);
    if (fd == -1) {
        if (errno == ENOENT)
            return -1;
        err(1, "open %s", path);
    }
    ssize_t n = read(fd, text, sizeof text - 1);
    if (n == -1)
        err(1, "read %s", path);
    close(fd);
    text[n] = '\0';
    if (n == 0)
        return 0;
    char *end;
    long pid = strtol(text, &end, 10);
    if (end == text || (*end != '\n' && *end != '\0') || pid < 1 || pid > INT_MAX)
        errx(1, "%s does not hold a pid: not a lock of this program?", path);
    return pid;
}

/* Alive, or belongs to someone we may not signal: either way, not stale. */
static int alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* Remove the stale lock of dead_pid, under the guard. 0 if another process is
 * taking over right now (the caller tries again from the start). */
static int take_over(const char *path, long dead_pid)
{
    char guard[PATH_MAX];
    if (snprintf(guard, sizeof guard, "%s.takeover", path) >= (int)sizeof guard)
        errx(1, "%s: name too long", path);
    if (!create_with_pid(guard))
        return 0;
    /* Only a take-over removes another's lock, and only one runs at a time:
     * if the file still names dead_pid, it is still the stale one. */
    if (read_pid(path) == dead_pid && unlink(path) == -1 && errno != ENOENT)
        err(1, "unlink %s", path);
    if (unlink(guard) == -1)
        err(1, "unlink %s", guard);
    return 1;
}

static void acquire(const char *path)
{
    for (int attempt = 0; attempt < ATTEMPTS && !done; attempt++) {
        if (create_with_pid(path))
            return;
        long pid = read_pid(path);
        if (pid == -1)
            continue; /* removed meanwhile: try to create it again */
        if (pid > 0 && alive(pid))
            errx(1, "%s is held by pid %ld: try again later", path, pid);
        if (pid > 0) {
            printf("lockfile: stale lock %s from dead pid %ld: taking it over\n", path,
                   pid);
            fflush(stdout);
            stop_sleep(delay_ms, &done);
            if (unsafe) {
                unlink(path); /* the race: this may be someone's new lock */
                continue;
            }
            if (take_over(path, pid))
                continue;
        }
        stop_sleep(10, &done); /* no pid yet, or another take-over running: wait */
    }
    if (done)
        errx(1, "stopped by a signal before getting %s", path);
    errx(1,
         "%s stays empty or its take-over never ends (a process killed in the "
         "middle? remove %s or %s.takeover by hand)",
         path, path, path);
}

static void hold(long seconds)
{
    sigset_t old;
    block_stops(&old);
    if (seconds > 0)
        alarm((unsigned)seconds);
    while (!done && seconds != 0)
        sigsuspend(&old);
}

/* Remove the lock only if it is still ours (with -u it may not be). */
static int release(const char *path)
{
    long pid = read_pid(path);
    if (pid != (long)getpid()) {
        warnx("%s is no longer ours (it names pid %ld): two processes held it", path,
              pid);
        return 1;
    }
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("lockfile: pid %ld released %s\n", (long)getpid(), path);
    return 0;
}

int main(int argc, char *argv[])
{
    long seconds = -1;
    int opt;
    struct sigaction sa;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "ud:t:")) != -1) {
        if (opt == 'u')
            unsafe = 1;
        else if (opt == 'd')
            delay_ms = number(optarg, 0, 3600000);
        else if (opt == 't')
            seconds = number(optarg, 0, 86400);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1 ||
        sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");

    acquire(path);
    printf("lockfile: pid %ld holds %s\n", (long)getpid(), path);
    fflush(stdout);
    hold(seconds);
    return release(path);
}
