/* posix_mq_send.c -- put messages with a priority on a POSIX message queue.
 * Usage:  posix_mq_send [-p priority] /name message ...
 * Shows:  mq_open(3) with O_CREAT|O_EXCL and explicit attributes (at most
 *         MAX_MSGS messages of MSG_SIZE bytes), or joining the queue that is
 *         there; mq_send(3) with a priority; O_NONBLOCK so a full queue is an
 *         EAGAIN and not a hang; EMSGSIZE for a message longer than the
 *         queue's mq_msgsize (refused, never cut short). The queue outlives
 *         this program: posix_mq_recv reads it (highest priority first) and
 *         mq_unlink(3)s it. Run it several times with different -p values.
 * Beyond: msgq1 (and send), done with a POSIX message queue instead of a System V one. */
#define _POSIX_C_SOURCE 200809L /* mq_open and friends, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MSGS 10  /* Linux's default limit for an unprivileged queue */
#define MSG_SIZE 256 /* bytes per message */

static void usage(void)
{
    fprintf(stderr, "usage: posix_mq_send [-p priority] /name message ...\n");
    exit(2);
}

/* POSIX names are "/" then at least one character and no other slash. */
static int valid_name(const char *name)
{
    return name[0] == '/' && name[1] != '\0' && strchr(name + 1, '/') == NULL;
}

static mqd_t open_queue(const char *name, int *created)
{
    struct mq_attr attr = {.mq_maxmsg = MAX_MSGS, .mq_msgsize = MSG_SIZE};
    mqd_t mq = mq_open(name, O_WRONLY | O_NONBLOCK | O_CREAT | O_EXCL, 0600, &attr);
    *created = mq != (mqd_t)-1;
    if (mq == (mqd_t)-1 && errno == EEXIST)
        mq = mq_open(name, O_WRONLY | O_NONBLOCK); /* its own attributes stay */
    if (mq == (mqd_t)-1)
        err(1, "mq_open %s", name);
    printf("posix_mq_send: %s queue %s\n", *created ? "created" : "joined existing",
           name);
    return mq;
}

/* Returns how many were sent before a failure (all of them on success). */
static int send_all(mqd_t mq, const char *name, char **texts, int n, unsigned prio)
{
    struct mq_attr attr;
    if (mq_getattr(mq, &attr) == -1)
        err(1, "mq_getattr %s", name);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(texts[i]);
        if (mq_send(mq, texts[i], len, prio) == 0) {
            printf("posix_mq_send: sent \"%s\" with priority %u\n", texts[i], prio);
            continue;
        }
        if (errno == EMSGSIZE)
            warnx("message %d is %zu bytes, larger than the %ld bytes of %s's "
                  "mq_msgsize: refused",
                  i + 1, len, attr.mq_msgsize, name);
        else if (errno == EAGAIN)
            warnx("%s is full (mq_maxmsg %ld): run posix_mq_recv first", name,
                  attr.mq_maxmsg);
        else
            warn("mq_send %s", name);
        return i;
    }
    return n;
}

int main(int argc, char *argv[])
{
    unsigned prio = 0;
    int opt, created;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "p:")) != -1) {
        if (opt != 'p')
            usage();
        long p = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || p < 0 || p >= 32768) /* MQ_PRIO_MAX */
            usage();
        prio = (unsigned)p;
    }
    if (argc - optind < 2 || !valid_name(argv[optind]))
        usage();
    const char *name = argv[optind];

    mqd_t mq = open_queue(name, &created);
    int n = argc - optind - 1;
    int sent = send_all(mq, name, argv + optind + 1, n, prio);
    mq_close(mq);
    if (sent == n)
        return 0;
    if (created && sent == 0 && mq_unlink(name) == 0) /* leave nothing empty behind */
        fprintf(stderr, "posix_mq_send: nothing sent: removed %s\n", name);
    return 1;
}
