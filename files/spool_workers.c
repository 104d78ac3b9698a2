/* spool_workers.c -- many workers share one spool folder; each job runs at least once.
 * Usage:  spool_workers [-e] [-n count] [-w ms] spooldir
 * Shows:  spool_run's queue with any number of workers. A worker claims a job
 *         by rename(2)ing it from spooldir/new/ into its own spooldir/work/PID/:
 *         of several workers, exactly one rename succeeds, the others get ENOENT.
 *         The job is processed (printed, after -w ms of pretend work), removed.
 *         A worker killed mid-job loses nothing: the next one to start moves the
 *         jobs of every dead PID back into new/. So a job runs at least once, and
 *         twice if a worker dies between printing and removing it (exactly once
 *         needs work and removal in one atomic step). No job (a FIFO, a folder, a
 *         link) is set aside as new/.NAME; control bytes are never printed. On
 *         SIGINT/SIGTERM (blocked, taken by sigtimedwait(2)) the job goes back;
 *         -e ends when new/ is empty, -n after count jobs.
 * Beyond: spool_run (SYS "Spool Folders"). */
#define _POSIX_C_SOURCE 200809L /* scandir, sigtimedwait, O_NOFOLLOW */
#define _FILE_OFFSET_BITS 64    /* 32-bit systems: big files, 64-bit inode numbers */

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static sigset_t stops; /* SIGINT, SIGTERM: blocked all along */
static int stop;       /* one of them came */
static const char *spool;
static char my_work[PATH_MAX]; /* spooldir/work/PID */

static void usage(void)
{
    fprintf(stderr, "usage: spool_workers [-e] [-n count] [-w ms] spooldir\n");
    exit(2);
}

static long number(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
        usage(); /* never clamped: 99999999999999999999 is refused */
    return n;
}

/* Wait up to ms for SIGINT or SIGTERM (or take one pending since); note it. */
static void wait_ms(long ms)
{
    struct timespec limit = {ms / 1000, ms % 1000 * 1000000L};
    if (!stop && sigtimedwait(&stops, NULL, &limit) != -1)
        stop = 1;
}

static void path_of(char *buf, const char *a, const char *b, const char *c)
{
    if (snprintf(buf, PATH_MAX, "%s/%s/%s", a, b, c) >= PATH_MAX)
        errx(1, "%s/%s/%s: name too long", a, b, c);
}

/* Not hidden (set aside), no control byte in the name (never printed raw). */
static int listed(const struct dirent *d)
{
    const char *p = d->d_name;
    while (*p != '\0' && !iscntrl((unsigned char)*p))
        p++;
    return d->d_name[0] != '.' && *p == '\0';
}

/* The entries of dir in name order (= submission order); *n of them. */
static struct dirent **list(const char *dir, int *n)
{
    struct dirent **names = NULL;
    *n = scandir(dir, &names, listed, alphasort);
    if (*n == -1 && errno != ENOTDIR) /* ENOTDIR: a stranger's file in work/ */
        err(1, "scandir %s", dir);
    return names;
}

/* Move every job of one worker's folder back into new/. */
static void requeue_all(const char *worker_dir, const char *owner)
{
    char from[PATH_MAX], to[PATH_MAX];
    int n;
    struct dirent **jobs = list(worker_dir, &n);
    for (int i = 0; i < n; i++) {
        path_of(from, worker_dir, ".", jobs[i]->d_name);
        path_of(to, spool, "new", jobs[i]->d_name);
        /* ENOENT: another starting worker requeued it first. */
        if (rename(from, to) == 0)
            printf("requeued %s from worker %s\n", jobs[i]->d_name, owner);
        else if (errno != ENOENT)
            err(1, "rename %s", from);
        free(jobs[i]);
    }
    free(jobs);
}

/* On start: the jobs of workers that died (work/PID with PID gone) and any
 * left in a folder with our own pid (a dead namesake's) go back into new/. */
static void recover(void)
{
    char dir[PATH_MAX], work[PATH_MAX];
    int n;
    snprintf(work, sizeof work, "%s/work", spool);
    struct dirent **owners = list(work, &n);
    for (int i = 0; i < n; i++) {
        char *end;
        long pid = strtol(owners[i]->d_name, &end, 10);
        path_of(dir, spool, "work", owners[i]->d_name);
        if (*end == '\0' && pid > 0 &&
            (pid == (long)getpid() || (kill((pid_t)pid, 0) == -1 && errno == ESRCH))) {
            requeue_all(dir, owners[i]->d_name);
            if (pid != (long)getpid() && rmdir(dir) == -1 && errno != ENOENT &&
                errno != ENOTEMPTY && errno != ENOTDIR)
                err(1, "rmdir %s", dir);
        }
        free(owners[i]);
    }
    free(owners);
}

