/* recv.c -- print the lines send put on a System V queue, then remove the queue.
 * Usage:  recv [-k keyfile]
 * Shows:  msgget(2) without IPC_CREAT (the queue is send's: run send first);
 *         msgrcv(2) that waits; msgctl(IPC_RMID) at send's end message, or on
 *         SIGINT/SIGTERM. Lines go to stdout byte for byte, remarks to stderr. A
 *         message that is no line of send's (too long, another type) is reported
 *         and dropped (status 1). A failed stdout (EPIPE: its reader has gone)
 *         loses the line just taken, says so, and leaves the rest on the queue.
 * Mirrors: LG "recv.c". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "send_recv.h"

static volatile sig_atomic_t stop; /* the signal that asked us to stop, or 0 */

static void on_stop(int sig)
{
    stop = sig;
}

/* Print lines until send's end message or a stop; returns how many were dropped. */
static long receive_lines(int msqid, long *n)
{
    struct msgbuf msg;
    long dropped = 0;

    /* The slide says the receiver does not wait: without IPC_NOWAIT, it does. */
    while (!stop) { /* a stop just before msgrcv begins waits for a message */
        /* One byte more than a line may hold, and MSG_NOERROR: a longer message
         * is cut and shows itself, instead of an E2BIG on every call after it. */
        ssize_t len = msgrcv(msqid, &msg, LINE_MAX_BYTES + 1, 0, MSG_NOERROR);
        if (len == -1 && errno == EINTR)
            continue; /* a signal: the loop looks at the flag */
        if (len == -1)
            err(1, "msgrcv from queue %d", msqid);
        if (msg.mtype == TYPE_END)
            break;
        if (msg.mtype != TYPE_LINE || len > LINE_MAX_BYTES) {
            warnx("a message of type %ld, %zd%s bytes, is no line of send's: dropped",
                  msg.mtype, len, len > LINE_MAX_BYTES ? " or more" : "");
            dropped++;
            continue;
        }
        fwrite(msg.mtext, 1, (size_t)len, stdout); /* every byte, a '\0' too */
        putchar('\n');
        if (fflush(stdout) == EOF || ferror(stdout)) /* each line as it comes */
            err(1, "stdout: line %ld is lost; the rest stay on queue %d", *n + 1, msqid);
        (*n)++;
    }
    return dropped;
}

/* Remove the queue, unless the lines of another send still wait in it. */
static void remove_queue(int msqid, long n)
{
    struct msqid_ds ds;
    if (msgctl(msqid, IPC_STAT, &ds) == -1)
        err(1, "msgctl IPC_STAT queue %d", msqid);
    if (!stop && ds.msg_qnum > 0) {
        fprintf(stderr, "recv: %ld line(s); %lu more message(s) wait for the next recv\n",
                n, (unsigned long)ds.msg_qnum);
        return;
    }
    if (msgctl(msqid, IPC_RMID, NULL) == -1)
        err(1, "msgctl IPC_RMID queue %d", msqid);
    fprintf(stderr, "recv: %s: removed queue %d after %ld line(s)\n",
            stop ? "interrupted" : "end of input", msqid, n);
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    long n = 0;

    if (argc == 3 && strcmp(argv[1], "-k") == 0) {
        keyfile = argv[2];
    } else if (argc != 1) {
        fprintf(stderr, "usage: recv [-k keyfile]\n");
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: see the loop */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    signal(SIGPIPE, SIG_IGN); /* a reader gone: EPIPE, not death without a word */

    key_t key = ftok(keyfile, SEND_RECV_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int msqid = msgget(key, 0); /* no IPC_CREAT: the queue is send's */
    if (msqid == -1 && errno == ENOENT)
        errx(1, "no queue for key 0x%08x (keyfile %s): run send first", (unsigned)key,
             keyfile);
    if (msqid == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    fprintf(stderr, "recv: queue %d (key 0x%08x): waiting for messages\n", msqid,
            (unsigned)key);
    long dropped = receive_lines(msqid, &n);
    remove_queue(msqid, n);
    if (stop) { /* die of it: the shell sees how we ended */
        signal(stop, SIG_DFL);
        raise(stop);
    }
    return dropped > 0;
}
