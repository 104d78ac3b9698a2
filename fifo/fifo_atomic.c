/* fifo_atomic.c -- several writers, one FIFO: do their records arrive whole?
 * Usage:  fifo_atomic fifo [size [writers [records]]]
 * Shows:  a write(2) of at most PIPE_BUF bytes to a FIFO is atomic: its bytes never
 *         mix with another writer's. Each writer (a child) writes records of size
 *         bytes, its own letter and a final '\n', one write(2) each; the reader (the
 *         parent) counts the torn records. Its first line says what is promised: at
 *         or under PIPE_BUF none may tear (a torn one is a failure, status 1); above
 *         it nothing: the program reports what it saw. The FIFO's name is needed only
 *         to open it: once both ends are open it is removed, so no stop can leave it
 *         behind. Defaults: PIPE_BUF bytes, 4 writers, 1000 each.
 * Mirrors: SYS "Named Pipe Atomicity" (l.137-144), CE l.222. */
#define _POSIX_C_SOURCE 200809L /* mkfifo */

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char record[1024 * 1024]; /* the largest record; each writer fills its copy */

static void usage(void)
{
    fprintf(stderr, "usage: fifo_atomic fifo [size [writers [records]]]\n");
    exit(2);
}

static long parse_or_usage(const char *s, long min, long max)
{
    char *end;
    long v = strtol(s, &end, 10); /* out of range: LONG_MIN or LONG_MAX */
    if (*s == '\0' || *end != '\0' || v < min || v > max)
        usage();
    return v;
}

/* Start the writers, children that write records of their own letter, each
 * with one write(2), on wfd; then close the parent's copy of it. */
static void start_writers(int fd, int wfd, long writers, long records, long size)
{
    for (long w = 0; w < writers; w++) {
        pid_t pid = fork();
        if (pid == -1)
            err(1, "fork");
        if (pid != 0)
            continue;
        close(fd); /* else, with the reader gone, a writer would wait, not fail */
        memset(record, 'A' + (int)w, (size_t)size - 1);
        record[size - 1] = '\n';
        for (long i = 0; i < records; i++) {
            if (write(wfd, record, (size_t)size) != size) { /* blocking: all or error */
                warn("writer %c: write", record[0]);
                _exit(1);
            }
        }
        _exit(0);
    }
    close(wfd); /* the writers' copies are the last: EOF when they are done */
}

/* Read records up to EOF; count them, and the torn ones in *torn. */
static long read_records(int fd, long size, long *torn)
{
    FILE *in = fdopen(fd, "r");
    long count = 0;

    if (in == NULL)
        err(1, "fdopen");
    while (fread(record, (size_t)size, 1, in) == 1) { /* fread loops on short reads */
        count++;
        if (record[0] == '\n' || record[size - 1] != '\n' ||
            memcmp(record, record + 1, (size_t)size - 2) != 0)
            ++*torn; /* not one letter, then '\n' */
    }
    if (ferror(in))
        err(1, "read");
    fclose(in);
    return count; /* a record cut short by EOF is not counted */
}

int main(int argc, char *argv[])
{
    int status, failed = 0;
    long torn = 0;

    if (argc < 2 || argc > 5 || argv[1][0] == '-')
        usage();
    long size = argc > 2 ? parse_or_usage(argv[2], 2, sizeof record) : PIPE_BUF;
    long writers = argc > 3 ? parse_or_usage(argv[3], 1, 26) : 4; /* a letter each */
    long records = argc > 4 ? parse_or_usage(argv[4], 1, 1000000) : 1000;
    if (mkfifo(argv[1], 0600) == -1)
        err(1, "mkfifo %s", argv[1]);
    int fd = open(argv[1], O_RDONLY | O_NONBLOCK); /* no writer yet: do not wait */
    int wfd = open(argv[1], O_WRONLY);
    unlink(argv[1]); /* only a stop before this line leaves the FIFO behind */
    if (fd == -1 || wfd == -1 || fcntl(fd, F_SETFL, 0) == -1) /* reads wait again */
        err(1, "open %s", argv[1]);
    int atomic = size <= PIPE_BUF; /* POSIX: a write of at most PIPE_BUF is never split */
    printf("%ld writers x %ld records of %ld bytes into %s (PIPE_BUF is %d): %s\n",
           writers, records, size, argv[1], PIPE_BUF,
           atomic ? "none may tear" : "above PIPE_BUF, nothing is promised");
    fflush(stdout);
    start_writers(fd, wfd, writers, records, size);
    long count = read_records(fd, size, &torn);
    while (wait(&status) != -1)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("records read: %ld, whole: %ld, torn: %ld\n", count, count - torn, torn);
    if (failed || count != writers * records)
        errx(1, "a writer failed, or not %ld records", writers * records);
    if (atomic && torn > 0)
        errx(1, "records of at most PIPE_BUF bytes were torn: atomicity broken");
    if (!atomic)
        printf("above PIPE_BUF nothing is promised: %ld of %ld records torn\n", torn,
               count);
    return 0;
}
