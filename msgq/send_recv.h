/* send_recv.h -- what send and recv agree on.
 * The key is ftok(keyfile, SEND_RECV_PROJ_ID), with the same keyfile on both
 * sides. Every line of send's input is one message of type TYPE_LINE whose text
 * is the line without its '\n' (no '\0' is sent); a message of type TYPE_END
 * with no text says that the input has ended. msgsnd and msgrcv are given the
 * size of the text, never the size of the struct. */
#ifndef SEND_RECV_H
#define SEND_RECV_H

#define SEND_RECV_PROJ_ID 'L' /* ftok's project id */
#define LINE_MAX_BYTES 512    /* the longest line's text, its '\n' not counted */
#define TYPE_LINE 1           /* a line of text */
#define TYPE_END 2            /* no text: the sender reached the end of its input */

/* LG's name. glibc declares a struct msgbuf of its own only under
 * _GNU_SOURCE, which send and recv do not define. */
struct msgbuf {
    long mtype;
    char mtext[LINE_MAX_BYTES + 1]; /* + 1: see recv */
};

#endif
