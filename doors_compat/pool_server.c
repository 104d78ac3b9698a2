/* pool_server.c -- square_server whose server threads it creates itself.
 * Usage:  pool_server path [seconds]
 * Shows:  door_server_create(3C): the library calls our create function whenever
 *         its pool of waiting server threads runs dry (and once at door_create);
 *         each thread we make joins the pool with door_return(NULL, 0, NULL, 0) and
 *         serves call after call: a thread per call in progress, never a thread
 *         per call. Each call sleeps `seconds` (default 0), and says which thread
 *         served it: calls one after another reuse one thread.
 * Mirrors: UNP vol. 2, ch. 15, the door_server_create example (thread management).
 * Build:  cc -o pool_server pool_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, pthread */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "door.h"

#if LONG_MAX > 2147483647L
#define SQUARE_MAX 3037000499L /* the largest n whose square fits a 64-bit long */
#else
#define SQUARE_MAX 46340L /* ... a 32-bit long */
#endif

static const char *path;
static volatile sig_atomic_t made; /* we created path: remove it when stopped */
static unsigned seconds;
static atomic_int threads;          /* server threads created so far */
static _Thread_local int thread_no; /* this thread's number, 1, 2, ... */

static void square(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                   uint_t n_desc)
{
    long n, result;
    (void)cookie, (void)dp, (void)n_desc;
    if (arg_size != sizeof n) /* not a long: no result at all */
        door_return(NULL, 0, NULL, 0);
    memcpy(&n, argp, sizeof n);
    if (n > SQUARE_MAX || n < -SQUARE_MAX)
        door_return(NULL, 0, NULL, 0);
    sleep(seconds);
    result = n * n;
    printf("pool_server: thread %d: %ld squared is %ld\n", thread_no, n, result);
    door_return((char *)&result, sizeof result, NULL, 0);
}

static void *server_thread(void *arg)
{
    (void)arg;
    thread_no = ++threads;
    printf("pool_server: thread %d created\n", thread_no);
    door_return(NULL, 0, NULL, 0); /* join the pool: it never returns */
    return NULL;
}

/* Called by the library when no server thread is left waiting. */
static void create_thread(door_info_t *info)
{
    pthread_t tid;
    pthread_attr_t attr;
    (void)info; /* NULL: the process's own pool (no DOOR_PRIVATE door here) */
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if ((errno = pthread_create(&tid, &attr, server_thread, NULL)) != 0)
        warn("pthread_create"); /* the calls wait for a thread that is free */
    pthread_attr_destroy(&attr);
}

static void usage(void)
{
    fprintf(stderr, "usage: pool_server path [seconds]\n");
    exit(2);
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
    char *end;
    if (argc < 2 || argc > 3 || argv[1][0] == '-')
        usage();
    if (argc == 3) {
        long s = strtol(argv[2], &end, 10);
        if (*argv[2] == '\0' || *end != '\0' || s < 0 || s > 3600)
            usage();
        seconds = (unsigned)s;
    }
    path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line at once, also into a file */
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigset_t all, old; /* our server threads leave SIGINT and SIGTERM to main */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    door_server_create(create_thread); /* before door_create, which calls it */
    int fd = door_create(square, NULL, 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
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
    printf("pool_server: door attached to %s\n", path);
    for (;;)
        pause(); /* the door's threads serve; SIGINT or SIGTERM runs stop() */
}
