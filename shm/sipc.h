/* sipc.h -- what sipc1 and sipc2 agree on: the ftok project id and the layout
 * of their segment. The segment holds a state that says whose turn it is, a
 * word that says a server came, and one text buffer: the client's request,
 * then the server's reply in its place. */
#ifndef SIPC_H
#define SIPC_H

#include <stdatomic.h>

#define SIPC_PROJ_ID 'S' /* ftok's project id: the same path gives the same key */
#define SIPC_TEXT 256    /* room for a request or a reply, with its NUL */

/* The turns, in order. A new segment is all zero bytes: it starts SIPC_IDLE. */
enum { SIPC_IDLE, SIPC_WRITING, SIPC_REQUEST, SIPC_REPLY };

struct sipc {
    atomic_int state;  /* one of the turns above */
    atomic_int server; /* 1 once sipc1 attached: a client then alone knows it died */
    char text[SIPC_TEXT];
};

/* A lock-free atomic keeps no lock inside one process: it works the same
 * from two processes that attach the segment at different addresses. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free");

#endif
