/* msgq_server.h -- what msgq_server and msgq_client agree on.
 * One System V queue, key ftok(keyfile, MSGQ_SERVER_PROJ_ID), for every client.
 * A client sends a request of type REQUEST_TYPE that carries its pid and a
 * number of its own (seq); the server answers with a reply whose type is that
 * pid and which carries the same seq, so each client takes only its own reply.
 * A message's size, as msgsnd and msgrcv count it, is that of its body: the
 * fields after mtype, and of the text only its bytes (no '\0'). */
#ifndef MSGQ_SERVER_H
#define MSGQ_SERVER_H

#include <stddef.h>

#define MSGQ_SERVER_PROJ_ID 'M' /* ftok's project id */
#define REQUEST_TYPE 1L         /* replies use the client's pid: always > 1 */
#define TEXT_MAX 256            /* the longest text of a request or a reply */

struct request {
    long mtype; /* REQUEST_TYPE */
    struct {
        long pid;                /* the client's: the type of its reply */
        long seq;                /* the client's number, sent back in the reply */
        char text[TEXT_MAX + 1]; /* + 1: see msgq_server; never sent */
    } body;
};

struct reply {
    long mtype; /* the client's pid */
    struct {
        long seq;
        char text[TEXT_MAX + 1];
    } body;
};

/* The size of a body whose text has len bytes. */
#define REQUEST_SIZE(len)                                                                \
    (offsetof(struct request, body.text) - offsetof(struct request, body) + (len))
#define REPLY_SIZE(len)                                                                  \
    (offsetof(struct reply, body.text) - offsetof(struct reply, body) + (len))

#endif
