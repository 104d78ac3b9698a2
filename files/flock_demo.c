/* flock_demo.c -- flock(2): a whole-file lock that the kernel drops with its holder.
 * Usage:  flock_demo [-s] [-n] [-t seconds] file
 *         flock_demo -c count [-u] file
 * Shows:  flock(fd, LOCK_EX) on file (made, 0600, if missing); -s: LOCK_SH,
 *         shared by any number of holders. A locker that finds the lock taken
 *         says so and waits in flock() until the holder unlocks, closes the file
 *         or dies: the kernel drops the lock with the last descriptor of its
 *         open file, so kill -9 leaves no stale lock (compare lockfile). -n:
 *         LOCK_NB, refused at once (EWOULDBLOCK; flock cannot say by whom). The
 *         holder keeps it until SIGINT/SIGTERM (blocked once it holds, taken by
 *         sigtimedwait(2)) or -t seconds. -c count: what a lock is for: count
 *         times read the number in file, add one, write it back, under the lock;
 *         several at once add up, and with -u (no lock) updates are lost.
 *         The lock belongs to the open file description (shared after fork or
 *         dup, not by a second open). The file is never removed: a waiter would
 *         lock a file nobody else can open. Advisory only. BSD's call, not
 *         POSIX (fcntl_lock has POSIX's); Linux keeps the two kinds apart.
 * Beyond: lockfile (SYS "Lock Files"); TLPI 55.2, APUE 14.3. */
#define _DEFAULT_SOURCE      /* flock(2): BSD, not POSIX */
#define _FILE_OFFSET_BITS 64 /* 32-bit systems: 64-bit inode numbers in fstat */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *path;

static void usage(void)
{
    fprintf(stderr, "usage: flock_demo [-s] [-n] [-t seconds] file\n"
                    "       flock_demo -c count [-u] file\n");
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

/* The file to lock: made if missing; a FIFO or a folder is refused at once. */
static int open_file(void)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", path);
    return fd;
}

/* Take the lock; say so first when someone else has it and we wait. */
static void take(int fd, int op, int nowait)
{
    const char *kind = op == LOCK_SH ? "a shared" : "an exclusive";
    if (flock(fd, op | LOCK_NB) == 0)
        return;
    if (errno != EWOULDBLOCK)
        err(1, "flock %s", path);
    if (nowait)
        errx(1, "%s is locked by another process (EWOULDBLOCK): not waiting", path);
    printf("flock_demo: pid %ld waiting for %s lock on %s\n", (long)getpid(), kind, path);
    fflush(stdout);
    if (flock(fd, op) == -1) /* SIGINT/SIGTERM here: their default action */
        err(1, "flock %s", path);
}

/* -c: count read-add-write rounds on the number in the file. */
static void count_up(int fd, long count, int unlocked)
{
    char text[32];
    long value = 0;
    for (long i = 0; i < count; i++) {
        if (!unlocked && flock(fd, LOCK_EX) == -1)
            err(1, "flock %s", path);
        ssize_t n = pread(fd, text, sizeof text - 1, 0);
        if (n == -1)
            err(1, "read %s", path);
        text[n] = '\0';
        value = strtol(text, NULL, 10) + 1; /* an empty file counts as 0 */
        int len = snprintf(text, sizeof text, "%ld\n", value);
        if (pwrite(fd, text, (size_t)len, 0) != len)
            err(1, "write %s", path);
        if (!unlocked && flock(fd, LOCK_UN) == -1)
            err(1, "flock %s", path);
    }
    printf("flock_demo: pid %ld added %ld %s; the file said %ld after its last\n",
           (long)getpid(), count, unlocked ? "without the lock" : "under the lock",
           value);
}

int main(int argc, char *argv[])
{
    long seconds = -1, count = 0;
    int opt, op = LOCK_EX, nowait = 0, unlocked = 0;
    sigset_t stops;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "snt:c:u")) != -1) {
        if (opt == 's')
            op = LOCK_SH;
        else if (opt == 'n')
            nowait = 1;
        else if (opt == 't')
            seconds = number(optarg, 0, 86400);
        else if (opt == 'c')
            count = number(optarg, 1, 100000000);
        else if (opt == 'u')
            unlocked = 1;
        else
            usage();
    }
    if (argc - optind != 1 || (unlocked && count == 0) ||
        (count > 0 && (op != LOCK_EX || nowait || seconds >= 0)))
        usage();
    path = argv[optind];
    int fd = open_file();
    if (count > 0) {
        count_up(fd, count, unlocked);
        return 0;
    }

    take(fd, op, nowait);
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");
    printf("flock_demo: pid %ld holds %s lock on %s\n", (long)getpid(),
           op == LOCK_SH ? "a shared" : "an exclusive", path);
    fflush(stdout);
    struct timespec limit = {seconds, 0};
    if (sigtimedwait(&stops, NULL, seconds < 0 ? NULL : &limit) == -1 && errno != EAGAIN)
        err(1, "sigtimedwait");
    if (flock(fd, LOCK_UN) == -1) /* close() or exit would drop it too */
        err(1, "flock %s", path);
    printf("flock_demo: pid %ld released %s\n", (long)getpid(), path);
    return 0;
}
