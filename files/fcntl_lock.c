/* fcntl_lock.c -- fcntl(2) record locks: byte ranges, who holds them, a deadlock found.
 * Usage:  fcntl_lock [-s] [-n] [-l] [-c] [-r start,len] [-t seconds] file
 *         fcntl_lock -D file
 * Shows:  F_SETLKW on a byte range of file (made, 0600, if missing): a write
 *         lock, or -s a read lock that readers share. -r start,len (default
 *         0,0: len 0 runs to the end of the file, however far it grows); ranges
 *         that do not overlap are held at once. A locker that finds its range
 *         taken asks F_GETLK who holds it (l_pid), says so, and waits; -n:
 *         F_SETLK, refused at once. -l: the same lock through lockf(3) (write
 *         locks only; on Linux the very same locks). The holder keeps it until
 *         SIGINT/SIGTERM (blocked once it holds, taken by sigtimedwait) or -t.
 *         -c: the classic mistake: open and close the file once more after
 *         locking: closing ANY descriptor of the file drops the process's locks.
 *         -D: the parent locks byte 0, its child byte 1, then each asks for the
 *         other's: the kernel fails the request that closes the cycle with
 *         EDEADLK; that one gives its byte up, the other gets both.
 *         POSIX. Unlike flock: the locks belong to the process (a fork child
 *         inherits none); like it, they die with their holder. Advisory only.
 * Beyond: lockfile (SYS "Lock Files"); TLPI 55.3, APUE 14.3. */
#define _XOPEN_SOURCE 700    /* lockf(3) is XSI; fcntl locks, sigtimedwait */
#define _FILE_OFFSET_BITS 64 /* 32-bit systems: ranges and files past 2 GiB */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *path;
static int use_lockf, nowait;

static void usage(void)
{
    fprintf(stderr,
            "usage: fcntl_lock [-s] [-n] [-l] [-c] [-r start,len] [-t seconds] file\n"
            "       fcntl_lock -D file\n");
    exit(2);
}

static long long number(const char *s, char stop_at, long long max)
{
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != stop_at || errno != 0 || n > max)
        usage();
    return n;
}

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

/* "bytes 0-9", or "bytes 10-" when the range runs to the end of the file. */
static const char *range(const struct flock *fl)
{
    static char text[64];
    if (fl->l_len == 0)
        snprintf(text, sizeof text, "bytes %lld-", (long long)fl->l_start);
    else
        snprintf(text, sizeof text, "bytes %lld-%lld", (long long)fl->l_start,
                 (long long)(fl->l_start + fl->l_len - 1));
    return text;
}

/* One try without waiting: F_SETLK, or lockf's F_TLOCK. 0 if we hold it now. */
static int try_lock(int fd, struct flock *fl)
{
    if (use_lockf) {
        if (lseek(fd, fl->l_start, SEEK_SET) == -1)
            err(1, "lseek %s", path);
        return lockf(fd, F_TLOCK, fl->l_len);
    }
    return fcntl(fd, F_SETLK, fl);
}

/* Take the lock; when it is taken, name the holder first (F_GETLK), then wait. */
static void take(int fd, struct flock *fl)
{
    struct flock who = *fl;
    if (try_lock(fd, fl) == 0)
        return;
    if (errno != EAGAIN && errno != EACCES) /* POSIX allows either for "taken" */
        err(1, "lock %s", path);
    if (fcntl(fd, F_GETLK, &who) == -1)
        err(1, "F_GETLK %s", path);
    if (who.l_type == F_UNLCK) /* released meanwhile */
        who.l_pid = 0;
    printf("fcntl_lock: %s of %s: %s lock held by pid %ld; %s\n", range(fl), path,
           who.l_type == F_RDLCK ? "a read" : "a write", (long)who.l_pid,
           nowait ? "not waiting" : "waiting");
    fflush(stdout);
    if (nowait)
        exit(1);
    if ((use_lockf ? lockf(fd, F_LOCK, fl->l_len) : fcntl(fd, F_SETLKW, fl)) == -1)
        err(1, "lock %s", path); /* SIGINT/SIGTERM here: their default action */
}

