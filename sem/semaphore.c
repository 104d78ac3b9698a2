/* semaphore.c -- two children share the keyboard (standard input) under a semaphore.
 * Usage:  semaphore [-s] [-v 0|1|2] [-k keyfile]
 * Shows:  semget(2), semctl(2) SETVAL, semop(2) -1/+1 as a lock, semctl IPC_RMID.
 *         Each child in turn takes the lock, reads a line in critical_resource
 *         (a lone digit 0-9 asks for Ctrl-C), gives the lock back. -v: the value
 *         set_sem_val gives (1; 2 lets both children in at once; 0, a new set's
 *         value, nobody). -s: sleep 1 s after each turn, as the lecture does.
 *         The parent removes the set at end of input, on Ctrl-C and SIGTERM;
 *         the next run finds a set left by kill -9, sets it and removes it.
 * Mirrors: LG "semaphore.c". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROJ_ID 'G' /* ftok's project id of this program (G for the Gazette) */
#define NUM 1       /* semaphores in the set */
#define CHILDREN 2

union semun { /* The slide shows it "as defined": no header does; the program must */
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static volatile sig_atomic_t stop;               /* the signal that asked us to stop */
static volatile sig_atomic_t children[CHILDREN]; /* their pids, for process_exit */

/* The slide's handler ends the process itself; semctl is not async-signal-
 * safe, so this one ends the children (kill is) and main removes the set. */
static void process_exit(int sig)
{
    stop = sig;
    for (int i = 0; i < CHILDREN; i++)
        if (children[i] > 0)
            kill((pid_t)children[i], SIGTERM);
}

static void usage(void)
{
    fprintf(stderr, "usage: semaphore [-s] [-v 0|1|2] [-k keyfile]\n");
    exit(2);
}

/* One line of the keyboard, flushed whole before the lock goes; 0 at its end. */
static int critical_resource(int number)
{
    int c = getchar(), first = c, len = 0;
    if (c != EOF)
        printf("child %d read: ", number);
    for (; c != EOF && c != '\n'; c = getchar(), len++)
        putchar(c);
    if (first != EOF)
        putchar('\n');
    if (len == 1 && first >= '0' && first <= '9')
        printf("child %d: a digit: press Ctrl-C to end\n", number);
    if (ferror(stdin) || fflush(stdout) == EOF)
        err(1, "child %d: read or write", number); /* SEM_UNDO frees the lock */
    return first != EOF;
}

static void child(int number, int semid, int slow)
{
    struct sembuf lock = {0, -1, SEM_UNDO}, unlock = {0, +1, SEM_UNDO};
    int more = 1;
    signal(SIGINT, SIG_DFL); /* Ctrl-C ends the children; the parent cleans up */
    signal(SIGTERM, SIG_DFL);
    while (more && !stop) { /* stop: it came before the two lines above */
        /* The slide's wait spins, or tries again: semop sleeps until it can. */
        if (semop(semid, &lock, 1) == -1)
            err(1, "child %d: semop", number); /* stdout is flushed: exit is safe */
        more = critical_resource(number);
        if (semop(semid, &unlock, 1) == -1)
            err(1, "child %d: semop", number);
        if (slow)
            sleep(1);
    }
    exit(0);
}

/* Fork the children, then wait for both: 1 if one failed. */
static int share_keyboard(int semid, int slow)
{
    int status, failed = 0;
    for (int i = 0; i < CHILDREN && !failed; i++) {
        if ((children[i] = fork()) == 0)
            child(i + 1, semid, slow);
        if (children[i] == -1) { /* end the one started, remove the set */
            warn("fork");
            failed = 1;
        }
    }
    if (stop || failed) /* stop: it came during a fork, before the pid was kept */
        process_exit(stop);
    for (pid_t pid; (pid = wait(&status)) != -1 || errno == EINTR;) /* to ECHILD */
        failed |= pid != -1 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0);
    return failed;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, value = 1, slow = 0;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sv:k:")) != -1)
        if (opt == 's')
            slow = 1;
        else if (opt == 'v' && optarg[0] >= '0' && optarg[0] <= '2' && !optarg[1])
            value = optarg[0] - '0';
        else if (opt == 'k')
            keyfile = optarg;
        else
            usage();
    if (optind != argc)
        usage();
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", keyfile);
    struct sigaction sa = {.sa_handler = process_exit}; /* no SA_RESTART: wait gets EINTR */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int semid = semget(key, NUM, IPC_CREAT | 0600); /* init_semaphore */
    if (semid == -1)
        err(1, "semget key 0x%08x", (unsigned)key);
    union semun arg = {.val = value}; /* set_sem_val: the slide says it may go (-v 0) */
    if (semctl(semid, 0, SETVAL, arg) == -1)
        err(1, "semctl SETVAL set %d", semid);
    printf("semaphore set %d (key 0x%08x) holds %d, ready: %d children share standard input\n",
           semid, (unsigned)key, value, CHILDREN);
    fflush(stdout);                  /* before fork: nothing may be printed twice */
    setvbuf(stdin, NULL, _IONBF, 0); /* else one child's getchar takes many lines */
    int failed = share_keyboard(semid, slow);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    return stop ? 128 + stop : failed; /* as a shell reports an end by a signal */
}
