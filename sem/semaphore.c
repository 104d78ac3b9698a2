/* semaphore.c -- two children share the keyboard (standard input) under a semaphore.
 * Usage:  semaphore [-s] [-v 0|1|2] [-k keyfile]
 * Shows:  semget(2), semctl(2) SETVAL and IPC_RMID, semop(2) -1/+1 around reading a line
 *         (a lone digit asks for Ctrl-C). -v 2: both in, -v 0: none; -s: sleep(1).
 * Mirrors: LG "semaphore.c". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <signal.h>
#include <stdio.h>
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

/* The slide's handler ends the process: semctl is not async-signal-safe, kill is. */
static volatile sig_atomic_t stop, reaped, children[CHILDREN]; /* for process_exit */
static void process_exit(int sig)
{
    stop = sig; /* main reaps the children and removes the set */
    for (int i = reaped; i < CHILDREN; i++) /* not a reaped one: its pid is free */
        if (children[i] > 0)
            kill(children[i], SIGTERM);
}

static int critical_resource(int number) /* a line, flushed before the lock goes */
{
    int c = getchar(), first = c, len = 0;
    if (first == EOF && !ferror(stdin))
        return 0;
    printf("child %d read: ", number);
    for (; c != EOF && c != '\n'; c = getchar(), len++)
        putchar(c);
    putchar('\n');
    if (len == 1 && first >= '0' && first <= '9')
        printf("child %d: a digit: press Ctrl-C to end\n", number);
    if (ferror(stdin) || fflush(stdout) == EOF || ferror(stdout))
        err(1, "child %d: read or write", number); /* SEM_UNDO frees the lock */
    return 1;
}

static void child(int number, int semid, int slow)
{
    struct sembuf lock = {0, -1, SEM_UNDO}, unlock = {0, +1, SEM_UNDO};
    signal(SIGINT, SIG_DFL); /* Ctrl-C, or the parent's SIGTERM, ends a child */
    signal(SIGTERM, SIG_DFL);
    for (int more = !stop; more; sleep(slow)) { /* stop: one came before the above */
        if (semop(semid, &lock, 1) == -1) /* The slide spins or retries; semop sleeps */
            err(1, "child %d: semop", number); /* stdout is flushed: exit is safe */
        more = critical_resource(number);
        if (semop(semid, &unlock, 1) == -1)
            err(1, "child %d: semop", number);
    }
    _exit(0);
}

static int share_keyboard(int semid, int slow)
{
    int status, failed = 0;
    for (int i = 0; i < CHILDREN && !failed; i++)
        if ((children[i] = fork()) == 0)
            child(i + 1, semid, slow);
        else if (children[i] == -1)
            failed = (warn("fork"), 1);
    if (stop || failed) /* a stop during a fork, before its pid was kept; or a failure */
        process_exit(stop);
    for (; reaped < CHILDREN && children[reaped] > 0; reaped++)
        if (waitpid(children[reaped], &status, 0) == -1 || status != 0)
            failed = 1;
    return failed;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, value = 1, slow = 0, bad = 0;
    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sv:k:")) != -1)
        if (opt == 's')
            slow = 1;
        else if (opt == 'v' && optarg[0] >= '0' && optarg[0] <= '2' && !optarg[1])
            value = optarg[0] - '0';
        else if (opt == 'k')
            keyfile = optarg;
        else
            bad = 1;
    if (bad || optind != argc) {
        fprintf(stderr, "usage: semaphore [-s] [-v 0|1|2] [-k keyfile]\n");
        return 2;
    }
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", keyfile);
    struct sigaction sa = {.sa_handler = process_exit, .sa_flags = SA_RESTART};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int semid = semget(key, NUM, IPC_CREAT | 0600); /* init_semaphore */
    if (semid == -1)
        err(1, "semget key 0x%08x", (unsigned)key);
    if (semctl(semid, 0, SETVAL, (union semun){.val = value}) == -1) /* set_sem_val */
        err(1, "semctl SETVAL set %d", semid); /* the slide says it may go: -v 0 */
    printf("semaphore set %d (key 0x%08x) holds %d, ready: %d children share standard input\n",
           semid, (unsigned)key, value, CHILDREN);
    fflush(stdout);                  /* before fork: nothing may be printed twice */
    setvbuf(stdin, NULL, _IONBF, 0); /* else one child's getchar takes many lines */
    int failed = share_keyboard(semid, slow);
    if (semctl(semid, 0, IPC_RMID) == -1)
        err(1, "semctl IPC_RMID set %d", semid);
    printf("removed semaphore set %d\n", semid);
    return stop ? 128 + stop : failed;
}
