/* robust_queue.c -- a mapped queue that no kill -9 can freeze or rob of a message.
 * Usage:  robust_queue make file
 *         robust_queue put [-n count] [-i id] file
 *         robust_queue get file
 *         make creates the queue file (it stays until you remove it); put
 *         sends each line of its input, or -n numbered messages; get prints
 *         "id seq text" for each message, until a signal stops it
 * Shows:  a robust process-shared mutex: whoever locks it after its holder
 *         died gets EOWNERDEAD, and calls pthread_mutex_consistent. At-least-
 *         once delivery: get prints a message while it holds the lock and
 *         takes it out after: a get killed before the take leaves it to the
 *         next (printed twice if the kill fell after the print), never lost.
 *         So a stop signal is just a death: it needs no handler.
 * Limits: a get whose output is stuck holds the lock: the others wait.
 * Beyond: queue_producer / queue_consumer (SYS mmap_locks) and fcntl_queue,
 *         whose queues a process killed mid-step can freeze or rob.
 *         Robust mutexes: APUE 12.4.1; the mutex alone: shm/robust_mutex. */
#define _POSIX_C_SOURCE 200809L /* robust mutexes, sem_timedwait, getline */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 16          /* small, so that a full queue is easy to see */
#define MAGIC 0x51554532U /* "QUE2" */

struct message {
    int producer;
    long seq; /* 1, 2, ...: the line or the number */
    char text[48];
};

/* The bells are semaphores but no counts: whoever wakes looks at the ring, so
 * a post or a wait a killed process never finished cannot make it lie. */
struct queue {
    _Atomic unsigned magic; /* stored last by make: all before it is ready */
    pthread_mutex_t lock;   /* robust, process-shared: guards all that follows */
    sem_t items, room;      /* the bells */
    _Atomic unsigned head;  /* messages ever taken */
    _Atomic unsigned tail;  /* messages ever put */
    struct message slot[SLOTS];
};

static struct queue *q;

static void usage(void)
{
    fprintf(stderr, "usage: robust_queue make file\n"
                    "       robust_queue put [-n count] [-i id] file\n"
                    "       robust_queue get file\n");
    exit(2);
}

static long number(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < 0 || value > 1000000000)
        usage();
    return value;
}

static void unmake(const char *path, const char *call, int e)
{
    unlink(path); /* a make that fails leaves nothing behind */
    errx(1, "%s %s: %s", call, path, strerror(e));
}

/* A new file only (O_EXCL refuses any other, a FIFO too), sized and mapped,
 * its lock and bells made in place for many processes. */
static void make_queue(const char *path)
{
    pthread_mutexattr_t attr;
    int e, fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1)
        err(1, "open %s", path);
    if (ftruncate(fd, sizeof *q) == -1)
        unmake(path, "ftruncate", errno);
    q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (q == MAP_FAILED)
        unmake(path, "mmap", errno);
    if ((e = pthread_mutexattr_init(&attr)) != 0 ||
        (e = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)) != 0 ||
        (e = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST)) != 0 ||
        (e = pthread_mutex_init(&q->lock, &attr)) != 0)
        unmake(path, "pthread_mutex_init", e);
    if (sem_init(&q->items, 1, 0) == -1 || sem_init(&q->room, 1, 0) == -1)
        unmake(path, "sem_init", errno);
    q->magic = MAGIC; /* _Atomic: who sees it stored sees all stored before */
    printf("%s: a queue of %d slots of %zu bytes\n", path, SLOTS, sizeof(struct message));
}

/* put and get: a queue make made, no other file (O_NONBLOCK: nor a FIFO). */
static void open_queue(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_NONBLOCK);
    if (fd == -1 && errno == ENOENT)
        errx(1, "%s does not exist: robust_queue make %s first", path, path);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st.st_mode) || st.st_size != (off_t)sizeof *q)
        errx(1, "%s is not a queue file", path);
    q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (q == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd); /* the mapping stays */
    if (q->magic != MAGIC) /* head and tail are read under the lock only */
        errx(1, "%s holds no queue (yet?)", path);
}

/* A holder killed in a put or a get died before or after its last store
 * (tail++, head++): the ring is sound either way. Say so, and go on. */
