/* msg_stat.c -- what msgctl(2) tells about a queue, and what IPC_NOWAIT reports.
 * Usage:  msg_stat [-k keyfile] [-b qbytes] [-s size]
 * Shows:  the struct msqid_ds fields from IPC_STAT (msg_qnum, msg_qbytes,
 *         msg_lspid, msg_lrpid, msg_stime, msg_rtime, msg_ctime) before and
 *         after a msgsnd and a msgrcv; IPC_SET lowering msg_qbytes to qbytes
 *         (default 64); then messages of size bytes (default 16) sent with
 *         IPC_NOWAIT until the full queue answers EAGAIN, and received with
 *         IPC_NOWAIT until the empty queue answers ENOMSG (not EAGAIN, whatever
 *         the KHU slide says). The queue is removed at the end.
 * Mirrors: KHU lecture, the msgctl / IPC_NOWAIT slides. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <time.h>
#include <unistd.h>

#define PROJ_ID 'S' /* ftok's project id of this program */
#define SIZE_MAX_BYTES 512

struct message {
    long mtype;
    char mtext[SIZE_MAX_BYTES];
};

static int queue_id = -1; /* removed at exit, also when err() ends the program */

static void usage(void)
{
    fprintf(stderr, "usage: msg_stat [-k keyfile] [-b qbytes] [-s size]\n");
    exit(2);
}

static long parse_count(const char *s, long max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || value < 1 || value > max)
        usage();
    return value;
}

static void remove_queue(void)
{
    if (queue_id == -1)
        return;
    if (msgctl(queue_id, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID queue %d", queue_id);
    else
        printf("removed queue %d\n", queue_id);
}

/* The queue is ours alone. One left by a killed run is removed, and said so. */
static int create_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    if (id == -1 && errno == EEXIST) {
        int old = msgget(key, 0);
        if (old == -1 || msgctl(old, IPC_RMID, NULL) == -1)
            err(1, "key 0x%08x: removing the queue left by an earlier run",
                (unsigned)key);
        warnx("key 0x%08x: removed queue %d left by an earlier run", (unsigned)key, old);
        id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    }
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    printf("created queue %d (key 0x%08x)\n", id, (unsigned)key);
    return id;
}

/* A time field: 0 means "never happened". */
static const char *when(time_t t)
{
    static char buf[32];
    struct tm *tm = localtime(&t);
    if (t == 0)
        return "0 (never)";
    if (tm == NULL || strftime(buf, sizeof buf, "%H:%M:%S", tm) == 0)
        return "(unprintable)";
    return buf;
}

static struct msqid_ds stat_queue(int id, const char *after)
{
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) == -1)
        err(1, "msgctl IPC_STAT queue %d", id);
    printf("after %s:\n", after);
    printf("  msg_qnum=%lu msg_qbytes=%lu msg_lspid=%ld msg_lrpid=%ld\n",
           (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_qbytes, (long)ds.msg_lspid,
           (long)ds.msg_lrpid);
    printf("  msg_stime=%s", when(ds.msg_stime)); /* when() reuses its buffer */
    printf(" msg_rtime=%s", when(ds.msg_rtime));
    printf(" msg_ctime=%s\n", when(ds.msg_ctime));
    return ds;
}

/* Lower the queue's byte limit; raising it past msgmnb needs privilege. */
static void set_qbytes(int id, long qbytes)
{
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) == -1)
        err(1, "msgctl IPC_STAT queue %d", id);
    ds.msg_qbytes = (msglen_t)qbytes;
    if (msgctl(id, IPC_SET, &ds) == -1)
        err(1, "msgctl IPC_SET msg_qbytes=%ld", qbytes);
}

/* Send size-byte messages with IPC_NOWAIT until the queue refuses one. */
static void fill_until_full(int id, long size)
{
    struct message msg = {.mtype = 1};
    long sent = 0;
    memset(msg.mtext, 'x', sizeof msg.mtext);
    while (msgsnd(id, &msg, (size_t)size, IPC_NOWAIT) == 0)
        sent++;
    if (errno != EAGAIN)
        err(1, "msgsnd");
    printf("msgsnd IPC_NOWAIT: %ld message(s) of %ld bytes fit; the next one: "
           "EAGAIN (%s)\n",
           sent, size, strerror(errno));
}

/* Receive with IPC_NOWAIT until the queue is empty. */
static void drain_until_empty(int id)
{
    struct message msg;
    long received = 0;
    while (msgrcv(id, &msg, sizeof msg.mtext, 0, IPC_NOWAIT) != -1)
        received++;
    if (errno != ENOMSG)
        err(1, "msgrcv");
    printf("msgrcv IPC_NOWAIT: %ld message(s) received; on the empty queue: "
           "ENOMSG (%s), not EAGAIN\n",
           received, strerror(errno));
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    long qbytes = 64, size = 16;
    struct message msg = {.mtype = 1};
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:b:s:")) != -1) {
        if (opt == 'k')
            keyfile = optarg;
        else if (opt == 'b')
            qbytes = parse_count(optarg, 65536);
        else if (opt == 's')
            size = parse_count(optarg, SIZE_MAX_BYTES);
        else
            usage();
    }
    if (optind != argc)
        usage();

    if (atexit(remove_queue) != 0)
        errx(1, "atexit failed");
    int id = queue_id = create_queue(keyfile);
    stat_queue(id, "msgget");
    memset(msg.mtext, 'x', (size_t)size);
    if (msgsnd(id, &msg, (size_t)size, IPC_NOWAIT) == -1)
        err(1, "msgsnd");
    stat_queue(id, "msgsnd");
    if (msgrcv(id, &msg, sizeof msg.mtext, 0, IPC_NOWAIT) == -1)
        err(1, "msgrcv");
    stat_queue(id, "msgrcv");
    set_qbytes(id, qbytes);
    stat_queue(id, "IPC_SET");
    fill_until_full(id, size);
    drain_until_empty(id);
    return 0; /* remove_queue runs now */
}
