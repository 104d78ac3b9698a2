/* fcntl_queue.c -- the mapped queue for any number of producers and one
 *                  consumer, started in any order, restarted after kill -9.
 * Usage:  fcntl_queue put [-n count] [-i id] file    (default: 10 messages)
 *         fcntl_queue get [-p producers] file        (default: 1 producer)
 *         put sends count messages and an end marker; get prints "id seq
 *         text" for each until every producer's end marker, then removes file
 * Shows:  fcntl(2) locks settle who makes a shared file, with no race and no
 *         polling; the kernel drops a dead process's locks, so a file left by
 *         kill -9 is found unused and remade, its messages kept; the last
 *         process out removes the file (see open_queue and leave).
 * Limits: at most once: a process killed mid-step (in the mutex, or holding a
 *         count) can lose its message or freeze the queue (robust_queue cannot).
 * Beyond: queue_producer / queue_consumer (SYS mmap_locks): one producer that
 *         must come first, a consumer that never ends. */
#define _POSIX_C_SOURCE 200809L /* sem_timedwait, fcntl locks, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 16                      /* small, so that a full queue is easy to see */
#define MAGIC 0x51554531U             /* "QUE1" */
enum leave { KEEP, IF_LAST, REMOVE }; /* what leave() does with the file */

struct message {
    int producer;
    long seq; /* 1, 2, ...; 0: the producer's end marker */
    char text[48];
};

struct queue {
    unsigned magic;
    sem_t mutex, free, used; /* used: messages waiting; free: empty slots */
    unsigned head, tail;     /* messages ever taken, ever added */
    struct message slot[SLOTS];
};

static volatile sig_atomic_t stop;
static const char *path;
static int fd; /* open to the end: closing any descriptor of the file drops our lock */
static struct queue *q;

static void usage(void)
{
    fprintf(stderr, "usage: fcntl_queue put [-n count] [-i id] file\n"
                    "       fcntl_queue get [-p producers] file\n");
    exit(2);
}

static long number(const char *text, long min)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < min || value > 1000000000)
        usage();
    return value;
}

static void on_signal(int sig)
{
    stop = sig;
}

static int lock_first_byte(int cmd, short type)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    return fcntl(fd, cmd, &fl);
}

/* Map the file, refusing any other file; an empty one, when we may make the
 * queue, is sized first (zero-filled: head = tail = 0). Its indices are
 * checked by a maker only, which is alone: they hold still. Returns 1 if new. */
static int map_queue(int may_make)
{
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    int fresh = may_make && S_ISREG(st.st_mode) && st.st_size == 0;
    if (fresh && ftruncate(fd, sizeof *q) == -1)
        err(1, "ftruncate %s", path);
    if (!fresh && (!S_ISREG(st.st_mode) || st.st_size != (off_t)sizeof *q))
        errx(1, "%s exists and is not a queue file", path);
    q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (q == MAP_FAILED)
        err(1, "mmap %s", path);
    if (fresh)
        q->magic = MAGIC;
    if (q->magic != MAGIC || (may_make && q->tail - q->head > SLOTS))
        errx(1, "%s exists and is not a queue file", path);
    return fresh;
}

/* Whoever has the queue open holds a shared lock on its first byte. An
 * exclusive one, asked for without waiting, is granted only if nobody else
 * uses the file: we make the queue (or remake one left by killed processes),
 * then turn it shared. Refused, we wait for a shared lock: it comes once the
 * maker is done. Returns what it did. (O_NONBLOCK: a FIFO must not stop us.) */
static const char *open_queue(void)
{
    fd = open(path, O_RDWR | O_CREAT | O_NONBLOCK, 0600);
    if (fd == -1)
        err(1, "open %s", path);
    if (lock_first_byte(F_SETLK, F_WRLCK) == -1) { /* in use: wait for its maker */
        if (errno != EAGAIN && errno != EACCES)
            err(1, "fcntl F_SETLK %s", path);
        while (lock_first_byte(F_SETLKW, F_RDLCK) == -1) {
            if (errno != EINTR)
                err(1, "fcntl F_SETLKW %s", path);
            if (stop)
                errx(1, "stopped before the queue was ready");
        }
        map_queue(0);
        return "joined the queue";
    }
    int fresh = map_queue(1);
    /* pshared 1: other processes use them. A left file's were held by the
     * dead, perhaps mid-wait: remade, with counts from the ring's indices. */
    unsigned waiting = q->tail - q->head;
    if (sem_init(&q->mutex, 1, 1) == -1 || sem_init(&q->free, 1, SLOTS - waiting) == -1 ||
        sem_init(&q->used, 1, waiting) == -1)
        err(1, "sem_init");
    if (lock_first_byte(F_SETLK, F_RDLCK) == -1) /* atomic: exclusive -> shared */
        err(1, "fcntl F_SETLK %s", path);
    return fresh ? "created a new queue" : "reopened a queue nobody was using";
}

