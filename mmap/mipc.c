/* mipc.c -- parent and child take turns incrementing a counter that lives in
 *           a shared mapping; the counter ends at exactly twice the loops.
 * Usage:  mipc [-v] [-n loops] [zero | anon]
 *         zero: MAP_SHARED mapping of /dev/zero (the default, as in APUE)
 *         anon: MAP_SHARED | MAP_ANONYMOUS, no file at all
 *         -v    print every increment
 * Shows:  memory a fork shares because it is MAP_SHARED (a MAP_PRIVATE or
 *         ordinary variable would be copied), and TELL/WAIT turn taking so
 *         each increment sees the other process's last one. Each side checks
 *         the value it finds, so a lost turn is an error, not a wrong total.
 * Mirrors: KHU lecture "mipc.c" (after APUE figure 15.33).
 * Build:  cc -o mipc mipc.c synclib.c */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS: not in POSIX 2008, but in every Unix */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "synclib.h"

static int verbose;

static void usage(void)
{
    fprintf(stderr, "usage: mipc [-v] [-n loops] [zero | anon]\n");
    exit(2);
}

static long *map_counter(int anonymous)
{
    void *area;
    if (anonymous) {
        area = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    } else {
        int fd = open("/dev/zero", O_RDWR);
        if (fd == -1)
            err(1, "open /dev/zero");
        area = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
    }
    if (area == MAP_FAILED)
        err(1, "mmap");
    return area; /* zero-filled either way */
}

/* One turn: the value must be exactly what the turn order predicts. */
static int increment(const char *who, long *counter, long expected)
{
    long value = *counter;
    if (value != expected) {
        warnx("%s: found %ld, expected %ld: a turn was lost", who, value, expected);
        return -1;
    }
    *counter = value + 1;
    if (verbose) {
        printf("%s: %ld -> %ld\n", who, value, value + 1);
        fflush(stdout); /* two processes share stdout: keep the lines in turn order */
    }
    return 0;
}

/* A dead peer: TELL then fails with EPIPE instead of killing us. */
static void ignore_sigpipe(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void child(long *counter, long loops)
{
    for (long i = 0; i < loops; i++) {
        if (WAIT_PARENT() == -1) {
            warn("child: WAIT_PARENT");
            _exit(1);
        }
        if (increment("child", counter, 2 * i + 1) == -1 || TELL_PARENT() == -1)
            _exit(1);
    }
    _exit(0);
}

static void parent(long *counter, long loops)
{
    for (long i = 0; i < loops; i++) {
        if (increment("parent", counter, 2 * i) == -1)
            exit(1);
        if (TELL_CHILD() == -1)
            err(1, "parent: TELL_CHILD");
        if (WAIT_CHILD() == -1)
            err(1, "parent: WAIT_CHILD");
    }
}

int main(int argc, char *argv[])
{
    long loops = 1000;
    int opt, anonymous = 0, status;
    char *end;
    while ((opt = getopt(argc, argv, ":vn:")) != -1) {
        if (opt == 'v') {
            verbose = 1;
            continue;
        }
        if (opt != 'n')
            usage();
        errno = 0;
        loops = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || errno != 0 || loops < 0 ||
            loops > 100000000)
            usage();
    }
    if (argc - optind > 1)
        usage();
    if (optind < argc) {
        if (strcmp(argv[optind], "anon") == 0)
            anonymous = 1;
        else if (strcmp(argv[optind], "zero") != 0)
            usage();
    }

    long *counter = map_counter(anonymous);
    ignore_sigpipe();
    if (TELL_WAIT() == -1)
        err(1, "TELL_WAIT");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        child(counter, loops);
    parent(counter, loops);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "the child failed");
    printf("counter = %ld (expected %ld), mapping: %s\n", *counter, 2 * loops,
           anonymous ? "MAP_SHARED | MAP_ANONYMOUS" : "MAP_SHARED of /dev/zero");
    return *counter == 2 * loops ? 0 : 1;
}
