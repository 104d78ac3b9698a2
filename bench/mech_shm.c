/* mech_shm.c -- ipcbench's shared-memory mechanisms. Messages go through a ring
 * of RING_SLOTS slots in memory both processes map; the sender writes a message
 * into a slot and hands it over, the receiver reads it and hands the slot back.
 * What differs is the memory and the hand-over:
 *   sysv-shm   shmget/shmat memory,         System V semaphores (semop)
 *   posix-shm  shm_open/mmap memory,        POSIX sem_t in the memory (pshared)
 *   mmap-file  a file in bench_dir, mmap,   POSIX sem_t in the mapping
 *   shm-spin   MAP_SHARED|MAP_ANONYMOUS,    a word in each slot, busy-waiting
 * The semaphore flavours have one ring each way. The spinning one has one
 * ring for both ways: a reply goes into the slot of the message it answers,
 * and only a run of messages from one side moves on to the next slot, so a
 * ping-pong bounces a single cache line (the driver never has both sides
 * sending at once, and both sides follow the same rule).
 * plus the reference "cacheline": one atomic counter bounced between the two.
 * Part of ipcbench (see ipcbench.c for how to build it). */
#define _GNU_SOURCE /* ipcbench.c explains: Linux extensions are the point */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <semaphore.h>
#include <stdalign.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcbench.h"

#define RING_SLOTS 4
#define LINE 64  /* a cache line: counters on lines of their own */
#define CTL 4096 /* the control page; slots follow it */

struct ring {
    alignas(LINE) _Atomic uint64_t taken; /* messages the receiver has read (spin) */
    alignas(LINE) sem_t full;             /* slots holding a message (POSIX) */
    sem_t empty;                          /* slots free (POSIX) */
};

/* Every slot starts with a word that says what it holds, in the same cache
 * line as the message's first bytes: a spinning receiver watches that word,
 * and one line transfer brings it a small message whole. The word is 0 for
 * never used, else present(m, d): message m of direction d. */
#define SLOT_HDR 8
struct region {
    struct ring ring[2]; /* [0] parent -> child, [1] child -> parent */
    alignas(LINE) _Atomic int cpus[2];
    alignas(LINE) _Atomic uint64_t bounce; /* the cache-line reference */
};
_Static_assert(sizeof(struct region) <= CTL, "control page too small");

enum flavour { SYSV, POSIX_SEM, SPIN };

static enum flavour flavour;
static unsigned char *base; /* the mapping */
static size_t map_len, slot_len;
static int sem_id = -1; /* System V semaphore set */
static int shm_id = -1;
static char file_path[108]; /* mmap-file */
static uint64_t count[2];   /* this side's messages sent [0] and received [1] */
static unsigned last_slot;  /* spin: the slot of the last message, either way */
static int last_dir = -1;   /* spin: who sent it (-1: nobody yet) */

static struct region *region(void)
{
    return (struct region *)base;
}

/* spin: where the next message of direction dir goes */
static unsigned next_slot(int dir)
{
    if (last_dir == -1 || last_dir != dir)
        return last_slot; /* the first message, or a reply: in place */
    return (last_slot + 1) % RING_SLOTS;
}

static unsigned char *slot(int dir, uint64_t n)
{
    if (flavour == SPIN) { /* one ring, both ways */
        n = next_slot(dir);
        dir = 0;
    }
    return base + CTL + ((size_t)dir * RING_SLOTS + n % RING_SLOTS) * slot_len;
}

static _Atomic uint64_t *slot_number(int dir, uint64_t n)
{
    return (_Atomic uint64_t *)(void *)slot(dir, n);
}

static size_t shm_limit(const char **why)
{
    *why = "the bench's own cap";
    return (size_t)16 << 20;
}

static uint64_t present(uint64_t m, int dir)
{
    return (m + 1) << 2 | (uint64_t)dir << 1;
}

static void layout(enum flavour f, size_t size)
{
    flavour = f;
    slot_len = (SLOT_HDR + size + LINE - 1) / LINE * LINE;
    map_len = CTL + (f == SPIN ? 1 : 2) * RING_SLOTS * slot_len;
    count[0] = count[1] = 0;
    last_slot = 0;
    last_dir = -1;
}

