/* stale_lock.c -- a lock file whose dead holder's lock is taken over, safely.
 * Usage:  stale_lock [-u] [-d ms] [-t seconds] lockpath
 * Shows:  lockfile's lock (O_CREAT|O_EXCL, the holder's pid inside), and what
 *         lockfile leaves to a person: a lock whose pid no longer exists
 *         (kill(pid, 0) fails with ESRCH: its holder was killed with SIGKILL and
 *         could not remove it) is stale, and is taken over.
 *         The take-over race: two processes that both judged the same lock
 *         stale must not both remove "it", or the second removes the first
 *         one's NEW lock. Here a take-over happens only under a second,
 *         short-lived lock, lockpath.takeover (also O_CREAT|O_EXCL), under
 *         which the file is checked again to still name the dead pid.
 *         -d ms waits between judging the lock stale and taking it over (the
 *         race window, widened); -u takes over without the guard (unlink, then
 *         create), so the race can be seen: two processes both hold the lock.
 *         The holder keeps the lock -t seconds (default: until SIGINT/SIGTERM).
 *         Left to a person: a holder killed between creating the lock and
 *         writing its pid leaves it empty; a taker killed inside a take-over
 *         leaves lockpath.takeover. Both are reported by name.
 * Beyond: lockfile (SYS "Lock Files"). */
#define _POSIX_C_SOURCE 200809L /* sigtimedwait, kill, getopt */
#define _FILE_OFFSET_BITS 64    /* 32-bit systems: 64-bit inode numbers in fstat */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ATTEMPTS 300 /* 10 ms apart: how long to wait out another take-over */

static sigset_t stops; /* SIGINT, SIGTERM: blocked all along, taken by stopped() */
static int unsafe;     /* -u */

static void usage(void)
{
    fprintf(stderr, "usage: stale_lock [-u] [-d ms] [-t seconds] lockpath\n");
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

/* Wait up to ms (forever if ms < 0) for SIGINT or SIGTERM, also one that came
 * earlier: it has waited, pending, since. 1 if one came. */
static int stopped(long ms)
{
    struct timespec limit = {ms / 1000, ms % 1000 * 1000000L};
    int sig;
    if (ms < 0)
        return sigwait(&stops, &sig) == 0;
    return sigtimedwait(&stops, NULL, &limit) != -1;
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
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO's open would wait */
    if (fd == -1) {
        if (errno == ENOENT)
            return -1;
        err(1, "open %s", path);
    }
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
        errx(1, "%s exists and is not a regular file: not a lock", path);
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

static void acquire(const char *path, long delay_ms)
{
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (create_with_pid(path))
            return;
        long pid = read_pid(path);
        if (pid == -1)
            continue; /* removed meanwhile: try to create it again */
        if (pid > 0 && alive(pid))
            errx(1, "%s is held by pid %ld: try again later", path, pid);
        if (pid > 0) {
            printf("stale_lock: stale lock %s from dead pid %ld: taking it over\n", path,
                   pid);
            fflush(stdout);
            if (stopped(delay_ms))
                errx(1, "stopped by a signal before getting %s", path);
            if (unsafe) {
                unlink(path); /* the race: this may be someone's new lock */
                continue;
            }
            if (take_over(path, pid))
                continue;
        }
        if (stopped(10)) /* no pid yet, or another take-over running: wait */
            errx(1, "stopped by a signal before getting %s", path);
    }
    errx(1,
         "%s stays empty or its take-over never ends (a process killed in the "
         "middle? remove %s or %s.takeover by hand)",
         path, path, path);
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
    printf("stale_lock: pid %ld released %s\n", (long)getpid(), path);
    return 0;
}

int main(int argc, char *argv[])
{
    long seconds = -1, delay_ms = 0;
    int opt;

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

    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");
    acquire(path, delay_ms);
    printf("stale_lock: pid %ld holds %s\n", (long)getpid(), path);
    fflush(stdout);
    stopped(seconds < 0 ? -1 : seconds * 1000);
    return release(path);
}
