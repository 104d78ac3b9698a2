/* robust_mutex.c -- a lock that outlives its holder: a robust, process-shared
 *                   pthread mutex and condition variable in shared memory.
 * Usage:  robust_mutex [-g]
 *         -g  the waiter gives up instead of repairing: ENOTRECOVERABLE for all
 * Shows:  pthread_mutexattr_setpshared and pthread_condattr_setpshared
 *         (PTHREAD_PROCESS_SHARED: the mutex and the condition variable live in
 *         memory that several processes attach), pthread_mutexattr_setrobust
 *         (PTHREAD_MUTEX_ROBUST). A waiter sleeps in pthread_cond_wait; a
 *         holder takes the lock, does half of an update and is killed; the
 *         waiter's pthread_cond_wait returns EOWNERDEAD with the lock held; it
 *         repairs the state and calls pthread_mutex_consistent, and the next
 *         pthread_mutex_lock works again. Without the robust attribute the
 *         waiter would sleep for ever; without pthread_mutex_consistent the
 *         unlock leaves the mutex unusable (ENOTRECOVERABLE), as -g shows.
 *         The memory is a System V segment, IPC_PRIVATE and removed as soon as
 *         it is attached: the children inherit it across fork(2), and nothing
 *         can outlive the run, whatever kills it.
 * Beyond: shm/sipc1 and sipc2, whose turn word is polled and has no owner;
 *         APUE 3rd ed. 12.4.1 (mutex attributes: process-shared, robust) and
 *         12.4.3 (condition variable attributes).
 * Build:  cc -pthread -o robust_mutex robust_mutex.c */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; robust mutexes are POSIX 2008 */

#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL 100 /* from + to, whenever nobody holds the lock */
#define HALF 30   /* what the holder takes from 'from' before it dies */
#define MOVE 10   /* what the waiter moves once the state is repaired */

/* What the processes share: the lock, the condition, and the state they guard. */
struct shared {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int waiting; /* the waiter is in pthread_cond_wait */
    int holding; /* the holder has the lock (and will die with it) */
    long from, to;
};

static int give_up; /* -g: the waiter does not repair */

static void usage(void)
{
    fprintf(stderr, "usage: robust_mutex [-g]\n");
    exit(2);
}

/* pthread calls return an error number instead of setting errno. _exit: the
 * children share the parent's stdio, and stdout is flushed at every line. */
static void check(int rc, const char *call)
{
    if (rc != 0) {
        errno = rc;
        warn("%s", call);
        _exit(1);
    }
}

/* The mutex and condition variable are used by several processes, and the
 * mutex must be released by the kernel when its holder dies. */
static void init_shared(struct shared *s)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    check(pthread_mutexattr_init(&ma), "pthread_mutexattr_init");
    check(pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED),
          "pthread_mutexattr_setpshared");
    check(pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST),
          "pthread_mutexattr_setrobust");
    check(pthread_mutex_init(&s->lock, &ma), "pthread_mutex_init");
    pthread_mutexattr_destroy(&ma);
    check(pthread_condattr_init(&ca), "pthread_condattr_init");
    check(pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED),
          "pthread_condattr_setpshared");
    check(pthread_cond_init(&s->changed, &ca), "pthread_cond_init");
    pthread_condattr_destroy(&ca);
    s->from = TOTAL;
    s->to = 0;
}

