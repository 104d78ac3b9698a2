/* mech_msg.c -- ipcbench's message mechanisms: a System V message queue, two
 * POSIX message queues, and signals that carry their data in sigqueue's value.
 * Part of ipcbench (see ipcbench.c for how to build it). */
#define _GNU_SOURCE /* ipcbench.c explains: Linux extensions are the point */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include "ipcbench.h"

/* A limit the kernel publishes in /proc; fallback if it cannot be read. */
static size_t proc_limit(const char *path, size_t fallback)
{
    FILE *f = fopen(path, "r");
    unsigned long v;
    if (f == NULL)
        return fallback;
    if (fscanf(f, "%lu", &v) != 1)
        v = fallback;
    fclose(f);
    return v;
}

/* ---- System V message queue: one queue, the type says the direction ---- */
static int msq_id = -1;
static struct msgbuf_var {
    long mtype;
    char mtext[];
} * msq_buf;

static size_t sysv_msg_limit(const char **why)
{
    size_t max = proc_limit("/proc/sys/kernel/msgmax", 8192);
    size_t mnb = proc_limit("/proc/sys/kernel/msgmnb", 16384);
    *why = "/proc/sys/kernel/msgmax (msgsnd refuses longer messages)";
    if (mnb < max) {
        *why = "/proc/sys/kernel/msgmnb (a queue holds no more)";
        max = mnb;
    }
    return max;
}

static int msgget_new(key_t key, int flags)
{
    return msgget(key, flags);
}

static void sysv_msg_create(size_t size)
{
    msq_id = bench_sysv_get('q', msgget_new);
    msq_buf = malloc(sizeof *msq_buf + size);
    if (msq_buf == NULL)
        bench_fail("malloc");
}

static void sysv_msg_attach(int side)
{
    (void)side;
}

/* Type 1 travels parent -> child, type 2 child -> parent. */
static void sysv_msg_send(int side, const void *buf, size_t size)
{
    msq_buf->mtype = side == PARENT ? 1 : 2;
    memcpy(msq_buf->mtext, buf, size);
    while (msgsnd(msq_id, msq_buf, size, 0) == -1) {
        if (errno != EINTR)
            bench_fail("msgsnd");
        bench_poll();
    }
}

/* Without MSG_NOERROR a longer message fails with E2BIG: never truncated. */
static void sysv_msg_recv(int side, void *buf, size_t size)
{
    ssize_t n;
    while ((n = msgrcv(msq_id, msq_buf, size, side == PARENT ? 2 : 1, 0)) == -1) {
        if (errno != EINTR)
            bench_fail("msgrcv");
        bench_poll();
    }
    if ((size_t)n != size)
        bench_failx("msgrcv: %zd bytes where %zu were sent", n, size);
    memcpy(buf, msq_buf->mtext, size);
}

static void sysv_msg_destroy(int side)
{
    if (side == PARENT && msq_id != -1 && msgctl(msq_id, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID");
    msq_id = -1;
    free(msq_buf);
    msq_buf = NULL;
}

const struct mech mech_sysv_msg = {
    .name = "sysv-msg",
    .how = "System V msgsnd/msgrcv, one queue, type = direction",
    .limit = sysv_msg_limit,
    .create = sysv_msg_create,
    .attach = sysv_msg_attach,
    .send = sysv_msg_send,
    .recv = sysv_msg_recv,
    .destroy = sysv_msg_destroy,
};

/* ---- POSIX message queues: one each way ---- */
static mqd_t mqs[2] = {(mqd_t)-1, (mqd_t)-1};
static size_t mq_msgsize;

static size_t posix_mq_limit(const char **why)
{
    *why = "/proc/sys/fs/mqueue/msgsize_max";
    return proc_limit("/proc/sys/fs/mqueue/msgsize_max", 8192);
}

static mqd_t open_mq(const char *suffix, size_t size)
{
    char name[64];
    struct mq_attr attr = {0};
    attr.mq_maxmsg = (long)proc_limit("/proc/sys/fs/mqueue/msg_max", 10);
    if (attr.mq_maxmsg > 10)
        attr.mq_maxmsg = 10; /* what an unprivileged user gets by default */
    attr.mq_msgsize = (long)size;
    bench_posix_name(name, sizeof name, suffix);
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t)-1 && errno == EEXIST) {
        mq_unlink(name); /* left by a run that was killed with SIGKILL */
        q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    }
    if (q == (mqd_t)-1)
        bench_fail("mq_open %s", name);
    /* Both sides hold the queue through the descriptor fork copies, so the
     * name can go at once: nothing outlives the bench, even SIGKILL. */
    if (mq_unlink(name) == -1)
        bench_fail("mq_unlink %s", name);
    return q;
}

