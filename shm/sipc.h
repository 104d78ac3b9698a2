/* sipc.h -- what sipc1 and sipc2 share: the layout of their System V
 * segment, and how either of them creates it or attaches to it, whichever
 * starts first.
 *
 * The segment holds two process-shared POSIX semaphores: the client posts
 * "request_posted" after writing its request, the server posts
 * "reply_posted" after writing its reply. Each side sleeps in sem_wait, so
 * nobody spins on a flag, and the semaphores order the memory accesses, so
 * there is no data race on the text (the lecture loops on a plain int).
 *
 * Who initialises? Both programs try shmget(IPC_CREAT | IPC_EXCL): exactly
 * one of them succeeds and initialises the semaphores in place; the other
 * gets EEXIST, attaches, and waits until the creator has published
 * "ready" (a C11 release store, read with acquire). That wait is the only
 * polling here and lasts microseconds: the creator initialises right after
 * creating. Once both are attached, the second one removes the key
 * (IPC_RMID): Linux keeps a removed segment until its last detach, so from
 * then on nothing can be left behind, even by SIGKILL. */
#ifndef SIPC_H
#define SIPC_H

#include <err.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIPC_PROJ_ID 'S' /* ftok's project id: same path, same key in both */
#define SIPC_TEXT 256    /* room for a request or a reply, with its NUL */
#define SIPC_READY 0x53495043u
#define SIPC_INIT_SECONDS 5 /* how long a creator may take to initialise */

struct sipc_segment {
    atomic_uint ready; /* SIPC_READY once the semaphores are initialised */
    sem_t request_posted;
    sem_t reply_posted;
    char request[SIPC_TEXT];
    char reply[SIPC_TEXT];
};

/* One exchange per process: kept global so the atexit handler finds it. */
static struct {
    int id;
    struct sipc_segment *seg;
} sipc = {-1, NULL};

static volatile sig_atomic_t sipc_stop; /* set by SIGINT or SIGTERM */

static void sipc_on_signal(int sig)
{
    sipc_stop = sig;
}

/* No SA_RESTART: a signal must interrupt sem_timedwait and nanosleep. */
static void sipc_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sipc_on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Detach and remove; removing twice (both sides do it) is harmless. */
static void sipc_cleanup(void)
{
    if (sipc.seg != NULL && shmdt(sipc.seg) == -1)
        warn("shmdt");
    sipc.seg = NULL;
    if (sipc.id != -1 && shmctl(sipc.id, IPC_RMID, NULL) == -1 && errno != EINVAL &&
        errno != EIDRM)
        warn("shmctl IPC_RMID");
    sipc.id = -1;
}

static key_t sipc_key(const char *path)
{
    key_t key = ftok(path, SIPC_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a real key, shared by every mistake */
        err(1, "ftok %s", path);
    return key;
}

static void sipc_attach(void)
{
    sipc.seg = shmat(sipc.id, NULL, 0);
    if (sipc.seg == (void *)-1) {
        sipc.seg = NULL;
        err(1, "shmat");
    }
}

/* We made the segment: initialise it in place, then publish it. */
static void sipc_initialise(void)
{
    if (sem_init(&sipc.seg->request_posted, 1, 0) == -1 ||
        sem_init(&sipc.seg->reply_posted, 1, 0) == -1)
        err(1, "sem_init");
    atomic_store_explicit(&sipc.seg->ready, SIPC_READY, memory_order_release);
}

/* A segment nobody is attached to, whose creator no longer exists, was left
 * by a run killed with SIGKILL before its peer came. */
static int sipc_is_stale(int id)
{
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) == -1)
        return 0; /* gone meanwhile: the caller's next shmget will tell */
    if (ds.shm_segsz < sizeof(struct sipc_segment))
        errx(1,
             "a segment with this key exists but is too small to be ours "
             "(id %d): remove it with ipcrm -m %d",
             id, id);
    return ds.shm_nattch == 0 && kill(ds.shm_cpid, 0) == -1 && errno == ESRCH;
}

/* The creator may not have initialised yet: sleep a millisecond at a time. */
static void sipc_wait_ready(void)
{
    struct timespec ms = {0, 1000000};
    for (long i = 0; i < SIPC_INIT_SECONDS * 1000L; i++) {
        if (atomic_load_explicit(&sipc.seg->ready, memory_order_acquire) == SIPC_READY)
            return;
        if (sipc_stop)
            exit(1); /* atexit detaches and removes */
        nanosleep(&ms, NULL);
    }
    errx(1, "segment %d was never initialised (its creator died?)", sipc.id);
}

/* Create the segment or attach to the peer's; say which. */
static void sipc_open(const char *me, key_t key)
{
    if (atexit(sipc_cleanup) != 0)
        errx(1, "atexit failed");
    for (;;) {
        sipc.id = shmget(key, sizeof(struct sipc_segment),
                         IPC_CREAT | IPC_EXCL | S_IRUSR | S_IWUSR);
        if (sipc.id != -1) {
            sipc_attach();
            sipc_initialise();
            printf("%s: created segment %d (key %#010x)\n", me, sipc.id, (unsigned)key);
            return;
        }
        if (errno != EEXIST)
            err(1, "shmget");
        int id = shmget(key, 0, 0);
        if (id == -1 && errno == ENOENT)
            continue; /* removed between our two calls: try to create again */
        if (id == -1)
            err(1, "shmget");
        if (sipc_is_stale(id)) {
            printf("%s: removing stale segment %d left by a killed run\n", me, id);
            if (shmctl(id, IPC_RMID, NULL) == -1 && errno != EINVAL && errno != EIDRM)
                err(1, "shmctl IPC_RMID");
            continue;
        }
        sipc.id = id;
        sipc_attach();
        sipc_wait_ready();
        /* Both ends are attached: the key is no longer needed. */
        if (shmctl(sipc.id, IPC_RMID, NULL) == -1)
            err(1, "shmctl IPC_RMID");
        printf("%s: attached to segment %d (key %#010x) made by the other side\n", me,
               sipc.id, (unsigned)key);
        return;
    }
}

/* sem_wait, but give up after 'seconds' (0: never) or when a signal asks us
 * to stop. Waiting in one-second slices closes the gap between testing the
 * flag and blocking: a signal landing there costs at most a second. */
static void sipc_wait(sem_t *sem, long seconds, const char *what)
{
    struct timespec now;
    for (long waited = 0; seconds == 0 || waited < seconds; waited++) {
        if (sipc_stop) {
            sipc_cleanup();
            errx(1, "stopped by %s; segment removed",
                 sipc_stop == SIGINT ? "SIGINT" : "SIGTERM");
        }
        if (clock_gettime(CLOCK_REALTIME, &now) == -1)
            err(1, "clock_gettime");
        now.tv_sec += 1;
        if (sem_timedwait(sem, &now) == 0)
            return;
        if (errno != ETIMEDOUT && errno != EINTR)
            err(1, "sem_timedwait");
        if (errno == EINTR)
            waited--; /* a signal is not a second */
    }
    errx(1, "no %s after %ld s; segment removed", what, seconds);
}

/* Seconds to wait, from -t: a non-negative decimal, else -1. */
static long sipc_seconds(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 0)
        return -1;
    return value;
}

#endif
