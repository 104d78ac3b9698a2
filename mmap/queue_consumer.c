/* queue_consumer.c -- take messages from the mapped queue, oldest first, until
 *                     every producer has sent its end marker (or a count is
 *                     reached), then remove the queue file.
 * Usage:  queue_consumer [-p producers] [-n count] file
 *         -p  end markers to wait for (default 1)
 *         -n  stop after this many messages instead
 * Shows:  the consumer side of a bounded FIFO in mapped memory: blocking while
 *         the queue is empty, a clean end (the lecture's consumer never
 *         stops), and the owner removing the file. Prints each message as
 *         "producer seq text". One consumer per queue.
 * Mirrors: SYS mmap_locks (the consumer).
 * Build:  cc -o queue_consumer queue_consumer.c mapped_queue.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, getopt */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapped_queue.h"

static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: queue_consumer [-p producers] [-n count] file\n");
    exit(2);
}

static void on_signal(int sig)
{
    stop = sig;
}

/* No SA_RESTART: a signal must cut a wait short. */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

static long number(const char *text, long min)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < min || value > 1000000000)
        usage();
    return value;
}

static void stopped(struct mapped_queue *q, long received)
{
    int removed = queue_close(q, QUEUE_REMOVE_IF_LAST);
    errx(1, "stopped by %s after %ld messages%s", stop == SIGINT ? "SIGINT" : "SIGTERM",
         received, removed ? "; queue file removed" : "");
}

int main(int argc, char *argv[])
{
    long producers = 1, count = -1, received = 0, ended = 0;
    int opt;
    while ((opt = getopt(argc, argv, ":p:n:")) != -1) {
        if (opt == 'p')
            producers = number(optarg, 1);
        else if (opt == 'n')
            count = number(optarg, 0);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    catch_signals();
    enum queue_origin origin;
    struct mapped_queue *q = queue_open(path, &stop, &origin);
    if (q == NULL)
        errx(1, "stopped before the queue was ready");
    fprintf(stderr, "queue_consumer: %s in %s (%u messages waiting)\n",
            queue_origin_name(origin), path, queue_length(q));

    struct queue_message m;
    while (count < 0 ? ended < producers : received < count) {
        if (queue_get(q, &m) == -1)
            stopped(q, received);
        if (m.seq == QUEUE_END) {
            ended++;
            continue;
        }
        m.text[QUEUE_TEXT - 1] = '\0'; /* never trust a terminator from the file */
        printf("%d %ld %s\n", m.producer, m.seq, m.text);
        received++;
    }
    fflush(stdout);
    queue_close(q, QUEUE_REMOVE);
    fprintf(stderr, "queue_consumer: %ld messages, %ld end markers; removed %s\n",
            received, ended, path);
    return 0;
}