/* The rings start empty: no message full, every slot empty. */
static void init_posix_sems(void)
{
    for (int d = 0; d < 2; d++)
        if (sem_init(&region()->ring[d].full, 1, 0) == -1 ||
            sem_init(&region()->ring[d].empty, 1, RING_SLOTS) == -1)
            bench_fail("sem_init");
}

/* ---- the hand-over, for each flavour ----
 * System V set: semaphore 2d is ring d's "full", 2d+1 its "empty". */
static void sysv_op(int num, int op)
{
    struct sembuf sb = {(unsigned short)num, (short)op, 0};
    while (semop(sem_id, &sb, 1) == -1) {
        if (errno != EINTR)
            bench_fail("semop");
        bench_poll();
    }
}

static void posix_wait(sem_t *s)
{
    while (sem_wait(s) == -1) {
        if (errno != EINTR)
            bench_fail("sem_wait");
        bench_poll();
    }
}

static void posix_post(sem_t *s)
{
    if (sem_post(s) == -1)
        bench_fail("sem_post");
}

/* Wait until ring d has a free slot (sender) or a message (receiver). */
static void wait_slot(int d, int for_sender)
{
    struct ring *r = &region()->ring[d];
    if (flavour == SYSV) {
        sysv_op(2 * d + (for_sender ? 1 : 0), -1);
    } else if (flavour == POSIX_SEM) {
        posix_wait(for_sender ? &r->empty : &r->full);
    } else {
        uint64_t n = for_sender ? count[0] : count[1];
        _Atomic uint64_t *word = slot_number(d, n);
        uint64_t now = atomic_load_explicit(word, memory_order_acquire);
        if (!for_sender) { /* until our message is there */
            while (now != present(n, d))
                now = bench_spin_change(word, now, region()->cpus);
        } else if (now != 0 && (int)(now >> 1 & 1) == d) {
            /* Our own earlier message (a stream): wait until it is read. */
            uint64_t t = atomic_load_explicit(&r->taken, memory_order_acquire);
            while (t < now >> 2)
                t = bench_spin_change(&r->taken, t, region()->cpus);
        } else if (now != 0 && (now >> 2) - 1 >= count[1]) {
            bench_failx("shm-spin: both sides sent at once"); /* never, here */
        }
        /* Else unused, or the other side's message that we have read: a reply
         * goes into its request's slot, and no word is written to say so. */
    }
}

/* Hand the slot over: a message to the receiver, a free slot to the sender. */
static void post_slot(int d, int from_sender)
{
    struct ring *r = &region()->ring[d];
    if (flavour == SYSV)
        sysv_op(2 * d + (from_sender ? 0 : 1), 1);
    else if (flavour == POSIX_SEM)
        posix_post(from_sender ? &r->full : &r->empty);
    else if (from_sender) /* after the message: release orders the two */
        atomic_store_explicit(slot_number(d, count[0]), present(count[0], d),
                              memory_order_release);
    else /* on a line of its own, which the sender reads only in a stream */
        atomic_store_explicit(&r->taken, count[1] + 1, memory_order_release);
    if (flavour == SPIN) {
        last_slot = next_slot(d);
        last_dir = d;
    }
}

static unsigned char *payload(int dir, uint64_t n)
{
    return slot(dir, n) + SLOT_HDR;
}

/* Without -c the driver writes and reads messages in place (zero copy):
 * that is what shared memory is for. */
static void *shm_lend_out(int side)
{
    wait_slot(side, 1);
    return payload(side, count[0]);
}

static void *shm_lend_in(int side)
{
    wait_slot(1 - side, 0);
    return payload(1 - side, count[1]);
}

/* With -c the message is copied in and out, as a pipe does. */
static void shm_send(int side, const void *buf, size_t size)
{
    unsigned char *dst = payload(side, count[0]);
    if (buf != dst) { /* not lent: copy the message into the slot */
        wait_slot(side, 1);
        memcpy(dst, buf, size);
    }
    post_slot(side, 1);
    count[0]++;
}

