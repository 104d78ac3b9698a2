/* fifo_writer.c -- write the numbers 1..count into a FIFO, one per line.
 * Usage:  fifo_writer [-n count] fifo
 * Shows:  mkfifo(3) (unless the FIFO exists), open(2) with O_WRONLY, which
 *         blocks until a reader opens the other end, and write(2). The reader
 *         may be fifo_reader or any program that reads a file, like cat.
 *         Whoever creates the FIFO removes it: here at the end, or on SIGINT
 *         and SIGTERM, even while open() is still waiting.
 * Mirrors: ALP 5.4.5 "FIFOs", CE FIFO shell demo. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stop_signals.h"

static const char *created; /* the FIFO this process made, removed at exit */

static void usage(void)
{
    fprintf(stderr, "usage: fifo_writer [-n count] fifo\n");
    exit(2);
}

static void remove_fifo(void)
{
    if (created != NULL)
        unlink(created);
}

/* The stop signals as stop_signals.h sets them; a reader that leaves gives
 * EPIPE, reported, instead of death by SIGPIPE. */
static void catch_signals(void)
{
    catch_stop_signals();
    struct sigaction sa = {.sa_handler = SIG_IGN};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Make the FIFO, or use the one that is there; refuse any other kind of file. */
static void make_fifo(const char *path)
{
    struct stat st;
    if (mkfifo(path, 0600) == 0) {
        created = path;
        if (atexit(remove_fifo) != 0)
            errx(1, "atexit failed");
        return;
    }
    if (errno != EEXIST)
        err(1, "mkfifo %s", path);
    if (lstat(path, &st) == -1)
        err(1, "%s", path);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO", path);
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        if (stop) /* also when every write() so far has succeeded */
            errx(1, "interrupted");
        ssize_t n = write(fd, buf, len);
        if (n == -1 && errno == EINTR && !stop)
            continue;
        if (n == -1 && stop)
            errx(1, "interrupted");
        if (n == -1)
            err(1, "write");
        buf += n;
        len -= (size_t)n;
    }
}

int main(int argc, char *argv[])
{
    long count = 5;
    int opt;
    char *end, line[32];

    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 0 || count > 100000000)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    catch_signals();
    make_fifo(path);
    printf("waiting for a reader on %s\n", path);
    fflush(stdout);
    int fd;
    while ((fd = open(path, O_WRONLY)) == -1 && errno == EINTR && !stop)
        continue; /* blocks until someone opens it to read; a stray SIGALRM: wait on */
    if (fd == -1 && stop)
        errx(1, "interrupted while waiting for a reader");
    if (fd == -1)
        err(1, "open %s", path);
    for (long i = 1; i <= count; i++) {
        int len = snprintf(line, sizeof line, "%ld\n", i);
        write_all(fd, line, (size_t)len);
    }
    if (close(fd) == -1)
        err(1, "close");
    printf("wrote %ld numbers\n", count);
    return 0;
}