/* Claim, process, remove one job. 1 if done, else 0 (taken by another, no job). */
static int run_job(const char *name, long ms)
{
    char queued[PATH_MAX], claimed[PATH_MAX], aside[PATH_MAX];
    struct stat st;
    FILE *job = NULL;
    int c, last = '\n';
    path_of(queued, spool, "new", name);
    path_of(claimed, my_work, ".", name);
    if (rename(queued, claimed) == -1) {
        if (errno == ENOENT)
            return 0; /* another worker's rename won */
        err(1, "rename %s", queued);
    }
    /* O_NONBLOCK: open would wait for a FIFO's writer; O_NOFOLLOW: no links. */
    int fd = open(claimed, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
        (job = fdopen(fd, "r")) == NULL) {
        warnx("%s is no job (a FIFO, a folder, a link?): set aside as .%s", name, name);
        if (snprintf(aside, sizeof aside, "%s/new/.%s", spool, name) >= PATH_MAX ||
            rename(claimed, aside) == -1)
            err(1, "rename %s", claimed);
        close(fd); /* if it was opened */
        return 0;
    }
    printf("working on %s\n", name);
    fflush(stdout);
    wait_ms(ms);
    if (!stop) { /* the processing; a kill from here to the unlink runs it again */
        printf("done %s: ", name);
        while ((c = getc(job)) != EOF) /* control bytes: '?', never raw */
            putchar(last = iscntrl(c) && c != '\n' ? '?' : c);
        if (ferror(job))
            err(1, "read %s", claimed);
        if (last != '\n')
            putchar('\n');
        fflush(stdout);
    }
    fclose(job);
    if (!stop && unlink(claimed) == -1)
        err(1, "unlink %s", claimed);
    if (stop && rename(claimed, queued) == -1) /* interrupted: the job goes back */
        err(1, "rename %s", claimed);
    if (stop)
        printf("put %s back\n", name);
    return !stop;
}

/* One pass over new/; returns how many jobs it listed. */
static int one_pass(long *done, long count, long ms)
{
    char dir[PATH_MAX];
    int n;
    snprintf(dir, sizeof dir, "%s/new", spool);
    struct dirent **jobs = list(dir, &n);
    for (int i = 0; i < n; i++) {
        if (!stop && (count < 0 || *done < count))
            *done += run_job(jobs[i]->d_name, ms);
        free(jobs[i]);
    }
    free(jobs);
    return n;
}

/* Block the stop signals; make work/ (spool_submit does not) and work/PID/. */
static void setup(void)
{
    char dir[PATH_MAX], pid[24];
    struct stat st;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) == -1)
        err(1, "sigprocmask");
    path_of(dir, spool, "new", "");
    if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
        errx(1, "%s is not a spool folder (no new/; spool_submit makes one)", spool);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    path_of(dir, spool, "work", "");
    path_of(my_work, spool, "work", pid);
    if (mkdir(dir, 0700) == -1 && errno != EEXIST)
        err(1, "mkdir %s", dir);
    if (mkdir(my_work, 0700) == -1 && errno != EEXIST)
        err(1, "mkdir %s", my_work);
}

int main(int argc, char *argv[])
{
    long count = -1, ms = 0, done = 0;
    int opt, until_empty = 0;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "en:w:")) != -1) {
        if (opt == 'e')
            until_empty = 1;
        else if (opt == 'n')
            count = number(optarg, 1, LONG_MAX);
        else if (opt == 'w')
            ms = number(optarg, 0, 3600000);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    spool = argv[optind];

    setup();
    printf("spool_workers: pid %ld working on %s\n", (long)getpid(), spool);
    fflush(stdout);
    recover();
    while (!stop && (count < 0 || done < count)) {
        if (one_pass(&done, count, ms) <= 0) {
            if (until_empty)
                break;
            wait_ms(100); /* nothing queued: look again soon */
        }
    }
    if (rmdir(my_work) == -1)
        err(1, "rmdir %s", my_work);
    printf("spool_workers: pid %ld processed %ld job(s)\n", (long)getpid(), done);
    return 0;
}