static void posix_mq_create(size_t size)
{
    mq_msgsize = size;
    mqs[0] = open_mq("-mq0", size);
    mqs[1] = open_mq("-mq1", size);
}

/* mqs[0] travels parent -> child, mqs[1] child -> parent. */
static void posix_mq_send(int side, const void *buf, size_t size)
{
    while (mq_send(mqs[side], buf, size, 0) == -1) {
        if (errno != EINTR)
            bench_fail("mq_send");
        bench_poll();
    }
}

static void posix_mq_recv(int side, void *buf, size_t size)
{
    ssize_t n;
    /* The buffer must hold mq_msgsize bytes, which is exactly size here. */
    while ((n = mq_receive(mqs[1 - side], buf, mq_msgsize, NULL)) == -1) {
        if (errno != EINTR)
            bench_fail("mq_receive");
        bench_poll();
    }
    if ((size_t)n != size)
        bench_failx("mq_receive: %zd bytes where %zu were sent", n, size);
}

static void posix_mq_destroy(int side)
{
    (void)side;
    for (int i = 0; i < 2; i++) {
        if (mqs[i] != (mqd_t)-1)
            mq_close(mqs[i]);
        mqs[i] = (mqd_t)-1;
    }
}

const struct mech mech_posix_mq = {
    .name = "posix-mq",
    .how = "POSIX mq_send/mq_receive, one queue each way",
    .limit = posix_mq_limit,
    .create = posix_mq_create,
    .attach = sysv_msg_attach,
    .send = posix_mq_send,
    .recv = posix_mq_recv,
    .destroy = posix_mq_destroy,
};

/* ---- signals: sigqueue carries an int, sigtimedwait takes it ---- */
#define DATA_SIGNAL (SIGRTMIN) /* real-time: queued, so a stream loses none */
static sigset_t signal_old;
static int signal_blocked;

static size_t signal_limit(const char **why)
{
    *why = "a signal carries one int (sigqueue's value)";
    return sizeof(int);
}

static void signal_create(size_t size)
{
    sigset_t set;
    (void)size;
    /* Blocked before fork, so the child inherits the mask and no signal can
     * arrive before its side is waiting for it. */
    sigemptyset(&set);
    sigaddset(&set, DATA_SIGNAL);
    if (sigprocmask(SIG_BLOCK, &set, &signal_old) == -1)
        bench_fail("sigprocmask");
    signal_blocked = 1;
    /* Real-time signals queue up to RLIMIT_SIGPENDING: an ack now and then. */
    bench_window = 64;
}

static void signal_send(int side, const void *buf, size_t size)
{
    union sigval v = {0};
    (void)side;
    memcpy(&v.sival_int, buf, size);
    while (sigqueue(bench_peer, DATA_SIGNAL, v) == -1) {
        if (errno != EINTR && errno != EAGAIN)
            bench_fail("sigqueue");
        bench_poll();
    }
}

static void signal_recv(int side, void *buf, size_t size)
{
    sigset_t set;
    siginfo_t info;
    /* Not sigwaitinfo: musl's goes on waiting after a handler ran (EINTR is
     * retried), deaf to the tick and to SIGTERM; a timeout wakes us to poll. */
    struct timespec tick = {0, 200 * 1000 * 1000};
    (void)side;
    sigemptyset(&set);
    sigaddset(&set, DATA_SIGNAL);
    for (;;) {
        if (sigtimedwait(&set, &info, &tick) == -1) {
            if (errno != EINTR && errno != EAGAIN)
                bench_fail("sigtimedwait");
            bench_poll();
            continue;
        }
        if (info.si_code == SI_QUEUE && info.si_pid == bench_peer)
            break;
        /* someone else's signal (kill from a shell): not a message */
    }
    memcpy(buf, &info.si_value.sival_int, size);
}

static void signal_destroy(int side)
{
    (void)side;
    if (signal_blocked && sigprocmask(SIG_SETMASK, &signal_old, NULL) == -1)
        warn("sigprocmask");
    signal_blocked = 0;
}

const struct mech mech_signal = {
    .name = "signal",
    .how = "sigqueue(3) + sigtimedwait(2), data in the signal's value",
    .limit = signal_limit,
    .create = signal_create,
    .attach = sysv_msg_attach,
    .send = signal_send,
    .recv = signal_recv,
    .destroy = signal_destroy,
};