static void shm_recv(int side, void *buf, size_t size)
{
    int d = 1 - side;
    unsigned char *src = payload(d, count[1]);
    if (buf != src) { /* not lent: copy the message out of the slot */
        wait_slot(d, 0);
        memcpy(buf, src, size);
    }
    post_slot(d, 0);
    count[1]++;
}

static void shm_attach(int side)
{
    atomic_store(&region()->cpus[side], -1);
}

static void unmap(void)
{
    if (base != NULL && shm_id == -1 && munmap(base, map_len) == -1)
        warn("munmap");
    if (base != NULL && shm_id != -1 && shmdt(base) == -1)
        warn("shmdt");
    base = NULL;
    shm_id = -1;
}

static unsigned char *map_fd(int fd)
{
    void *p = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        bench_fail("mmap");
    return p;
}

/* ---- sysv-shm ---- */
static int semget_new(key_t key, int flags)
{
    return semget(key, 4, flags);
}

static size_t shm_len; /* shmget's size, for the callback below */
static int shmget_new(key_t key, int flags)
{
    return shmget(key, shm_len, flags);
}

static void sysv_shm_create(size_t size)
{
    layout(SYSV, size);
    shm_len = map_len;
    int id = bench_sysv_get('m', shmget_new);
    base = shmat(id, NULL, 0);
    if (base == (void *)-1) {
        base = NULL;
        shmctl(id, IPC_RMID, NULL);
        bench_fail("shmat");
    }
    shm_id = id;
    /* Marked for removal now: Linux keeps it while attached, and the child
     * inherits the attachment across fork, so not even SIGKILL leaves it. */
    if (shmctl(id, IPC_RMID, NULL) == -1)
        bench_fail("shmctl IPC_RMID");
    memset(base, 0, CTL);
    sem_id = bench_sysv_get('s', semget_new);
    unsigned short init[4] = {0, RING_SLOTS, 0, RING_SLOTS};
    if (semctl(sem_id, 0, SETALL, init) == -1)
        bench_fail("semctl SETALL");
}

static void sysv_shm_destroy(int side)
{
    if (side == PARENT && sem_id != -1 && semctl(sem_id, 0, IPC_RMID) == -1)
        warn("semctl IPC_RMID");
    sem_id = -1;
    unmap();
}

const struct mech mech_sysv_shm = {
    .name = "sysv-shm",
    .how = "shmget/shmat memory, System V semaphores (semop)",
    .limit = shm_limit,
    .create = sysv_shm_create,
    .attach = shm_attach,
    .send = shm_send,
    .recv = shm_recv,
    .destroy = sysv_shm_destroy,
    .lend_out = shm_lend_out,
    .lend_in = shm_lend_in,
};

/* ---- posix-shm ---- */
static void posix_shm_create(size_t size)
{
    char name[64];
    layout(POSIX_SEM, size);
    bench_posix_name(name, sizeof name, "-shm");
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1 && errno == EEXIST) {
        shm_unlink(name); /* left by a run that was killed with SIGKILL */
        fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    }
    if (fd == -1)
        bench_fail("shm_open %s", name);
    /* Mapped before fork, so the name can go at once: nothing outlives us. */
    if (shm_unlink(name) == -1)
        bench_fail("shm_unlink %s", name);
    if (ftruncate(fd, (off_t)map_len) == -1)
        bench_fail("ftruncate");
    base = map_fd(fd);
    close(fd);
    init_posix_sems();
}

static void posix_destroy(int side)
{
    (void)side;
    unmap();
    if (side == PARENT && file_path[0] != '\0')
        unlink(file_path);
    file_path[0] = '\0';
}

const struct mech mech_posix_shm = {
    .name = "posix-shm",
    .how = "shm_open/mmap memory, POSIX sem_t in it",
    .limit = shm_limit,
    .create = posix_shm_create,
    .attach = shm_attach,
    .send = shm_send,
    .recv = shm_recv,
    .destroy = posix_destroy,
    .lend_out = shm_lend_out,
    .lend_in = shm_lend_in,
};

