/* send_recv.h -- the protocol between send and recv.
 * Both take their key from ftok(keyfile, SEND_RECV_PROJ_ID). Every line of
 * send's input is one message of type TYPE_LINE whose text is the line without
 * its '\n' (no '\0' is added); a message of type TYPE_END with no text says the
 * input has ended.
 * msgsnd and msgrcv are given the size of the text, never of the struct. */
#ifndef SEND_RECV_H
#define SEND_RECV_H

#define SEND_RECV_PROJ_ID 'L' /* ftok's project id */
#define LINE_MAX_BYTES 512    /* the longest line's text, its '\n' not counted */
#define TYPE_LINE 1           /* a line of text */
#define TYPE_END 2            /* no text: the sender reached end of input */

struct message {
    long mtype;
    char mtext[LINE_MAX_BYTES];
};

#endif
