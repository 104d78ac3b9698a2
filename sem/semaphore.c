/* semaphore.c -- two children take turns reading standard input under a semaphore.
 * Usage:  semaphore [-k keyfile]
 * Shows:  a System V binary semaphore as a lock around a shared resource,
 *         here the terminal (or whatever standard input is): a child takes
 *         the lock, reads one whole line, prints it, and gives the lock back,
 *         so no line is ever split between the two. They read with read(2),
 *         one byte at a time, because stdio would pull a whole buffer of
 *         lines into one child. At end of input both children stop and the
 *         parent removes the set; SIGINT (Ctrl-C) or SIGTERM removes it too.
 * Mirrors: LG "semaphore.c" (two children share the keyboard; SIGINT cleanup).
 * Build:  cc -o semaphore semaphore.c binary_sem.c */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include "binary_sem.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROJ_ID 'G' /* ftok's project id of this program (G for the Gazette) */
#define CHILDREN 2

static volatile sig_atomic_t stop;               /* the signal that asked us to stop */
static volatile sig_atomic_t children[CHILDREN]; /* their pids, for on_signal */

/* Stop the children from here (kill is async-signal-safe): a flag alone
 * would be missed if the signal came just before the parent's waitpid. */
static void on_signal(int sig)
{
    stop = sig;
    for (int i = 0; i < CHILDREN; i++)
        if (children[i] > 0)
            kill((pid_t)children[i], SIGTERM);
}

static void usage(void)
{
    fprintf(stderr, "usage: semaphore [-k keyfile]\n");
    exit(2);
}

/* No SA_RESTART: the parent's waitpid returns EINTR so it can clean up. */
static void set_signals(void (*handler)(int))
{
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Copy one line of stdin to stdout after a label; 0 at end of input,
 * -1 on a read error. Any length: the line is copied byte by byte, all of
 * it while we hold the lock, and flushed before the lock is given back. */
static int copy_line(int number)
{
    char c;
    ssize_t r;
    int started = 0;

    while ((r = read(STDIN_FILENO, &c, 1)) == 1) {
        if (!started)
            printf("child %d read: ", number);
        started = 1;
        if (c == '\n')
            break;
        putchar(c);
    }
    if (started) { /* a last line without '\n' is printed too */
        putchar('\n');
        fflush(stdout);
    }
    if (r == -1)
        return -1;
    return started;
}

static void child_loop(int number, int semid)
{
    int more = 1;
    struct timespec breath = {.tv_sec = 0, .tv_nsec = 1000 * 1000};
    set_signals(SIG_DFL); /* Ctrl-C ends the children; the parent cleans up */
    if (stop) /* a SIGTERM before that line (or before fork) only set the flag */
        _exit(1);
    while (more == 1) {
        if (binary_semaphore_wait(semid) == -1) {
            if (errno != EIDRM) /* EIDRM: the parent removed the set: stop quietly */
                warn("child %d: semop wait", number);
            _exit(1);
        }
        more = copy_line(number);
        if (more == -1)
            warn("child %d: read", number);
        if (binary_semaphore_post(semid) == -1) {
            warn("child %d: semop post", number);
            _exit(1);
        }
        nanosleep(&breath,
                  NULL); /* let the other child have a turn (not needed for safety) */
    }
    _exit(more == 0 ? 0 : 1);
}

/* Wait for both children (on_signal makes them end on SIGINT/SIGTERM).
 * Returns the number of children that failed. */
static int wait_children(void)
{
    int status, failed = 0;
    for (int i = 0; i < CHILDREN; i++) {
        while (waitpid((pid_t)children[i], &status, 0) == -1)
            if (errno != EINTR)
                err(1, "waitpid");
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    return failed;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, created;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1) {
        if (opt != 'k')
            usage();
        keyfile = optarg;
    }
    if (optind != argc)
        usage();

    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a set every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int stale = binary_semaphore_remove_key(key);
    if (stale != -1)
        warnx("key 0x%08x: removed semaphore set %d left by an earlier run",
              (unsigned)key, stale);
    set_signals(on_signal); /* before the set exists: no window without cleanup */
    int semid = binary_semaphore_open(key, &created);
    if (semid == -1)
        err(1, "binary_semaphore_open key 0x%08x", (unsigned)key);
    /* Before the fork: after it, a child may already be printing lines. */
    printf("semaphore set %d (key 0x%08x) ready: %d children share standard input\n",
           semid, (unsigned)key, CHILDREN);
    fflush(stdout); /* and nothing buffered may be printed twice after fork */
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();
        if (pid == -1) {
            binary_semaphore_deallocate(semid); /* a started child then gets EIDRM */
            err(1, "fork");
        }
        if (pid == 0)
            child_loop(i + 1, semid);
        children[i] = pid;
    }
    if (stop) /* it came between a fork and the line above */
        on_signal(stop);
    int failed = wait_children();
    if (binary_semaphore_deallocate(semid) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    if (stop) {
        fprintf(stderr, "semaphore: interrupted\n");
        fflush(stdout); /* raise() ends us without flushing stdio */
        set_signals(SIG_DFL);
        raise(stop); /* the shell sees how we ended: 128 + signal number */
    }
    return failed ? 1 : 0;
}
