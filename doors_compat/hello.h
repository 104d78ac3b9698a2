/* hello.h -- the argument door_client sends through the door and door_server reads. */
#ifndef HELLO_H
#define HELLO_H

/* The slide writes `typdef` and leaves out the `;` after `int id`: neither compiles. */
typedef struct myArg {
    int id;
} myArg_t;

#endif
