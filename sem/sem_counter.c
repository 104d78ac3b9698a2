/* sem_counter.c -- processes add to one shared counter, with and without a semaphore.
 * Usage:  sem_counter [-u] [-k keyfile] [-p processes] [-n increments]
 * Shows:  why a semaphore: each of processes (default 4) workers adds 1 to a
 *         counter in shared memory increments (default 50000) times. "counter
 *         += 1" is a load, an add and a store; two processes interleaving them
 *         lose updates. With the binary semaphore around it (the default) the
 *         total is exact; with -u (unlocked) it usually is not. The workers
 *         open the semaphore set by its key themselves, all at once: one
 *         creates and initialises it, the others wait for sem_otime to say it
 *         is ready (binary_semaphore_open). The parent removes the set.
 * Mirrors: ALP 5.2's motivation for semaphores (the counter in shared memory).
 * Build:  cc -o sem_counter sem_counter.c binary_sem.c */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include "binary_sem.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROJ_ID 'C' /* ftok's project id of this program */
#define MAX_PROCS 64

static volatile sig_atomic_t stop;               /* the signal that asked us to stop */
static volatile sig_atomic_t workers[MAX_PROCS]; /* their pids, for on_signal */

/* Stop the workers from here (kill is async-signal-safe): a flag alone
 * would be missed if the signal came just before the parent's waitpid. */
static void on_signal(int sig)
{
    stop = sig;
    for (int i = 0; i < MAX_PROCS; i++)
        if (workers[i] > 0)
            kill((pid_t)workers[i], SIGTERM);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sem_counter [-u] [-k keyfile] [-p processes] [-n increments]\n");
    exit(2);
}

static long parse_count(const char *s, long max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || value < 1 || value > max)
        usage();
    return value;
}

/* No SA_RESTART: the parent's waitpid returns EINTR so it can clean up. */
static void set_signals(void (*handler)(int))
{
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* The counter lives in a private segment that is marked for removal at
 * once: it disappears when the last process detaches, even after SIGKILL. */
static volatile long *shared_counter(void)
{
    int shmid = shmget(IPC_PRIVATE, sizeof(long), IPC_CREAT | 0600);
    if (shmid == -1)
        err(1, "shmget");
    void *p = shmat(shmid, NULL, 0);
    int attach_errno = errno;
    if (shmctl(shmid, IPC_RMID, NULL) == -1) /* first, so that nothing can leak */
        err(1, "shmctl IPC_RMID");
    if (p == (void *)-1) {
        errno = attach_errno;
        err(1, "shmat");
    }
    *(volatile long *)p = 0;
    return p;
}

/* One worker: wait at the start gate (a pipe the parent writes one byte per
 * worker into, once all exist) so all run at the same time, then count. */
static void worker(int number, key_t key, int locked, int gate, volatile long *counter,
                   long increments)
{
    int semid = -1, created = 0;
    char c;

    set_signals(SIG_DFL); /* the parent cleans up; a worker just dies */
    if (stop) /* a SIGTERM before that line (or before fork) only set the flag */
        _exit(1);
    if (read(gate, &c, 1) != 1) /* EOF: the parent died before the start */
        _exit(1);
    if (locked) {
        semid = binary_semaphore_open(key, &created);
        if (semid == -1) {
            warn("worker %d: binary_semaphore_open key 0x%08x", number, (unsigned)key);
            _exit(1);
        }
        printf("worker %d (pid %ld): %s set %d\n", number, (long)getpid(),
               created ? "created and initialised" : "waited for sem_otime, then joined",
               semid);
        fflush(stdout);
    }
    for (long i = 0; i < increments; i++) {
        if (locked && binary_semaphore_wait(semid) == -1) {
            warn("worker %d: semop wait", number);
            _exit(1);
        }
        long value = *counter; /* load ... */
        *counter = value + 1;  /* ... and store: the window where updates get lost */
        if (locked && binary_semaphore_post(semid) == -1) {
            warn("worker %d: semop post", number);
            _exit(1);
        }
    }
    _exit(0);
}

/* Fork the workers, then open the gate: one byte each. */
static void start_workers(long procs, key_t key, int locked, volatile long *counter,
                          long increments)
{
    int gate[2];
    char go[MAX_PROCS] = {0};
    if (pipe(gate) == -1)
        err(1, "pipe");
    fflush(stdout); /* nothing buffered may be printed twice after fork */
    for (long i = 0; i < procs; i++) {
        pid_t pid = fork();
        if (pid == -1)
            err(1, "fork"); /* the workers already forked see EOF at the gate */
        if (pid == 0) {
            close(gate[1]);
            worker((int)i + 1, key, locked, gate[0], counter, increments);
        }
        workers[i] = pid;
    }
    if (stop) /* it came between a fork and the line above */
        on_signal(stop);
    /* Our read end stays open until the bytes are in: workers a signal has
     * already killed must not make this write a SIGPIPE. */
    if (write(gate[1], go, (size_t)procs) != procs) /* at most 64 bytes: one write */
        err(1, "write to the start gate");
    close(gate[0]);
    close(gate[1]);
}

/* Reap every worker (on_signal makes them end on SIGINT/SIGTERM).
 * Returns 0 if all ended well. */
static int wait_workers(long procs)
{
    int status, failed = 0;
    for (long i = 0; i < procs; i++) {
        while (waitpid((pid_t)workers[i], &status, 0) == -1)
            if (errno != EINTR)
                err(1, "waitpid");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed = 1;
    }
    return failed ? -1 : 0;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    long procs = 4, increments = 50000;
    int opt, locked = 1;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "uk:p:n:")) != -1) {
        if (opt == 'u')
            locked = 0;
        else if (opt == 'k')
            keyfile = optarg;
        else if (opt == 'p')
            procs = parse_count(optarg, MAX_PROCS);
        else if (opt == 'n')
            increments = parse_count(optarg, 100000000);
        else
            usage();
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
    set_signals(on_signal);
    volatile long *counter = shared_counter();
    printf("%ld processes x %ld increments, %s\n", procs, increments,
           locked ? "each under the semaphore" : "unlocked (-u)");
    start_workers(procs, key, locked, counter, increments);
    int status = wait_workers(procs);
    int semid = locked ? binary_semaphore_remove_key(key) : -1;
    if (semid != -1)
        printf("removed semaphore set %d\n", semid);
    if (stop) {
        fprintf(stderr, "sem_counter: interrupted\n");
        fflush(stdout); /* raise() ends us without flushing stdio */
        set_signals(SIG_DFL);
        raise(stop); /* the shell sees how we ended: 128 + signal number */
    }
    if (status == -1)
        errx(1, "a worker failed");
    long expected = procs * increments;
    printf("counter = %ld, expected %ld: %s\n", *counter, expected,
           *counter == expected ? "no update lost" : "updates were lost");
    return 0;
}
