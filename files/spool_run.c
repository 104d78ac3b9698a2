/* spool_run.c -- a spool folder's daemon: runs each job in order, then removes it.
 * Usage:  spool_run [-e] [-w ms] spooldir
 * Shows:  a spool folder as a queue that outlives its processes (spool_submit
 *         fills it): scandir(3) lists spooldir/new/ in name order, which is the
 *         order of submission; each job is processed (printed, after -w ms of
 *         pretend work) and only then unlink(2)ed. It looks again every 100 ms
 *         until SIGINT or SIGTERM ends it (-e: until new/ is empty). Killed
 *         mid-job, it loses nothing: the job is still in new/ for the next run
 *         (at least once: a kill between printing and unlink runs it twice).
 *         Its limit: one daemon per folder, or two run the same job
 *         (spool_workers shares a folder among many).
 * Mirrors: SYS "Spool Folders". */
#define _POSIX_C_SOURCE 200809L /* scandir, alphasort, nanosleep */

#include <dirent.h>
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: spool_run [-e] [-w ms] spooldir\n");
    exit(2);
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
    nanosleep(&t, NULL);
}

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Process one job: print its text, then remove it. */
static void run_job(const char *dir, const char *name, long ms)
{
    char path[PATH_MAX];
    int c, last = '\n';
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        errx(1, "%s/%s: name too long", dir, name);
    printf("working on %s\n", name);
    fflush(stdout);
    pause_ms(ms);
    FILE *job = fopen(path, "r");
    if (job == NULL)
        err(1, "open %s", path);
    printf("done %s: ", name);
    while ((c = getc(job)) != EOF)
        putchar(last = c);
    if (ferror(job))
        err(1, "read %s", path);
    fclose(job);
    if (last != '\n')
        putchar('\n');
    fflush(stdout);
    if (unlink(path) == -1) /* a kill before this line: the job runs again */
        err(1, "unlink %s", path);
}

/* One look at new/: run the jobs there in name order; how many there were. */
static int run_all(const char *dir, long ms)
{
    struct dirent **jobs;
    int n = scandir(dir, &jobs, not_hidden, alphasort);
    if (n == -1)
        err(1, "scandir %s", dir);
    for (int i = 0; i < n; i++) {
        run_job(dir, jobs[i]->d_name, ms);
        free(jobs[i]);
    }
    free(jobs);
    return n;
}

int main(int argc, char *argv[])
{
    char dir[PATH_MAX], *end;
    long ms = 0, done = 0;
    int opt, n, until_empty = 0;
    struct stat st;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "ew:")) != -1) {
        if (opt == 'e')
            until_empty = 1;
        else if (opt != 'w')
            usage();
        else if ((ms = strtol(optarg, &end, 10)) < 0 || ms > 3600000 || *optarg == '\0' ||
                 *end != '\0')
            usage();
    }
    if (argc - optind != 1)
        usage();
    if (snprintf(dir, sizeof dir, "%s/new", argv[optind]) >= (int)sizeof dir)
        errx(1, "%s: name too long", argv[optind]);
    if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
        errx(1, "%s is not a spool folder (no new/ in it; spool_submit makes one)",
             argv[optind]);
    printf("spool_run: pid %ld working on %s\n", (long)getpid(), argv[optind]);
    fflush(stdout);

    while ((n = run_all(dir, ms)) > 0 || !until_empty) {
        done += n;
        if (n == 0)
            pause_ms(100); /* nothing queued: look again soon */
    }
    printf("spool_run: pid %ld processed %ld job(s)\n", (long)getpid(), done);
    return 0;
}
