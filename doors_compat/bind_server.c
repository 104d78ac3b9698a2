/* bind_server.c -- a door served by a private pool of at most N threads.
 * Usage:  bind_server [-n threads] [-t ms] path
 * Shows:  door_create(3C) with DOOR_PRIVATE: only threads bound to the door with
 *         door_bind(3C) serve it. The create function (door_server_create) is
 *         called at door_create and whenever the pool runs dry; it makes a new
 *         thread only while there are fewer than `threads` (default 2): a bounded
 *         pool, where a further call waits for a thread to be free. Each call
 *         squares a long (square_client's protocol) after ms milliseconds (default
 *         300) and says how many calls were in progress at once: never more than
 *         `threads`. door_unbind is the way back to the process's own pool.
 * Beyond: extends pool_server (UNP's door_server_create) with the illumos
 *         door_bind(3C) private pools.
 * Build:  cc -o bind_server bind_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, pthread, nanosleep */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "door.h"

#if LONG_MAX > 2147483647L
#define SQUARE_MAX 3037000499L /* the largest n whose square fits a 64-bit long */
#else
#define SQUARE_MAX 46340L /* ... a 32-bit long */
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t created = PTHREAD_COND_INITIALIZER;
static int door = -2; /* the private door, for door_bind (-2: not created yet) */
static int threads;   /* made so far */
static int max_threads = 2;
static int in_progress; /* calls running now */
static long wait_ms = 300;
static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */
static _Thread_local int thread_no;

static void usage(void)
{
    fprintf(stderr, "usage: bind_server [-n threads] [-t ms] path\n");
    exit(2);
}

static void square(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    long n, result;
    (void)cookie, (void)dp, (void)n_desc;
    if (arg_size != sizeof n)
        door_return(NULL, 0, NULL, 0);
    memcpy(&n, argp, sizeof n);
    if (n > SQUARE_MAX || n < -SQUARE_MAX)
        door_return(NULL, 0, NULL, 0);
    pthread_mutex_lock(&lock);
    int now = ++in_progress;
    pthread_mutex_unlock(&lock);
    printf("bind_server: thread %d: call for %ld, %d in progress\n", thread_no, n, now);
    struct timespec t = {wait_ms / 1000, wait_ms % 1000 * 1000000};
    nanosleep(&t, NULL);
    pthread_mutex_lock(&lock);
    in_progress--;
    pthread_mutex_unlock(&lock);
    result = n * n;
    door_return((char *)&result, sizeof result, NULL, 0);
}

static void *server_thread(void *arg)
{
    thread_no = (int)(long)arg;
    pthread_mutex_lock(&lock); /* the first thread comes before door_create returns */
    while (door == -2)
        pthread_cond_wait(&created, &lock);
    int d = door;
    pthread_mutex_unlock(&lock);
    if (d == -1 || door_bind(d) == -1) /* bound: this thread serves only that door */
        err(1, "door_bind");
    printf("bind_server: thread %d bound to the door\n", thread_no);
    door_return(NULL, 0, NULL, 0); /* wait for calls to the door: never returns */
    return NULL;
}

/* info: the depleted private pool's door (NULL would be the process's own pool). */
static void create_thread(door_info_t *info)
{
    pthread_t tid;
    pthread_attr_t attr;
    if (info == NULL)
        return; /* no door of ours uses the process's pool */
    pthread_mutex_lock(&lock);
    int no = threads < max_threads ? ++threads : 0;
    pthread_mutex_unlock(&lock);
    if (no == 0)
        return; /* the pool is full: a call waits for a thread to be free */
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if ((errno = pthread_create(&tid, &attr, server_thread, (void *)(long)no)) != 0)
        warn("pthread_create");
    pthread_attr_destroy(&attr);
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
    while ((opt = getopt(argc, argv, "n:t:")) != -1) {
        if (opt == 'n')
            max_threads = (int)number(optarg, 1, 100);
        else if (opt == 't')
            wait_ms = number(optarg, 0, 3600000);
        else
            usage();
    }
    if (argc - optind != 1)
        usage();
    path = argv[optind];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    struct sigaction sa = {.sa_handler = stop};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigset_t all, old; /* the server threads leave SIGINT and SIGTERM to main */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    door_server_create(create_thread);
    int d = door_create(square, NULL, DOOR_PRIVATE);
    pthread_mutex_lock(&lock);
    door = d;
    pthread_cond_broadcast(&created);
    pthread_mutex_unlock(&lock);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
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
    printf("bind_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
