/* message.h -- the queue queue_producer makes in a mapped file and
 * queue_consumer maps: the lecture's class Message, as a C struct. */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <semaphore.h>

enum { MessageQueueSize = 5, MaxMessageSize = 20 };
#define MessageMagic 0x4d534731U /* "MSG1": stored last, once the queue is made */

typedef struct {
    sem_t _lock;  /* 1: guards _head, _tail and the slots */
    sem_t _empty; /* messages waiting: the consumer waits on it while there are none */
    sem_t _full;  /* free slots: the producer waits on it while there are none */
    int _head;    /* the slot the next message is taken from */
    int _tail;    /* the slot the next message goes into */
    char _messages[MessageQueueSize][MaxMessageSize];
    _Atomic unsigned _magic; /* _Atomic: whoever reads it set reads the rest made */
} Message;

#endif
