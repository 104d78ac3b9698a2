/* msg_types.c -- which message msgrcv's type argument takes out of a queue.
 * Usage:  msg_types [msgtyp ...]
 * Shows:  msgrcv(2)'s type: 0 takes the oldest message of any type; n > 0 the
 *         oldest of type n; -n the oldest of the lowest type <= n, so repeated
 *         calls come out by type, oldest first within a type. For each msgtyp
 *         (default: 0 2 -2) a private queue is filled with m1..m5 of types
 *         3, 1, 2, 1, 3; msgrcv(msgtyp, IPC_NOWAIT) repeats until ENOMSG, and
 *         what it took and what it left are printed. The queue is removed at exit.
 * Mirrors: KHU lecture, the msgrcv slide on the type argument. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#define TEXT_MAX 8 /* "m5" and then some */

struct mymsg {
    long mtype;
    char mtext[TEXT_MAX];
};

static const long types[] = {3, 1, 2, 1, 3}; /* of m1, m2, ... m5 */
#define NMSGS (sizeof types / sizeof types[0])

static int msqid; /* removed at exit, also when err() ends the program */

static void usage(void)
{
    fprintf(stderr, "usage: msg_types [msgtyp ...]\n");
    exit(2);
}

static void remove_queue(void)
{
    if (msgctl(msqid, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID queue %d", msqid);
}

static long parse_msgtyp(const char *s)
{
    char *end;
    errno = 0;
    long value = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0)
        usage();
    return value;
}

static void fill(void)
{
    struct mymsg msg;
    for (size_t i = 0; i < NMSGS; i++) {
        msg.mtype = types[i];
        int len = snprintf(msg.mtext, sizeof msg.mtext, "m%zu", i + 1);
        if (msgsnd(msqid, &msg, (size_t)len, IPC_NOWAIT) == -1)
            err(1, "msgsnd");
    }
}

/* Receive with msgtyp until ENOMSG, printing "m2(type 1)" for each. */
static void take_all(long msgtyp)
{
    struct mymsg msg;
    ssize_t len;
    int none = 1;

    while ((len = msgrcv(msqid, &msg, sizeof msg.mtext, msgtyp, IPC_NOWAIT)) != -1) {
        printf(" %.*s(type %ld)", (int)len, msg.mtext, msg.mtype);
        none = 0;
    }
    if (errno != ENOMSG) /* ENOMSG: nothing (more) of that type */
        err(1, "msgrcv msgtyp %ld", msgtyp);
    if (none)
        printf(" (none)");
}

static void show(long msgtyp)
{
    fill();
    printf("msgtyp %ld takes:", msgtyp);
    take_all(msgtyp);
    printf("; left:");
    take_all(0); /* empties the queue for the next round */
    printf("\n");
}

int main(int argc, char *argv[])
{
    static const long defaults[] = {0, 2, -2};

    for (int i = 1; i < argc; i++) /* check them all before creating anything */
        parse_msgtyp(argv[i]);

    /* The slide (LG) lists IPC_PRIVATE among msgget's flags: it is a key,
     * and with it msgget always makes a new queue, known only to us. */
    msqid = msgget(IPC_PRIVATE, 0600);
    if (msqid == -1)
        err(1, "msgget IPC_PRIVATE");
    if (atexit(remove_queue) != 0)
        errx(1, "atexit failed");
    printf("queue %d filled each time with:", msqid);
    for (size_t i = 0; i < NMSGS; i++)
        printf(" m%zu(type %ld)", i + 1, types[i]);
    printf("\n");
    if (argc == 1)
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            show(defaults[i]);
    for (int i = 1; i < argc; i++)
        show(parse_msgtyp(argv[i]));
    return 0; /* remove_queue runs now */
}
