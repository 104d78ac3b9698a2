/* eventfd_demo.c -- eventfd(2) as a counter shared by processes; timerfd(2) ticks.
 * Usage:  eventfd_demo [-s] [-p procs] [-n adds] [-i ms] [-t ms]
 * Shows:  eventfd(0, EFD_CLOEXEC): a 64-bit counter in the kernel behind a
 *         descriptor. procs children (default 4; fork(2) hands them the
 *         descriptor) each write(2) 1 into it `adds` times (default 1000), -i ms
 *         apart. The parent's read(2) of the 8 bytes returns the counter and
 *         sets it back to 0: one read may carry many adds, and none is lost, so
 *         the reads add up to procs x adds. -s: EFD_SEMAPHORE: each read takes
 *         just 1 (one read per add). A buffer of fewer than 8 bytes: EINVAL.
 *         Meanwhile a timerfd (timerfd_create, timerfd_settime) ticks every -t
 *         ms (default 100); poll(2) waits on both. A read of the timerfd gives
 *         the ticks since the last read: a late reader finds them counted, not
 *         lost, as the end shows (3.5 intervals without a read, then one read).
 *         The parent reaps every child (waitpid) and checks it added its share.
 *         Linux only: eventfd, timerfd. POSIX: a pipe, one byte per event (but
 *         a full pipe blocks the writers), or a process-shared semaphore;
 *         timer_create(2) with a signal for the ticks.
 * Beyond: sem_counter (sem/, a shared counter); TLPI 23.7 (timerfd), eventfd(2). */
#define _GNU_SOURCE /* eventfd and timerfd are Linux's own */

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: eventfd_demo [-s] [-p procs] [-n adds] [-i ms] [-t ms]\n");
    exit(2);
}

static long number(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
        usage();
    return n;
}

/* A child: add 1 to the counter `adds` times, ms apart. */
static _Noreturn void add_ones(int efd, long adds, long ms)
{
    struct timespec gap = {ms / 1000, ms % 1000 * 1000000L};
    uint64_t one = 1;
    for (long i = 0; i < adds; i++) {
        if (write(efd, &one, sizeof one) != (ssize_t)sizeof one) {
            warn("write eventfd");
            _exit(1);
        }
        if (ms > 0)
            nanosleep(&gap, NULL);
    }
    _exit(0);
}

static int start_timer(long ms)
{
    struct itimerspec every = {{ms / 1000, ms % 1000 * 1000000L},
                               {ms / 1000, ms % 1000 * 1000000L}};
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (tfd == -1 || timerfd_settime(tfd, 0, &every, NULL) == -1)
        err(1, "timerfd");
    return tfd;
}

static uint64_t read_u64(int fd, const char *what)
{
    uint64_t value;
    if (read(fd, &value, sizeof value) != (ssize_t)sizeof value) /* 8 bytes, or EINVAL */
        err(1, "read %s", what);
    return value;
}

/* Reap the children that have ended; count those that failed. */
static void reap(long *ended, int *failed)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        (*ended)++;
        *failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    if (pid == -1 && errno != ECHILD)
        err(1, "waitpid");
}

/* Wait on both descriptors until the reads add up to `expected`, or until every
 * child has ended and nothing is left to read. The children that failed. */
static int count(int efd, int tfd, long procs, uint64_t expected)
{
    uint64_t total = 0, reads = 0;
    long ended = 0;
    int failed = 0, timeout = -1;
    while (total < expected) {
        struct pollfd fds[2] = {{.fd = efd, .events = POLLIN},
                                {.fd = tfd, .events = POLLIN}};
        int n = poll(fds, 2, timeout);
        if (n == -1)
            err(1, "poll");
        if (n == 0) /* every child has ended, and the counter stays 0 */
            break;
        if (fds[0].revents & POLLIN) {
            total += read_u64(efd, "eventfd");
            reads++;
        }
        if (fds[1].revents & POLLIN) {
            printf("tick: %" PRIu64 " expiration(s); the reads add up to %" PRIu64
                   " so far\n",
                   read_u64(tfd, "timerfd"), total);
            reap(&ended, &failed);
            timeout = ended == procs ? 0 : -1;
        }
    }
    while (ended < procs) { /* a child may still be on its way out */
        if (wait(NULL) == -1 && errno != EINTR)
            err(1, "wait");
        ended++;
    }
    printf("eventfd: %" PRIu64 " reads added up to %" PRIu64 " of %" PRIu64 "\n", reads,
           total, expected);
    return failed + (total != expected);
}

int main(int argc, char *argv[])
{
    long procs = 4, adds = 1000, gap_ms = 0, tick_ms = 100;
    int opt, flags = EFD_CLOEXEC;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sp:n:i:t:")) != -1) {
        if (opt == 's')
            flags |= EFD_SEMAPHORE;
        else if (opt == 'p')
            procs = number(optarg, 1, 64);
        else if (opt == 'n')
            adds = number(optarg, 1, 1000000);
        else if (opt == 'i')
            gap_ms = number(optarg, 0, 10000);
        else if (opt == 't')
            tick_ms = number(optarg, 1, 10000);
        else
            usage();
    }
    if (optind != argc)
        usage();

    int efd = eventfd(0, flags);
    if (efd == -1)
        err(1, "eventfd");
    int tfd = start_timer(tick_ms);
    printf("eventfd_demo: %ld children add 1, %ld times each%s\n", procs, adds,
           flags & EFD_SEMAPHORE ? " (EFD_SEMAPHORE: a read takes 1)" : "");
    fflush(stdout); /* before fork: the children must not print it again */
    for (long i = 0; i < procs; i++) {
        pid_t pid = fork();
        if (pid == -1)
            err(1, "fork");
        if (pid == 0)
            add_ones(efd, adds, gap_ms);
    }
    int failed = count(efd, tfd, procs, (uint64_t)procs * (uint64_t)adds);

    struct timespec late = {(tick_ms * 7 / 2) / 1000,
                            (tick_ms * 7 / 2) % 1000 * 1000000L};
    read_u64(tfd, "timerfd"); /* ticks so far: not counted */
    nanosleep(&late, NULL);
    printf("timerfd: %" PRIu64
           " ticks while nobody read it for 3.5 ticks' time: counted, "
           "not lost\n",
           read_u64(tfd, "timerfd"));
    if (failed > 0)
        errx(1, "a child failed, or the reads did not add up");
    return 0;
}
