/* spool_run.c -- a spool folder's daemon: runs each job in order, then removes it.
 * Usage:  spool_run [-e] [-w ms] spooldir
 * Shows:  a spool folder as a queue that outlives its processes (spool_submit
 *         fills it): scandir(3) lists spooldir/new/ in name order, which is the
 *         order of submission; each job is processed (printed, after -w ms of
 *         pretend work) and only then unlink(2)ed. It looks again every 100 ms
 *         until SIGINT or SIGTERM ends it (-e: until a look finds no job).
 *         Killed mid-job, it loses nothing: the job stays in new/ (at least once:
 *         a kill between printing and unlink runs it twice). What is no job (a
 *         FIFO, a folder, a link) is reported and set aside as new/.NAME.
 *         Its limit: one daemon per folder (two run the same job).
 * Mirrors: SYS "Spool Folders". */
#define _POSIX_C_SOURCE 200809L /* scandir, alphasort, O_NOFOLLOW */
#define _FILE_OFFSET_BITS 64    /* 32-bit systems: big files, 64-bit inode numbers */

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Not hidden (set aside), no control byte in the name (never printed raw). */
static int listed(const struct dirent *d)
{
    const char *p = d->d_name;
    while (*p != '\0' && !iscntrl((unsigned char)*p))
        p++;
    return d->d_name[0] != '.' && *p == '\0';
}

/* Process one job: print its text, then remove it. 1 if it was a job. */
static int run_job(const char *dir, const char *name, long ms)
{
    char path[PATH_MAX], aside[PATH_MAX];
    int c, last = '\n';
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
        snprintf(aside, sizeof aside, "%s/.%s", dir, name) >= (int)sizeof aside)
        errx(1, "%s/%s: name too long", dir, name);
    /* O_NONBLOCK: open would wait for a FIFO's writer; O_NOFOLLOW: no links. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    FILE *job = NULL;
    if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
        (job = fdopen(fd, "r")) == NULL) {
        warnx("%s is no job (a FIFO, a folder, a link?): set aside as .%s", name, name);
        if (rename(path, aside) == -1)
            warn("rename %s", path);
        close(fd); /* if it was opened */
        return 0;
    }
    printf("working on %s\n", name);
    fflush(stdout);
    poll(NULL, 0, (int)ms); /* pretend work: poll on no descriptor is a sleep */
    printf("done %s: ", name);
    while ((c = getc(job)) != EOF) /* the writer's control bytes: '?' */
        putchar(last = iscntrl(c) && c != '\n' ? '?' : c);
    if (ferror(job))
        err(1, "read %s", path);
    fclose(job);
    if (last != '\n')
        putchar('\n');
    fflush(stdout);
    if (unlink(path) == -1) /* a kill before this line: the job runs again */
        err(1, "unlink %s", path);
    return 1;
}

/* One look at new/: run the jobs there in name order; how many it ran. */
static int run_all(const char *dir, long ms)
{
    struct dirent **jobs;
    int n = scandir(dir, &jobs, listed, alphasort), done = 0;
    if (n == -1)
        err(1, "scandir %s", dir);
    for (int i = 0; i < n; i++) {
        done += run_job(dir, jobs[i]->d_name, ms);
        free(jobs[i]);
    }
    free(jobs);
    return done;
}

int main(int argc, char *argv[])
{
    char dir[PATH_MAX], *end = "";
    long ms = 0, done = 0;
    int opt, n, until_empty = 0;
    struct stat st;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "ew:")) != -1) {
        if (opt == 'e')
            until_empty = 1;
        else
            ms = opt == 'w' && *optarg != '\0' ? strtol(optarg, &end, 10) : -1;
    }
    if (argc - optind != 1 || ms < 0 || ms > 3600000 || *end != '\0') {
        fprintf(stderr, "usage: spool_run [-e] [-w ms] spooldir\n");
        return 2;
    }
    if (snprintf(dir, sizeof dir, "%s/new", argv[optind]) >= (int)sizeof dir ||
        stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
        errx(1, "%s is not a spool folder (no new/ in it; spool_submit makes one)",
             argv[optind]);
    printf("spool_run: pid %ld working on %s\n", (long)getpid(), argv[optind]);
    fflush(stdout);

    while ((n = run_all(dir, ms)) > 0 || !until_empty) {
        done += n;
        if (n == 0)
            poll(NULL, 0, 100); /* nothing queued: look again soon */
    }
    printf("spool_run: pid %ld processed %ld job(s)\n", (long)getpid(), done);
    return 0;
}
