/* queue_producer.c -- make a bounded queue in a mapped file and put numbered
 *                     messages into it, for queue_consumer to take out.
 * Usage:  queue_producer [-n count] [file]    (default: 100 messages, shared.dat)
 * Shows:  a queue object that lives in a MAP_SHARED mapping with its three
 *         semaphores, made in place by sem_init(&sem, 1, value) (1: shared
 *         between processes). _full counts free slots: the producer waits on
 *         it while the queue is full; _empty counts messages; _lock guards
 *         the ring. Like the lecture's, it waits for Enter before it lets go.
 * Limits: one producer per file, started first: it creates the file, refuses
 *         one that exists, and removes it at the end and on SIGINT/SIGTERM.
 *         A consumer killed in DequeueMessage can freeze the queue (see
 *         queue_consumer); SIGTERM still stops the producer, file removed.
 *         Many producers, any order: fcntl_queue; kill -9: robust_queue.
 * Mirrors: SYS mmap_locks (message.cc and producer.cc). */
#define _POSIX_C_SOURCE 200809L /* sigaction, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "message.h"

static const char *sharedFileName = "shared.dat";

static void usage(void)
{
    fprintf(stderr, "usage: queue_producer [-n count] [file]\n");
    exit(2);
}

/* Only the file must go, and unlink and _exit are async-signal-safe. */
static void on_signal(int sig)
{
    static const char note[] = "queue_producer: stopped by a signal; file removed\n";
    (void)sig;
    unlink(sharedFileName);
    ssize_t unused = write(STDERR_FILENO, note, sizeof note - 1);
    (void)unused;
    _exit(1);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void fail(const char *call)
{
    warn("%s %s", call, sharedFileName);
    unlink(sharedFileName);
    exit(1);
}

static Message *CopyToMemoryMappedFile(int fd)
{
    const char dummyVal = 0;
    if (lseek(fd, sizeof(Message), SEEK_SET) == -1)
        fail("lseek");
    if (write(fd, &dummyVal, 1) != 1)
        fail("write");
    /* The slide prints an error when one of these fails and carries on. */
    Message *msg = mmap(NULL, sizeof(Message), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (msg == MAP_FAILED)
        fail("mmap");
    /* The slide makes a Message on the heap and memcpy's it here: a copy of a
     * sem_t is no semaphore. sem_init makes them in place. */
    if (sem_init(&msg->_lock, 1, 1) == -1 || sem_init(&msg->_empty, 1, 0) == -1 ||
        sem_init(&msg->_full, 1, MessageQueueSize) == -1)
        fail("sem_init");
    msg->_head = msg->_tail = 0;
    msg->_magic = MessageMagic; /* last (_Atomic): queue_consumer may use it now */
    printf("message size = %zu\n", sizeof(Message));
    return msg;
}

/* sem_wait, again after EINTR: on Linux a stop and continue (Ctrl-Z, fg)
 * interrupts it even without a handler. */
static void wait_for(sem_t *sem)
{
    while (sem_wait(sem) == -1)
        if (errno != EINTR)
            fail("sem_wait");
}

static void EnqueueMessage(Message *q, const char *msg)
{
    wait_for(&q->_full);
    wait_for(&q->_lock);
    /* The slide adds 1 to one _current and then stores: a stack, last in
     * first out, whose fifth message lands past the array. A ring stores
     * at _tail and moves it on; the consumer takes from _head. */
    /* The slide memcpy's strlen(msg) bytes: past the slot's 20 if longer. */
    snprintf(q->_messages[q->_tail], MaxMessageSize, "%s", msg);
    q->_tail = (q->_tail + 1) % MessageQueueSize;
    if (sem_post(&q->_lock) == -1 || sem_post(&q->_empty) == -1)
        fail("sem_post");
}

int main(int argc, char *argv[])
{
    int count = 100, opt;
    char *end;
    while ((opt = getopt(argc, argv, ":n:")) != -1) {
        errno = 0;
        long n = opt == 'n' ? strtol(optarg, &end, 10) : -1;
        if (n < 0 || n > 1000000000 || *end != '\0' || end == optarg || errno != 0)
            usage();
        count = (int)n;
    }
    if (argc - optind > 1)
        usage();
    if (optind < argc)
        sharedFileName = argv[optind];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it happens, even into a pipe */

    catch_signals(); /* before the file exists: no moment it could be left */
    /* The slide's O_TRUNC would empty a queue in use under its consumer
     * (SIGBUS there): a file that exists is refused. */
    int fd = open(sharedFileName, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd == -1)
        err(1, "open %s", sharedFileName);
    Message *msg = CopyToMemoryMappedFile(fd);

    for (int i = 0; i < count; i++) {
        char message[MaxMessageSize];
        snprintf(message, sizeof message, "%d\n", i);
        EnqueueMessage(msg, message);
        printf("enqueued %d\n", i);
    }
    printf("message queue written. press Enter to remove %s...\n", sharedFileName);
    getchar();                    /* end of input goes on too */
    munmap(msg, sizeof(Message)); /* the lecture's ReleaseFile */
    close(fd);
    if (unlink(sharedFileName) == -1)
        err(1, "unlink %s", sharedFileName);
    return 0;
}
