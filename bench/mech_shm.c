/* mech_shm.c -- ipcbench's shared-memory mechanisms. Each direction is a ring
 * of RING_SLOTS message slots in memory both processes map; the sender copies
 * a message into a slot and hands it over, the receiver copies it out and hands
 * the slot back. What differs is the memory and the hand-over:
 *   sysv-shm   shmget/shmat memory,         System V semaphores (semop)
 *   posix-shm  shm_open/mmap memory,        POSIX sem_t in the memory (pshared)
 *   mmap-file  a file in bench_dir, mmap,   POSIX sem_t in the mapping
 *   shm-spin   MAP_SHARED|MAP_ANONYMOUS,    a number in each slot, busy-waiting
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
    alignas(LINE) _Atomic uint64_t tail; /* messages taken out (the spinner's) */
    alignas(LINE) sem_t full;            /* slots holding a message (POSIX) */
    sem_t empty;                         /* slots free (POSIX) */
};

/* Every slot starts with the number (from 1) of the message it holds, in
 * the same cache line as the message's first bytes: a spinning receiver
 * watches that word, and one line transfer brings it a small message whole. */
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
static uint64_t seen_tail;  /* the spinning sender's last look at the tail */

static struct region *region(void)
{
    return (struct region *)base;
}

static unsigned char *slot(int dir, uint64_t n)
{
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

static void layout(size_t size)
{
    slot_len = (SLOT_HDR + size + LINE - 1) / LINE * LINE;
    map_len = CTL + 2 * RING_SLOTS * slot_len;
    count[0] = count[1] = seen_tail = 0;
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
    } else if (for_sender) {
        /* The tail is read only when the ring looks full: not one line
         * transfer a message for it. */
        while (count[0] - seen_tail >= RING_SLOTS)
            seen_tail = bench_spin_change(&r->tail, seen_tail, region()->cpus);
    } else {
        _Atomic uint64_t *number = slot_number(d, count[1]);
        uint64_t now = atomic_load_explicit(number, memory_order_acquire);
        while (now != count[1] + 1)
            now = bench_spin_change(number, now, region()->cpus);
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
        atomic_store_explicit(slot_number(d, count[0]), count[0] + 1,
                              memory_order_release);
    else
        atomic_store_explicit(&r->tail, count[1] + 1, memory_order_release);
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
    layout(size);
    flavour = SYSV;
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
    layout(size);
    flavour = POSIX_SEM;
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
    layout(size);
    flavour = POSIX_SEM;
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
    layout(size);
    flavour = SPIN;
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
    unsigned long spins = 0;
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
        } else {
            cpu_relax();
            if (spins % 256 == 0) {
                int me = sched_getcpu();
                atomic_store_explicit(&cpus[bench_side], me, memory_order_relaxed);
                if (me == atomic_load_explicit(&cpus[1 - bench_side],
                                               memory_order_relaxed) ||
                    spins > 65536)
                    sched_yield();
                bench_poll();
            }
        }
    }
    return now;
}
