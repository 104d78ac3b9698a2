/* overlap_server.c -- slow_server made to prove its overlap, and to echo big arguments.
 * Usage:  overlap_server [-n together] [-t ms] [-x] path
 * Shows:  that calls really overlap, without trusting the clock: each call waits ms
 *         milliseconds (default 1000), or less: until `together` calls are in
 *         progress at once (a barrier that calls which queued could never pass). It
 *         answers with its number, the calls in progress when it started, the most
 *         ever in progress at once, and its argument echoed: a result of any size,
 *         malloc()ed although door_return never returns to free it.
 *         -x: the procedure returns without door_return (the SYS slide's bug):
 *         callers get EINTR, and the server serves on. A caller that goes away
 *         during its call (overlap_client and Ctrl-C) has the call's thread
 *         cancelled: its cleanup handler says "cancelled".
 * Beyond: extends slow_server (UNP's automatic thread management).
 * Build:  cc -o overlap_server overlap_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, pthread_condattr_setclock */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "door.h"
#include "slow_proto.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;
static long calls;              /* calls started so far */
static int in_progress;         /* calls running now */
static int at_most;             /* the most ever running at once */
static int together;            /* -n: stop waiting once this many ran at once */
static long wait_ms = 1000;     /* -t */
static int no_return;           /* -x */
static pthread_key_t reply_key; /* each call's reply buffer, freed as its thread ends */
static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */

static void usage(void)
{
    fprintf(stderr, "usage: overlap_server [-n together] [-t ms] [-x] path\n");
    exit(2);
}

static struct timespec deadline_after(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += ms % 1000 * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

/* A caller that left (a signal, or it died) has this thread cancelled, as on
 * illumos: the cancellation comes in the wait below, with the lock held again. */
static void cancelled(void *arg)
{
    struct slow_reply *r = arg;
    in_progress--;
    printf("overlap_server: call %ld cancelled\n", r->call);
    pthread_mutex_unlock(&lock);
}

/* Count the call in, wait, count it out; fill in its reply. */
static void take_time(struct slow_reply *r)
{
    struct timespec deadline = deadline_after(wait_ms);
    pthread_mutex_lock(&lock);
    r->call = ++calls;
    pthread_cleanup_push(cancelled, r);
    r->at_start = ++in_progress;
    if (in_progress > at_most)
        at_most = in_progress;
    pthread_cond_broadcast(&changed);
    printf("overlap_server: call %ld started, %d in progress\n", r->call, r->at_start);
    while (!(together > 0 && at_most >= together))
        if (pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT)
            break;
    pthread_cleanup_pop(0);
    r->at_most = at_most;
    in_progress--;
    printf("overlap_server: call %ld ended\n", r->call);
    pthread_mutex_unlock(&lock);
}

static void slow(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                 uint_t n_desc)
{
    struct slow_reply r;
    (void)cookie, (void)dp, (void)n_desc;

    take_time(&r);
    if (no_return)
        return; /* the bug -x asks for: no door_return */
    /* door_return never returns, so no free() can follow it: the buffer is left
     * to a thread-specific key, whose destructor frees it as the thread ends. */
    char *reply = malloc(sizeof r + arg_size);
    if (reply == NULL)
        door_return(NULL, 0, NULL, 0);
    pthread_setspecific(reply_key, reply); /* cannot fail: the key is valid */
    memcpy(reply, &r, sizeof r);
    if (arg_size > 0)
        memcpy(reply + sizeof r, argp, arg_size);
    door_return(reply, sizeof r + arg_size, NULL, 0);
    /* Back only when the result is over the library's limit (E2BIG): say so, and
     * answer with nothing rather than leave the caller an EINTR. */
    warn("call %ld: door_return of %zu bytes", r.call, sizeof r + arg_size);
    door_return(NULL, 0, NULL, 0);
}

static void stop(int sig) /* SIGINT, SIGTERM: unlink and _exit are async-signal-safe */
{
    (void)sig;
    if (made)
        unlink(path);
    _exit(0);
}

static long number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return n;
}

int main(int argc, char *argv[])
{
    int opt;
    opterr = 0; /* a bad option gets our usage line, not getopt's message */
    while ((opt = getopt(argc, argv, "n:t:x")) != -1) {
        if (opt == 'n')
            together = (int)number(optarg, 1, 1000);
        else if (opt == 't')
            wait_ms = number(optarg, 0, 3600000);
        else if (opt == 'x')
            no_return = 1;
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    path = argv[optind];

    pthread_condattr_t attr; /* timed waits on the monotonic clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&changed, &attr);
    if ((errno = pthread_key_create(&reply_key, free)) != 0)
        err(1, "pthread_key_create");
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    struct sigaction sa = {.sa_handler = stop};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    int d = door_create(slow, NULL, 0);
    if (d == -1)
        err(1, "door_create");
    int file = open(path, O_RDWR | O_CREAT | O_EXCL, 0600); /* a file given: not ours */
    if (file == -1 && errno != EEXIST)
        err(1, "open %s", path);
    made = file != -1;
    if (made)
        close(file);
    if (fattach(d, path) == -1) {
        if (made)
            unlink(path);
        err(1, "fattach %s", path);
    }
    printf("overlap_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
