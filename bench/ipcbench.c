/* ipcbench.c -- the IPC performance hierarchy, measured: round-trip latency of
 *          a small message and bandwidth of a stream of large ones, between
 *          two processes, for every mechanism of the lab.
 * Usage:  ipcbench [-m mech,...] [-k lat,bw] [-p same,diff,sched] [-l bytes]
 *                  [-s bytes] [-r reps] [-R rounds] [-t ms] [-o table|csv|tsv] [-d dir]
 *                  [-w file.csv] [-n /name] [-c] [-x] [-y] [-h]
 * Shows:  how to measure honestly: a readiness handshake, warm-up rounds not
 *         counted, timed intervals of tens of ms, the median and spread of
 *         several repetitions, CLOCK_MONOTONIC in integer ns, every message
 *         checked, the same message size both ways for every mechanism, a
 *         message over a mechanism's limit refused (never truncated), and the
 *         placement of the two processes (one CPU, two CPUs, the scheduler's
 *         choice) always stated, because it changes the answer tenfold.
 * Mirrors: SYS "IPC Topics" (the IPC performance hierarchy) and LG "Inter-Process
 *         Communication, Part II" (shared memory as the fastest IPC); the method
 *         after lmbench, without its known faults.
 * Build:  cc -o ipcbench ipcbench.c mech_fd.c mech_msg.c mech_shm.c mech_door.c \
 *             ../doors_compat/door.c */
/* _GNU_SOURCE: sched_setaffinity, CPU_SET, sched_getcpu and prctl(PR_SET_PDEATHSIG)
 * are Linux extensions, and placing the two processes on CPUs is the point here. */
#define _GNU_SOURCE

#include <err.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipcbench.h"

#define MAX_SIZE ((size_t)16 << 20) /* the largest -l or -s */
#define STALL_SECONDS 10            /* no message for this long: the peer is stuck */

enum { LAT, BW, KINDS };
enum { SAME, DIFF, SCHED, PLACES };

static const char *const place_names[PLACES] = {"same", "diff", "sched"};

/* What the table shows, in this order: the references, then roughly the
 * hierarchy the lectures teach (shared memory first, TCP last). */
struct row {
    const char *name;
    const struct mech *m; /* NULL: memcpy in one process */
    size_t copy_len;      /* memcpy's buffer */
};

static const struct row rows[] = {
    {"memcpy-1m", NULL, (size_t)1 << 20},
    {"memcpy-64m", NULL, (size_t)64 << 20},
    {"cacheline", &mech_cacheline, 0},
    {"shm-spin", &mech_shm_spin, 0},
    {"posix-shm", &mech_posix_shm, 0},
    {"sysv-shm", &mech_sysv_shm, 0},
    {"mmap-file", &mech_mmap_file, 0},
    {"pipe", &mech_pipe, 0},
    {"fifo", &mech_fifo, 0},
    {"unix-stream", &mech_unix_stream, 0},
    {"unix-dgram", &mech_unix_dgram, 0},
    {"door", &mech_door, 0},
    {"posix-mq", &mech_posix_mq, 0},
    {"sysv-msg", &mech_sysv_msg, 0},
    {"signal", &mech_signal, 0},
    {"udp", &mech_udp, 0},
    {"tcp", &mech_tcp, 0},
};
#define NROWS (sizeof rows / sizeof rows[0])

struct result {
    int state;       /* 0 not asked, 1 measured, 2 refused, 3 does not apply */
    const char *why; /* refused: the limit */
    size_t limit, size;
    long reps;
    uint64_t rounds, checked;
    double median, min, max; /* ns per round trip, or bytes per second */
};

struct options {
    int want_row[NROWS], explicit_rows, want_kind[KINDS], want_place[PLACES];
    size_t lat_size, bw_size;
    long reps, ms;
    uint64_t rounds; /* -R: rounds per repetition; 0: enough to fill ms */
    char format;     /* 't'able, 'c'sv, 'T'sv */
    int corrupt;
    const char *csv_file; /* -w: the CSV also goes here */
};

/* Shared with the mechanism files (ipcbench.h). */
const char *bench_dir = ".";
const char *bench_name;
int bench_side = PARENT;
pid_t bench_peer;
int bench_same_cpu, bench_never_yield, bench_window;

static volatile sig_atomic_t stop_signal, child_exited, idle_ticks;
static pid_t child_pid;
static int expect_exit;
static const struct mech *current; /* its objects exist: destroy them on exit */
static int cpus[2] = {-1, -1};     /* the first two CPUs we may use */
static cpu_set_t all_cpus;
static int corrupt_once;
static int copy_shm; /* -c: shared memory copies messages in and out */
static char name_buf[48];

