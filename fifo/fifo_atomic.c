/* fifo_atomic.c -- several writers, one FIFO: do their records arrive whole?
 * Usage:  fifo_atomic [-w writers] [-r records] [-s size] fifo
 * Shows:  POSIX promises that a write(2) of at most PIPE_BUF bytes to a pipe or
 *         FIFO is atomic: its bytes are never mixed with another writer's. Each
 *         writer (a child) opens the FIFO by name and writes records of size
 *         bytes, all its own letter and a final '\n'; the reader (the parent)
 *         cuts the stream into records and counts the torn ones, those mixing
 *         two writers. At or under PIPE_BUF a torn record is a failure (status 1);
 *         above it the kernel promises nothing, and the program reports what it
 *         saw. Defaults: 4 writers, 1000 records each, size PIPE_BUF.
 * Mirrors: SYS "IPC Topics", named pipe atomicity; ALP 5.4.5's PIPE_BUF remark. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction, getopt, pselect */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WRITERS 26                 /* one letter each */
#define MAX_SIZE (1024L * 1024)        /* one record */
#define MAX_TOTAL (256L * 1024 * 1024) /* all records together */

static volatile sig_atomic_t stop;
static sigset_t wait_mask; /* the signal mask inside pselect: stop signals let in */
static const char *created; /* the FIFO, once this process has made it */

static void usage(void)
{
    fprintf(stderr, "usage: fifo_atomic [-w writers] [-r records] [-s size] fifo\n");
    exit(2);
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* SIGINT and SIGTERM stay blocked except inside pselect(), so a stop cannot
 * land between the reader's test of the flag and its wait, and be missed. */
static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: see EINTR */
    sigset_t stops;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, &wait_mask) == -1)
        err(1, "sigprocmask");
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
}

static void remove_fifo(void)
{
    if (created != NULL)
        unlink(created);
}

/* Make the FIFO. One that exists is in use if a reader has it open; if not,
 * it was left by a run that was killed, and is replaced. */
static void claim_fifo(const char *path)
{
    struct stat st;
    if (mkfifo(path, 0600) == -1) {
        if (errno != EEXIST)
            err(1, "mkfifo %s", path);
        if (lstat(path, &st) == -1)
            err(1, "%s", path);
        if (!S_ISFIFO(st.st_mode))
            errx(1, "%s exists and is not a FIFO; not touching it", path);
        int fd = open(path, O_WRONLY | O_NONBLOCK); /* ENXIO: nobody reads it */
        if (fd != -1) {
            close(fd);
            errx(1, "%s is in use", path);
        }
        if (errno != ENXIO)
            err(1, "open %s", path);
        if (unlink(path) == -1 || mkfifo(path, 0600) == -1)
            err(1, "replace stale %s", path);
    }
    created = path;
    if (atexit(remove_fifo) != 0)
        errx(1, "atexit failed");
}

/* A writer: open the FIFO by name, tell the parent (by closing the barrier
 * pipe), then write its records, each with one write(2). Never exit(): that
 * would run the parent's atexit and remove the FIFO. */
static void writer(const char *path, int barrier, char letter, long records, long size)
{
    struct sigaction sa = {.sa_handler = SIG_DFL};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL); /* the parent's stop flag is not ours */
    /* The mask was the parent's, stop signals blocked: let them in, and with
     * them a SIGTERM the parent sent before the line above. */
    sigprocmask(SIG_SETMASK, &wait_mask, NULL);
    char *rec = malloc((size_t)size);
    if (rec == NULL) {
        warn("malloc");
        _exit(1);
    }
    memset(rec, letter, (size_t)size - 1);
    rec[size - 1] = '\n';
    int fd = open(path, O_WRONLY); /* the parent already reads: no wait */
    if (fd == -1) {
        warn("open %s", path);
        _exit(1);
    }
    close(barrier);
    for (long i = 0; i < records; i++) {
        ssize_t n = write(fd, rec, (size_t)size);
        if (n != size) { /* blocking write: only an error or a signal stops it short */
            warn("write");
            _exit(1);
        }
    }
    _exit(0);
}

/* Start the writers; return once every one has opened the FIFO (or died): each
 * holds the barrier's write end until its open() is done, so EOF on the
 * barrier means all opens are over, and the reader cannot see an early EOF. */