/* ---- mmap-file: the memory is a file's pages; removed at the end ---- */
static void mmap_file_create(size_t size)
{
    layout(POSIX_SEM, size);
    char path[sizeof file_path];
    bench_path(path, sizeof path, "ipcbench.map");
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1 && errno == EEXIST) {
        unlink(path); /* left by a run that was killed with SIGKILL */
        fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    }
    if (fd == -1)
        bench_fail("open %s", path);
    strcpy(file_path, path); /* ours now: destroy removes it */
    if (ftruncate(fd, (off_t)map_len) == -1)
        bench_fail("ftruncate %s", file_path);
    base = map_fd(fd);
    close(fd);
    init_posix_sems();
}

const struct mech mech_mmap_file = {
    .name = "mmap-file",
    .how = "a file mmap'ed MAP_SHARED, POSIX sem_t in it",
    .limit = shm_limit,
    .create = mmap_file_create,
    .attach = shm_attach,
    .send = shm_send,
    .recv = shm_recv,
    .destroy = posix_destroy,
    .lend_out = shm_lend_out,
    .lend_in = shm_lend_in,
};

/* ---- shm-spin: anonymous shared memory (it needs no name), busy-waiting ---- */
static void anon_create(size_t size)
{
    layout(SPIN, size);
    void *p =
        mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bench_fail("mmap");
    base = p;
}

const struct mech mech_shm_spin = {
    .name = "shm-spin",
    .how = "MAP_SHARED memory, a number in each slot, busy-wait",
    .limit = shm_limit,
    .create = anon_create,
    .attach = shm_attach,
    .send = shm_send,
    .recv = shm_recv,
    .destroy = posix_destroy,
    .lend_out = shm_lend_out,
    .lend_in = shm_lend_in,
};

/* ---- cacheline: one counter, each side bumps it when it sees the other's
 * number; a round trip is two transfers of the line between the caches. ---- */
static void bounce_send(int side, const void *buf, size_t size)
{
    (void)side, (void)buf, (void)size;
    count[0]++;
    atomic_store_explicit(&region()->bounce, count[0], memory_order_release);
}

static void bounce_recv(int side, void *buf, size_t size)
{
    (void)side, (void)buf, (void)size;
    uint64_t now = atomic_load_explicit(&region()->bounce, memory_order_acquire);
    while (now == count[0])
        now = bench_spin_change(&region()->bounce, now, region()->cpus);
    count[0] = now;
}

const struct mech mech_cacheline = {
    .name = "cacheline",
    .how = "reference: one atomic counter bounced, no message",
    .limit = shm_limit,
    .create = anon_create,
    .attach = shm_attach,
    .send = bounce_send,
    .recv = bounce_recv,
    .destroy = posix_destroy,
    .no_payload = 1,
};

/* ---- busy-waiting, for shm-spin and cacheline ---- */
static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause(); /* spin politely: the other hyperthread runs */
#endif
}

/* Spin until *v changes. Spinning only pays while the peer runs on another
 * CPU: on the same CPU it cannot make progress until we give the CPU up, and
 * a spinner that does not yield waits out a whole scheduler time slice (-y
 * shows it). Each side notes where it waits, to tell when they share a CPU. */
uint64_t bench_spin_change(_Atomic uint64_t *v, uint64_t old, _Atomic int cpus[2])
{
    static int shared_last; /* the last wait found both on one CPU: look at once */
    unsigned long spins = 0;
    int shared = 0;
    uint64_t now;

    while ((now = atomic_load_explicit(v, memory_order_acquire)) == old) {
        spins++;
        if (bench_never_yield) {
            cpu_relax();
            if (spins % 4096 == 0)
                bench_poll();
        } else if (bench_same_cpu) {
            sched_yield();
            bench_poll();
        } else if (shared || spins % 16 == 0 || (spins == 1 && shared_last)) {
            /* Left to the scheduler: where are we both? */
            int me = sched_getcpu();
            atomic_store_explicit(&cpus[bench_side], me, memory_order_relaxed);
            shared =
                me == atomic_load_explicit(&cpus[1 - bench_side], memory_order_relaxed);
            shared_last = shared;
            if (shared || spins > 65536) /* 65536: the peer's note may be stale */
                sched_yield();
            bench_poll();
        } else {
            cpu_relax();
        }
    }
    return now;
}