/* Unmap and close; remove the file if asked to, or IF_LAST nobody else has it
 * open (only then is an exclusive lock granted). Returns 1 if removed. */
static int leave(enum leave how)
{
    munmap(q, sizeof *q);
    int gone =
        how == REMOVE || (how == IF_LAST && lock_first_byte(F_SETLK, F_WRLCK) == 0);
    if (gone && unlink(path) == -1)
        err(1, "unlink %s", path);
    close(fd);
    return gone;
}

static void stopped(const char *who, long done)
{
    errx(1, "%s: stopped by %s after %ld messages%s", who,
         stop == SIGINT ? "SIGINT" : "SIGTERM", done,
         leave(IF_LAST) ? "; queue file removed" : "");
}

/* Wait for a count in one-second slices (they close the gap between testing
 * the flag and blocking); -1 once a stop signal has come. */
static int wait_count(sem_t *sem)
{
    struct timespec deadline;
    while (!stop) {
        if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
            err(1, "clock_gettime");
        deadline.tv_sec += 1;
        if (sem_timedwait(sem, &deadline) == 0)
            return 0;
        if (errno != ETIMEDOUT && errno != EINTR)
            err(1, "sem_timedwait");
    }
    return -1;
}

/* One message in (put) or out: wait for a free slot or a waiting message,
 * then for the mutex, and change one index, last. -1 on a stop signal. */
static int transfer(struct message *m, int put)
{
    if (wait_count(put ? &q->free : &q->used) == -1)
        return -1;
    if (wait_count(&q->mutex) == -1) { /* a stop: give back the count just taken */
        sem_post(put ? &q->free : &q->used);
        return -1;
    }
    if (put) {
        q->slot[q->tail % SLOTS] = *m;
        q->tail++;
    } else {
        *m = q->slot[q->head % SLOTS];
        q->head++;
    }
    if (sem_post(&q->mutex) == -1 || sem_post(put ? &q->used : &q->free) == -1)
        err(1, "sem_post");
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc < 2 || (strcmp(argv[1], "put") != 0 && strcmp(argv[1], "get") != 0))
        usage();
    int putting = strcmp(argv[1], "put") == 0, opt;
    long count = 10, id = getpid(), producers = 1, n, ended = 0;
    argv++, argc--; /* getopt starts after the role */
    while ((opt = getopt(argc, argv, putting ? ":n:i:" : ":p:")) != -1) {
        if (opt == 'n')
            count = number(optarg, 0);
        else if (opt == 'i')
            id = number(optarg, 0);
        else if (opt == 'p')
            producers = number(optarg, 1);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    path = argv[optind];
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: it cuts waits */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    char who[32] = "consumer";
    if (putting)
        snprintf(who, sizeof who, "producer %ld", id);
    const char *how = open_queue(); /* what it did: on stderr, like every status line */
    fprintf(stderr, "%s: %s in %s (%u waiting)\n", who, how, path, q->tail - q->head);

    struct message m = {.producer = (int)id};
    for (n = 1; putting && n <= count + 1; n++) { /* the last one: the end marker */
        m.seq = n <= count ? n : 0;
        snprintf(m.text, sizeof m.text, "message %ld from producer %ld", n, id);
        if (transfer(&m, 1) == -1)
            stopped(who, n - 1);
    }
    for (n = 0; !putting && ended < producers; m.seq == 0 ? ended++ : n++) {
        if (transfer(&m, 0) == -1)
            stopped(who, n);
        m.text[sizeof m.text - 1] = '\0'; /* never trust the file: a terminator, */
        for (char *c = m.text; *c != '\0'; c++)
            if (*c < ' ' || *c > '~') /* no control byte raw (nor one past ASCII) */
                *c = '?';
        if (m.seq != 0)
            printf("%d %ld %s\n", m.producer, m.seq, m.text);
    }
    fflush(stdout); /* before the last line on stderr, which may share its file */
    leave(putting ? KEEP : REMOVE); /* the consumer removes it, having everything */
    if (putting)
        fprintf(stderr, "%s: sent %ld messages and an end marker\n", who, count);
    else
        fprintf(stderr, "%s: %ld messages, %ld end markers, file gone\n", who, n, ended);
    return 0;
}
