/* msgq1.c -- put typed messages on a System V message queue and leave them there.
 * Usage:  msgq1 [-k keyfile] [-n count] [text]
 * Shows:  ftok(3) on a path you choose, msgget(2) creating the queue with
 *         IPC_CREAT|IPC_EXCL (or saying that it already exists), msgsnd(2)
 *         with the size of the text, not of the struct. The queue outlives
 *         this program: see it with `ipcs -q`, then run msgq2 to read it.
 *         It sends count messages (default 3), message i (from 1) with type i
 *         and text "text i" (default text "message"). A message longer than
 *         MSG_TEXT_MAX is refused before anything is sent, never cut short.
 * Mirrors: KHU lecture "msgq1.c" (sender half of msgq1.c / msgq2.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#define PROJ_ID 'K'      /* ftok's project id shared with msgq2 */
#define MSG_TEXT_MAX 512 /* the largest text msgq2 is prepared to receive */

struct mymsg {                    /* the slide's name */
    long mtype;                   /* > 0: msgrcv selects on it */
    char mtext[MSG_TEXT_MAX + 1]; /* + 1: room for snprintf's '\0', never sent */
};

static void usage(void)
{
    fprintf(stderr, "usage: msgq1 [-k keyfile] [-n count] [text]\n");
    exit(2);
}

/* Create the queue if nobody has; otherwise join the one that is there
 * (a second msgq1 before msgq2 simply adds to it), and say which. */
static int open_queue(key_t key)
{
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    if (id != -1) {
        printf("msgq1: created queue %d for key 0x%08x\n", id, (unsigned)key);
        return id;
    }
    if (errno != EEXIST)
        err(1, "msgget key 0x%08x", (unsigned)key);
    id = msgget(key, 0);
    if (id == -1)
        err(1, "msgget key 0x%08x (it exists)", (unsigned)key);
    printf("msgq1: queue %d for key 0x%08x already exists: adding to it\n", id,
           (unsigned)key);
    return id;
}

static void send_all(int id, const char *text, long count)
{
    struct mymsg msg;

    for (long i = 1; i <= count; i++) {
        int len = snprintf(msg.mtext, sizeof msg.mtext, "%s %ld", text, i);
        if (len < 0 || (size_t)len >= sizeof msg.mtext) /* main checked: cannot happen */
            errx(1, "message %ld does not fit in %d bytes", i, MSG_TEXT_MAX);
        msg.mtype = i;
        /* The size is the text's, not sizeof msg: mtype is not counted.
         * IPC_NOWAIT: with nobody reading, a full queue would block forever. */
        if (msgsnd(id, &msg, (size_t)len, IPC_NOWAIT) == -1) {
            if (errno == EAGAIN)
                errx(1, "queue %d is full after %ld message(s): run msgq2 to empty it",
                     id, i - 1);
            err(1, "msgsnd");
        }
        printf("msgq1: sent type %ld: %s\n", msg.mtype, msg.mtext);
    }
}

/* Refuse, before anything is created, a text whose longest message
 * ("text count") would not fit: the receiver would get E2BIG. */
static void check_size(const char *text, long count)
{
    int len = snprintf(NULL, 0, "%s %ld", text, count);
    if (len > MSG_TEXT_MAX)
        errx(1,
             "message %ld would be %d bytes, more than the %d a message may carry: "
             "nothing sent",
             count, len, MSG_TEXT_MAX);
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    long count = 3;
    int opt;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:n:")) != -1) {
        if (opt == 'k') {
            keyfile = optarg;
            continue;
        }
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 0 || count > 1000)
            usage();
    }
    if (argc - optind > 1)
        usage();
    const char *text = optind < argc ? argv[optind] : "message";
    check_size(text, count);

    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = open_queue(key);
    send_all(id, text, count);
    printf("msgq1: %ld message(s) sent to queue %d; run msgq2 to read them\n", count, id);
    return 0;
}
