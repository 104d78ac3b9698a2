/* mapped_queue.c -- the bounded FIFO queue of mapped_queue.h.
 *
 * Who initialises the file, without a race and without polling: every
 * process that uses the queue holds a shared fcntl(2) lock on its first
 * byte for as long as it has the queue open. To open it, a process first
 * asks, without waiting, for an exclusive lock:
 *   - granted: nobody else is using the file. It is either new (empty: we
 *     initialise it) or left by processes that have all gone, perhaps killed
 *     in the middle of an operation (we keep the messages but set the
 *     semaphores again from the ring's indices). Then the lock is converted
 *     to a shared one, atomically.
 *   - refused: someone is using it; wait (F_SETLKW) for a shared lock. That
 *     returns as soon as an initialising process has converted its lock, so
 *     a queue is never seen half made.
 * The kernel drops a dead process's locks, which is what makes SIGKILL safe.
 *
 * The ring uses free-running indices: head counts messages ever taken,
 * tail messages ever added; tail - head is the length, index % QUEUE_SLOTS
 * the slot. Each operation changes one index, last, so a process killed in
 * the middle leaves a consistent ring.
 * Mirrors: SYS mmap_locks (a C++ queue that was really a stack, written past
 * its array); here in C, FIFO, bounded. */
#define _POSIX_C_SOURCE 200809L /* sem_timedwait, fcntl locks */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mapped_queue.h"

#define QUEUE_MAGIC 0x51554531U /* "QUE1" */

struct queue_shared {
    unsigned magic;
    unsigned slots;
    sem_t mutex;
    sem_t free;
    sem_t used;
    unsigned head;
    unsigned tail;
    struct queue_message slot[QUEUE_SLOTS];
};

struct mapped_queue {
    int fd; /* stays open: closing any descriptor of the file drops our lock */
    char *path;
    struct queue_shared *shared;
    volatile sig_atomic_t *stop;
};

static int lock_first_byte(int fd, int cmd, short type)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    return fcntl(fd, cmd, &fl);
}

static struct queue_shared *map_queue(int fd)
{
    void *area = mmap(NULL, sizeof(struct queue_shared), PROT_READ | PROT_WRITE,
                      MAP_SHARED, fd, 0);
    if (area == MAP_FAILED)
        err(1, "mmap queue");
    return area;
}

/* pshared = 1: the semaphores live in memory other processes map. */
static void init_semaphores(struct queue_shared *s)
{
    unsigned length = s->tail - s->head;
    if (sem_init(&s->mutex, 1, 1) == -1 ||
        sem_init(&s->free, 1, QUEUE_SLOTS - length) == -1 ||
        sem_init(&s->used, 1, length) == -1)
        err(1, "sem_init");
}

/* We hold the exclusive lock: nobody else has the file open. */
static struct queue_shared *initialise(const char *path, int fd,
                                       enum queue_origin *origin)
{
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (st.st_size == 0) {
        if (ftruncate(fd, sizeof(struct queue_shared)) == -1)
            err(1, "ftruncate %s", path);
        struct queue_shared *s = map_queue(fd); /* zero-filled: head = tail = 0 */
        init_semaphores(s);
        s->slots = QUEUE_SLOTS;
        s->magic = QUEUE_MAGIC;
        *origin = QUEUE_CREATED;
        return s;
    }
    if (st.st_size != (off_t)sizeof(struct queue_shared))
        errx(1, "%s exists and is not a queue file (%jd bytes)", path,
             (intmax_t)st.st_size);
    struct queue_shared *s = map_queue(fd);
    if (s->magic != QUEUE_MAGIC || s->slots != QUEUE_SLOTS ||
        s->tail - s->head > QUEUE_SLOTS)
        errx(1, "%s exists and is not a queue file", path);
    init_semaphores(s); /* their old holders are gone, perhaps mid-wait */
    *origin = QUEUE_REBUILT;
    return s;
}

