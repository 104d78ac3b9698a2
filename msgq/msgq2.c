/* msgq2.c -- read every message msgq1 left on the queue, then remove the queue.
 * Usage:  msgq2 [-k keyfile]
 * Shows:  msgget(2) attaching to a queue that must already exist (no
 *         IPC_CREAT), msgrcv(2) with type 0 (oldest first) and IPC_NOWAIT
 *         until ENOMSG says the queue is empty, and msgctl(IPC_RMID). Use the
 *         same keyfile as msgq1 (default "."). A message longer than
 *         MSG_TEXT_MAX is reported and dropped, and msgq2 goes on (status 1);
 *         bytes that are not printable ASCII are printed as \xHH. If stdout
 *         fails, the message just taken is lost (said so); the rest stay.
 * Mirrors: KHU lecture "msgq2.c" (receiver half of msgq1.c / msgq2.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#define PROJ_ID 'K'      /* ftok's project id shared with msgq1 */
#define MSG_TEXT_MAX 512 /* the largest text msgq1 sends */

struct mymsg { /* the slide's name */
    long mtype;
    char mtext[MSG_TEXT_MAX + 1]; /* + 1: see receive_all */
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

/* The text is the sender's: a control byte printed as it is could act on the
 * terminal (clear it, move the cursor), so those bytes and \ are escaped. */
static void print_text(const char *text, ssize_t len)
{
    for (ssize_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isprint(c) && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

/* Oldest message first, whatever its type, until the queue is empty; returns
 * how many were too long. */
static long receive_all(int id, long *n)
{
    struct mymsg msg;
    long too_long = 0;

    /* Without MSG_NOERROR a message longer than the buffer fails with E2BIG and
     * stays first in the queue, so every later msgrcv fails the same way. With
     * it, and one byte more than msgq1 sends, a longer one is taken off, cut. */
    for (;;) {
        ssize_t len = msgrcv(id, &msg, sizeof msg.mtext, 0, IPC_NOWAIT | MSG_NOERROR);
        if (len == -1)
            break;
        if (len > MSG_TEXT_MAX) {
            warnx("type %ld: a message longer than %d bytes: dropped", msg.mtype,
                  MSG_TEXT_MAX);
            too_long++;
            continue;
        }
        printf("msgq2: type %ld: ", msg.mtype);
        print_text(msg.mtext, len);
        putchar('\n');
        if (fflush(stdout) == EOF || ferror(stdout)) /* EPIPE, EBADF: the rest stay */
            err(1, "stdout: message %ld is lost", *n + 1);
        (*n)++;
    }
    if (errno != ENOMSG) /* ENOMSG, not EAGAIN: the queue is empty */
        err(1, "msgrcv");
    return too_long;
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

    signal(SIGPIPE, SIG_IGN); /* a reader gone: EPIPE, not death without a word */
    int id = attach_queue(keyfile);
    long n = 0, too_long = receive_all(id, &n);
    if (msgctl(id, IPC_RMID, NULL) == -1)
        err(1, "msgctl IPC_RMID queue %d", id);
    printf("msgq2: received %ld message(s); removed queue %d\n", n, id);
    return too_long > 0;
}
