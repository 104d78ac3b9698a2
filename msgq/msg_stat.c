/* msg_stat.c -- what msgctl(2) tells about a queue, and what IPC_NOWAIT reports.
 * Usage:  msg_stat
 * Shows:  msgget(2) of a new private queue (IPC_PRIVATE is a key, not a flag);
 *         msgctl IPC_STAT printing struct msqid_ds after msgget, after one msgsnd
 *         and after one msgrcv, and which fields of the lecture's msqid_ds Linux
 *         has; IPC_SET lowering msg_qbytes to QBYTES; then SIZE-byte messages
 *         sent with IPC_NOWAIT until the full queue answers EAGAIN, received
 *         with IPC_NOWAIT until the empty queue answers ENOMSG; IPC_RMID.
 *         Times are seconds since 1970 (time_t), 0 for "never".
 * Mirrors: KHU lecture, the msgget / msgctl / msgsnd / msgrcv slides. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* msg_cbytes: a Linux field that POSIX leaves out */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#define QBYTES 64 /* the limit IPC_SET gives the queue */
#define SIZE 16   /* bytes per message: QBYTES / SIZE messages fit */

struct mymsg {
    long mtype;
    char mtext[SIZE];
};

static int msqid; /* removed at exit, also when err() ends the program */

static void remove_queue(void)
{
    if (msgctl(msqid, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID queue %d", msqid);
    else
        printf("IPC_RMID: removed queue %d\n", msqid);
}

static void print_stat(const char *after)
{
    struct msqid_ds ds;
    if (msgctl(msqid, IPC_STAT, &ds) == -1)
        err(1, "msgctl IPC_STAT queue %d", msqid);
    printf("after %s: msg_perm.mode=%03o msg_qnum=%lu msg_cbytes=%lu msg_qbytes=%lu\n",
           after, (unsigned)ds.msg_perm.mode & 0777, (unsigned long)ds.msg_qnum,
           (unsigned long)ds.msg_cbytes, (unsigned long)ds.msg_qbytes);
    printf("  msg_lspid=%ld msg_lrpid=%ld msg_stime=%lld%s msg_rtime=%lld%s "
           "msg_ctime=%lld\n",
           (long)ds.msg_lspid, (long)ds.msg_lrpid, (long long)ds.msg_stime,
           ds.msg_stime ? "" : " (never)", (long long)ds.msg_rtime,
           ds.msg_rtime ? "" : " (never)", (long long)ds.msg_ctime);
}

static void set_qbytes(void)
{
    struct msqid_ds ds;
    if (msgctl(msqid, IPC_STAT, &ds) == -1) /* IPC_SET: change a copy, hand it back */
        err(1, "msgctl IPC_STAT queue %d", msqid);
    ds.msg_qbytes = QBYTES;
    if (msgctl(msqid, IPC_SET, &ds) == -1)
        err(1, "msgctl IPC_SET msg_qbytes=%d", QBYTES);
}

/* IPC_NOWAIT: a full queue fails at once with EAGAIN, an empty one with ENOMSG. */
static void fill_and_drain(struct mymsg *msg)
{
    long n;
    for (n = 0; msgsnd(msqid, msg, SIZE, IPC_NOWAIT) == 0; n++)
        ;
    if (errno != EAGAIN)
        err(1, "msgsnd");
    printf(
        "msgsnd IPC_NOWAIT: %ld message(s) of %d bytes fit; the next one: EAGAIN (%s)\n",
        n, SIZE, strerror(errno));
    /* The slide says msgrcv with IPC_NOWAIT on an empty queue fails with
     * EAGAIN: it is ENOMSG. EAGAIN is what msgsnd gets on a full queue. */
    for (n = 0; msgrcv(msqid, msg, SIZE, 0, IPC_NOWAIT) != -1; n++)
        ;
    if (errno != ENOMSG)
        err(1, "msgrcv");
    printf("msgrcv IPC_NOWAIT: %ld message(s) received; on the empty queue: ENOMSG (%s), "
           "not EAGAIN\n",
           n, strerror(errno));
}

int main(int argc, char *argv[])
{
    struct mymsg msg = {.mtype = 1};

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: msg_stat\n");
        return 2;
    }
    msqid = msgget(IPC_PRIVATE, 0600); /* a new queue that only we know */
    if (msqid == -1)
        err(1, "msgget IPC_PRIVATE");
    if (atexit(remove_queue) != 0)
        errx(1, "atexit failed");
    printf("msgget: created queue %d\n", msqid);
    print_stat("msgget");
    memset(msg.mtext, 'x', SIZE);
    if (msgsnd(msqid, &msg, SIZE, IPC_NOWAIT) == -1)
        err(1, "msgsnd");
    print_stat("msgsnd");
    if (msgrcv(msqid, &msg, SIZE, 0, IPC_NOWAIT) == -1)
        err(1, "msgrcv");
    print_stat("msgrcv");
    /* The slide's struct msqid_ds is SVR4's: its msg_first and msg_last point
     * into that kernel's memory; Linux's struct has no such fields. */
    printf("the lecture's msqid_ds on Linux: msg_first, msg_last: SVR4 kernel pointers, "
           "not in Linux's struct;\n  msg_cbytes: Linux's own (not in POSIX); the others "
           "(above): POSIX\n");
    set_qbytes();
    print_stat("IPC_SET");
    fill_and_drain(&msg);
    return 0; /* remove_queue runs now */
}
