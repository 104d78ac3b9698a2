/* msgq_client.c -- send one request to msgq_server, and take back only its own reply.
 * Usage:  msgq_client [-k keyfile] [-t seconds] text
 * Shows:  the client side of one queue shared by many clients: msgsnd of a
 *         request that carries getpid() and a seq of this run, then msgrcv
 *         with msgtyp = getpid(), which takes only messages of that type: the
 *         replies for this process, in whatever order the clients came. A
 *         reply with another seq is stale (left for an earlier process that
 *         had this pid, and never read): reported and dropped.
 *         The request is sent with IPC_NOWAIT (a full queue is an error, not a
 *         hang); the reply is awaited at most -t seconds (default 5), after
 *         which SIGALRM interrupts msgrcv (EINTR) and the client says so.
 *         The reply goes to stdout, bytes that are not printable ASCII as \xHH.
 * Beyond: recv (one reader, one writer); UNP vol. 2, 6.7 and TLPI 46.8. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <time.h>
#include <unistd.h>

#include "msgq_server.h"

static void usage(void)
{
    fprintf(stderr, "usage: msgq_client [-k keyfile] [-t seconds] text\n");
    exit(2);
}

static void on_alarm(int sig)
{
    (void)sig; /* only there to make msgrcv fail with EINTR */
}

static int open_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, MSGQ_SERVER_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, 0); /* the server's: never created here */
    if (id == -1 && errno == ENOENT)
        errx(1, "no queue for key 0x%08x (keyfile %s): is msgq_server running?",
             (unsigned)key, keyfile);
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    return id;
}

static void send_request(int id, long seq, const char *text, size_t len)
{
    struct request req = {.mtype = REQUEST_TYPE, .body = {.pid = getpid(), .seq = seq}};
    memcpy(req.body.text, text, len);
    if (msgsnd(id, &req, REQUEST_SIZE(len), IPC_NOWAIT) == -1) {
        if (errno == EAGAIN)
            errx(1,
                 "queue %d is full: the server cannot keep up (or a client "
                 "never reads its replies)",
                 id);
        err(1, "msgsnd to queue %d", id);
    }
}

/* Wait for the reply with our seq; stale ones (another seq) are dropped. */
static void print_reply(int id, long seq, int secs)
{
    struct reply rep;
    ssize_t len;

    alarm((unsigned)secs);
    while ((len = msgrcv(id, &rep, sizeof rep.body, getpid(), MSG_NOERROR)) != -1) {
        len -= (ssize_t)REPLY_SIZE(0);
        if (len >= 0 && len <= TEXT_MAX && rep.body.seq == seq)
            break;
        warnx("a stale or malformed reply for this pid (seq %ld, not %ld): dropped",
              len >= 0 ? rep.body.seq : -1L, seq);
    }
    alarm(0);
    if (len == -1 && errno == EINTR)
        errx(1, "no reply within %d s: is msgq_server running?", secs);
    if (len == -1 && (errno == EIDRM || errno == EINVAL))
        errx(1, "queue %d was removed while we waited: the server has stopped", id);
    if (len == -1)
        err(1, "msgrcv from queue %d", id);
    for (ssize_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)rep.body.text[i];
        if (isprint(c) && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    putchar('\n');
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt, secs = 5;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:t:")) != -1) {
        if (opt == 'k') {
            keyfile = optarg;
            continue;
        }
        if (opt != 't')
            usage();
        long t = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || t < 1 || t > 3600)
            usage();
        secs = (int)t;
    }
    if (argc - optind != 1)
        usage();
    const char *text = argv[optind];
    size_t len = strlen(text);
    if (len > TEXT_MAX)
        errx(1, "the text is %zu bytes, more than the %d a request may carry", len,
             TEXT_MAX);

    struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART: see print_reply */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long seq = (long)now.tv_nsec ^ (long)now.tv_sec; /* this run's, not a pid's */
    int id = open_queue(keyfile);
    send_request(id, seq, text, len);
    print_reply(id, seq, secs);
    return 0;
}