static void start_writers(const char *path, int rfd, pid_t *pids, long writers,
                          long records, long size)
{
    int barrier[2];
    char c;

    if (pipe(barrier) == -1)
        err(1, "pipe");
    fflush(stdout);
    for (long w = 0; w < writers; w++) {
        pids[w] = fork();
        if (pids[w] == -1)
            err(1, "fork");
        if (pids[w] == 0) {
            close(rfd);
            close(barrier[0]);
            writer(path, barrier[1], (char)('A' + w), records, size);
        }
    }
    close(barrier[1]);
    while (read(barrier[0], &c, 1) == -1 && errno == EINTR && !stop)
        ;
    close(barrier[0]);
}

/* Is this record one writer's, whole? All one letter of a writer, then '\n'. */
static int whole(const char *rec, long size, long writers)
{
    if (rec[0] < 'A' || rec[0] >= 'A' + writers || rec[size - 1] != '\n')
        return 0;
    for (long i = 1; i < size - 1; i++)
        if (rec[i] != rec[0])
            return 0;
    return 1;
}

/* Read the stream to EOF, record by record; count whole and torn records. */
static void read_records(int fd, long size, long writers, long *good, long *torn,
                         long *stray)
{
    char *rec = malloc((size_t)size);
    long used = 0;
    if (rec == NULL)
        err(1, "malloc");
    *good = *torn = 0;
    for (;;) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        if (pselect(fd + 1, &readable, NULL, NULL, NULL, &wait_mask) == -1) {
            if (errno == EINTR && stop)
                break; /* main stops the writers and reports */
            if (errno == EINTR)
                continue;
            err(1, "pselect");
        }
        ssize_t n = read(fd, rec + used, (size_t)(size - used)); /* ready: no wait */
        if (n == -1)
            err(1, "read");
        if (n == 0)
            break;
        used += n;
        if (used < size)
            continue;
        if (whole(rec, size, writers))
            ++*good;
        else
            ++*torn;
        used = 0;
    }
    *stray = used;
    free(rec);
}

static long parse_or_usage(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || v < min || v > max)
        usage();
    return v;
}

/* Reap every writer; report any that failed. */
static int reap(const pid_t *pids, long writers)
{
    int failed = 0, status;
    for (long w = 0; w < writers; w++) {
        if (stop)
            kill(pids[w], SIGTERM);
        if (waitpid(pids[w], &status, 0) == -1)
            err(1, "waitpid");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed = 1;
    }
    return failed;
}

int main(int argc, char *argv[])
{
    long writers = 4, records = 1000, size = PIPE_BUF, good = 0, torn = 0, stray = 0;
    pid_t pids[MAX_WRITERS];
    int opt;

    while ((opt = getopt(argc, argv, "w:r:s:")) != -1) {
        if (opt == 'w')
            writers = parse_or_usage(optarg, 1, MAX_WRITERS);
        else if (opt == 'r')
            records = parse_or_usage(optarg, 1, MAX_TOTAL);
        else if (opt == 's')
            size = parse_or_usage(optarg, 2, MAX_SIZE);
        else
            usage();
    }
    if (argc - optind != 1 || records > MAX_TOTAL / size / writers)
        usage();
    const char *path = argv[optind];

    catch_signals();
    claim_fifo(path);
    /* Open to read without waiting; read nothing until every writer has opened. */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", path);
    printf("%ld writers x %ld records of %ld bytes into %s (PIPE_BUF is %d)\n", writers,
           records, size, path, PIPE_BUF);
    start_writers(path, fd, pids, writers, records, size);
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
        err(1, "fcntl");
    if (!stop)
        read_records(fd, size, writers, &good, &torn, &stray);
    if (reap(pids, writers) || stop)
        errx(1, "%s", stop ? "interrupted" : "a writer failed");
    printf("records read: %ld, whole: %ld, torn: %ld\n", good + torn, good, torn);
    if (good + torn != writers * records || stray != 0)
        errx(1, "expected %ld records; %ld bytes left over", writers * records, stray);
    if (size <= PIPE_BUF && torn > 0)
        errx(1, "records of at most PIPE_BUF bytes were torn: atomicity broken");
    if (size > PIPE_BUF)
        printf("above PIPE_BUF nothing is promised: %ld of %ld records torn in this run\n",
               torn, good + torn);
    return 0;
}
