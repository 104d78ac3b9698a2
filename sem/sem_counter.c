/* sem_counter.c -- processes add to one counter in shared memory, with or without a lock.
 * Usage:  sem_counter [-u] [-y] [-n increments]
 * Shows:  why processes must coordinate their access to shared memory: PROCS workers add
 *         1 to a counter in a segment, increments times (50000; 10000000 with -u), each
 *         a load and a store. Inside a binary semaphore (semop -1 ... +1, SEM_UNDO) the
 *         total is exact; unlocked (-u), a worker that runs between another's load and
 *         store loses an update. -y widens that window: sched_yield(2) between the two.
 *         The IPC_PRIVATE set goes at the end, on SIGINT and SIGTERM (kill -9: ipcrm -s).
 * Mirrors: ALP 5.2, why processes need semaphores. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sched_yield */

#include <err.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROCS 4 /* workers */

union semun { /* semctl's fourth argument: the program must declare it */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

struct shared {                 /* the segment, inherited by the workers */
    volatile long counter;      /* what they add to */
    volatile sig_atomic_t stop; /* the signal that asked us to stop (-1: a failed fork) */
};
static struct shared *shared;

/* A flag in the segment: every worker, forked before or after, stops at its next turn. */
static void on_signal(int sig)
{
    shared->stop = sig;
}

static void usage(void)
{
    fprintf(stderr, "usage: sem_counter [-u] [-y] [-n increments]\n");
    exit(2);
}

static long count(const char *s)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || value < 1 || value > 100000000)
        usage();
    return value;
}

/* A segment that goes with its last user: marked for removal once attached;
 * then the handlers that set the stop flag in it. */
static int shared_counter(void)
{
    int shmid = shmget(IPC_PRIVATE, sizeof *shared, IPC_CREAT | 0600);
    if (shmid == -1)
        err(1, "shmget");
    shared = shmat(shmid, NULL, 0);
    if (shmctl(shmid, IPC_RMID, NULL) == -1 || shared == (void *)-1)
        err(1, shared == (void *)-1 ? "shmat" : "shmctl IPC_RMID");
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    return shmid;
}

static void worker(int semid, int locked, int yield, long increments)
{
    struct sembuf wait_op = {0, -1, SEM_UNDO}, post_op = {0, +1, SEM_UNDO};
    signal(SIGINT, SIG_DFL); /* Ctrl-C ends a worker; the parent cleans up */
    signal(SIGTERM, SIG_DFL);
    for (long i = 0; i < increments && !shared->stop; i++) {
        if (locked && semop(semid, &wait_op, 1) == -1)
            err(1, "worker: semop");
        /* The slide (LG l.131) finds a plain flag in shared memory fine for a
         * simple program: this load and store show the window it leaves. */
        long value = shared->counter;
        if (yield)
            sched_yield();
        shared->counter = value + 1;
        if (locked && semop(semid, &post_op, 1) == -1)
            err(1, "worker: semop");
    }
    _exit(0);
}

static int run_workers(int semid, int locked, int yield, long increments)
{
    int status, failed = 0;
    fflush(stdout); /* before fork: nothing may be printed twice */
    for (int i = 0; i < PROCS && !shared->stop; i++) {
        pid_t pid = fork();
        if (pid == 0)
            worker(semid, locked, yield, increments);
        if (pid == -1) { /* the workers started end at their next turn */
            warn("fork");
            shared->stop = -1;
        }
    }
    while (wait(&status) != -1) /* SA_RESTART: no EINTR, until ECHILD */
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    return failed || shared->stop == -1;
}

int main(int argc, char *argv[])
{
    long increments = 0;
    int opt, locked = 1, yield = 0;
    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "uyn:")) != -1)
        if (opt == 'u')
            locked = 0;
        else if (opt == 'y')
            yield = 1;
        else if (opt == 'n')
            increments = count(optarg);
        else
            usage();
    if (optind != argc)
        usage();
    if (increments == 0)
        increments = locked ? 50000 : 10000000;
    int shmid = shared_counter(); /* first: if it fails, no set is left */
    int semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (semid == -1)
        err(1, "semget");
    if (semctl(semid, 0, SETVAL, (union semun){.val = 1}) == -1) /* free */
        err(1, "semctl SETVAL set %d", semid);
    printf("semaphore set %d holds 1; segment %d: %d processes x %ld increments, %s\n",
           semid, shmid, PROCS, increments,
           locked ? "each under the semaphore" : "unlocked (-u)");
    int failed = run_workers(semid, locked, yield, increments);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    if (shared->stop > 0) /* status as a shell reports an end by a signal */
        errx(128 + shared->stop, "interrupted");
    if (failed)
        errx(1, "a worker failed");
    printf("counter = %ld, expected %ld: %s\n", shared->counter, PROCS * increments,
           shared->counter == PROCS * increments ? "no update lost"
                                                 : "updates were lost");
    return 0;
}
