/* sem_counter.c -- processes add to one counter in shared memory, with and without a semaphore.
 * Usage:  sem_counter [-u] [-n increments]
 * Shows:  why processes must coordinate their access to shared memory: PROCS
 *         workers each add 1 to a counter in a segment, increments times (50000;
 *         10000000 with -u: unlocked, a short run is over before the next worker
 *         starts). Inside a binary semaphore (semop -1 ... +1, SEM_UNDO) the total
 *         is exact; with -u, updates are lost. The IPC_PRIVATE set is removed at
 *         the end and on SIGINT or SIGTERM (after kill -9: ipcrm -s ID).
 * Mirrors: ALP 5.2, why processes need semaphores. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
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

static volatile sig_atomic_t stop;           /* the signal that asked us to stop */
static volatile sig_atomic_t workers[PROCS]; /* their pids, for on_signal */

static void on_signal(int sig)
{
    stop = sig; /* kill is async-signal-safe: end the workers here; main removes the set */
    for (int i = 0; i < PROCS; i++)
        if (workers[i] > 0)
            kill((pid_t)workers[i], SIGTERM);
}

static void usage(void)
{
    fprintf(stderr, "usage: sem_counter [-u] [-n increments]\n");
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

static int binary_semaphore(void)
{
    int semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (semid == -1)
        err(1, "semget");
    union semun one = {.val = 1}; /* free */
    if (semctl(semid, 0, SETVAL, one) == -1)
        err(1, "semctl SETVAL set %d", semid);
    return semid;
}

static volatile long *shared_counter(void)
{
    int shmid = shmget(IPC_PRIVATE, sizeof(long), IPC_CREAT | 0600);
    if (shmid == -1)
        err(1, "shmget");
    void *p = shmat(shmid, NULL, 0);
    if (shmctl(shmid, IPC_RMID, NULL) == -1 || p == (void *)-1) /* goes with its last user */
        err(1, p == (void *)-1 ? "shmat" : "shmctl IPC_RMID");
    return p;
}

static void worker(int semid, int locked, volatile long *counter, long increments)
{
    struct sembuf wait_op = {0, -1, SEM_UNDO}, post_op = {0, +1, SEM_UNDO};
    signal(SIGINT, SIG_DFL); /* a worker just ends; the parent cleans up */
    signal(SIGTERM, SIG_DFL);
    for (long i = 0; i < increments && !stop; i++) { /* stop: before the lines above */
        if (locked && semop(semid, &wait_op, 1) == -1)
            err(1, "worker: semop");
        /* The slide (LG l.131) finds a plain flag in shared memory fine for a
         * simple program: this load and store show the window it leaves. */
        long value = *counter;
        *counter = value + 1;
        if (locked && semop(semid, &post_op, 1) == -1)
            err(1, "worker: semop");
    }
    exit(stop ? 1 : 0); /* its stdout holds nothing: nothing is printed twice */
}

static int run_workers(int semid, int locked, volatile long *counter, long increments)
{
    int status, failed = 0;
    for (int i = 0; i < PROCS && !failed; i++) {
        if ((workers[i] = fork()) == 0)
            worker(semid, locked, counter, increments);
        if (workers[i] == -1) { /* end those started; main removes the set */
            warn("fork");
            failed = 1;
        }
    }
    if (stop || failed) /* stop: it came during a fork, before the pid was kept */
        on_signal(stop);
    for (pid_t pid; (pid = wait(&status)) != -1 || errno == EINTR;) /* to ECHILD */
        failed |= pid != -1 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0);
    return failed;
}

int main(int argc, char *argv[])
{
    long increments = 0;
    int opt, locked = 1;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "un:")) != -1)
        if (opt == 'u')
            locked = 0;
        else if (opt == 'n')
            increments = count(optarg);
        else
            usage();
    if (optind != argc)
        usage();
    if (increments == 0)
        increments = locked ? 50000 : 10000000;
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: wait gets EINTR */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    volatile long *counter = shared_counter(); /* first: if it fails, no set is left */
    int semid = binary_semaphore();
    printf("semaphore set %d holds 1; %d processes x %ld increments, %s\n", semid, PROCS,
           increments, locked ? "each under the semaphore" : "unlocked (-u)");
    fflush(stdout); /* before fork: nothing may be printed twice */
    int failed = run_workers(semid, locked, counter, increments);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    if (stop)
        errx(128 + stop, "interrupted"); /* as a shell reports an end by a signal */
    if (failed)
        errx(1, "a worker failed");
    printf("counter = %ld, expected %ld: %s\n", *counter, PROCS * increments,
           *counter == PROCS * increments ? "no update lost" : "updates were lost");
    return 0;
}
