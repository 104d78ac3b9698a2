/* lockfile.c -- a lock file: one holder at a time, made with O_CREAT|O_EXCL.
 * Usage:  lockfile lockpath
 * Shows:  open(2) with O_CREAT|O_EXCL as an atomic "create if absent": of the
 *         processes that try at once, exactly one creates the file, and the
 *         others get EEXIST and are refused, naming the holder (it writes its
 *         pid into the file). The holder keeps the lock until SIGINT or SIGTERM,
 *         then removes it. Both signals stay blocked and sigwait(3) takes them,
 *         so one that comes before the wait is not missed.
 *         Its limit: a holder that dies without removing the lock (kill -9, a
 *         crash) leaves it behind, and every later instance is refused; this
 *         one at least says that the holder is gone. stale_lock takes such a
 *         lock over, safely.
 * Mirrors: SYS "Lock Files". */
#define _POSIX_C_SOURCE 200809L /* sigwait, kill */
#define _FILE_OFFSET_BITS 64    /* 32-bit systems: 64-bit inode numbers in fstat */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* EEXIST: the lock is held. Say by whom: the pid in the file. */
static void refuse(const char *path)
{
    char text[32], *end;
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO's open would wait */
    if (fd == -1 && errno == ENOENT)
        errx(1, "%s was released just now: try again", path);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
        errx(1, "%s exists and is not a regular file: not a lock", path);
    ssize_t n = read(fd, text, sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    long pid = strtol(text, &end, 10);
    if (end == text || (*end != '\n' && *end != '\0') || pid < 1 || pid > INT_MAX)
        errx(1, "%s does not hold a pid: not a lock of this program?", path);
    if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
        errx(1, "%s is held by pid %ld, which is gone: a stale lock", path, pid);
    errx(1, "%s is held by pid %ld: try again later", path, pid);
}

int main(int argc, char *argv[])
{
    char text[32];
    sigset_t stops;
    int sig;

    if (argc != 2 || argv[1][0] == '-') { /* -h, --help: no lock named so */
        fprintf(stderr, "usage: lockfile lockpath\n");
        return 2;
    }
    const char *path = argv[1];
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd == -1 && errno == EEXIST)
        refuse(path);
    if (fd == -1)
        err(1, "open %s", path);
    int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (write(fd, text, (size_t)len) != len || close(fd) == -1) {
        warn("write %s", path);
        unlink(path);
        exit(1);
    }
    printf("lockfile: pid %ld holds %s\n", (long)getpid(), path);
    fflush(stdout);

    if (sigwait(&stops, &sig) != 0) /* until SIGINT or SIGTERM */
        errx(1, "sigwait failed");
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("lockfile: pid %ld released %s\n", (long)getpid(), path);
    return 0;
}
