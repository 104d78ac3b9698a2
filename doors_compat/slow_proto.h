/* slow_proto.h -- slow_server's reply: this struct, then the argument bytes echoed. */
#ifndef SLOW_PROTO_H
#define SLOW_PROTO_H

struct slow_reply {
    long call;    /* the call's number, 1 for the server's first */
    int at_start; /* calls in progress when it started, itself included */
    int at_most;  /* the most calls in progress at once, as it ended */
};

#endif
