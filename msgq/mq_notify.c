/* mq_notify.c -- be told when a POSIX queue gets a message, instead of waiting for it.
 * Usage:  mq_notify [-m signal|thread|timed] [-w seconds] /name
 * Shows:  mq_notify(3) registers this process to be told when the queue goes
 *         from empty to not empty:
 *           signal  (default) by SIGUSR1, kept blocked and taken with
 *                   sigtimedwait(2), whose siginfo says who sent the message;
 *           thread  by a function the C library runs in a new thread;
 *           timed   no notification: mq_timedreceive(3), whose time limit is
 *                   an absolute CLOCK_REALTIME time, not a number of seconds.
 *         A registration serves once: each notification registers again, then
 *         empties the queue (O_NONBLOCK mq_receive until EAGAIN), since nothing
 *         is told while it is not empty (which is why it is emptied at the start
 *         too). Only one process may be registered: a second one gets EBUSY.
 *         /name is opened, or made (10 messages of 256 bytes) and removed at
 *         the end: after -w seconds (default 10) without a message, or on
 *         SIGINT/SIGTERM. Messages are printed as posix_mq_recv prints them.
 * Beyond: posix_mq_recv (takes what is there and ends); TLPI 52.6 (message
 *         notification), 52.5.3 (mq_timedreceive).
 * Build:  cc -o mq_notify mq_notify.c -pthread   (and -lrt before glibc 2.34) */
#define _POSIX_C_SOURCE 200809L /* mq_*, sigtimedwait, SIGEV_THREAD */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSGS 10 /* as posix_mq_send makes them */
#define MSG_SIZE 256
#define BUF_SIZE 8192 /* mq_receive needs >= mq_msgsize: Linux's largest by default */

static mqd_t mq;
static const char *name;
static char mode = 's';            /* 's'ignal, 't'hread or timed ('w': waits) */
static atomic_long received;       /* messages printed so far */
static sigset_t stops, notify;     /* SIGINT and SIGTERM; the same and SIGUSR1 */
static volatile sig_atomic_t stop; /* -m timed: the stop signal, or 0 */

static void usage(void)
{
    fprintf(stderr, "usage: mq_notify [-m signal|thread|timed] [-w seconds] /name\n");
    exit(2);
}

/* Print one message; control bytes and the backslash as \xHH (a sender's). */
static void print_message(const char *buf, ssize_t len, unsigned prio)
{
    flockfile(stdout); /* one message's line at a time, from any thread */
    printf("priority %u: ", prio);
    for (ssize_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (isprint(c) && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    putchar('\n');
    fflush(stdout);
    funlockfile(stdout);
    atomic_fetch_add(&received, 1);
}

/* Take every message there is (the descriptor is O_NONBLOCK: EAGAIN = empty). */
static void drain(void)
{
    char buf[BUF_SIZE];
    unsigned prio;
    ssize_t len;

    while ((len = mq_receive(mq, buf, sizeof buf, &prio)) != -1)
        print_message(buf, len, prio);
    if (errno != EAGAIN)
        err(1, "mq_receive %s", name);
}

static void on_message(union sigval sv);

/* Register for the next notification (again: each one is used up when sent). */
static void register_notify(void)
{
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    if (mode == 't') {
        sev.sigev_notify = SIGEV_THREAD;
        sev.sigev_notify_function = on_message;
    }
    if (mq_notify(mq, &sev) == 0)
        return;
    if (errno == EBUSY)
        errx(1, "another process is registered for %s: only one may be (EBUSY)", name);
    err(1, "mq_notify %s", name);
}

/* -m thread: the C library calls this in a new thread, once per registration. */
static void on_message(union sigval sv)
{
    (void)sv;
    printf("notified in a new thread\n");
    register_notify(); /* first: a message that comes while we drain is told */
    drain();
}

/* -m signal and -m thread: wait for a stop, or until seconds pass with no
 * message; in signal mode SIGUSR1 says a message came, and from whom. */
static int wait_notified(int seconds)
{
    struct timespec limit = {.tv_sec = seconds};
    siginfo_t info;
    long seen = atomic_load(&received);

    for (;;) {
        int sig = sigtimedwait(mode == 's' ? &notify : &stops, &info, &limit);
        if (sig == SIGUSR1) {
            printf("notified by SIGUSR1: a message from pid %ld\n", (long)info.si_pid);
            register_notify(); /* first: a message that comes while we drain is told */
            drain();
        } else if (sig > 0) {
            return sig;
        } else if (errno == EAGAIN && seen == atomic_load(&received)) {
            return 0; /* seconds without a message */
        } else if (errno != EAGAIN && errno != EINTR) {
            err(1, "sigtimedwait");
        }
        seen = atomic_load(&received);
    }
}

static void on_stop(int sig)
{
    stop = sig;
}

/* -m timed: mq_timedreceive until one waits past its time limit, or a stop
 * (a stop just before mq_timedreceive begins waits for that limit). */
static int wait_timed(int seconds)
{
    char buf[BUF_SIZE];
    struct timespec deadline;
    unsigned prio;

    while (!stop) {
        clock_gettime(CLOCK_REALTIME, &deadline); /* now: it cannot fail for this clock */
        deadline.tv_sec += seconds;
        ssize_t len = mq_timedreceive(mq, buf, sizeof buf, &prio, &deadline);
        if (len >= 0)
            print_message(buf, len, prio);
        else if (errno == ETIMEDOUT)
            return 0;
        else if (errno != EINTR)
            err(1, "mq_timedreceive %s", name);
    }
    return stop;
}

/* Options into mode and the returned seconds; the name into name. */
static int parse_args(int argc, char *argv[])
{
    int opt, seconds = 10;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "m:w:")) != -1) {
        if (opt == 'm' && strcmp(optarg, "signal") == 0) {
            mode = 's';
        } else if (opt == 'm' && strcmp(optarg, "thread") == 0) {
            mode = 't';
        } else if (opt == 'm' && strcmp(optarg, "timed") == 0) {
            mode = 'w';
        } else if (opt == 'w') {
            long w = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || w < 1 || w > 3600)
                usage();
            seconds = (int)w;
        } else {
            usage();
        }
    }
    if (argc - optind != 1)
        usage();
    name = argv[optind];
    if (name[0] != '/' || name[1] == '\0' || strchr(name + 1, '/') != NULL)
        usage();
    return seconds;
}

