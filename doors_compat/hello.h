/* hello.h -- what door_client sends through the door and door_server answers. */
#ifndef HELLO_H
#define HELLO_H

#include <sys/types.h>

struct hello_request {
    long id;       /* the client's number for this request */
    char text[64]; /* a greeting, always NUL-terminated */
};

struct hello_reply {
    long id;      /* the request's id, echoed */
    pid_t server; /* who answered */
    long served;  /* how many requests the server has answered, this one included */
};

#endif