/* Someone else has the queue: wait until it is initialised, then map it. */
static struct queue_shared *attach(const char *path, int fd, volatile sig_atomic_t *stop)
{
    while (lock_first_byte(fd, F_SETLKW, F_RDLCK) == -1) {
        if (errno != EINTR)
            err(1, "fcntl F_SETLKW %s", path);
        if (*stop)
            return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (st.st_size != (off_t)sizeof(struct queue_shared))
        errx(1, "%s is not a queue file (%jd bytes)", path, (intmax_t)st.st_size);
    struct queue_shared *s = map_queue(fd);
    if (s->magic != QUEUE_MAGIC)
        errx(1, "%s is not a queue file", path);
    return s;
}

struct mapped_queue *queue_open(const char *path, volatile sig_atomic_t *stop,
                                enum queue_origin *origin)
{
    struct mapped_queue *q = calloc(1, sizeof *q);
    if (q == NULL || (q->path = strdup(path)) == NULL)
        err(1, "malloc");
    q->stop = stop;
    q->fd = open(path, O_RDWR | O_CREAT, S_IRUSR | S_IWUSR);
    if (q->fd == -1)
        err(1, "open %s", path);
    if (lock_first_byte(q->fd, F_SETLK, F_WRLCK) == 0) {
        q->shared = initialise(path, q->fd, origin);
        if (lock_first_byte(q->fd, F_SETLK, F_RDLCK) == -1) /* atomic conversion */
            err(1, "fcntl F_SETLK %s", path);
    } else if (errno == EAGAIN || errno == EACCES) {
        q->shared = attach(path, q->fd, stop);
        *origin = QUEUE_ATTACHED;
    } else {
        err(1, "fcntl F_SETLK %s", path);
    }
    if (q->shared == NULL) { /* stopped while waiting */
        close(q->fd);
        free(q->path);
        free(q);
        errno = EINTR;
        return NULL;
    }
    return q;
}

/* Wait for a count; give up once *stop is set. Sleeping in one-second
 * slices closes the gap between testing the flag and blocking. */
static int wait_count(struct mapped_queue *q, sem_t *sem)
{
    struct timespec deadline;
    for (;;) {
        if (*q->stop) {
            errno = EINTR;
            return -1;
        }
        if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
            err(1, "clock_gettime");
        deadline.tv_sec += 1;
        if (sem_timedwait(sem, &deadline) == 0)
            return 0;
        if (errno != ETIMEDOUT && errno != EINTR)
            err(1, "sem_timedwait");
    }
}

/* The mutex is held for a few instructions: wait for it whatever happens,
 * or a count taken before it would be lost. */
static void lock(struct queue_shared *s)
{
    while (sem_wait(&s->mutex) == -1)
        if (errno != EINTR)
            err(1, "sem_wait");
}

static void post(sem_t *sem)
{
    if (sem_post(sem) == -1)
        err(1, "sem_post");
}

int queue_put(struct mapped_queue *q, const struct queue_message *m)
{
    struct queue_shared *s = q->shared;
    if (wait_count(q, &s->free) == -1)
        return -1;
    lock(s);
    s->slot[s->tail % QUEUE_SLOTS] = *m;
    s->tail++; /* last: the message is whole before it counts */
    post(&s->mutex);
    post(&s->used);
    return 0;
}

int queue_get(struct mapped_queue *q, struct queue_message *m)
{
    struct queue_shared *s = q->shared;
    if (wait_count(q, &s->used) == -1)
        return -1;
    lock(s);
    *m = s->slot[s->head % QUEUE_SLOTS];
    s->head++;
    post(&s->mutex);
    post(&s->free);
    return 0;
}

const char *queue_origin_name(enum queue_origin origin)
{
    switch (origin) {
    case QUEUE_CREATED:
        return "created a new queue";
    case QUEUE_REBUILT:
        return "reopened a queue nobody was using";
    default:
        return "joined the queue";
    }
}

unsigned queue_length(struct mapped_queue *q)
{
    lock(q->shared);
    unsigned length = q->shared->tail - q->shared->head;
    post(&q->shared->mutex);
    return length;
}

int queue_close(struct mapped_queue *q, enum queue_leave leave)
{
    int removed = 0;
    munmap(q->shared, sizeof *q->shared);
    /* An exclusive lock is granted only if nobody else holds the shared one. */
    if (leave == QUEUE_REMOVE || (leave == QUEUE_REMOVE_IF_LAST &&
                                  lock_first_byte(q->fd, F_SETLK, F_WRLCK) == 0)) {
        if (unlink(q->path) == -1)
            warn("unlink %s", q->path);
        else
            removed = 1;
    }
    close(q->fd);
    free(q->path);
    free(q);
    return removed;
}
