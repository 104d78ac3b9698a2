/* send.c -- every line of standard input becomes a message on a System V queue.
 * Usage:  send [-k keyfile]
 * Shows:  ftok(3) on a path you choose (default "."), msgget(2) creating the
 *         queue or joining the one recv made, msgsnd(2) blocking while the
 *         queue is full (flow control), and an end-of-input message of its own
 *         type so that recv knows when to stop. The queue outlives send: run
 *         `send <file`, look at `ipcs -q`, then run recv. A line longer than
 *         LINE_MAX_BYTES stops send with an error; it is never cut short.
 * Mirrors: LG "send.c" (which used the fixed key 9999). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; getline */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include "send_recv.h"

static void usage(void)
{
    fprintf(stderr, "usage: send [-k keyfile]\n");
    exit(2);
}

/* Interrupted: remove the queue if this run created it (a recv that joined
 * it since then gets EIDRM and stops too), then die of the signal. */
static void quit_on_signal(int id, int created)
{
    if (created && msgctl(id, IPC_RMID, NULL) == 0)
        fprintf(stderr, "send: interrupted: removed queue %d\n", id);
    else
        fprintf(stderr, "send: interrupted: queue %d left to its creator\n", id);
    die_of_stop();
}

static int open_queue(const char *keyfile, int *created)
{
    key_t key = ftok(keyfile, SEND_RECV_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    *created = id != -1;
    if (id == -1 && errno == EEXIST)
        id = msgget(key, 0); /* recv, or an earlier send, made it: use it */
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    fprintf(stderr, "send: %s queue %d (key 0x%08x)\n",
            *created ? "created" : "joined existing", id, (unsigned)key);
    return id;
}

/* Send one message, waiting while the queue is full. */
static void send_message(int id, int created, long type, const char *text, size_t len)
{
    struct message msg = {.mtype = type};
    memcpy(msg.mtext, text, len); /* callers check len <= LINE_MAX_BYTES */
    if (stop)
        quit_on_signal(id, created);
    while (msgsnd(id, &msg, len, 0) == -1) {
        if (errno == EIDRM)
            errx(1, "queue %d was removed while sending", id);
        if (errno != EINTR)
            err(1, "msgsnd");
        if (stop)
            quit_on_signal(id, created);
    }
}

/* Returns 0 when every line went out, 1 when an over-long line stopped us. */
static int send_lines(int id, int created)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;

    /* A stop that lands before getline's read begins: the alarm (send_recv.h)
     * ends the read. No ppoll here: stdio may already hold the next line. */
    while (!stop && (len = getline(&line, &cap, stdin)) != -1) {
        n++;
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (len > LINE_MAX_BYTES) {
            warnx("line %ld is %zd bytes, more than the %d a message may carry: "
                  "stopping (lines before it were sent)",
                  n, len, LINE_MAX_BYTES);
            free(line);
            return 1;
        }
        send_message(id, created, TYPE_LINE, line, (size_t)len);
    }
    if (stop)
        quit_on_signal(id, created);
    if (ferror(stdin))
        err(1, "reading standard input");
    free(line);
    fprintf(stderr, "send: %ld line(s) sent\n", n);
    return 0;
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, created;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1) {
        if (opt != 'k')
            usage();
        keyfile = optarg;
    }
    if (optind != argc)
        usage();

    catch_stop_signals();
    int id = open_queue(keyfile, &created);
    int status = send_lines(id, created);
    send_message(id, created, TYPE_END, "", 0); /* even after an error: recv must stop */
    return status;
}
