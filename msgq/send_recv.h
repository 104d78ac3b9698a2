/* send_recv.h -- the protocol between send and recv.
 * Both take their key from ftok(keyfile, SEND_RECV_PROJ_ID). Every line of
 * send's input is one message of type TYPE_LINE whose text is the line without
 * its '\n' (no '\0' is added); a message of type TYPE_END with no text says the
 * input has ended.
 * msgsnd and msgrcv are given the size of the text, never of the struct.
 * Both also stop the same way on SIGINT and SIGTERM: catch_stop_signals(),
 * then die_of_stop() once the queue is dealt with. */
#ifndef SEND_RECV_H
#define SEND_RECV_H

#include <err.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define SEND_RECV_PROJ_ID 'L' /* ftok's project id */
#define LINE_MAX_BYTES 512    /* the longest line's text, its '\n' not counted */
#define TYPE_LINE 1           /* a line of text */
#define TYPE_END 2            /* no text: the sender reached end of input */

struct message {
    long mtype;
    char mtext[LINE_MAX_BYTES];
};

/* The signal that asked us to stop, 0 while none has. No SA_RESTART: a
 * blocked msgrcv, msgsnd or read returns EINTR, and the loop sees the flag.
 * A signal that lands after the loop looked at the flag but before the call
 * began cannot interrupt it: so the handler also sets an alarm, whose SIGALRM
 * interrupts such a late wait a second later (and asks for another one). */
static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
    stop = sig;
    alarm(1); /* async-signal-safe */
}

static void on_alarm(int sig)
{
    (void)sig; /* its EINTR is the point */
    if (stop) /* this one, too, may land just before the wait: ask again */
        alarm(1);
}

static inline void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_alarm;
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Die of the stop signal, so the shell sees how we ended: 128 + its number. */
static inline void die_of_stop(void)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(stop, &dfl, NULL);
    raise(stop);
    exit(1);
}

#endif