static void usage(void)
{
    fprintf(stderr,
            "usage: ipcbench [-m mech,...] [-k lat,bw] [-p same,diff,sched] "
            "[-l bytes] [-s bytes] [-r reps] [-R rounds] [-t ms] [-o table|csv|tsv] "
            "[-d dir] [-w file.csv] [-n /name] [-c] [-x] [-y]\n");
    exit(2);
}

/* -h: the options, on stdout, and success (help asked for is no usage error). */
static _Noreturn void help(void)
{
    printf("usage: ipcbench [-m mech,...] [-k lat,bw] [-p same,diff,sched] [-l bytes]\n"
           "                [-s bytes] [-r reps] [-R rounds] [-t ms] [-o table|csv|tsv]\n"
           "                [-d dir] [-w file.csv] [-n /name] [-c] [-x] [-y] [-h]\n"
           "  -m  mechanisms (default: all):");
    for (size_t i = 0; i < NROWS; i++)
        printf("%s%s", i % 8 == 0 ? "\n        " : " ", rows[i].name);
    printf("\n"
           "  -k  latency (round trip) and/or bandwidth (stream)       default lat,bw\n"
           "  -p  one CPU, two CPUs, or where the scheduler puts them  default same,diff\n"
           "  -l  latency message bytes (4)    -s  stream message bytes (65536)\n"
           "  -r  repetitions (5)  -t  ms per timed interval (20)  -R  fixed rounds instead\n"
           "  -o  output form (table)  -w  also write the CSV to a file\n"
           "  -d  directory for FIFOs, sockets, files (.)  -n  stem of POSIX names\n"
           "  -c  shared memory copies each message in and out, as a pipe does\n"
           "  -x  corrupt one message (the check must fail)  -y  spin without yielding\n"
           "See docs/bench.md.\n");
    exit(0);
}

/* ---- errors, signals, cleanup ---- */

__attribute__((format(printf, 2, 0))) static _Noreturn void
vfail(int with_errno, const char *fmt, va_list ap)
{
    char msg[256];
    int saved = errno;
    vsnprintf(msg, sizeof msg, fmt, ap);
    errno = saved;
    if (with_errno)
        warn("%s%s", bench_side == CHILD ? "child: " : "", msg);
    else
        warnx("%s%s", bench_side == CHILD ? "child: " : "", msg);
    if (bench_side == CHILD)
        _exit(1);
    exit(1); /* cleanup() runs from atexit */
}

void bench_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(1, fmt, ap);
}

void bench_failx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(0, fmt, ap);
}

static void on_signal(int sig)
{
    if (sig == SIGCHLD)
        child_exited = 1;
    else if (sig == SIGALRM)
        idle_ticks++;
    else
        stop_signal = sig;
}

/* Kill and reap the child, remove what the current mechanism made. */
static void cleanup(void)
{
    if (bench_side != PARENT)
        return;
    if (child_pid > 0) {
        kill(child_pid, SIGKILL);
        while (waitpid(child_pid, NULL, 0) == -1 && errno == EINTR)
            ;
        child_pid = 0;
    }
    if (current != NULL) {
        const struct mech *m = current;
        current = NULL;
        m->destroy(PARENT);
    }
}

/* A signal ended the run: clean up, then die of that signal as the caller
 * expects (a shell prints nothing for SIGINT and reports 128+n). */
