/* sem_undo.c -- a child takes a semaphore and is killed: SEM_UNDO gives it back.
 * Usage:  sem_undo [-n] [-k keyfile]
 * Shows:  semop(2) with SEM_UNDO: the kernel keeps, per process, the sum of
 *         its changes and reverses it when the process ends, however it ends.
 *         The child takes the binary semaphore (1 -> 0) and then hangs; the
 *         parent sees 0 (and EAGAIN from a semop with IPC_NOWAIT), kills the
 *         child with SIGKILL, and reads the value again: 1. With -n the child
 *         takes it without SEM_UNDO and the value stays 0 for ever: every
 *         later waiter would block, until someone sets it again (SETALL).
 * Mirrors: ALP 5.2, the SEM_UNDO flag of binary_semaphore_wait (sem_pv.c).
 * Build:  cc -o sem_undo sem_undo.c binary_sem.c */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include "binary_sem.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROJ_ID 'U' /* ftok's project id of this program */

static int set_id = -1;  /* removed at exit, also when err() ends the program */
static pid_t child = -1; /* killed at exit if still there */

static void usage(void)
{
    fprintf(stderr, "usage: sem_undo [-n] [-k keyfile]\n");
    exit(2);
}

static void cleanup(void)
{
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    if (set_id != -1 && binary_semaphore_deallocate(set_id) == 0)
        printf("removed semaphore set %d\n", set_id);
}

static volatile sig_atomic_t stop; /* set by SIGINT/SIGTERM */

static void on_signal(int sig)
{
    stop = sig;
}

/* No SA_RESTART: the parent's read returns EINTR, and it exits normally
 * (running cleanup) instead of dying with the set in place. */
static void catch_signals(void (*handler)(int))
{
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* The child: take the semaphore, tell the parent, then wait to be killed. */
static void holder(int semid, int undo, int tell)
{
    struct sembuf take = {.sem_num = 0, .sem_op = -1, .sem_flg = 0};
    catch_signals(SIG_DFL);
    int r = undo ? binary_semaphore_wait(semid) : semop(semid, &take, 1);
    if (r == -1 || write(tell, "x", 1) != 1) {
        warn("child: semop or write");
        _exit(1);
    }
    for (;;)
        pause();
}

static void show_value(const char *when)
{
    int value = binary_semaphore_value(set_id);
    if (value == -1)
        err(1, "semctl GETVAL");
    printf("value %s: %d\n", when, value);
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, undo = 1, created, tell[2], status;
    char c;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "nk:")) != -1) {
        if (opt == 'n')
            undo = 0;
        else if (opt == 'k')
            keyfile = optarg;
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
    if (atexit(cleanup) != 0)
        errx(1, "atexit failed");
    catch_signals(on_signal);
    set_id = binary_semaphore_open(key, &created);
    if (set_id == -1)
        err(1, "binary_semaphore_open key 0x%08x", (unsigned)key);
    printf("created semaphore set %d (key 0x%08x)\n", set_id, (unsigned)key);
    show_value("at the start");

    if (pipe(tell) == -1)
        err(1, "pipe");
    fflush(stdout);
    child = fork();
    if (child == -1)
        err(1, "fork");
    if (child == 0)
        holder(set_id, undo, tell[1]);
    close(tell[1]); /* so a child that dies early gives us EOF, not a hang */
    ssize_t n = read(tell[0], &c, 1);
    if (stop) /* during the read (EINTR), or just before it */
        errx(1, "interrupted");
    if (n != 1)
        errx(1, "the child did not take the semaphore");
    printf("child %ld took it %s\n", (long)child,
           undo ? "with SEM_UNDO" : "without SEM_UNDO");
    show_value("while the child holds it");
    struct sembuf try = {.sem_num = 0, .sem_op = -1, .sem_flg = IPC_NOWAIT};
    if (semop(set_id, &try, 1) == 0 || errno != EAGAIN)
        err(1, "semop IPC_NOWAIT should have failed with EAGAIN");
    printf("parent's semop with IPC_NOWAIT: EAGAIN, it is taken\n");

    if (kill(child, SIGKILL) == -1)
        err(1, "kill");
    while (waitpid(child, &status, 0) == -1)
        if (errno != EINTR)
            err(1, "waitpid");
    child = -1;
    printf("child killed by signal %d while holding it\n",
           WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    show_value(undo ? "after its death (SEM_UNDO gave it back)"
                    : "after its death (no SEM_UNDO: still taken)");
    if (!undo) { /* the only way out: set it again by hand, ALP's sem_init */
        if (binary_semaphore_initialize(set_id) == -1)
            err(1, "semctl SETALL");
        show_value("after binary_semaphore_initialize (SETALL)");
    }
    return 0; /* cleanup runs now */
}
