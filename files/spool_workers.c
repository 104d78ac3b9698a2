/* spool_workers.c -- many workers share one spool folder; each job runs once.
 * Usage:  spool_workers [-e] [-n count] [-w ms] spooldir
 * Shows:  spool_run's queue (spool_submit fills it) with any number of
 *         workers at once. A worker claims a job by rename(2)ing it from
 *         spooldir/new/ into its own spooldir/work/PID/: of several workers,
 *         exactly one rename succeeds, the others get ENOENT and move on. The
 *         job is "processed" (printed, after -w ms of pretend work) and removed.
 *         A worker killed mid-job loses nothing: its job waits in work/PID/,
 *         and the next worker to start moves the jobs of every dead PID back
 *         into new/. On SIGINT/SIGTERM (kept blocked, taken by sigtimedwait(2))
 *         a worker puts its current job back itself. Runs until stopped; -e
 *         ends when new/ is empty, -n after count jobs.
 * Beyond: spool_run (SYS "Spool Folders"). */
#define _POSIX_C_SOURCE 200809L /* scandir, sigtimedwait */

#include <dirent.h>
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
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return n;
}

/* Wait up to ms for SIGINT or SIGTERM (also one that came earlier: it has
 * waited, pending, since); a stop is remembered in stop. */
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

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* The entries of dir, in name order (= submission order); *n of them. */
static struct dirent **list(const char *dir, int *n)
{
    struct dirent **names;
    *n = scandir(dir, &names, not_hidden, alphasort);
    if (*n == -1)
        err(1, "scandir %s", dir);
    return names;
}

static int alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
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
    fflush(stdout);
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
        if (*end == '\0' && pid > 0 && (pid == (long)getpid() || !alive(pid))) {
            requeue_all(dir, owners[i]->d_name);
            if (pid != (long)getpid() && rmdir(dir) == -1 && errno != ENOENT &&
                errno != ENOTEMPTY)
                err(1, "rmdir %s", dir);
        }
        free(owners[i]);
    }
    free(owners);
}

/* Print the job's text: the "processing". */
static void print_job(const char *name, const char *path)
{
    char buf[4096];
    ssize_t n, last = '\n';
    int fd = open(path, O_RDONLY);
    if (fd == -1)
        err(1, "open %s", path);
    printf("done %s: ", name);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t)n, stdout);
        last = buf[n - 1];
    }
    if (n == -1)
        err(1, "read %s", path);
    close(fd);
    if (last != '\n')
        putchar('\n');
    fflush(stdout);
}

/* Claim, process, remove one job. 1 if done, 0 if another worker took it. */
static int run_job(const char *name, long ms)
{
    char queued[PATH_MAX], claimed[PATH_MAX];
    path_of(queued, spool, "new", name);
    path_of(claimed, my_work, ".", name);
    if (rename(queued, claimed) == -1) {
        if (errno == ENOENT)
            return 0; /* another worker's rename won */
        err(1, "rename %s", queued);
    }
    printf("working on %s\n", name);
    fflush(stdout);
    wait_ms(ms);
    if (stop) { /* interrupted: the job goes back, unfinished */
        if (rename(claimed, queued) == -1)
            err(1, "rename %s", claimed);
        printf("put %s back\n", name);
        return 0;
    }
    /* A kill between these two lines would run the job twice: at least once. */
    print_job(name, claimed);
    if (unlink(claimed) == -1)
        err(1, "unlink %s", claimed);
    return 1;
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
        errx(1, "%s is not a spool folder (no new/ in it; spool_submit makes one)",
             spool);
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
        if (one_pass(&done, count, ms) == 0) {
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
