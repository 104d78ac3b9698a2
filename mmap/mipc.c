/* mipc.c -- parent and child take turns incrementing a counter that lives in
 *           a shared mapping of /dev/zero; each checks the value it finds.
 * Usage:  mipc [-v] [-u] [-n loops] [zero | anon]
 *         zero: MAP_SHARED of /dev/zero (default, as APUE); anon: MAP_ANONYMOUS
 *         -n: increments each (default 1000); -v: print each; -u: no turns
 * Shows:  a MAP_SHARED mapping made before fork(2) is shared with the child
 *         (LG: preserved across fork). TELL_WAIT (synclib.c, two pipes) makes
 *         the turns; with -u both add at once and a large -n falls short: a
 *         store to mapped memory is not atomic (SYS "Memory Mapped Atomicity").
 * Mirrors: KHU lecture "mipc.c" (after APUE figure 15.33).
 * Build:  cc -o mipc mipc.c synclib.c */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS: not in POSIX 2008, but in every Unix */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "synclib.h"

static int verbose, unsynced;

static void usage(void)
{
    fprintf(stderr, "usage: mipc [-v] [-u] [-n loops] [zero | anon]\n");
    exit(2);
}

static long count(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 0 || value > 100000000)
        usage();
    return value;
}

static volatile long *map_counter(int anonymous)
{
    int fd = anonymous ? -1 : open("/dev/zero", O_RDWR);
    if (fd == -1 && !anonymous)
        err(1, "open /dev/zero");
    void *area = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE,
                      anonymous ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED, fd, 0);
    if (area == MAP_FAILED)
        err(1, "mmap");
    if (fd != -1)
        close(fd);
    return area; /* zero-filled either way */
}

/* One side's loop, in APUE's order: the child waits for its turn, adds 1,
 * and tells; the parent adds 1, tells, and waits. Each checks that it finds
 * the value the order predicts (parent 0, 2, 4, ...; child 1, 3, 5, ...).
 * -1 on a lost turn, or when the other side is gone (a TELL or WAIT fails). */
static int take_turns(const char *who, volatile long *counter, long loops, int child)
{
    for (long i = 0; i < loops; i++) {
        if (!unsynced && child && WAIT_PARENT() == -1)
            return -1;
        long value = *counter;
        if (!unsynced && value != 2 * i + child) {
            warnx("%s: found %ld, not %ld: a turn was lost", who, value, 2 * i + child);
            return -1;
        }
        *counter = value + 1;
        if (verbose) {
            printf("%s: %ld -> %ld\n", who, value, value + 1);
            fflush(stdout); /* two processes share stdout: keep the lines in turn order */
        }
        if (!unsynced && ((child ? TELL_PARENT() : TELL_CHILD()) == -1 ||
                          (!child && WAIT_CHILD() == -1)))
            return -1;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    long loops = 1000;
    int opt, status;
    while ((opt = getopt(argc, argv, ":vun:")) != -1) {
        if (opt == 'v')
            verbose = 1;
        else if (opt == 'u')
            unsynced = 1;
        else if (opt == 'n')
            loops = count(optarg);
        else
            usage();
    }
    if (argc - optind > 1 || (optind < argc && strcmp(argv[optind], "anon") != 0 &&
                              strcmp(argv[optind], "zero") != 0))
        usage();
    int anonymous = optind < argc && strcmp(argv[optind], "anon") == 0;

    volatile long *counter = map_counter(anonymous);
    if (TELL_WAIT() == -1)
        err(1, "TELL_WAIT");
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        _exit(take_turns("child", counter, loops, 1) == -1 ? 1 : 0);
    if (take_turns("parent", counter, loops, 0) == -1)
        exit(1); /* it said why, or the child is gone and will say */
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "the child failed");
    printf("counter = %ld (expected %ld), mapping: %s\n", *counter, 2 * loops,
           anonymous ? "MAP_SHARED | MAP_ANONYMOUS" : "MAP_SHARED of /dev/zero");
    return *counter == 2 * loops || unsynced ? 0 : 1;
}
