/* spool_watch.c -- spool_run's daemon, woken by inotify(7) instead of looking again and
 * again. Usage:  spool_watch [-n count] spooldir Shows:  inotify_init1(2) and
 * inotify_add_watch(2) on spooldir/new/ for IN_MOVED_TO (spool_submit's rename brings a
 * job in; IN_CREATE would never see it) and IN_CLOSE_WRITE (a file written there
 * directly). The watch is added BEFORE the first look at new/: a job that comes between
 * the two is seen by the look or by an event, never missed. An event only says "look
 * again": new/ is listed again, in name order, and every job there is run (printed) and
 * removed, as spool_run does; so events merged or dropped (IN_Q_OVERFLOW) lose no job
 * either. What is no job (a FIFO, a folder, a link) is reported and set aside as .NAME.
 *         Idle, it sleeps in ppoll(2) on the inotify descriptor and makes no
 *         system call, where spool_run wakes 10 times a second. SIGINT/SIGTERM
 *         stay blocked except inside ppoll, so one cannot slip in before the
 *         wait; -n ends it after count jobs.
 *         Linux only (inotify). The POSIX way is spool_run's: look again every
 *         so often; BSD and macOS have kqueue(2) with EVFILT_VNODE.
 * Beyond: spool_run (SYS "Spool Folders"); TLPI 19, inotify(7). */
#define _GNU_SOURCE          /* ppoll; inotify is Linux's own */
#define _FILE_OFFSET_BITS 64 /* 32-bit systems: big files, 64-bit inode numbers */

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_stop(int signo)
{
    (void)signo;
    stop = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: spool_watch [-n count] spooldir\n");
    exit(2);
}

/* Not hidden (set aside), no control byte in the name (never printed raw). */
static int listed(const struct dirent *d)
{
    const char *p = d->d_name;
    while (*p != '\0' && !iscntrl((unsigned char)*p))
        p++;
    return d->d_name[0] != '.' && *p == '\0';
}

/* Run one job as spool_run does: print it, then remove it. 1 if it was a job. */
static int run_job(const char *dir, const char *name)
{
    char path[PATH_MAX], aside[PATH_MAX];
    int c, last = '\n';
    struct stat st;
    FILE *job = NULL;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
        snprintf(aside, sizeof aside, "%s/.%s", dir, name) >= (int)sizeof aside)
        errx(1, "%s/%s: name too long", dir, name);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1 && errno == ENOENT)
        return 0; /* gone since the listing */
    if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
        (job = fdopen(fd, "r")) == NULL) {
        warnx("%s is no job (a FIFO, a folder, a link?): set aside as .%s", name, name);
        if (rename(path, aside) == -1)
            err(1, "rename %s", path);
        close(fd); /* if it was opened */
        return 0;
    }
    printf("done %s: ", name);
    while ((c = getc(job)) != EOF) /* the writer's control bytes: '?' */
        putchar(last = iscntrl(c) && c != '\n' ? '?' : c);
    if (ferror(job))
        err(1, "read %s", path);
    fclose(job);
    if (last != '\n')
        putchar('\n');
    fflush(stdout);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    return 1;
}

/* One look at new/: run the jobs there in name order, up to *left of them. */
static void run_all(const char *dir, long *left, long *done)
{
    struct dirent **jobs;
    int n = scandir(dir, &jobs, listed, alphasort);
    if (n == -1)
        err(1, "scandir %s", dir);
    for (int i = 0; i < n; i++) {
        if (*left != 0 && run_job(dir, jobs[i]->d_name)) {
            (*left)--;
            (*done)++;
        }
        free(jobs[i]);
    }
    free(jobs);
}

/* Sleep until new/ changes or a stop comes; read (and drop) the events. */
static void wait_for_events(int ino, const sigset_t *wait_mask, const char *dir)
{
    _Alignas(struct inotify_event) char buf[4096]; /* events are read whole */
    struct pollfd pfd = {.fd = ino, .events = POLLIN};
    if (ppoll(&pfd, 1, NULL, wait_mask) == -1) {
        if (errno == EINTR)
            return; /* SIGINT or SIGTERM: stop is set */
        err(1, "ppoll");
    }
    ssize_t n = read(ino, buf, sizeof buf);
    if (n == -1)
        err(1, "read inotify");
    for (char *p = buf; p < buf + n;) {
        const struct inotify_event *ev = (const struct inotify_event *)p;
        if (ev->mask & IN_IGNORED) /* the watch is gone: new/ was removed */
            errx(1, "%s was removed", dir);
        if (ev->mask & IN_Q_OVERFLOW)
            warnx("events were dropped (IN_Q_OVERFLOW): the next look finds the jobs");
        p += sizeof *ev + ev->len;
    }
}

int main(int argc, char *argv[])
{
    char dir[PATH_MAX];
    long left = -1, done = 0;
    int opt;
    char *end;
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: ppoll fails EINTR */
    sigset_t stops, wait_mask;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        errno = 0;
        left = opt == 'n' ? strtol(optarg, &end, 10) : 0;
        if (opt != 'n' || *optarg == '\0' || *end != '\0' || errno != 0 || left < 1)
            usage();
    }
    if (argc - optind != 1)
        usage();
    if (snprintf(dir, sizeof dir, "%s/new", argv[optind]) >= (int)sizeof dir)
        errx(1, "%s: name too long", argv[optind]);

    sigemptyset(&sa.sa_mask);
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, &wait_mask) == -1 ||
        sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int ino = inotify_init1(IN_CLOEXEC);
    if (ino == -1)
        err(1, "inotify_init1");
    /* IN_ONLYDIR: a FIFO or file in new/'s place is refused here, at once. */
    if (inotify_add_watch(ino, dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR) == -1)
        err(1, "%s is not a spool folder (spool_submit makes one): inotify_add_watch %s",
            argv[optind], dir);
    printf("spool_watch: pid %ld watching %s\n", (long)getpid(), dir);
    fflush(stdout);

    run_all(dir, &left, &done); /* what was queued before the watch began */
    while (!stop && left != 0) {
        wait_for_events(ino, &wait_mask, dir);
        if (!stop)
            run_all(dir, &left, &done);
    }
    printf("spool_watch: pid %ld processed %ld job(s)\n", (long)getpid(), done);
    return 0;
}