static void lock_queue(void)
{
    int e = pthread_mutex_lock(&q->lock);
    if (e == EOWNERDEAD) {
        warnx("the lock's holder died; the queue goes on");
        e = pthread_mutex_consistent(&q->lock);
    }
    if (e != 0)
        errx(1, "pthread_mutex_lock: %s", strerror(e));
}

static void unlock_queue(void)
{
    int e = pthread_mutex_unlock(&q->lock);
    if (e != 0)
        errx(1, "pthread_mutex_unlock: %s", strerror(e));
}

/* One post wakes one waiter; a bell already ringing needs no second one. */
static void ring(sem_t *bell)
{
    int value;
    if (sem_getvalue(bell, &value) == -1 || (value <= 0 && sem_post(bell) == -1))
        err(1, "sem_post");
}

/* A second at most: a ring that a killed process never gave costs no more. */
static void wait_bell(sem_t *bell)
{
    struct timespec t;
    if (clock_gettime(CLOCK_REALTIME, &t) == -1)
        err(1, "clock_gettime");
    t.tv_sec += 1;
    if (sem_timedwait(bell, &t) == -1 && errno != ETIMEDOUT && errno != EINTR)
        err(1, "sem_timedwait");
}

/* One message in (put) or out, under the lock, once the ring has room or holds
 * one; a get prints it before it takes it out. Each ends with one store. */
static void transfer(struct message *m, int put)
{
    for (lock_queue(); q->tail - q->head == (put ? SLOTS : 0); lock_queue()) {
        unlock_queue();
        wait_bell(put ? &q->room : &q->items);
    }
    if (put) {
        q->slot[q->tail % SLOTS] = *m;
        q->tail++; /* _Atomic: the compiler keeps this store after the slot's */
    } else {
        *m = q->slot[q->head % SLOTS];
        m->text[sizeof m->text - 1] = '\0'; /* never trust the file: a NUL, */
        for (char *c = m->text; *c != '\0'; c++)
            if (!isprint((unsigned char)*c)) /* and no control byte printed raw */
                *c = '?';
        if (dprintf(STDOUT_FILENO, "%d %ld %s\n", m->producer, m->seq, m->text) < 0)
            err(1, "write to standard output"); /* it stays, as after a kill */
        q->head++;
    }
    unlock_queue();
    ring(put ? &q->items : &q->room);
}

/* Each line of stdin a message, numbered as the line; one too long for a slot,
 * or holding a NUL, is said and not sent (*refused). Returns how many were. */
static long put_lines(struct message *m, long *refused)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    for (m->seq = 1; (len = getline(&line, &size, stdin)) != -1; m->seq++) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if ((size_t)len >= sizeof m->text || strlen(line) != (size_t)len) {
            warnx("line %ld: %zd bytes (a message holds %zu, and no NUL): not sent",
                  m->seq, len, sizeof m->text - 1);
            (*refused)++;
            continue;
        }
        memcpy(m->text, line, (size_t)len + 1);
        transfer(m, 1);
    }
    if (ferror(stdin))
        err(1, "read standard input");
    free(line);
    return m->seq - 1 - *refused;
}

int main(int argc, char *argv[])
{
    const char *role = argc > 1 ? argv[1] : "";
    int putting = strcmp(role, "put") == 0, opt;
    long count = -1, id = getpid(), refused = 0;
    if (!putting && strcmp(role, "get") != 0 && strcmp(role, "make") != 0)
        usage();
    argv++, argc--; /* getopt starts after the role */
    while ((opt = getopt(argc, argv, putting ? ":n:i:" : ":")) != -1) {
        if (opt == 'n')
            count = number(optarg);
        else if (opt == 'i')
            id = number(optarg);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    if (strcmp(role, "make") == 0) {
        make_queue(argv[optind]);
        return 0;
    }
    open_queue(argv[optind]);

    struct message m = {.producer = (int)id};
    while (!putting)
        transfer(&m, 0); /* like the lecture's consumer: until a signal stops it */
    if (count == -1)
        count = put_lines(&m, &refused);
    else
        for (m.seq = 1; m.seq <= count; m.seq++) {
            snprintf(m.text, sizeof m.text, "message %ld from producer %ld", m.seq, id);
            transfer(&m, 1);
        }
    fprintf(stderr, "robust_queue: producer %ld: sent %ld messages\n", id, count);
    return refused > 0;
}
