/* sync.c -- a parent and its child take turns printing, synchronized by TELL/WAIT.
 * Usage:  sync [-u] [-n rounds]
 * Build:  cc -o sync sync.c synclib.c
 * Shows:  two processes writing to one stdout: each line goes out one character
 *         per write(2), so lines are kept whole only because each process waits
 *         for its turn (WAIT_x) and then hands it over (TELL_x). With -u nobody
 *         waits, and the characters of the two processes mix: a race.
 * Mirrors: KHU lecture "sync.c" (after APUE section 8.9 and figure 8.13). */
#define _POSIX_C_SOURCE 200809L /* getopt, sigaction */

#include "synclib.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: sync [-u] [-n rounds]\n");
    exit(2);
}

/* One character per write(2), so that the kernel can switch processes anywhere. */
static int say(const char *who, long round)
{
    char line[64];
    int len = snprintf(line, sizeof line, "%s: turn %ld\n", who, round);
    for (int i = 0; i < len; i++)
        while (write(STDOUT_FILENO, &line[i], 1) != 1)
            if (errno != EINTR)
                return -1;
    return 0;
}

static void child(long rounds, int synced)
{
    if (synced && TELL_WAIT_IN_CHILD() == -1) {
        warn("TELL_WAIT_IN_CHILD");
        _exit(1);
    }
    for (long i = 1; i <= rounds; i++) {
        if (synced && WAIT_PARENT() == -1) {
            warn("WAIT_PARENT");
            _exit(1);
        }
        if (say("child", i) == -1) {
            warn("write");
            _exit(1);
        }
        if (synced && TELL_PARENT(getppid()) == -1) {
            warn("TELL_PARENT");
            _exit(1);
        }
    }
    _exit(0);
}

static void parent(pid_t pid, long rounds, int synced)
{
    if (synced && TELL_WAIT_IN_PARENT() == -1)
        err(1, "TELL_WAIT_IN_PARENT");
    for (long i = 1; i <= rounds; i++) {
        if (say("parent", i) == -1)
            err(1, "write");
        if (synced && TELL_CHILD(pid) == -1)
            err(1, "TELL_CHILD");
        if (synced && WAIT_CHILD() == -1) /* the child's line is out: next round */
            err(1, "WAIT_CHILD");
    }
}

int main(int argc, char *argv[])
{
    long rounds = 3;
    int opt, synced = 1, status;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "un:")) != -1) {
        if (opt == 'u') {
            synced = 0;
            continue;
        }
        if (opt != 'n')
            usage();
        rounds = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || rounds < 0 || rounds > 1000000)
            usage();
    }
    if (optind != argc)
        usage();

    /* A partner that has died makes TELL fail with EPIPE instead of killing us. */
    struct sigaction sa = {.sa_handler = SIG_IGN};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
    if (synced && TELL_WAIT() == -1)
        err(1, "TELL_WAIT");
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        child(rounds, synced);
    parent(pid, rounds, synced);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
