/* sem_set.c -- dining philosophers on one System V set: both forks taken by one semop.
 * Usage:  sem_set [-n] [-p philosophers] [-m meals] [-k keyfile]
 * Shows:  a set of p+2 semaphores: fork i (1: on the table) between philosophers i-1
 *         and i, the meals left, a barrier. p philosophers (5; 2 to 16) eat m meals
 *         each (3), 1 ms a meal:
 *         1. All open the set by its key at once: the one whose semget(IPC_CREAT |
 *            IPC_EXCL) succeeds sets every value with one semop, which sets sem_otime;
 *            the others wait until sem_otime is not 0 (Stevens, UNP vol. 2, 11.2).
 *         2. A barrier: each takes 1 from it, then waits for zero (sem_op 0).
 *         3. One semop takes both forks and a meal (nsops 3), all or none: nobody
 *            holds one fork while waiting for the other, so no deadlock. -n, the
 *            naive way: left fork, a moment, right fork: once each holds his left
 *            fork, all wait for ever.
 *         4. The parent waits for zero meals left with semtimedop, a second at a time;
 *            a second without a meal, every fork taken, is a deadlock: said, exit 1.
 *         5. All or nothing: holding fork 1, a semop for forks 0 and 1 with
 *            IPC_NOWAIT fails (EAGAIN) and leaves fork 0 on the table.
 *         semtimedop(2) is Linux's, not POSIX: elsewhere, alarm(2) and semop's EINTR.
 *         A set left by an earlier run is removed first; this one at the end, on a stop.
 * Beyond: LG "semaphore.c" (sem/semaphore), a set of one; TLPI 47, APUE 15.8. */
#define _GNU_SOURCE /* semtimedop is a Linux extension (System V IPC itself is XSI) */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROJ_ID 'S' /* ftok's project id of this program */
#define MAX_PHILOSOPHERS 16
#define SEMVMX 32767   /* Linux's largest semaphore value: more meals would not fit */
#define OPEN_TRIES 500 /* x 10 ms: how long a latecomer waits for the creator */

union semun { /* semctl's fourth argument: the program must declare it */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static volatile sig_atomic_t stop; /* the signal that asked us to stop */

static void on_signal(int sig)
{
    stop = sig; /* semtimedop returns EINTR (System V IPC is never restarted) */
}

static void usage(void)
{
    fprintf(stderr, "usage: sem_set [-n] [-p philosophers] [-m meals] [-k keyfile]\n");
    exit(2);
}

static int number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return (int)n;
}

static void pause_ms(long ms)
{
    struct timespec t = {.tv_sec = 0, .tv_nsec = ms * 1000 * 1000};
    nanosleep(&t, NULL);
}

/* Create and set the set (if create: 1 if this process did), or wait until it
 * exists and is set. A new set's values are unspecified (Linux: 0): SETALL makes
 * them 0, then one semop sets them, and sem_otime. */
static int open_set(key_t key, int p, int meals, int create, int *semid)
{
    unsigned short zeros[MAX_PHILOSOPHERS + 2] = {0};
    union semun arg = {.array = zeros};
    struct sembuf init[MAX_PHILOSOPHERS + 2];
    struct semid_ds ds;

    for (int i = 0; i < p + 2; i++) { /* each fork 1, p * meals meals, the barrier p */
        short value = (short)(i < p ? 1 : i == p ? p * meals : p);
        init[i] = (struct sembuf){.sem_num = (unsigned short)i, .sem_op = value};
    }
    if (create && (*semid = semget(key, p + 2, IPC_CREAT | IPC_EXCL | 0600)) != -1) {
        if (semctl(*semid, 0, SETALL, arg) == -1 || semop(*semid, init, p + 2) == -1)
            err(1, "set %d: semctl SETALL or semop", *semid);
        return 1;
    }
    arg.buf = &ds;
    for (int i = 0; i < OPEN_TRIES; i++, pause_ms(10)) {
        if ((*semid = semget(key, p + 2, 0)) == -1 && errno != ENOENT)
            err(1, "semget key 0x%08x", (unsigned)key);
        if (*semid != -1 && semctl(*semid, 0, IPC_STAT, arg) == -1)
            err(1, "set %d: semctl IPC_STAT", *semid);
        if (*semid != -1 && ds.sem_otime != 0)
            return 0;
    }
    errx(1, "key 0x%08x: no set, or one nobody set, after 5 s", (unsigned)key);
}

/* Philosopher i: wait at the gate, open the set, sit down at the barrier, eat. */
static void philosopher(int i, int p, int meals, key_t key, int naive, const int gate[2])
{
    unsigned short left = (unsigned short)i, right = (unsigned short)((i + 1) % p);
    struct sembuf take[3] = {{left, -1, SEM_UNDO}, {right, -1, SEM_UNDO}, {p, -1, 0}};
    struct sembuf put[2] = {{left, +1, SEM_UNDO}, {right, +1, SEM_UNDO}};
    struct sembuf arrive = {p + 1, -1, 0}, all_here = {p + 1, 0, 0};
    char c;

    close(gate[1]); /* only the parent's write end: its exit is end of file */
    if (read(gate[0], &c, 1) != 1)
        _exit(1); /* the parent gave up */
    int semid, created = open_set(key, p, meals, 1, &semid);
    printf(created ? "philosopher %d created set %d and set it with one semop\n"
                   : "philosopher %d waited for sem_otime, then joined set %d\n",
           i, semid);
    if (semop(semid, &arrive, 1) == -1 || semop(semid, &all_here, 1) == -1)
        err(1, "philosopher %d: semop at the barrier", i);
    for (int meal = 0; meal < meals; meal++) {
        if (naive) { /* -n: one fork, then a moment, then the other */
            if (semop(semid, take, 1) == -1)
                err(1, "philosopher %d: semop left fork", i);
            printf("philosopher %d has fork %d, reaches for fork %d\n", i, left, right);
            pause_ms(1);
        }
        /* The slide (LG l.109) calls nsops "the index in the array": it is the
         * number of operations, done all or none: both forks and a meal here. */
        if (semop(semid, take + naive, 3 - (size_t)naive) == -1)
            err(1, "philosopher %d: semop take forks", i);
        printf("philosopher %d eats with forks %d and %d\n", i, left, right);
        pause_ms(1);
        printf("philosopher %d puts down forks %d and %d\n", i, left, right);
        if (semop(semid, put, 2) == -1)
            err(1, "philosopher %d: semop put forks", i);
    }
    _exit(0);
}

