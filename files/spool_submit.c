/* spool_submit.c -- put jobs into a spool folder, each one whole or not at all.
 * Usage:  spool_submit [-d ms] spooldir text
 * Shows:  a job is written under spooldir/tmp/ and only then rename(2)d into
 *         spooldir/new/: rename is atomic, so a worker (spool_run) listing
 *         new/ sees a complete job or none, never half of one. The job is
 *         the text (one line), named so that names sort in submission order
 *         and never clash (time, then pid). Creates the folders
 *         (tmp, new, work) if missing. -d ms pauses halfway through writing
 *         each job, so the half-written file can be seen sitting in tmp/.
 *         SIGINT or SIGTERM before the rename: the half job is removed.
 * Mirrors: SYS "spool folders" (files as IPC). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, pselect, fsync, sigaction */

#include "stop_sleep.h"

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

static long delay_ms; /* -d */
static volatile sig_atomic_t stop;

static void on_signal(int signo)
{
    (void)signo;
    stop = 1;
}

/* SIGINT/SIGTERM: finish the write, then remove the unsubmitted job. */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void usage(void)
{
    fprintf(stderr, "usage: spool_submit [-d ms] spooldir text\n");
    exit(2);
}

static void make_dir(const char *spool, const char *sub)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s%s", spool, sub) >= (int)sizeof path)
        errx(1, "%s: name too long", spool);
    if (mkdir(path, 0700) == -1 && errno != EEXIST)
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

/* Write the job under tmp/, then rename it into new/. */
static void submit(const char *spool, const char *text)
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
    stop_sleep(delay_ms, &stop); /* a worker must not see this half-job */
    write_all(fd, text + half, len - half, tmp);
    write_all(fd, "\n", 1, tmp);
    /* On the disk before it is visible, so a crash cannot leave an empty job. */
    if (fsync(fd) == -1)
        err(1, "fsync %s", tmp);
    if (close(fd) == -1)
        err(1, "close %s", tmp);
    if (stop) {
        if (unlink(tmp) == -1)
            err(1, "unlink %s", tmp);
        errx(1, "stopped by a signal: the job was not submitted");
    }
    if (rename(tmp, final) == -1)
        err(1, "rename %s to %s", tmp, final);
    printf("submitted %s\n", name);
    fflush(stdout);
}

int main(int argc, char *argv[])
{
    int opt;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "d:")) != -1) {
        if (opt != 'd')
            usage();
        errno = 0;
        delay_ms = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || errno || delay_ms < 0 ||
            delay_ms > 3600000)
            usage();
    }
    if (argc - optind != 2)
        usage();
    const char *spool = argv[optind];

    catch_signals();
    make_dir(spool, "");
    make_dir(spool, "/tmp");
    make_dir(spool, "/new");
    make_dir(spool, "/work");
    submit(spool, argv[optind + 1]);
    return 0;
}
