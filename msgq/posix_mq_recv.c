/* posix_mq_recv.c -- empty a POSIX message queue, highest priority first, and unlink it.
 * Usage:  posix_mq_recv /name
 * Shows:  mq_open(3) of a queue that must exist, mq_getattr(3) to size the
 *         buffer (mq_receive fails with EMSGSIZE on a buffer smaller than the
 *         queue's mq_msgsize), mq_receive(3) returning the highest priority
 *         first and the oldest within a priority, O_NONBLOCK so an empty queue
 *         answers EAGAIN, and mq_unlink(3). A message's bytes that are not
 *         printable ASCII are printed as \xHH: a sender's escape sequence never
 *         reaches the terminal. A failed stdout (EPIPE: its reader has gone)
 *         loses the message just taken, says so, and leaves the rest queued.
 * Beyond: msgq2 (and recv), done with a POSIX message queue instead of a System V one. */
#define _POSIX_C_SOURCE 200809L /* mq_open and friends */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "usage: posix_mq_recv /name\n");
    exit(2);
}

/* POSIX names are "/" then at least one character and no other slash. */
static int valid_name(const char *name)
{
    return name[0] == '/' && name[1] != '\0' && strchr(name + 1, '/') == NULL;
}

static mqd_t open_queue(const char *name)
{
    mqd_t mq = mq_open(name, O_RDONLY | O_NONBLOCK); /* no O_CREAT: it must exist */
    if (mq == (mqd_t)-1 && errno == ENOENT)
        errx(1, "queue %s does not exist: run posix_mq_send first", name);
    if (mq == (mqd_t)-1)
        err(1, "mq_open %s", name);
    return mq;
}

/* Print a sender's bytes so that none can act on the terminal (an ESC starts
 * a sequence that moves the cursor or clears the screen): \xHH for a control
 * byte, a byte above 127 and the backslash itself. */
static void print_escaped(const char *buf, ssize_t len)
{
    for (ssize_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (isprint(c) && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

static long receive_all(mqd_t mq, const char *name)
{
    struct mq_attr attr;
    unsigned prio;
    ssize_t len;
    long n = 0;

    if (mq_getattr(mq, &attr) == -1)
        err(1, "mq_getattr %s", name);
    char *buf = malloc((size_t)attr.mq_msgsize);
    if (buf == NULL)
        err(1, "malloc");
    while ((len = mq_receive(mq, buf, (size_t)attr.mq_msgsize, &prio)) != -1) {
        printf("priority %u: ", prio);
        print_escaped(buf, len);
        putchar('\n');
        if (fflush(stdout) == EOF || ferror(stdout))
            err(1, "stdout: message %ld is lost; the rest stay in %s", n + 1, name);
        n++;
    }
    if (errno != EAGAIN) /* EAGAIN: the queue is empty */
        err(1, "mq_receive %s", name);
    free(buf);
    return n;
}

int main(int argc, char *argv[])
{
    if (argc != 2 || !valid_name(argv[1]))
        usage();
    const char *name = argv[1];

    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a reader gone: EPIPE, said */
        err(1, "signal");
    mqd_t mq = open_queue(name);
    long n = receive_all(mq, name);
    mq_close(mq);
    if (mq_unlink(name) == -1)
        err(1, "mq_unlink %s", name);
    fprintf(stderr, "posix_mq_recv: %ld message(s); removed %s\n", n, name);
    return 0;
}
