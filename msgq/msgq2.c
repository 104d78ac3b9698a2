/* msgq2.c -- read every message msgq1 left on the queue, then remove the queue.
 * Usage:  msgq2 [-k keyfile]
 * Shows:  msgget(2) attaching to a queue that must already exist (no
 *         IPC_CREAT), msgrcv(2) with type 0 (oldest first) and IPC_NOWAIT
 *         until ENOMSG says the queue is empty, E2BIG for a message larger
 *         than the buffer (never MSG_NOERROR: no silent truncation), and
 *         msgctl(IPC_RMID). Use the same keyfile as msgq1 (default ".").
 * Mirrors: KHU lecture "msgq2.c" (receiver half of msgq1.c / msgq2.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#define PROJ_ID 'K'      /* ftok's project id shared with msgq1 */
#define MSG_TEXT_MAX 512 /* the largest text msgq1 sends */

struct mymsg { /* the slide's name */
    long mtype;
    char mtext[MSG_TEXT_MAX];
};

static void usage(void)
{
    fprintf(stderr, "usage: msgq2 [-k keyfile]\n");
    exit(2);
}

/* Attach only: creating an empty queue here would hide a missing msgq1. */
static int attach_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, 0);
    if (id == -1 && errno == ENOENT)
        errx(1, "no queue for key 0x%08x (keyfile %s): run msgq1 first", (unsigned)key,
             keyfile);
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    return id;
}

/* Oldest message first, whatever its type, until the queue is empty. */
static long receive_all(int id)
{
    struct mymsg msg;
    long n = 0;
    ssize_t len;

    while ((len = msgrcv(id, &msg, sizeof msg.mtext, 0, IPC_NOWAIT)) != -1) {
        printf("msgq2: type %ld: %.*s\n", msg.mtype, (int)len, msg.mtext);
        n++;
    }
    if (errno == E2BIG)
        errx(1,
             "a message on queue %d is longer than %d bytes: not cut short, "
             "queue left in place (ipcrm -q %d removes it)",
             id, MSG_TEXT_MAX, id);
    if (errno != ENOMSG) /* ENOMSG, not EAGAIN: the queue is empty */
        err(1, "msgrcv");
    return n;
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

    int id = attach_queue(keyfile);
    long n = receive_all(id);
    if (msgctl(id, IPC_RMID, NULL) == -1)
        err(1, "msgctl IPC_RMID queue %d", id);
    printf("msgq2: received %ld message(s); removed queue %d\n", n, id);
    return 0;
}