/* Open the queue, making it if there is none; 1 if this process made it. */
static int open_queue(void)
{
    struct mq_attr attr = {.mq_maxmsg = MAX_MSGS, .mq_msgsize = MSG_SIZE};
    int flags = O_RDONLY | (mode == 'w' ? 0 : O_NONBLOCK);
    mq = mq_open(name, flags | O_CREAT | O_EXCL, 0600, &attr);
    int made = mq != (mqd_t)-1;
    if (!made && errno == EEXIST)
        mq = mq_open(name, flags);
    if (mq == (mqd_t)-1)
        err(1, "mq_open %s", name);
    return made;
}

int main(int argc, char *argv[])
{
    int seconds = parse_args(argc, argv);

    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    notify = stops;
    sigaddset(&notify, SIGUSR1);
    /* Blocked before any thread exists, so every thread inherits the mask, and
     * taken by sigtimedwait; in timed mode a handler (no SA_RESTART) makes
     * mq_timedreceive fail with EINTR instead. */
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (mode != 'w' && sigprocmask(SIG_BLOCK, &notify, NULL) == -1)
        err(1, "sigprocmask");
    if (mode == 'w' &&
        (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1))
        err(1, "sigaction");

    int made = open_queue();
    if (mode != 'w')
        register_notify();
    printf("mq_notify: %s %s: waiting %s\n", made ? "made" : "opened", name,
           mode == 's'   ? "for SIGUSR1"
           : mode == 't' ? "for a thread to be started"
                         : "in mq_timedreceive");
    fflush(stdout);
    if (mode != 'w')
        drain(); /* what came before the registration: no notification for it */
    int sig = mode == 'w' ? wait_timed(seconds) : wait_notified(seconds);
    mq_close(mq); /* also ends the registration */
    if (made && mq_unlink(name) == -1)
        warn("mq_unlink %s", name);
    printf("mq_notify: %s: %ld message(s)%s\n",
           sig ? "stopped by a signal" : "no message for a while", atomic_load(&received),
           made ? "; removed the queue" : "");
    fflush(stdout);
    if (sig == 0)
        return 0;
    signal(sig, SIG_DFL); /* die of it: the shell sees how we ended */
    sigprocmask(SIG_UNBLOCK, &stops, NULL);
    raise(sig);
    return 1;
}
