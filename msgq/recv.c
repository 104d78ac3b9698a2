/* recv.c -- print the lines send put on a System V queue, then remove the queue.
 * Usage:  recv [-k keyfile]
 * Shows:  msgget(2) without IPC_CREAT: the queue is send's, recv only opens it,
 *         and says so when there is none (run send first); msgrcv(2) that
 *         waits for the next message; msgctl(IPC_RMID) once send's end message
 *         arrives, or on SIGINT/SIGTERM. Started while send still reads a
 *         terminal, it prints each line as it is typed. The lines go to stdout
 *         exactly as send read them; recv's own remarks go to stderr.
 * Mirrors: LG "recv.c". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include "send_recv.h"

static volatile sig_atomic_t stop; /* the signal that asked us to stop, or 0 */

static void on_stop(int sig)
{
    stop = sig;
}

static void usage(void)
{
    fprintf(stderr, "usage: recv [-k keyfile]\n");
    exit(2);
}

/* Print lines until send's end message or a stop; returns how many. */
static long receive_lines(int msqid)
{
    struct msgbuf msg;
    long n = 0;

    /* The slide says the receiver does not wait when no message is there;
     * without IPC_NOWAIT, msgrcv waits (and msgsnd waits on a full queue). */
    while (!stop) { /* a stop just before msgrcv begins waits for a message */
        ssize_t len = msgrcv(msqid, &msg, sizeof msg.mtext, 0, 0);
        if (len == -1 && errno == EINTR)
            continue; /* a signal: the loop looks at the flag */
        if (len == -1)
            err(1, "msgrcv from queue %d", msqid);
        if (msg.mtype == TYPE_END)
            break;
        printf("%.*s\n", (int)len, msg.mtext);
        fflush(stdout); /* each line as it arrives, also into a pipe */
        n++;
    }
    return n;
}

/* No IPC_CREAT: the queue is send's; recv opens it, or says there is none. */
static int open_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, SEND_RECV_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int msqid = msgget(key, 0);
    if (msqid == -1 && errno == ENOENT)
        errx(1, "no queue for key 0x%08x (keyfile %s): run send first", (unsigned)key,
             keyfile);
    if (msqid == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    fprintf(stderr, "recv: queue %d (key 0x%08x): waiting for messages\n", msqid,
            (unsigned)key);
    return msqid;
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
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1) {
        if (opt != 'k')
            usage();
        keyfile = optarg;
    }
    if (optind != argc)
        usage();

    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: see the loop */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int msqid = open_queue(keyfile);
    long n = receive_lines(msqid);
    remove_queue(msqid, n);
    if (stop) { /* die of it: the shell sees how we ended */
        signal(stop, SIG_DFL);
        raise(stop);
    }
    return 0;
}
