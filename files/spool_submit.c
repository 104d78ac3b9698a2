/* spool_submit.c -- put a job into a spool folder, whole or not at all.
 * Usage:  spool_submit [-d ms] spooldir text
 * Shows:  a job written under spooldir/tmp/ and only then rename(2)d into
 *         spooldir/new/: rename is atomic, so a worker (spool_run) listing new/
 *         sees a whole job or none, never half of one. The job is the text (one
 *         line); its name, the time and the pid, sorts in submission order and
 *         never clashes. Makes the folders if missing. -d ms pauses halfway
 *         through writing, so the half job can be seen sitting in tmp/.
 *         SIGINT or SIGTERM before the rename: the half job is removed. Both
 *         stay blocked, and sigtimedwait(2) looks for them where they count.
 * Mirrors: SYS "Spool Folders". */
#define _POSIX_C_SOURCE 200809L /* sigtimedwait, clock_gettime, fsync, getopt */
#define _FILE_OFFSET_BITS 64    /* 32-bit systems: 64-bit inode numbers, big files */

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

static sigset_t stops; /* SIGINT, SIGTERM */

static void make_dir(const char *spool, const char *sub)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s%s", spool, sub) >= (int)sizeof path)
        errx(1, "%s: name too long", spool);
    struct stat st; /* an existing FIFO or file in its place is refused at once */
    if (mkdir(path, 0700) == -1 &&
        (errno != EEXIST || stat(path, &st) == -1 || !S_ISDIR(st.st_mode)))
        err(1, "mkdir %s", path);
}

static void write_all(int fd, const char *buf, size_t len, const char *path)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n == -1)
            err(1, "write %s", path);
        buf += n;
        len -= (size_t)n;
    }
}

/* Wait up to ms for SIGINT or SIGTERM (also one that came earlier: it has
 * waited, pending, since); 1 if one came. */
static int stopped(long ms)
{
    struct timespec limit = {ms / 1000, ms % 1000 * 1000000L};
    return sigtimedwait(&stops, NULL, &limit) != -1;
}

/* Write the job under tmp/, then rename it into new/. */
static void submit(const char *spool, const char *text, long delay_ms)
{
    char name[96], tmp[PATH_MAX], final[PATH_MAX];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(name, sizeof name, "%010lld.%09ld.%ld", (long long)now.tv_sec, now.tv_nsec,
             (long)getpid());
    if (snprintf(tmp, sizeof tmp, "%s/tmp/%s", spool, name) >= (int)sizeof tmp ||
        snprintf(final, sizeof final, "%s/new/%s", spool, name) >= (int)sizeof final)
        errx(1, "%s: name too long", spool);

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd == -1)
        err(1, "open %s", tmp);
    size_t len = strlen(text), half = len / 2;
    write_all(fd, text, half, tmp);
    int stop = stopped(delay_ms); /* -d: no worker sees the half job meanwhile */
    write_all(fd, text + half, len - half, tmp);
    write_all(fd, "\n", 1, tmp);
    if (fsync(fd) == -1 || close(fd) == -1) /* on disk before it is visible */
        err(1, "write %s", tmp);
    if (stop || stopped(0)) {
        if (unlink(tmp) == -1)
            err(1, "unlink %s", tmp);
        errx(1, "stopped by a signal: the job was not submitted");
    }
    if (rename(tmp, final) == -1)
        err(1, "rename %s to %s", tmp, final);
    printf("submitted %s\n", name);
}

int main(int argc, char *argv[])
{
    long delay_ms = 0;
    char *end = "";
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "d:")) != -1)
        delay_ms = opt == 'd' && *optarg != '\0' ? strtol(optarg, &end, 10) : -1;
    if (argc - optind != 2 || *end != '\0' || delay_ms < 0 || delay_ms > 3600000) {
        fprintf(stderr, "usage: spool_submit [-d ms] spooldir text\n");
        return 2;
    }
    const char *spool = argv[optind];
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");
    make_dir(spool, "");
    make_dir(spool, "/tmp");
    make_dir(spool, "/new");
    submit(spool, argv[optind + 1], delay_ms);
    return 0;
}
