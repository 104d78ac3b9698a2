/* send.c -- every line of standard input becomes a message on a System V queue.
 * Usage:  send [-k keyfile]
 * Shows:  ftok(3) on a path you choose (default "."), msgget(2) with IPC_CREAT
 *         (makes the queue, or opens the one there), msgsnd(2) of each line,
 *         which waits while the queue is full, and an end message for recv.
 *         The queue outlives send: ./send <file; ipcs -q; ./recv. Ctrl-C or
 *         SIGTERM ends the input as Ctrl-D does (if the queue is still full,
 *         the line and the end message are not sent: send says so). A line
 *         longer than LINE_MAX_BYTES stops send with an error, never cut short.
 * Mirrors: LG "send.c". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; getline */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "send_recv.h"

static volatile sig_atomic_t stop; /* the signal that ended the input, or 0 */

static void on_stop(int sig)
{
    stop = sig;
}

/* msgsnd waits while the queue is full; after a stop it no longer waits, and
 * returns -1 if the queue is still full (EAGAIN): the message is not sent. */
static int send_msg(int msqid, long type, const char *text, size_t len)
{
    struct msgbuf msg = {.mtype = type};
    memcpy(msg.mtext, text, len); /* len <= LINE_MAX_BYTES */
    while (msgsnd(msqid, &msg, len, stop ? IPC_NOWAIT : 0) == -1) {
        if (errno == EIDRM || errno == EINVAL)
            errx(1, "queue %d was removed (by recv or ipcrm)", msqid);
        if (errno == EAGAIN)
            return -1;
        if (errno != EINTR)
            err(1, "msgsnd to queue %d", msqid);
    }
    return 0;
}

/* One message per line until end of input or a stop; 1 if a line was too long. */
static int send_lines(int msqid)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;

    while (!stop && (len = getline(&line, &cap, stdin)) != -1) {
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (len > LINE_MAX_BYTES) {
            warnx("line %ld is %zd bytes, more than the %d a message may carry: "
                  "stopping (the lines before it were sent)",
                  n + 1, len, LINE_MAX_BYTES);
            free(line);
            return 1;
        }
        if (send_msg(msqid, TYPE_LINE, line, (size_t)len) == -1)
            warnx("queue %d is full: line %ld is not sent", msqid, n + 1);
        else
            n++;
    }
    if (!stop && ferror(stdin))
        err(1, "reading standard input");
    free(line);
    fprintf(stderr, "send: %s%ld line(s) sent; queue %d keeps them for recv\n",
            stop ? "interrupted: " : "", n, msqid);
    return 0;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";

    if (argc == 3 && strcmp(argv[1], "-k") == 0) {
        keyfile = argv[2];
    } else if (argc != 1) {
        fprintf(stderr, "usage: send [-k keyfile]\n");
        return 2;
    }
    /* No SA_RESTART: a read or msgsnd that waits fails with EINTR, and the loop
     * sees the flag. (One landing just before the read begins waits for a line.) */
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    /* The slide's key is the fixed number 9999, which every user and program
     * choosing it shares; ftok derives the key from a path the caller names. */
    key_t key = ftok(keyfile, SEND_RECV_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int msqid = msgget(key, IPC_CREAT | 0600);
    if (msqid == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    fprintf(stderr, "send: queue %d (key 0x%08x): one message per line\n", msqid,
            (unsigned)key);
    int status = send_lines(msqid);
    if (send_msg(msqid, TYPE_END, "", 0) == -1) /* even after an error: recv must stop */
        warnx("queue %d is full: no end message; recv will wait after the last line",
              msqid);
    if (stop) { /* die of it: the shell sees how we ended */
        signal(stop, SIG_DFL);
        raise(stop);
    }
    return status;
}
