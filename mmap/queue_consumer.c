/* queue_consumer.c -- map the queue queue_producer made and take its
 *                     messages out, oldest first, printing each, forever.
 * Usage:  queue_consumer [file]    (default: shared.dat)
 * Shows:  joining a queue another process made: mmap(2) of the same file,
 *         MAP_SHARED, and its semaphores used as they are (a second sem_init
 *         would reset them under the producer). _empty counts messages:
 *         sem_wait on it blocks while the queue is empty.
 * Limits: like the lecture's, it never ends: stop it with Ctrl-C (the file is
 *         the producer's; there is nothing to clean). Start it after
 *         queue_producer has said "message size". Several consumers share
 *         the messages, each to one of them: at most once. Killed by kill -9
 *         in DequeueMessage, it takes the message it held with it, or leaves
 *         _lock taken, or a count it took lost: the queue can freeze for
 *         the others. robust_queue survives that.
 * Mirrors: SYS mmap_locks (message.cc and consumer.cc). */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "message.h"

static const char *sharedFileName = "shared.dat";

static Message *GetFromMemoryMappedFile(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", sharedFileName);
    if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Message))
        errx(1, "%s holds no queue (yet?): start queue_producer first", sharedFileName);
    Message *msg = mmap(NULL, sizeof(Message), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    /* The slide prints "mmap() returned -1" and returns MAP_FAILED as a Message. */
    if (msg == MAP_FAILED)
        err(1, "mmap %s", sharedFileName);
    if (msg->_magic != MessageMagic)
        errx(1, "%s holds no queue (yet?): start queue_producer first", sharedFileName);
    return msg;
}

/* sem_wait, again after EINTR: on Linux a stop and continue (Ctrl-Z, fg)
 * interrupts it even without a handler. */
static void wait_for(sem_t *sem)
{
    while (sem_wait(sem) == -1)
        if (errno != EINTR)
            err(1, "sem_wait");
}

/* The slide's DequeueMessage returns a new char[] that nobody deletes: one
 * leak per message. Here the caller lends the buffer. */
static void DequeueMessage(Message *q, char *msg)
{
    wait_for(&q->_empty);
    wait_for(&q->_lock);
    memcpy(msg, q->_messages[q->_head], MaxMessageSize);
    msg[MaxMessageSize - 1] = '\0'; /* never trust the file: a terminator, */
    for (char *c = msg; *c != '\0'; c++)
        if (!isprint((unsigned char)*c) && *c != '\n') /* no control byte raw */
            *c = '?';
    q->_head = (q->_head + 1) % MessageQueueSize;
    if (sem_post(&q->_lock) == -1 || sem_post(&q->_full) == -1)
        err(1, "sem_post");
}

int main(int argc, char *argv[])
{
    if (argc > 2 || (argc > 1 && argv[1][0] == '-')) { /* -h, --help: ./-x is a file */
        fprintf(stderr, "usage: queue_consumer [file]\n");
        return 2;
    }
    if (argc > 1)
        sharedFileName = argv[1];
    int fd = open(sharedFileName, O_RDWR | O_NONBLOCK); /* a FIFO must not make us wait */
    if (fd == -1 && errno == ENOENT)
        errx(1, "%s does not exist: start queue_producer first", sharedFileName);
    if (fd == -1)
        err(1, "open %s", sharedFileName);
    Message *msg = GetFromMemoryMappedFile(fd);

    int count = 0;
    for (;;) { /* as in the lecture: its ReleaseFile and close are never reached */
        char message[MaxMessageSize];
        DequeueMessage(msg, message);
        printf("%d: %s", ++count, message);
        fflush(stdout);
    }
}