/* Wait until no meal is left: sem_op 0, a second at a time (semtimedop). A second
 * without a meal, every fork taken: a deadlock; three: a philosopher is gone. A
 * stop just before semtimedop sleeps waits for its time limit. 0: all eaten. */
static int watch(int semid, int p, int last)
{
    struct sembuf none_left = {(unsigned short)p, 0, 0};
    struct timespec second = {.tv_sec = 1, .tv_nsec = 0};
    unsigned short v[MAX_PHILOSOPHERS + 2];
    union semun arg = {.array = v};
    int idle = 0, taken;

    while (!stop && semtimedop(semid, &none_left, 1, &second) == -1) {
        if (errno != EAGAIN && errno != EINTR)
            err(1, "semtimedop");
        if (semctl(semid, 0, GETALL, arg) == -1)
            err(1, "semctl GETALL");
        for (int i = taken = 0; i < p; i++)
            taken += v[i] == 0;
        idle = v[p] == last ? idle + 1 : 0;
        last = v[p];
        if (idle > 0 && taken == p) {
            printf("deadlock: no meal for 1 s, %d left, every fork taken\n", last);
            return 1;
        }
        if (idle == 3) {
            warnx("no meal for 3 s, yet a fork on the table: a philosopher is gone");
            return 1;
        }
    }
    return stop != 0;
}

/* Hold fork 1, then ask for forks 0 and 1 without waiting. */
static void all_or_nothing(int semid)
{
    struct sembuf take_one = {1, -1, 0};
    struct sembuf take_both[2] = {{0, -1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};

    if (semop(semid, &take_one, 1) == -1)
        err(1, "semop take fork 1");
    if (semop(semid, take_both, 2) != -1 || errno != EAGAIN)
        err(1, "semop take forks 0 and 1 with IPC_NOWAIT should have failed with EAGAIN");
    printf("parent holds fork 1; one semop for forks 0 and 1 with IPC_NOWAIT: EAGAIN\n");
    printf("forks 0 and 1 now: %d %d (fork 0 was not taken either)\n",
           semctl(semid, 0, GETVAL), semctl(semid, 1, GETVAL));
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, naive = 0, p = 5, meals = 3, gate[2], semid, status, failed = 0;
    pid_t pids[MAX_PHILOSOPHERS];
    char go[MAX_PHILOSOPHERS] = {0};

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "np:m:k:")) != -1)
        if (opt == 'n')
            naive = 1;
        else if (opt == 'p')
            p = number(optarg, 2, MAX_PHILOSOPHERS);
        else if (opt == 'm')
            meals = number(optarg, 1, SEMVMX);
        else if (opt == 'k')
            keyfile = optarg;
        else
            usage();
    if (optind != argc || p * meals > SEMVMX) /* the meals left are one semaphore */
        usage();
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", keyfile);
    int stale = semget(key, 0, 0);
    if (stale != -1 && semctl(stale, 0, IPC_RMID) == 0)
        warnx("removed semaphore set %d left by an earlier run", stale);
    setvbuf(stdout, NULL, _IOLBF, 0); /* whole lines, as they happen, from everyone */
    signal(SIGPIPE, SIG_IGN);         /* a reader gone must not leave the set behind */
    printf("%d philosophers x %d meals: a set of %d semaphores, key 0x%08x\n", p, meals,
           p + 2, (unsigned)key);
    if (pipe(gate) == -1)
        err(1, "pipe");
    for (int i = 0; i < p; i++) /* they wait at the gate, so all open the set at once */
        if ((pids[i] = fork()) == -1)
            err(1, "fork"); /* those forked see end of file at the gate, and end */
        else if (pids[i] == 0)
            philosopher(i, p, meals, key, naive, gate);
    struct sigaction sa = {.sa_handler = on_signal}; /* after fork: theirs stay default */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    close(gate[0]);
    if (write(gate[1], go, (size_t)p) != p || close(gate[1]) == -1) /* open the gate */
        err(1, "write to the gate");
    open_set(key, p, meals, 0, &semid); /* the parent only joins */
    printf("parent waited for sem_otime, then joined set %d\n", semid);
    if ((failed = watch(semid, p, p * meals)) != 0) /* a deadlock, a failure or a stop */
        for (int i = 0; i < p; i++)
            kill(pids[i], SIGKILL); /* not yet reaped: the pids are still theirs */
    for (pid_t pid; (pid = wait(&status)) != -1 || errno == EINTR;) /* to ECHILD */
        failed |= pid != -1 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0);
    if (!failed)
        all_or_nothing(semid);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    if (stop)
        errx(128 + stop, "interrupted"); /* as a shell reports an end by a signal */
    return failed;
}
