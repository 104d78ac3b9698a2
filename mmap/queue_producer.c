/* queue_producer.c -- put numbered messages into the mapped queue, then an
 *                     end marker.
 * Usage:  queue_producer [-v] [-n count] [-i id] file
 *         -n  messages to send (default 10)   -i  this producer's id (default: pid)
 *         -v  print each message as it goes in
 * Shows:  a producer blocking while the bounded queue is full, process-shared
 *         semaphores in a mapped file, and ending cleanly: the end marker tells
 *         the consumer this producer is done. Start it before or after
 *         queue_consumer, and as many of it as you like.
 * Mirrors: SYS mmap_locks (the producer).
 * Build:  cc -o queue_producer queue_producer.c mapped_queue.c */
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
    fprintf(stderr, "usage: queue_producer [-v] [-n count] [-i id] file\n");
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

static long number(const char *text, long min, long max)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || value < min || value > max)
        usage();
    return value;
}

/* Interrupted: leave the queue to whoever still uses it. */
static void stopped(struct mapped_queue *q, int id, long sent)
{
    int removed = queue_close(q, QUEUE_REMOVE_IF_LAST);
    errx(1, "producer %d: stopped by %s after %ld messages%s", id,
         stop == SIGINT ? "SIGINT" : "SIGTERM", sent,
         removed ? "; queue file removed" : "");
}

int main(int argc, char *argv[])
{
    long count = 10, id = getpid();
    int opt, verbose = 0;
    while ((opt = getopt(argc, argv, ":vn:i:")) != -1) {
        if (opt == 'v')
            verbose = 1;
        else if (opt == 'n')
            count = number(optarg, 0, 1000000000);
        else if (opt == 'i')
            id = number(optarg, 0, 1000000000);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();

    catch_signals();
    enum queue_origin origin;
    struct mapped_queue *q = queue_open(argv[optind], &stop, &origin);
    if (q == NULL)
        errx(1, "producer %ld: stopped before the queue was ready", id);
    printf("producer %ld: %s in %s (%u messages waiting)\n", id,
           queue_origin_name(origin), argv[optind], queue_length(q));
    fflush(stdout);

    struct queue_message m = {.producer = (int)id};
    for (m.seq = 1; m.seq <= count; m.seq++) {
        snprintf(m.text, sizeof m.text, "message %ld from producer %ld", m.seq, id);
        if (queue_put(q, &m) == -1)
            stopped(q, (int)id, m.seq - 1);
        if (verbose) {
            printf("producer %ld: sent %ld\n", id, m.seq);
            fflush(stdout);
        }
    }
    m.seq = QUEUE_END;
    snprintf(m.text, sizeof m.text, "end of producer %ld", id);
    if (queue_put(q, &m) == -1)
        stopped(q, (int)id, count);
    queue_close(q, QUEUE_KEEP); /* the consumer removes it once it has everything */
    printf("producer %ld: sent %ld messages and an end marker\n", id, count);
    return 0;
}