/* -D: lock byte `mine`, then ask for byte `theirs`, which the other holds. */
static void ask_for(int fd, const char *who, int theirs)
{
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = theirs, .l_len = 1};
    if (fcntl(fd, F_SETLKW, &fl) == 0) {
        printf("%s %ld: got byte %d too: holds bytes 0 and 1\n", who, (long)getpid(),
               theirs);
        return;
    }
    if (errno != EDEADLK)
        err(1, "F_SETLKW %s", path);
    fl.l_type = F_UNLCK;
    fl.l_start = !theirs;
    printf("%s %ld: F_SETLKW on byte %d: EDEADLK, the kernel found the deadlock; "
           "giving up byte %d\n",
           who, (long)getpid(), theirs, !theirs);
    fflush(stdout);
    if (fcntl(fd, F_SETLK, &fl) == -1)
        err(1, "F_SETLK %s", path);
}

static void deadlock(int fd)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    int ready[2], status;
    char c = 0;
    if (fcntl(fd, F_SETLKW, &fl) == -1 || pipe(ready) == -1)
        err(1, "F_SETLKW or pipe");
    printf("parent %ld: holds byte 0\n", (long)getpid());
    fflush(stdout);
    pid_t pid = fork(); /* the child inherits the descriptor, not the lock */
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        fl.l_start = 1;
        if (fcntl(fd, F_SETLKW, &fl) == -1 || write(ready[1], &c, 1) != 1) {
            warn("child");
            _exit(1);
        }
        printf("child %ld: holds byte 1\n", (long)getpid());
        fflush(stdout);
        ask_for(fd, "child", 0);
        fflush(stdout);
        _exit(0); /* and its locks go with it */
    }
    if (read(ready[0], &c, 1) != 1)
        errx(1, "the child died before locking byte 1");
    ask_for(fd, "parent", 1);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "the child failed");
}

int main(int argc, char *argv[])
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    long long seconds = -1;
    int opt, demo_deadlock = 0, close_another = 0;
    sigset_t stops;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "snlcr:t:D")) != -1) {
        if (opt == 's')
            fl.l_type = F_RDLCK;
        else if (opt == 'n')
            nowait = 1;
        else if (opt == 'l')
            use_lockf = 1;
        else if (opt == 'c')
            close_another = 1;
        else if (opt == 'D')
            demo_deadlock = 1;
        else if (opt == 'r') {
            fl.l_start = number(optarg, ',', (1LL << 40));
            fl.l_len = number(strchr(optarg, ',') + 1, '\0', (1LL << 40));
        } else if (opt == 't')
            seconds = number(optarg, '\0', 86400);
        else
            usage();
    }
    if (argc - optind != 1 || (use_lockf && fl.l_type == F_RDLCK) ||
        (demo_deadlock && argc != 3))
        usage();
    path = argv[optind];
    int fd = open_file();
    if (demo_deadlock) {
        deadlock(fd);
        return 0;
    }

    take(fd, &fl);
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");
    if (close_another && close(open_file()) == -1) /* the mistake: the lock goes */
        err(1, "close %s", path);
    printf("fcntl_lock: pid %ld holds %s of %s (%s lock%s)\n", (long)getpid(), range(&fl),
           path, fl.l_type == F_RDLCK ? "read" : "write",
           close_another ? ", or thinks so" : "");
    fflush(stdout);
    struct timespec limit = {(time_t)seconds, 0};
    if (sigtimedwait(&stops, NULL, seconds < 0 ? NULL : &limit) == -1 && errno != EAGAIN)
        err(1, "sigtimedwait");
    printf("fcntl_lock: pid %ld released %s of %s\n", (long)getpid(), range(&fl), path);
    return 0; /* exit releases the locks */
}
