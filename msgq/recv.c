/* recv.c -- print the lines send put on a System V queue, then remove the queue.
 * Usage:  recv [-k keyfile]
 * Shows:  msgget(2) creating the queue or joining the one send made (so either
 *         may start first), a blocking msgrcv(2) that waits for the next
 *         message, E2BIG instead of silent truncation, and msgctl(IPC_RMID)
 *         once send's end-of-input message arrives, or on SIGINT/SIGTERM.
 *         The lines go to standard output exactly as send read them; what
 *         recv has to say about the queue goes to standard error.
 * Mirrors: LG "recv.c" (which used the fixed key 9999 and never removed it). */
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

static void usage(void)
{
    fprintf(stderr, "usage: recv [-k keyfile]\n");
    exit(2);
}

static void remove_queue(int id)
{
    if (msgctl(id, IPC_RMID, NULL) == -1)
        err(1, "msgctl IPC_RMID queue %d", id);
}

/* The reader owns the queue: remove it, then die of the signal. */
static void quit_on_signal(int id)
{
    remove_queue(id);
    fprintf(stderr, "recv: interrupted: removed queue %d\n", id);
    die_of_stop();
}

/* Create or join: a queue left by a killed run is joined, and its
 * messages are read like any others. */
static int open_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, SEND_RECV_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    int created = id != -1;
    if (id == -1 && errno == EEXIST)
        id = msgget(key, 0);
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    fprintf(stderr, "recv: %s queue %d (key 0x%08x), waiting for messages\n",
            created ? "created" : "joined existing", id, (unsigned)key);
    return id;
}

/* Print lines until the end-of-input message; returns how many. */
static long receive_lines(int id)
{
    struct message msg;
    long n = 0;
    ssize_t len;

    for (;;) {
        if (stop) /* a signal that came before the call cannot interrupt it */
            quit_on_signal(id);
        len = msgrcv(id, &msg, sizeof msg.mtext, 0, 0);
        if (len == -1 && errno == EINTR && stop)
            quit_on_signal(id);
        if (len == -1 && errno == EINTR)
            continue;
        if (len == -1 && errno == EIDRM)
            errx(1, "queue %d was removed while waiting", id);
        if (len == -1 && errno == E2BIG)
            errx(1,
                 "a message on queue %d is longer than %d bytes: not cut short, "
                 "queue left in place (ipcrm -q %d removes it)",
                 id, LINE_MAX_BYTES, id);
        if (len == -1)
            err(1, "msgrcv");
        if (msg.mtype == TYPE_END)
            return n;
        printf("%.*s\n", (int)len, msg.mtext);
        fflush(stdout); /* a line as it arrives, also into a pipe */
        n++;
    }
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt;
    struct msqid_ds ds;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1) {
        if (opt != 'k')
            usage();
        keyfile = optarg;
    }
    if (optind != argc)
        usage();

    catch_stop_signals();
    int id = open_queue(keyfile);
    long n = receive_lines(id);
    if (msgctl(id, IPC_STAT, &ds) == -1)
        err(1, "msgctl IPC_STAT queue %d", id);
    if (ds.msg_qnum > 0) { /* a second send ran before us: its lines are still there */
        fprintf(stderr,
                "recv: %ld line(s); %lu more message(s) wait: queue %d left "
                "for the next recv\n",
                n, (unsigned long)ds.msg_qnum, id);
        return 0;
    }
    remove_queue(id);
    fprintf(stderr, "recv: %ld line(s); end of input: removed queue %d\n", n, id);
    return 0;
}
