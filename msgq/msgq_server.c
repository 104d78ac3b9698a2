/* msgq_server.c -- one System V queue, many clients: each reply goes back by mtype = pid.
 * Usage:  msgq_server [-k keyfile]
 * Shows:  a server that takes only requests (msgrcv with msgtyp REQUEST_TYPE)
 *         and answers each with a message whose type is the client's pid, so
 *         that every client, waiting on the same queue with msgtyp = its own
 *         pid, takes its own answer and nobody else's. The answer is the
 *         request's text in capitals, with the client's seq.
 *         The server survives what a client can do to it: a request too long
 *         or too short, or with a pid that is no client's, is reported and
 *         dropped (MSG_NOERROR and one byte more than the largest: no E2BIG
 *         that would stop every later msgrcv); a reply is sent with
 *         IPC_NOWAIT, so a queue filled by a client that never reads its
 *         replies costs that reply (reported), never a server stuck in msgsnd.
 *         Limits of one shared queue: a client can claim another's pid, and a
 *         client that fills the queue keeps the others out; a queue per client,
 *         or a UNIX socket, does not have them (TLPI 46.8).
 *         A queue a SIGKILL left is removed and made anew. SIGINT and SIGTERM
 *         stay blocked; a thread takes them with sigwait and removes the queue,
 *         which ends main's msgrcv (EIDRM): no moment where a stop is missed.
 * Beyond: msgq1/msgq2 and send/recv (one writer, one reader); UNP vol. 2, 6.7
 *         (multiplexing messages: one queue, type = pid) and TLPI 46.8.
 * Build:  cc -o msgq_server msgq_server.c -pthread */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; pthread_sigmask */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include "msgq_server.h"

static int msqid;
static sigset_t stops;        /* SIGINT, SIGTERM: blocked in every thread */
static atomic_int stopped_by; /* the signal the stop thread took, or 0 */

static void usage(void)
{
    fprintf(stderr, "usage: msgq_server [-k keyfile]\n");
    exit(2);
}

/* The stop thread: wait for SIGINT or SIGTERM, then remove the queue. */
static void *stopper(void *unused)
{
    int sig;
    (void)unused;
    if (sigwait(&stops, &sig) != 0)
        return NULL;
    atomic_store(&stopped_by, sig);
    if (msgctl(msqid, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID queue %d", msqid);
    return NULL;
}

/* Make the queue; one that a killed server left is removed and made anew. */
static int make_queue(key_t key)
{
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    if (id == -1 && errno == EEXIST) {
        id = msgget(key, 0);
        if (id != -1 && msgctl(id, IPC_RMID, NULL) == 0)
            printf("msgq_server: removed queue %d, left by an earlier server\n", id);
        id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    }
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    return id;
}

/* Check a request; NULL if it is good, else why it is dropped. */
static const char *bad_request(const struct request *req, ssize_t len)
{
    if (len < (ssize_t)REQUEST_SIZE(0))
        return "shorter than a pid and a seq";
    if (len > (ssize_t)REQUEST_SIZE(TEXT_MAX))
        return "longer than the largest request";
    if (req->body.pid <= 1) /* no client has it; 1 would also be a request's type */
        return "no client's pid";
    return NULL;
}

/* Answer one request: its text in capitals, to mtype = the client's pid. */
static void answer(const struct request *req, size_t text_len)
{
    struct reply rep = {.mtype = req->body.pid, .body.seq = req->body.seq};
    for (size_t i = 0; i < text_len; i++)
        rep.body.text[i] = (char)toupper((unsigned char)req->body.text[i]);
    if (msgsnd(msqid, &rep, REPLY_SIZE(text_len), IPC_NOWAIT) == 0) {
        printf("msgq_server: answered pid %ld (%zu bytes)\n", req->body.pid, text_len);
    } else if (errno == EAGAIN) {
        printf("msgq_server: queue full: reply to pid %ld dropped\n", req->body.pid);
    } else if (errno != EIDRM && errno != EINVAL) {
        err(1, "msgsnd to queue %d", msqid);
    }
    fflush(stdout);
}

/* Serve until the queue is removed; returns how many requests were dropped. */
static long serve(void)
{
    struct request req;
    long dropped = 0;

    for (;;) {
        ssize_t len = msgrcv(msqid, &req, sizeof req.body, REQUEST_TYPE, MSG_NOERROR);
        if (len == -1 && errno == EINTR)
            continue;
        if (len == -1 && (errno == EIDRM || errno == EINVAL))
            return dropped; /* removed: by the stop thread, or by someone else */
        if (len == -1)
            err(1, "msgrcv from queue %d", msqid);
        const char *why = bad_request(&req, len);
        if (why != NULL) {
            printf("msgq_server: a request of %zd bytes dropped: %s\n", len, why);
            fflush(stdout);
            dropped++;
            continue;
        }
        answer(&req, (size_t)len - REQUEST_SIZE(0));
    }
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    int opt;
    pthread_t thread;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:")) != -1) {
        if (opt != 'k')
            usage();
        keyfile = optarg;
    }
    if (optind != argc)
        usage();

    key_t key = ftok(keyfile, MSGQ_SERVER_PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if ((errno = pthread_sigmask(SIG_BLOCK, &stops, NULL)) != 0) /* in every thread */
        err(1, "pthread_sigmask");
    msqid = make_queue(key);
    if ((errno = pthread_create(&thread, NULL, stopper, NULL)) != 0) {
        warn("pthread_create");
        msgctl(msqid, IPC_RMID, NULL);
        exit(1);
    }
    printf("msgq_server: queue %d (key 0x%08x): serving\n", msqid, (unsigned)key);
    fflush(stdout);
    long dropped = serve();
    int sig = atomic_load(&stopped_by);
    if (sig == 0)
        errx(1, "queue %d was removed by someone else (ipcrm, or a newer server)", msqid);
    printf("msgq_server: stopped by signal %d: removed queue %d (%ld request(s) "
           "dropped)\n",
           sig, msqid, dropped);
    fflush(stdout);
    signal(sig, SIG_DFL); /* die of it: the shell sees how we ended */
    pthread_sigmask(SIG_UNBLOCK, &stops, NULL);
    raise(sig);
    return 1;
}
