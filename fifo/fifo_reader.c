/* fifo_reader.c -- read numbers from a FIFO with stdio and add them up.
 * Usage:  fifo_reader fifo
 * Shows:  the FIFO is a file name: fopen(3) opens it (blocking until a writer
 *         opens the other end) and fscanf(3) reads it like any file, up to EOF,
 *         which comes when the last writer closes. The writer may be
 *         fifo_writer or anything that writes a file: seq 10 > fifo.
 *         Whoever creates the FIFO removes it: here at the end, or on SIGINT
 *         and SIGTERM, even while fopen() is still waiting.
 * Mirrors: ALP 5.4.5 "FIFOs", CE FIFO shell demo. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction */

#include <err.h>
#include <errno.h>
#include <limits.h>
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
    fprintf(stderr, "usage: fifo_reader fifo\n");
    exit(2);
}

static void remove_fifo(void)
{
    if (created != NULL)
        unlink(created);
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

int main(int argc, char *argv[])
{
    long long number, sum = 0;
    long count = 0;
    int got;

    if (argc != 2 || argv[1][0] == '-')
        usage();
    const char *path = argv[1];

    catch_stop_signals();
    make_fifo(path);
    printf("waiting for a writer on %s\n", path);
    fflush(stdout);
    FILE *in;
    while ((in = fopen(path, "r")) == NULL && errno == EINTR && !stop)
        continue; /* blocks until someone opens it to write; a stray SIGALRM: wait on */
    if (in == NULL && stop)
        errx(1, "interrupted while waiting for a writer");
    if (in == NULL)
        err(1, "fopen %s", path);
    while (!stop && (got = fscanf(in, "%lld", &number)) == 1) {
        printf("read %lld\n", number);
        if ((number > 0 && sum > LLONG_MAX - number) || (number < 0 && sum < LLONG_MIN - number))
            errx(1, "the sum does not fit in a long long");
        sum += number;
        count++;
    }
    if (stop)
        errx(1, "interrupted");
    if (ferror(in))
        err(1, "read %s", path);
    if (got == 0)
        errx(1, "item %ld is not a number", count + 1);
    fclose(in);
    printf("sum %lld of %ld numbers\n", sum, count);
    return 0;
}
