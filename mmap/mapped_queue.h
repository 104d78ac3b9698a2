/* mapped_queue.h -- a bounded FIFO queue of fixed-size messages in a mapped
 * file, shared by unrelated processes: any number of producers, one consumer.
 *
 * The file holds the ring buffer and three process-shared POSIX semaphores,
 * initialised in place inside the mapping: "free" counts empty slots (a
 * producer waits on it when the queue is full), "used" counts full slots
 * (the consumer waits on it when the queue is empty), "mutex" guards the
 * ring's indices.
 *
 * Whoever opens the file first initialises it; see queue_open for how the
 * others wait for that without polling, and how a file left by processes
 * killed with SIGKILL is made usable again. */
#ifndef MAPPED_QUEUE_H
#define MAPPED_QUEUE_H

#include <signal.h>

#define QUEUE_SLOTS 16 /* small, so that a full queue is easy to see */
#define QUEUE_TEXT 48

struct queue_message {
    int producer; /* who sent it */
    long seq;     /* 1, 2, ... in the producer's order; QUEUE_END: no more */
    char text[QUEUE_TEXT];
};
#define QUEUE_END (-1L)

enum queue_origin {
    QUEUE_CREATED,  /* a new, empty queue */
    QUEUE_REBUILT,  /* a file nobody was using: its messages kept, its semaphores reset */
    QUEUE_ATTACHED, /* a queue other processes are using */
};

struct mapped_queue;

/* Open or create the queue file at path. Waits stop early (with errno
 * EINTR) once *stop is set, e.g. by a SIGINT or SIGTERM handler. Fatal
 * errors end the program with a message (err(3)). */
struct mapped_queue *queue_open(const char *path, volatile sig_atomic_t *stop,
                                enum queue_origin *origin);

/* Add a message; blocks while the queue is full. 0, or -1 with errno EINTR. */
int queue_put(struct mapped_queue *q, const struct queue_message *m);

/* Take the oldest message; blocks while the queue is empty. 0, or -1 (EINTR). */
int queue_get(struct mapped_queue *q, struct queue_message *m);

/* What queue_open did, in words: "created a new queue", ... */
const char *queue_origin_name(enum queue_origin origin);

/* Messages waiting in the queue right now. */
unsigned queue_length(struct mapped_queue *q);

enum queue_leave {
    QUEUE_KEEP,           /* leave the file (and any messages) for others */
    QUEUE_REMOVE_IF_LAST, /* unlink it if no other process has it open */
    QUEUE_REMOVE,         /* unlink it */
};

/* Unmap and close; returns 1 if the file was unlinked. */
int queue_close(struct mapped_queue *q, enum queue_leave leave);

#endif