/* Wait for the holder; its death hands us the lock with EOWNERDEAD. */
static void waiter(struct shared *s)
{
    check(pthread_mutex_lock(&s->lock), "waiter: pthread_mutex_lock");
    s->waiting = 1;
    check(pthread_cond_broadcast(&s->changed), "pthread_cond_broadcast");
    printf("waiter %ld: waiting on the condition (the lock is free meanwhile)\n",
           (long)getpid());
    int rc = 0;
    while (!s->holding && rc == 0)
        rc = pthread_cond_wait(&s->changed, &s->lock);
    if (rc != EOWNERDEAD) {
        warnx("waiter: pthread_cond_wait: %s, not EOWNERDEAD", rc ? strerror(rc) : "0");
        _exit(1);
    }
    printf("waiter %ld: pthread_cond_wait: EOWNERDEAD, the lock is mine: ",
           (long)getpid());
    printf("from %ld + to %ld = %ld, not %d\n", s->from, s->to, s->from + s->to, TOTAL);
    if (give_up) {
        printf("waiter %ld: gives up: unlocks without pthread_mutex_consistent\n",
               (long)getpid());
        check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
        _exit(0);
    }
    s->to = TOTAL - s->from; /* finish the dead holder's transfer */
    check(pthread_mutex_consistent(&s->lock), "pthread_mutex_consistent");
    printf("waiter %ld: repaired (to %ld); pthread_mutex_consistent\n", (long)getpid(),
           s->to);
    s->from -= MOVE;
    s->to += MOVE;
    printf("waiter %ld: moved %d (from %ld, to %ld); unlocks\n", (long)getpid(), MOVE,
           s->from, s->to);
    check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
    _exit(0);
}

/* Take the lock, do half of a transfer, and die holding the lock. */
static void holder(struct shared *s)
{
    check(pthread_mutex_lock(&s->lock), "holder: pthread_mutex_lock");
    s->holding = 1;
    s->from -= HALF;
    check(pthread_cond_broadcast(&s->changed), "pthread_cond_broadcast");
    printf("holder %ld: took %d from 'from' (from %ld, to %ld); ", (long)getpid(), HALF,
           s->from, s->to);
    printf("killed before 'to' gets it\n");
    raise(SIGKILL);
}

static pid_t start(void (*child)(struct shared *), struct shared *s)
{
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        child(s);
    return pid;
}

/* The mutex after both children: working again, or not recoverable (-g). */
static int lock_again(struct shared *s)
{
    int rc = pthread_mutex_lock(&s->lock);
    if (rc == ENOTRECOVERABLE && give_up) {
        printf("robust_mutex: pthread_mutex_lock: ENOTRECOVERABLE: unusable for good\n");
        return 0;
    }
    check(rc, "pthread_mutex_lock after the repair");
    printf("robust_mutex: pthread_mutex_lock works again: from %ld, to %ld\n", s->from,
           s->to);
    check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
    if (s->from + s->to != TOTAL)
        errx(1, "from + to is %ld, not %d: the state was not repaired", s->from + s->to,
             TOTAL);
    return 0;
}

int main(int argc, char *argv[])
{
    int opt;
    while ((opt = getopt(argc, argv, ":g")) == 'g')
        give_up = 1;
    if (opt != -1 || optind != argc)
        usage();
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines of three processes, in order */

    int shmid = shmget(IPC_PRIVATE, sizeof(struct shared), IPC_CREAT | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget");
    struct shared *s = shmat(shmid, NULL, 0);
    if (s == (void *)-1) {
        warn("shmat");
        shmctl(shmid, IPC_RMID, NULL);
        exit(1);
    }
    if (shmctl(shmid, IPC_RMID, NULL) == -1)
        err(1, "shmctl IPC_RMID");
    printf("robust_mutex: segment %d (removed already: it goes with its last process)\n",
           shmid);
    init_shared(s);

    pid_t w = start(waiter, s);
    check(pthread_mutex_lock(&s->lock), "pthread_mutex_lock");
    while (!s->waiting) /* then the waiter is inside pthread_cond_wait */
        check(pthread_cond_wait(&s->changed, &s->lock), "pthread_cond_wait");
    check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");
    pid_t h = start(holder, s);

    int ws, hs;
    if (waitpid(w, &ws, 0) == -1 || waitpid(h, &hs, 0) == -1)
        err(1, "waitpid");
    if (!WIFSIGNALED(hs) || WTERMSIG(hs) != SIGKILL || !WIFEXITED(ws) || WEXITSTATUS(ws))
        errx(1, "the holder was to be killed by SIGKILL and the waiter to exit 0");
    printf("robust_mutex: holder %ld was killed by SIGKILL holding the lock; ", (long)h);
    printf("waiter %ld exited 0\n", (long)w);
    return lock_again(s);
}
