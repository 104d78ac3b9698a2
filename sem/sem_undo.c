/* sem_undo.c -- a child takes a semaphore and is killed: SEM_UNDO gives it back.
 * Usage:  sem_undo [-n] [-k keyfile]
 * Shows:  semop(2) with SEM_UNDO: the kernel keeps, per process, the sum of its
 *         changes to each semaphore and reverses it when the process ends, however
 *         it ends. The child takes the binary semaphore (1 -> 0) and sleeps; the
 *         parent waits for the 0 (sem_op 0), gets EAGAIN from a semop with
 *         IPC_NOWAIT, kills the child with SIGKILL, and reads the value: 1 again.
 *         With -n the child takes it without SEM_UNDO: it stays 0 until SETVAL.
 *         SIGINT, SIGTERM, SIGPIPE wait, blocked, for the set's removal (ms);
 *         a set left by a crash is reused by the next run.
 * Mirrors: ALP 5.2, SEM_UNDO and the zero sem_op of sem_pv.c (listing 5.4). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROJ_ID 'U' /* ftok's project id of this program */

union semun { /* semctl's fourth argument: the program must declare it */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static void usage(void)
{
    fprintf(stderr, "usage: sem_undo [-n] [-k keyfile]\n");
    exit(2);
}

static void stop_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE); /* a reader gone: printf fails, the set goes all the same */
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

static void set_to_one(int semid)
{
    union semun one = {.val = 1};
    if (semctl(semid, 0, SETVAL, one) == -1)
        err(1, "semctl SETVAL");
}

static void show(int semid, const char *when)
{
    int value = semctl(semid, 0, GETVAL);
    if (value == -1)
        err(1, "semctl GETVAL");
    printf("value %s: %d\n", when, value);
}

/* A child takes the semaphore and sleeps; the parent waits for the 0. */
static pid_t holder(int semid, int undo)
{
    struct sembuf take = {0, -1, undo ? SEM_UNDO : 0}, zero = {0, 0, 0};
    fflush(stdout); /* nothing buffered may be printed twice */
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        if (semop(semid, &take, 1) == -1) {
            warn("child: semop");
            semctl(semid, 0, IPC_RMID); /* the parent's wait then fails (EIDRM) */
            _exit(1);
        }
        for (;;)
            pause();
    }
    if (semop(semid, &zero, 1) == -1)
        err(1, "semop: wait for zero");
    printf("child %ld took it %s SEM_UNDO\n", (long)pid, undo ? "with" : "without");
    return pid;
}

/* The parent cannot take it now; then it kills the holder with SIGKILL. */
static void kill_holder(int semid, pid_t child)
{
    struct sembuf try = {0, -1, IPC_NOWAIT};
    int status;

    show(semid, "while the child holds it");
    if (semop(semid, &try, 1) == 0 || errno != EAGAIN)
        err(1, "semop IPC_NOWAIT should have failed with EAGAIN");
    printf("parent's semop with IPC_NOWAIT: EAGAIN, it is taken\n");
    if (kill(child, SIGKILL) == -1 || waitpid(child, &status, 0) == -1)
        err(1, "kill or waitpid");
    printf("child killed by signal %d while holding it\n", WTERMSIG(status));
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, undo = 1;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "nk:")) != -1)
        if (opt == 'n')
            undo = 0;
        else if (opt == 'k')
            keyfile = optarg;
        else
            usage();
    if (optind != argc)
        usage();
    stop_signals(SIG_BLOCK); /* a stop waits until the set is gone */
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", keyfile);
    int semid = semget(key, 1, IPC_CREAT | 0600);
    if (semid == -1)
        err(1, "semget key 0x%08x", (unsigned)key);
    set_to_one(semid);
    printf("semaphore set %d (key 0x%08x)\n", semid, (unsigned)key);
    show(semid, "at the start");
    kill_holder(semid, holder(semid, undo));
    show(semid, undo ? "after its death (SEM_UNDO gave it back)"
                     : "after its death (no SEM_UNDO: still taken)");
    if (!undo) {
        set_to_one(semid);
        show(semid, "after semctl SETVAL");
    }
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID");
    printf("removed semaphore set %d\n", semid);
    fflush(stdout);
    stop_signals(SIG_UNBLOCK); /* a stop that came ends us now */
    return 0;
}