static _Noreturn void die_of_signal(void)
{
    int sig = stop_signal;
    if (bench_side == CHILD)
        _exit(1);
    cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

void bench_poll(void)
{
    if (stop_signal)
        die_of_signal();
    if (bench_side != PARENT)
        return;
    if (child_exited && !expect_exit) {
        int status = 0;
        if (waitpid(child_pid, &status, WNOHANG) == child_pid) {
            child_pid = 0;
            bench_failx("the child ended (status %d) before its work was done",
                        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
        child_exited = 0; /* another child of ours (none expected) */
    }
    if (idle_ticks > STALL_SECONDS)
        bench_failx("no message for %d s: the other side is stuck", STALL_SECONDS);
}

static void handle(int sig)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked call returns EINTR and
                        the wait loop calls bench_poll */
    if (sigaction(sig, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void install_signals(void)
{
    handle(SIGINT);
    handle(SIGTERM);
    handle(SIGHUP);
    handle(SIGCHLD);
    handle(SIGALRM);
    /* A peer that died makes write fail with EPIPE, reported, instead of
     * killing us before the cleanup. */
    signal(SIGPIPE, SIG_IGN);
    if (atexit(cleanup) != 0)
        errx(1, "atexit");
}

/* A tick a second wakes every blocked wait, so none can hang: bench_poll
 * then looks at the flags and at how long no message has come. */
static void ticker(int on)
{
    struct itimerval it = {{on, 0}, {on, 0}};
    if (setitimer(ITIMER_REAL, &it, NULL) == -1)
        err(1, "setitimer");
}

/* ---- names of the objects ---- */

void bench_path(char *buf, size_t len, const char *file)
{
    if ((size_t)snprintf(buf, len, "%s/%s", bench_dir, file) >= len) {
        buf[0] = '\0'; /* a cut-down path names some other file: forget it */
        bench_failx("path too long (at most %zu bytes): %s/%s", len - 1, bench_dir, file);
    }
}

void bench_posix_name(char *buf, size_t len, const char *suffix)
{
    if ((size_t)snprintf(buf, len, "%s%s", bench_name, suffix) >= len)
        bench_failx("POSIX name too long: %s%s", bench_name, suffix);
}

/* A System V object keyed by ftok(bench_dir, proj): 'q' a message queue,
 * 's' a semaphore set, 'm' a shared memory segment. One left by a run that
 * was killed with SIGKILL has our key: remove it and create ours. */
int bench_sysv_get(int proj, int (*get)(key_t key, int flags))
{
    key_t key = ftok(bench_dir, proj);
    if (key == -1)
        bench_fail("ftok %s", bench_dir);
    int id = get(key, IPC_CREAT | IPC_EXCL | 0600);
    if (id == -1 && errno == EEXIST) {
        int old = get(key, 0600);
        if (old != -1) {
            if (proj == 'q') /* the key's letter says which kind it is */
                msgctl(old, IPC_RMID, NULL);
            else if (proj == 's')
                semctl(old, 0, IPC_RMID);
            else
                shmctl(old, IPC_RMID, NULL);
        }
        id = get(key, IPC_CREAT | IPC_EXCL | 0600);
    }
    if (id == -1)
        bench_fail("System V object for key 0x%08x", (unsigned)key);
    return id;
}

/* ---- placement ---- */

static void pin(int cpu)
{
    cpu_set_t set;
    if (cpu < 0) {
        set = all_cpus; /* the scheduler's choice */
    } else {
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
    }
    if (sched_setaffinity(0, sizeof set, &set) == -1)
        bench_fail("sched_setaffinity");
}

static void find_cpus(void)
{
    if (sched_getaffinity(0, sizeof all_cpus, &all_cpus) == -1)
        err(1, "sched_getaffinity");
    for (int c = 0, n = 0; c < CPU_SETSIZE && n < 2; c++)
        if (CPU_ISSET(c, &all_cpus))
            cpus[n++] = c;
}

/* Where each side runs: parent, child (-1: anywhere). */
static void place_cpus(int place, int *parent, int *child)
{
    *parent = place == SCHED ? -1 : cpus[0];
    *child = place == SAME ? cpus[0] : place == DIFF ? cpus[1] : -1;
}

static const char *place_label(int place, char *buf, size_t len)
{
    if (place == SAME)
        snprintf(buf, len, "%d+%d", cpus[0], cpus[0]);
    else if (place == DIFF)
        snprintf(buf, len, "%d+%d", cpus[0], cpus[1]);
    else
        snprintf(buf, len, "any");
    return buf;
}

/* ---- the clock and the statistics ---- */

static int64_t now_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
        bench_fail("clock_gettime");
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void summarize(struct result *r, double *v, long n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    r->min = v[0];
    r->max = v[n - 1];
    r->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- every message carries its number, so one that did not really move
 * (a stale buffer, a truncated or lost message) is caught: the number in
 * the first 8 bytes of every 64, and in the last byte. ---- */

/* Part of a message's number: k <= 8 bytes of it (both sides run this code, so
 * the byte order only has to agree with itself). A memcpy of fixed size 8 or 4
 * is one plain store or load; a byte loop serves other short tails.
 * (A memcpy or memcmp of variable length would call the C library for every 64
 * bytes, and a round trip of a small message through shared memory would take
 * half as long again: measured.) */
static void put_number(unsigned char *p, uint64_t v, size_t k)
{
    uint32_t w = (uint32_t)v;
    if (k == 8)
        memcpy(p, &v, 8);
    else if (k == 4)
        memcpy(p, &w, 4);
    else
        for (size_t i = 0; i < k; i++)
            p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_number(const unsigned char *p, size_t k)
{
    uint64_t v = 0;
    uint32_t w;
    if (k == 8) {
        memcpy(&v, p, 8);
        return v;
    }
    if (k == 4) {
        memcpy(&w, p, 4);
        return w;
    }
    for (size_t i = 0; i < k; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void stamp(unsigned char *b, size_t n, uint64_t seq)
{
    for (size_t o = 0; o < n; o += 64)
        put_number(b + o, seq, n - o < 8 ? n - o : 8);
    if (n > 0 && (n - 1) % 64 >= 8)
        b[n - 1] = (unsigned char)(seq ^ 0xa5);
    if (corrupt_once && seq == 2 && n > 0 && bench_side == PARENT) {
        b[0] ^= 0xff; /* -x: prove the check works */
        corrupt_once = 0;
    }
}

static void expect(const unsigned char *b, size_t n, uint64_t seq)
{
    for (size_t o = 0; o < n; o += 64) {
        size_t k = n - o < 8 ? n - o : 8;
        uint64_t want = k == 8 ? seq : seq & (((uint64_t)1 << (8 * k)) - 1);
        uint64_t got = get_number(b + o, k);
        if (got != want)
            bench_failx("bad data: message %llu arrived with number %llu at byte %zu",
                        (unsigned long long)seq, (unsigned long long)got, o);
    }
    if (n > 0 && (n - 1) % 64 >= 8 && b[n - 1] != (unsigned char)(seq ^ 0xa5))
        bench_failx("bad data: message %llu has a wrong last byte",
                    (unsigned long long)seq);
}

/* ---- one batch of rounds, both sides ----
 * The parent orders a batch over a control pipe (outside the timing); the
 * child does it and answers with the bytes it checked. */
struct order {
    int kind;
    uint64_t count, seq;
};

struct bufs {
    unsigned char *out, *in;
    size_t size; /* 0 for the cache-line reference: nothing to check */
};

/* A signal that lands while we compute, not while we block, sets the flag
 * and nothing returns EINTR: look at it every round. (One that lands between
 * this look and the next blocking call waits for the next tick, 1 s at most.) */
static void check_stop(void)
{
    if (stop_signal)
        die_of_signal();
}

/* Send message number seq: stamped in this side's buffer and sent, or, where
 * the mechanism lends its memory (shared memory, unless -c), stamped right
 * where the receiver will read it. */
static void put_msg(const struct mech *m, int side, struct bufs *b, uint64_t seq)
{
    unsigned char *out = b->out;
    if (m->lend_out != NULL && !copy_shm)
        out = m->lend_out(side);
    stamp(out, b->size, seq);
    m->send(side, out, b->size);
}

/* Receive message number seq and check it (in place, where it is lent). */
static void get_msg(const struct mech *m, int side, struct bufs *b, uint64_t seq)
{
    if (m->lend_in != NULL && !copy_shm) {
        void *in = m->lend_in(side);
        expect(in, b->size, seq);
        m->recv(side, in, b->size); /* hands the slot back */
        return;
    }
    m->recv(side, b->in, b->size);
    expect(b->in, b->size, seq);
}

static uint64_t lat_side(const struct mech *m, int side, const struct order *o,
                         struct bufs *b)
{
    for (uint64_t k = 0; k < o->count; k++) {
        uint64_t seq = o->seq + 2 * k;
        check_stop();
        if (side == PARENT) {
            put_msg(m, side, b, seq);
            get_msg(m, side, b, seq + 1);
            idle_ticks = 0;
        } else {
            get_msg(m, side, b, seq);
            put_msg(m, side, b, seq + 1);
        }
    }
    return o->count * b->size;
}

/* The stream: count messages one way, then one ack the other way (after
 * every bench_window messages too, where the mechanism would drop them). */
static uint64_t bw_side(const struct mech *m, int side, const struct order *o,
                        struct bufs *b)
{
    uint64_t n = o->count, w = (uint64_t)bench_window;
    for (uint64_t k = 0; k < n; k++) {
        int ack = w != 0 && (k + 1) % w == 0 && k + 1 < n;
        check_stop();
        if (side == PARENT) {
            put_msg(m, side, b, o->seq + k);
            if (ack)
                get_msg(m, side, b, o->seq + k);
            idle_ticks = 0;
        } else {
            get_msg(m, side, b, o->seq + k);
            if (ack)
                put_msg(m, side, b, o->seq + k);
        }
    }
    if (side == PARENT) {
        get_msg(m, side, b, o->seq + n);
        return 0;
    }
    put_msg(m, side, b, o->seq + n);
    return n * b->size;
}

static void full_io(int write_it, int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = write_it ? write(fd, p, len) : read(fd, p, len);
        if (n == -1 && errno == EINTR) {
            bench_poll();
            continue;
        }
        if (n == -1)
            bench_fail("control pipe");
        if (n == 0)
            bench_failx("control pipe: the other side went away");
        p += n;
        len -= (size_t)n;
    }
}

static void alloc_bufs(struct bufs *b, size_t size, int no_payload)
{
    b->size = no_payload ? 0 : size;
    b->out = calloc(1, size + 64);
    b->in = calloc(1, size + 64);
    if (b->out == NULL || b->in == NULL)
        bench_fail("calloc");
}

static _Noreturn void child_main(const struct mech *m, int cpu, int ctl[2], size_t size,
                                 pid_t parent)
{
    struct order o;
    struct bufs b;
    uint64_t checked;
    char ready = 'R';

    bench_side = CHILD;
    bench_peer = parent;
    /* Never outlive the parent, even if it is killed with SIGKILL. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
        bench_fail("prctl");
    if (getppid() != parent)
        _exit(1);
    pin(cpu);
    alloc_bufs(&b, size, m->no_payload);
    m->attach(CHILD);
    full_io(1, ctl[1], &ready, 1); /* the readiness handshake */
    for (;;) {
        full_io(0, ctl[0], &o, sizeof o);
        if (o.count == 0)
            break;
        checked = o.kind == LAT ? lat_side(m, CHILD, &o, &b) : bw_side(m, CHILD, &o, &b);
        full_io(1, ctl[1], &checked, sizeof checked);
    }
    _exit(0);
}

/* ---- the parent's side of one measurement ---- */
struct run {
    const struct mech *m;
    int kind, to_child, from_child;
    struct bufs b;
    uint64_t seq, checked;
};

/* One batch of count rounds: its duration in ns. */
static int64_t batch(struct run *r, uint64_t count)
{
    struct order o = {r->kind, count, r->seq};
    uint64_t child_checked, mine;

    full_io(1, r->to_child, &o, sizeof o);
    int64_t t0 = now_ns();
    mine = r->kind == LAT ? lat_side(r->m, PARENT, &o, &r->b)
                          : bw_side(r->m, PARENT, &o, &r->b);
    int64_t t1 = now_ns();
    full_io(0, r->from_child, &child_checked, sizeof child_checked);
    r->seq += r->kind == LAT ? 2 * count : count + 1;
    r->checked = mine + child_checked;
    return t1 - t0;
}

/* Warm up while finding how many rounds fill the target interval. */
static uint64_t calibrate(struct run *r, int64_t target)
{
    uint64_t n = 1;
    int64_t spent = 0;
    for (;;) {
        int64_t t = batch(r, n);
        spent += t;
        if (t >= target / 4 && spent >= target / 2) {
            uint64_t rounds =
                (uint64_t)((double)n * (double)target / (double)(t > 0 ? t : 1));
            return rounds > 0 ? rounds : 1;
        }
        n *= 2;
    }
}

static void measure(struct run *r, const struct options *opt, struct result *res)
{
    double v[1000];
    int64_t target = opt->ms * 1000000;
    uint64_t rounds = opt->rounds;
    if (rounds == 0)
        rounds = calibrate(r, target);
    else
        batch(r, rounds); /* the warm-up, not counted */

    res->checked = 0;
    for (long i = 0; i < opt->reps; i++) {
        int64_t t = batch(r, rounds);
        res->checked += r->checked;
        if (t < 1)
            t = 1;
        v[i] = r->kind == LAT ? (double)t / (double)rounds
                              : (double)rounds * (double)res->size * 1e9 / (double)t;
    }
    res->rounds = rounds;
    res->reps = opt->reps;
    summarize(res, v, opt->reps);
}

static void stop_child(struct run *r)
{
    struct order o = {0, 0, 0};
    int status;

    expect_exit = 1;
    full_io(1, r->to_child, &o, sizeof o);
    while (waitpid(child_pid, &status, 0) == -1) {
        if (errno != EINTR)
            bench_fail("waitpid");
        bench_poll();
    }
    child_pid = 0;
    expect_exit = 0;
    child_exited = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bench_failx("%s: the child failed", r->m->name);
}

static void run_ipc(const struct mech *m, int kind, int place, const struct options *opt,
                    struct result *res)
{
    int down[2], up[2], cpu_parent, cpu_child;
    struct run r = {m, kind, -1, -1, {0}, 0, 0};
    pid_t parent = getpid();

    place_cpus(place, &cpu_parent, &cpu_child);
    bench_same_cpu = place == SAME;
    bench_window = 0;
    if (pipe(down) == -1 || pipe(up) == -1)
        bench_fail("pipe");
    pin(cpu_parent);
    current = m;
    m->create(res->size);
    fflush(stdout); /* nothing buffered may be printed twice */
    child_pid = fork();
    if (child_pid == -1)
        bench_fail("fork");
    if (child_pid == 0) {
        close(down[1]);
        close(up[0]);
        int ctl[2] = {down[0], up[1]};
        child_main(m, cpu_child, ctl, res->size, parent);
    }
    bench_peer = child_pid;
    close(down[0]);
    close(up[1]);
    r.to_child = down[1];
    r.from_child = up[0];
    alloc_bufs(&r.b, res->size, m->no_payload);
    m->attach(PARENT);
    char ready;
    full_io(0, r.from_child, &ready, 1); /* the child is attached and waiting */
    idle_ticks = 0;
    measure(&r, opt, res);
    stop_child(&r);
    current = NULL;
    m->destroy(PARENT);
    close(r.to_child);
    close(r.from_child);
    free(r.b.out);
    free(r.b.in);
    if (m->no_payload)
        res->size = 0;
}

/* ---- memcpy in one process: the memory's own speed, for reference ---- */
static void run_memcpy(size_t len, int place, const struct options *opt,
                       struct result *res)
{
    int cpu_parent, cpu_child;
    double v[1000];
    unsigned char *src = malloc(len), *dst = malloc(len);
    if (src == NULL || dst == NULL)
        bench_fail("malloc");
    place_cpus(place, &cpu_parent, &cpu_child);
    pin(cpu_parent);
    memset(src, 0x5a, len); /* touch every page before timing */
    memset(dst, 0, len);
    int64_t target = opt->ms * 1000000;
    uint64_t n = 1, rounds = 0;
    for (int64_t t = 0, spent = 0; rounds == 0; n *= 2) { /* warm-up */
        int64_t t0 = now_ns();
        for (uint64_t i = 0; i < n; i++)
            memcpy(dst, src, len);
        t = now_ns() - t0;
        spent += t;
        if (t >= target / 4 && spent >= target / 2)
            rounds = (uint64_t)((double)n * (double)target / (double)t) + 1;
        if (opt->rounds != 0)
            rounds = opt->rounds; /* -R: one warm-up pass was enough */
        idle_ticks = 0;
        bench_poll();
    }
    res->checked = 0;
    for (long r = 0; r < opt->reps; r++) {
        src[r % len] = (unsigned char)r; /* each repetition copies new data */
        int64_t t0 = now_ns();
        for (uint64_t i = 0; i < rounds; i++)
            memcpy(dst, src, len);
        int64_t t = now_ns() - t0;
        if (memcmp(dst, src, len) != 0)
            bench_failx("memcpy: the copy differs");
        res->checked += rounds * len;
        v[r] = (double)rounds * (double)len * 1e9 / (double)(t > 0 ? t : 1);
        idle_ticks = 0;
        bench_poll();
    }
    res->rounds = rounds;
    res->reps = opt->reps;
    summarize(res, v, opt->reps);
    free(src);
    free(dst);
}

/* ---- what to run ---- */

static int applies(const struct row *w, int kind)
{
    if (w->m == NULL)
        return kind == BW;
    if (w->m->no_payload)
        return kind == LAT;
    return 1;
}

static void run_all(const struct options *opt, struct result res[][PLACES][KINDS])
{
    for (int p = 0; p < PLACES; p++)
        for (size_t i = 0; i < NROWS; i++)
            for (int k = 0; k < KINDS; k++) {
                struct result *r = &res[i][p][k];
                if (!opt->want_place[p] || !opt->want_row[i] || !opt->want_kind[k])
                    continue;
                if (!applies(&rows[i], k)) {
                    r->state = 3;
                    continue;
                }
                r->size = k == LAT ? opt->lat_size : opt->bw_size;
                if (rows[i].m == NULL) {
                    r->size = rows[i].copy_len;
                    run_memcpy(rows[i].copy_len, p, opt, r);
                } else if (!rows[i].m->no_payload &&
                           r->size > (r->limit = rows[i].m->limit(&r->why))) {
                    r->state = 2;
                    continue;
                } else {
                    run_ipc(rows[i].m, k, p, opt, r);
                }
                r->state = 1;
            }
}

/* With -m, a message over a named mechanism's limit is an error up front. */
static void refuse_oversize(const struct options *opt)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct mech *m = rows[i].m;
        if (!opt->want_row[i] || m == NULL || m->no_payload)
            continue;
        for (int k = 0; k < KINDS; k++) {
            size_t size = k == LAT ? opt->lat_size : opt->bw_size;
            const char *why;
            size_t limit = m->limit(&why);
            if (opt->want_kind[k] && size > limit) {
                fprintf(stderr,
                        "ipcbench: %s: a %zu-byte message is over its limit of %zu "
                        "bytes (%s): refused, not truncated\n",
                        m->name, size, limit, why);
                exit(2);
            }
        }
    }
}

/* ---- output ---- */

static void load_average(char *buf, size_t len)
{
    FILE *f = fopen("/proc/loadavg", "r");
    if (f == NULL || fgets(buf, (int)len, f) == NULL)
        snprintf(buf, len, "unknown");
    buf[strcspn(buf, " \n")] = '\0'; /* the 1-minute figure */
    if (f != NULL)
        fclose(f);
}

static void print_delimited(FILE *out, struct result res[][PLACES][KINDS], char sep)
{
    static const char *const kinds[KINDS] = {"latency", "bandwidth"};
    static const char *const units[KINDS] = {"ns/roundtrip", "bytes/s"};
    char cpus_buf[16];

    fprintf(out,
            "mechanism%ctest%cplacement%ccpus%cmsg_bytes%creps%crounds%cmedian%cmin%cmax"
            "%cunit%cchecked_bytes%cnote\n",
            sep, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep);
    for (int p = 0; p < PLACES; p++)
        for (size_t i = 0; i < NROWS; i++)
            for (int k = 0; k < KINDS; k++) {
                const struct result *r = &res[i][p][k];
                if (r->state != 1 && r->state != 2)
                    continue;
                fprintf(out, "%s%c%s%c%s%c%s%c%zu%c", rows[i].name, sep, kinds[k], sep,
                        place_names[p], sep, place_label(p, cpus_buf, sizeof cpus_buf),
                        sep, r->size, sep);
                if (r->state == 2) {
                    fprintf(
                        out,
                        "%c%c%c%c%c%c%s%c0%crefused: over its limit of %zu bytes (%s)\n",
                        sep, sep, sep, sep, sep, sep, units[k], sep, sep, r->limit,
                        r->why);
                    continue;
                }
                fprintf(out, "%ld%c%llu%c%.1f%c%.1f%c%.1f%c%s%c%llu%c\n", r->reps, sep,
                        (unsigned long long)r->rounds, sep, r->median, sep, r->min, sep,
                        r->max, sep, units[k], sep, (unsigned long long)r->checked, sep);
            }
}

static void write_csv(FILE *f, const char *path, struct result res[][PLACES][KINDS])
{
    print_delimited(f, res, ',');
    if (fclose(f) == EOF)
        err(1, "%s", path);
}

/* One cell: the median, then the spread (max - min) / median. */
static void cell(const struct result *r, int kind)
{
    char buf[32];
    if (r->state == 0 || r->state == 3) {
        printf("  %18s", r->state == 3 ? "-" : "");
        return;
    }
    if (r->state == 2) {
        snprintf(buf, sizeof buf, "max %zu B", r->limit);
        printf("  %18s", buf);
        return;
    }
    double value = kind == LAT ? r->median / 1000 : r->median / 1e9;
    int spread = (int)((r->max - r->min) * 100 / (r->median > 0 ? r->median : 1) + 0.5);
    snprintf(buf, sizeof buf,
             value < 10     ? "%.3f"
             : value < 1000 ? "%.2f"
                            : "%.0f",
             value);
    printf("  %10s (±%2d%%)", buf, spread > 99 ? 99 : spread);
}

static void print_table(struct result res[][PLACES][KINDS], const struct options *opt,
                        const char *load_before)
{
    char load_after[32], label[16];
    load_average(load_after, sizeof load_after);
    printf(
        "ipcbench: latency = round trip of a %zu-byte message each way (microseconds);\n"
        "          bandwidth = one-way stream of %zu-byte messages (GB/s, 10^9 "
        "bytes/s);\n"
        "          median of %ld repetitions of >= %ld ms after warm-up, (±n%%) = "
        "(max-min)/median;\n"
        "          load average %s before, %s after; %ld CPUs online\n",
        opt->lat_size, opt->bw_size, opt->reps, opt->ms, load_before, load_after,
        sysconf(_SC_NPROCESSORS_ONLN));
    for (int p = 0; p < PLACES; p++)
        if (opt->want_place[p])
            printf("placement %-5s = %s\n", place_names[p],
                   p == SAME   ? "both processes pinned to one CPU"
                   : p == DIFF ? "parent and child pinned to two different CPUs"
                               : "no pinning: the scheduler places them");
    printf("%-12s", "");
    for (int p = 0; p < PLACES; p++)
        if (opt->want_place[p]) {
            char head[48];
            snprintf(head, sizeof head, "%s (CPUs %s)", place_names[p],
                     place_label(p, label, sizeof label));
            printf("  %-38s", head);
        }
    printf("\n%-12s", "mechanism");
    for (int p = 0; p < PLACES; p++)
        if (opt->want_place[p])
            printf("  %18s  %18s", "latency us", "bandwidth GB/s");
    printf("\n");
    for (size_t i = 0; i < NROWS; i++) {
        if (!opt->want_row[i])
            continue;
        printf("%-12s", rows[i].name);
        for (int p = 0; p < PLACES; p++)
            if (opt->want_place[p])
                for (int k = 0; k < KINDS; k++)
                    cell(&res[i][p][k], k);
        printf("\n");
    }
    for (size_t i = 0; i < NROWS; i++)
        for (int p = 0; p < PLACES; p++)
            if (res[i][p][BW].state == 2 || res[i][p][LAT].state == 2) {
                printf(
                    "max N B: the message is over that mechanism's limit: refused, never "
                    "truncated.\n");
                return;
            }
}

/* ---- options ---- */

static long number(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        usage();
    return v;
}

/* Split a comma list; each item must be one of names[]: sets want[]. */
static void pick(const char *arg, const char *const *names, size_t n, size_t stride,
                 int *want)
{
    char list[256]; /* strtok writes into it: not into argv, which ps shows */
    if ((size_t)snprintf(list, sizeof list, "%s", arg) >= sizeof list)
        usage();
    for (size_t i = 0; i < n; i++)
        want[i] = 0;
    for (char *item = strtok(list, ","); item != NULL; item = strtok(NULL, ",")) {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(item, *(const char *const *)((const char *)names + i * stride)) ==
                0)
                break;
        if (i == n) {
            fprintf(stderr, "ipcbench: unknown name '%s'\n", item);
            usage();
        }
        want[i] = 1;
    }
}

static void parse(int argc, char *argv[], struct options *opt)
{
    static const char *const kind_names[KINDS] = {"lat", "bw"};
    int opt_c;

    for (size_t i = 0; i < NROWS; i++)
        opt->want_row[i] = 1;
    opt->want_kind[LAT] = opt->want_kind[BW] = 1;
    opt->want_place[SAME] = 1;
    opt->want_place[DIFF] = cpus[1] >= 0;
    opt->lat_size = 4;
    opt->bw_size = 65536;
    opt->reps = 5;
    opt->ms = 20;
    opt->format = 't';
    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt_c = getopt(argc, argv, "m:k:p:l:s:r:R:t:o:d:w:n:cxyh")) != -1) {
        switch (opt_c) {
        case 'm':
            pick(optarg, &rows[0].name, NROWS, sizeof rows[0], opt->want_row);
            opt->explicit_rows = 1;
            break;
        case 'k':
            pick(optarg, kind_names, KINDS, sizeof kind_names[0], opt->want_kind);
            break;
        case 'p':
            pick(optarg, place_names, PLACES, sizeof place_names[0], opt->want_place);
            break;
        case 'l':
            opt->lat_size = (size_t)number(optarg, 1, (long)MAX_SIZE);
            break;
        case 's':
            opt->bw_size = (size_t)number(optarg, 1, (long)MAX_SIZE);
            break;
        case 'r':
            opt->reps = number(optarg, 1, 1000);
            break;
        case 'R':
            opt->rounds = (uint64_t)number(optarg, 1, 1000000000);
            break;
        case 't':
            opt->ms = number(optarg, 1, 60000);
            break;
        case 'o':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "csv") != 0 &&
                strcmp(optarg, "tsv") != 0)
                usage();
            opt->format = optarg[0] == 'c' ? 'c' : optarg[1] == 's' ? 'T' : 't';
            break;
        case 'd':
            bench_dir = optarg;
            break;
        case 'w':
            opt->csv_file = optarg;
            break;
        case 'n':
            if (optarg[0] != '/' || strchr(optarg + 1, '/') != NULL ||
                strlen(optarg) > 32)
                usage();
            bench_name = optarg;
            break;
        case 'c':
            copy_shm = 1;
            break;
        case 'x':
            opt->corrupt = 1;
            break;
        case 'y':
            bench_never_yield = 1;
            break;
        case 'h':
            help();
        default:
            usage();
        }
    }
    if (optind != argc)
        usage();
}

int main(int argc, char *argv[])
{
    static struct result res[NROWS][PLACES][KINDS];
    struct options opt = {0};
    char load_before[32];

    find_cpus();
    parse(argc, argv, &opt);
    if (opt.want_place[DIFF] && cpus[1] < 0)
        errx(1, "placement diff needs two CPUs; this process may use only CPU %d",
             cpus[0]);
    if (opt.explicit_rows)
        refuse_oversize(&opt);
    if (bench_name == NULL) {
        snprintf(name_buf, sizeof name_buf, "/ipcbench-%ld", (long)getpid());
        bench_name = name_buf;
    }
    corrupt_once = opt.corrupt;
    FILE *csv = NULL; /* opened now: a bad path fails before the long run */
    if (opt.csv_file != NULL && (csv = fopen(opt.csv_file, "w")) == NULL)
        err(1, "%s", opt.csv_file);
    load_average(load_before, sizeof load_before);
    install_signals();
    ticker(1);
    run_all(&opt, res);
    ticker(0);
    pin(-1);
    if (opt.format == 't')
        print_table(res, &opt, load_before);
    else
        print_delimited(stdout, res, opt.format == 'c' ? ',' : '\t');
    if (fflush(stdout) == EOF || ferror(stdout))
        err(1, "stdout");
    if (csv != NULL)
        write_csv(csv, opt.csv_file, res);
    return 0;
}
