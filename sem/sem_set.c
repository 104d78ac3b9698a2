/* sem_set.c -- one System V set of two semaphores, changed together by one semop.
 * Usage:  sem_set [-p processes] [-k keyfile]
 * Shows:  the experiment the Gazette leaves to the reader, "more than one
 *         semaphore in the set": two semaphores, two resources (say, the
 *         keyboard and the screen).
 *         1. processes (default 4) start together and open the set by its key.
 *            The one whose semget(IPC_CREAT | IPC_EXCL) succeeds sets both
 *            semaphores to 1 with one semop of two operations, which also sets
 *            the set's sem_otime; the others wait until sem_otime is not 0
 *            (Stevens, UNP vol. 2, 11.2). With semget then SETVAL, a latecomer
 *            could use the set between the two calls, before it was set.
 *         2. Each process takes both semaphores with one semop (nsops 2), and
 *            gives both back with another: all or nothing, so no process holds
 *            one while it sleeps waiting for the other (no deadlock).
 *         3. The parent takes semaphore 1 alone, then asks for both with
 *            IPC_NOWAIT: EAGAIN, and semaphore 0 is still 1: the operation that
 *            could have gone through was not done either.
 *         The parent removes a set left by an earlier run first, and its own at
 *         the end; SIGINT and SIGTERM wait, blocked, until then.
 * Beyond: LG "semaphore.c" (sem/semaphore), whose set holds one semaphore. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROJ_ID 'S'  /* ftok's project id of this program */
#define NSEMS 2      /* semaphores in the set */
#define MAX_PROCS 16
#define OPEN_TRIES 500 /* x 10 ms: how long a latecomer waits for the creator */

union semun { /* semctl's fourth argument: the program must declare it */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static void usage(void)
{
    fprintf(stderr, "usage: sem_set [-p processes] [-k keyfile]\n");
    exit(2);
}

static void stop_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

/* Create the set and set it, or wait until its creator has: returns 1 if
 * this process created it. The slide (ALP) allocates, then initialises, in two
 * steps that another process can come between; here only the creator sets the
 * values, and its semop, which sets sem_otime, says when they are ready. A new
 * set's values are unspecified (Linux: 0): SETALL makes them 0 first. */
static int open_set(key_t key, int *semid)
{
    unsigned short zeros[NSEMS] = {0, 0};
    union semun arg = {.array = zeros};
    struct sembuf both_up[NSEMS] = {{0, +1, 0}, {1, +1, 0}};

    if ((*semid = semget(key, NSEMS, IPC_CREAT | IPC_EXCL | 0600)) != -1) {
        if (semctl(*semid, 0, SETALL, arg) == -1 || semop(*semid, both_up, NSEMS) == -1)
            err(1, "set %d: semctl SETALL or semop", *semid);
        return 1;
    }
    if (errno == EEXIST) /* someone else created it: open it */
        *semid = semget(key, NSEMS, 0);
    if (*semid == -1)
        err(1, "semget key 0x%08x", (unsigned)key);
    struct semid_ds ds;
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    arg.buf = &ds;
    for (int i = 0; i < OPEN_TRIES; i++) {
        if (semctl(*semid, 0, IPC_STAT, arg) == -1)
            err(1, "set %d: semctl IPC_STAT", *semid);
        if (ds.sem_otime != 0)
            return 0;
        nanosleep(&pause, NULL);
    }
    errx(1, "set %d: its creator did not set it within 5 s", *semid);
}

/* One process: wait at the gate, open the set, take both, give both back.
 * Its stdout is flushed before every exit: exit() prints nothing twice. */
static void worker(int number, key_t key, int gate)
{
    struct sembuf take_both[NSEMS] = {{0, -1, SEM_UNDO}, {1, -1, SEM_UNDO}};
    struct sembuf give_both[NSEMS] = {{0, +1, SEM_UNDO}, {1, +1, SEM_UNDO}};
    int semid;
    char c;

    if (read(gate, &c, 1) != 1) /* end of file: the parent gave up */
        exit(1);
    int created = open_set(key, &semid);
    /* The slide (LG) calls nsops "the index in the array", 1 for a set of one
     * semaphore: it is the number of operations, 2 here, all done or none. */
    if (semop(semid, take_both, NSEMS) == -1)
        err(1, "process %d: semop take both", number);
    printf("process %d %s set %d\n", number,
           created ? "created and initialised (one semop, both to 1)"
                   : "waited for sem_otime, then joined",
           semid);
    printf("process %d takes both semaphores with one semop\n", number);
    printf("process %d gives both back with one semop\n", number);
    fflush(stdout); /* before the give: the lines of two holders never mix */
    if (semop(semid, give_both, NSEMS) == -1)
        err(1, "process %d: semop give both", number);
    exit(0);
}

/* Fork the workers, then open the gate: one byte each, so they start together. */
static int run_workers(int procs, key_t key)
{
    int gate[2], status, failed = 0;
    char go[MAX_PROCS] = {0};

    if (pipe(gate) == -1)
        err(1, "pipe");
    fflush(stdout); /* nothing buffered may be printed twice */
    for (int i = 0; i < procs; i++) {
        pid_t pid = fork();
        if (pid == -1)
            err(1, "fork"); /* the workers forked see end of file at the gate */
        if (pid == 0) {
            close(gate[1]);
            worker(i + 1, key, gate[0]);
        }
    }
    close(gate[0]);
    if (write(gate[1], go, (size_t)procs) != procs) /* at most 16 bytes: one write */
        err(1, "write to the gate");
    close(gate[1]);
    while (wait(&status) != -1)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    return failed;
}

/* Hold semaphore 1 alone, then ask for both without waiting. */
static void all_or_nothing(int semid)
{
    struct sembuf take_one = {1, -1, 0};
    struct sembuf take_both[NSEMS] = {{0, -1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};
    unsigned short values[NSEMS];
    union semun arg = {.array = values};

    if (semop(semid, &take_one, 1) == -1)
        err(1, "semop take semaphore 1");
    if (semop(semid, take_both, NSEMS) != -1 || errno != EAGAIN)
        err(1, "semop take both with IPC_NOWAIT should have failed with EAGAIN");
    if (semctl(semid, 0, GETALL, arg) == -1)
        err(1, "semctl GETALL");
    printf("parent holds semaphore 1; one semop for both with IPC_NOWAIT: EAGAIN\n");
    printf("values now: %d %d (semaphore 0 was not taken either)\n", values[0], values[1]);
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, procs = 4;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "p:k:")) != -1) {
        if (opt == 'k') {
            keyfile = optarg;
        } else if (opt == 'p') {
            long n = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > MAX_PROCS)
                usage();
            procs = (int)n;
        } else {
            usage();
        }
    }
    if (optind != argc)
        usage();
    stop_signals(SIG_BLOCK); /* a stop waits until the set is gone */
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", keyfile);
    int stale = semget(key, 0, 0);
    if (stale != -1 && semctl(stale, 0, IPC_RMID) == 0)
        warnx("removed semaphore set %d left by an earlier run", stale);
    printf("%d processes open the set of %d semaphores with key 0x%08x at once\n", procs,
           NSEMS, (unsigned)key);
    int failed = run_workers(procs, key);
    int semid = semget(key, NSEMS, 0);
    if (semid == -1)
        err(1, "semget key 0x%08x", (unsigned)key);
    if (!failed)
        all_or_nothing(semid);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    if (failed)
        errx(1, "a process failed");
    fflush(stdout);
    stop_signals(SIG_UNBLOCK); /* a stop that came ends us now */
    return 0;
}
