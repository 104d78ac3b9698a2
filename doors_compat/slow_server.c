/* slow_server.c -- a door whose procedure takes its time: calls run concurrently.
 * Usage:  slow_server [-n together] [-t ms] [-x] path
 * Shows:  every door_call gets a server thread of its own: calls that arrive while
 *         others are still running overlap. Each call waits ms milliseconds (default
 *         1000), or less: until `together` calls are in progress at once. It answers
 *         with its number, how many calls were in progress when it started, the most
 *         ever in progress at once, and its argument echoed.
 *         -x: the procedure returns without door_return (a bug): callers get EINTR.
 * Mirrors: UNP vol. 2, 15.8 "automatic thread management" (a procedure that sleeps).
 * Build:  cc -o slow_server slow_server.c door.c */
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
#include "door_file.h"
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

static void usage(void)
{
    fprintf(stderr, "usage: slow_server [-n together] [-t ms] [-x] path\n");
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

/* Count the call in, wait, count it out; fill in its reply. */
static void take_time(struct slow_reply *r)
{
    struct timespec deadline = deadline_after(wait_ms);
    pthread_mutex_lock(&lock);
    r->call = ++calls;
    r->at_start = ++in_progress;
    if (in_progress > at_most)
        at_most = in_progress;
    pthread_cond_broadcast(&changed);
    printf("slow_server: call %ld started, %d in progress\n", r->call, r->at_start);
    fflush(stdout);
    while (!(together > 0 && at_most >= together))
        if (pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT)
            break;
    r->at_most = at_most;
    in_progress--;
    printf("slow_server: call %ld ended\n", r->call);
    fflush(stdout);
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
    const char *path = argv[optind];

    pthread_condattr_t attr; /* timed waits on the monotonic clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&changed, &attr);
    if ((errno = pthread_key_create(&reply_key, free)) != 0)
        err(1, "pthread_key_create");

    door_file_catch();
    int d = door_create(slow, NULL, 0);
    if (d == -1)
        err(1, "door_create");
    door_file_attach(d, path);
    printf("slow_server: door attached to %s\n", path);
    fflush(stdout);
    door_file_wait();
    door_file_remove(d, path);
    printf("slow_server: %ld calls, at most %d at once\n", calls, at_most);
    return 0;
}
