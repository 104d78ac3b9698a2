/* binary_sem.c -- ALP's binary semaphore functions, and a post that SEM_UNDO takes back.
 * Usage:  binary_sem [-k keyfile]
 * Shows:  ALP's five functions, on semget(2), semctl(2) IPC_RMID and SETALL, and
 *         semop(2) -1 and +1 with SEM_UNDO. main uses them as a lock (a process
 *         waits, then posts: SEM_UNDO is right) and as a hand-over (the parent
 *         waits, a child posts for it and exits: the kernel undoes that post, so
 *         the next wait would sleep for ever), then hands over again with a post
 *         without SEM_UNDO, which stays. Each step prints the value. SIGINT,
 *         SIGTERM and SIGPIPE (a reader gone) wait, blocked, for the set's removal.
 * Mirrors: ALP listings 5.2 sem_all_deall.c, 5.3 sem_init.c, 5.4 sem_pv.c. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

union semun { /* semctl's fourth argument: the program must declare it */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* Listing 5.2: the id of a set of one semaphore, created if sem_flags say so. */
static int binary_semaphore_allocation(key_t key, int sem_flags)
{
    return semget(key, 1, sem_flags);
}

/* The slide passes semnum 1 and an uninitialised union: IPC_RMID ignores both,
 * but reading an uninitialised object is undefined; here both say "nothing". */
static int binary_semaphore_deallocate(int semid)
{
    union semun ignored_argument = {.val = 0};
    return semctl(semid, 0, IPC_RMID, ignored_argument);
}

/* Listing 5.3: SETALL sets every semaphore of the set, here the one, to 1. */
static int binary_semaphore_initialize(int semid)
{
    unsigned short values[1] = {1};
    union semun argument = {.array = values};
    return semctl(semid, 0, SETALL, argument);
}

/* Listing 5.4: wait until the value is positive, then take 1 from it. */
static int binary_semaphore_wait(int semid)
{
    struct sembuf operations[1] = {{.sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO}};
    return semop(semid, operations, 1);
}

/* The slide posts with SEM_UNDO: right for a lock, where the process that
 * waited also posts (its two adjustments cancel); wrong for a process that
 * posts for another: when it exits, the kernel takes its post back. */
static int binary_semaphore_post(int semid)
{
    struct sembuf operations[1] = {{.sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO}};
    return semop(semid, operations, 1);
}

/* A post for another process: no SEM_UNDO, so it outlives the poster. */
static int binary_semaphore_hand_over(int semid)
{
    struct sembuf operations[1] = {{.sem_num = 0, .sem_op = 1, .sem_flg = 0}};
    return semop(semid, operations, 1);
}

/* Stop unless the call worked; print the value it left. */
static void check(int result, int semid, const char *who)
{
    int value = semctl(semid, 0, GETVAL); /* leaves errno alone when it works */
    if (result == -1 || value == -1)
        err(1, "%s", who);
    printf("%s: value %d\n", who, value);
}

/* The parent waits; a child posts for it and exits (exit: its stdout was empty). */
static void hand_over(int semid, int (*post)(int), const char *how)
{
    int status;
    check(binary_semaphore_wait(semid), semid, "parent: binary_semaphore_wait");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        check(post(semid), semid, how);
        exit(0);
    }
    if (waitpid(pid, &status, 0) == -1 || status != 0)
        errx(1, "the child did not post");
    check(0, semid, "after the child's exit");
}

static void usage(void)
{
    fprintf(stderr, "usage: binary_sem [-k keyfile]\n");
    exit(2);
}

static void stop_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1 || optind < argc) /* or an operand */
        if (opt == 'k')
            keyfile = optarg;
        else
            usage();
    stop_signals(SIG_BLOCK); /* a stop waits until the set is gone */
    key_t key = ftok(keyfile, 'B'); /* this program's ftok project id */
    if (key == -1)
        err(1, "ftok %s", keyfile);
    int semid = binary_semaphore_allocation(key, IPC_CREAT | 0600);
    if (semid == -1)
        err(1, "binary_semaphore_allocation: semget key 0x%08x", (unsigned)key);
    printf("binary_semaphore_allocation: set %d (key 0x%08x)\n", semid, (unsigned)key);
    check(binary_semaphore_initialize(semid), semid, "binary_semaphore_initialize");
    printf("a lock: one process waits, then posts\n");
    check(binary_semaphore_wait(semid), semid, "binary_semaphore_wait");
    check(binary_semaphore_post(semid), semid, "binary_semaphore_post");
    printf("a hand-over: the parent waits, a child posts for it and exits\n");
    hand_over(semid, binary_semaphore_post, "child: binary_semaphore_post (SEM_UNDO)");
    check(binary_semaphore_initialize(semid), semid, "binary_semaphore_initialize");
    hand_over(semid, binary_semaphore_hand_over, "child: binary_semaphore_hand_over (no SEM_UNDO)");
    if (binary_semaphore_deallocate(semid) == -1)
        err(1, "binary_semaphore_deallocate: semctl IPC_RMID");
    printf("binary_semaphore_deallocate: set %d removed\n", semid);
    fflush(stdout);
    stop_signals(SIG_UNBLOCK); /* a stop that came ends us now */
    return 0;
}
