/* slow_server.c -- a door whose procedure takes its time: calls run at once.
 * Usage:  slow_server path [seconds]
 * Shows:  automatic thread management: the library runs every door_call in a thread
 *         of its own, so calls that come while others still sleep overlap instead
 *         of queueing. Each call sleeps `seconds` (default 5), then answers with its
 *         number, the calls in progress when it started, and the most ever at once.
 *         Stopped, the server does not wait for its calls: their callers get EINTR.
 * Mirrors: UNP vol. 2, ch. 15, server5.c (automatic thread management).
 * Build:  cc -o slow_server slow_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "door.h"
#include "slow_proto.h"

/* Calls run at once, in threads of their own: the counters need a lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long calls;      /* calls started so far */
static int in_progress; /* calls running now */
static int at_most;     /* the most ever running at once */
static unsigned seconds = 5;
static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

static void usage(void)
{
    fprintf(stderr, "usage: slow_server path [seconds]\n");
    exit(2);
}

static void slow(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                 uint_t n_desc)
{
    struct slow_reply r;
    (void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;

    pthread_mutex_lock(&lock);
    r.call = ++calls;
    r.at_start = ++in_progress;
    if (in_progress > at_most)
        at_most = in_progress;
    pthread_mutex_unlock(&lock);
    printf("slow_server: call %ld started, %d in progress\n", r.call, r.at_start);
    sleep(seconds); /* this thread only: the other calls go on */
    pthread_mutex_lock(&lock);
    r.at_most = at_most;
    in_progress--;
    pthread_mutex_unlock(&lock);
    printf("slow_server: call %ld ended\n", r.call);
    door_return((char *)&r, sizeof r, NULL, 0);
}

static void stop(int sig) /* SIGINT, SIGTERM: unlink and _exit are async-signal-safe */
{
    (void)sig;
    if (made)
        unlink(path);
    _exit(0);
}

int main(int argc, char *argv[])
{
    struct sigaction sa = {.sa_handler = stop};
    if (argc < 2 || argc > 3 || argv[1][0] == '-')
        usage();
    if (argc == 3) {
        char *end;
        long s = strtol(argv[2], &end, 10);
        if (*argv[2] == '\0' || *end != '\0' || s < 0 || s > 3600)
            usage();
        seconds = (unsigned)s;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int fd = door_create(slow, NULL, 0);
    if (fd == -1)
        err(1, "door_create");
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600); /* a file given: not ours */
    if (file == -1 && errno != EEXIST)
        err(1, "open %s", path);
    made = file != -1;
    if (made)
        close(file);
    if (fattach(fd, path) == -1) {
        if (made)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("slow_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
