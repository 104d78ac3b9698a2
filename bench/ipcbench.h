/* ipcbench.h -- what the parts of ipcbench share: the shape of a mechanism and
 * the few services the driver (ipcbench.c) offers the mechanism files. */
#ifndef IPCBENCH_H
#define IPCBENCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum { PARENT = 0, CHILD = 1 }; /* the two sides of every channel */

/* A mechanism moves messages of exactly `size` bytes both ways between the
 * parent and the child. The driver calls, in this order: create (parent,
 * before fork), attach (each side, after fork), send/recv many times,
 * destroy (each side at its end; the parent's call also runs from the exit
 * path after an error or a signal, so it must be safe to call twice). */
struct mech {
    const char *name;                  /* as -m takes it */
    const char *how;                   /* one line for the table's legend */
    size_t (*limit)(const char **why); /* largest message; why names the limit */
    void (*create)(size_t size);
    void (*attach)(int side);
    void (*send)(int side, const void *buf, size_t size);
    void (*recv)(int side, void *buf, size_t size);
    void (*destroy)(int side);
    /* Shared memory lends its slots (NULL elsewhere): lend_out waits for a
     * free slot and returns it, for the message to be written in place;
     * lend_in waits for a message and returns it, to be read in place. send
     * and recv given that same address only hand the slot over: no copy. */
    void *(*lend_out)(int side);
    void *(*lend_in)(int side);
    int no_payload; /* the cache-line reference: a counter, no message */
};

extern const struct mech mech_pipe, mech_fifo, mech_unix_stream, mech_unix_dgram,
    mech_tcp, mech_udp;                                             /* mech_fd.c */
extern const struct mech mech_sysv_msg, mech_posix_mq, mech_signal; /* mech_msg.c */
extern const struct mech mech_sysv_shm, mech_posix_shm, mech_mmap_file, mech_shm_spin,
    mech_cacheline; /* mech_shm.c */

extern const struct mech mech_door; /* mech_door.c */

/* Set by the driver for the mechanism files. */
extern const char *bench_dir;  /* FIFOs, sockets, the mapped file, the ftok path */
extern const char *bench_name; /* stem of POSIX names: "/ipcbench-PID" */
extern int bench_side;         /* which side this process is */
extern pid_t bench_peer;       /* the other process */
extern int bench_same_cpu;     /* both pinned to one CPU: a spinner yields at once */
extern int bench_never_yield;  /* -y: spin without yielding, to show the collapse */
extern int bench_window;       /* set by create: messages in flight before an ack
                                  (0: the mechanism blocks the sender by itself) */

/* Errors: print "ipcbench: what: reason" and end this side (the parent
 * cleans up on its way out, the child leaves with _exit). */
_Noreturn void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void bench_failx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Every wait calls this when a call returns EINTR or a spinner has spun a
 * while: it ends the run on SIGINT/SIGTERM, on a dead peer, on a stalled one. */
void bench_poll(void);
void bench_path(char *buf, size_t len, const char *file); /* bench_dir/file */
void bench_posix_name(char *buf, size_t len, const char *suffix);
int bench_sysv_get(int proj, int (*get)(key_t key, int flags)); /* ftok + create */

/* Spin until *v differs from old; yields when the peer shares this CPU.
 * cpus[side] records where each side last waited. */
uint64_t bench_spin_change(_Atomic uint64_t *v, uint64_t old, _Atomic int cpus[2]);

#endif
