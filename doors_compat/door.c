/* door.c -- Solaris/illumos doors on Linux, over UNIX domain sockets.
 * Build:  cc -o door_server door_server.c door.c    (and the same for each program)
 * Shows:  how a door maps onto sockets, epoll and a pool of threads:
 *   - A door descriptor is one end of a socketpair. The library keeps the other end
 *     and learns from it (end-of-file) when every copy of the descriptor, in every
 *     process, is closed: the kernel counts them for us (DOOR_UNREF).
 *   - Every name of a door is a listening socket in Linux's abstract namespace (no
 *     file, gone when the server dies) called "door-compat:DEV:INO" after the st_dev
 *     and st_ino of what names it: the door descriptor, each file the door is
 *     fattach()ed to, each copy handed to another process through a door. So
 *     door_call(fd) needs no table: fstat(fd), build the name, connect(). Nothing
 *     listens there: the fd is no door, EBADF.
 *   - A caller keeps its connection for the next call (one per name, caller thread
 *     and credentials): a call is one message each way on it, no connect, no thread.
 *   - The server's threads are a pool: they wait in epoll_wait() on every listening
 *     socket and connection of the pool's doors; the one woken reads the request, runs
 *     the procedure, and door_return() sends the reply and takes it back to waiting
 *     (a longjmp: door_return never returns). When a call takes the last waiting
 *     thread, the pool's creation function makes another (door_server_create).
 *   - Who may call: with its first request on a connection the caller sends the very
 *     descriptor it calls through (the proof), and the server checks that it names
 *     the file the connection came through (same st_dev and st_ino, not O_PATH). Only
 *     a process that could open() the file, or was handed such a descriptor, has one:
 *     the file's permissions decide, as on illumos.
 *   - During a call the connection is watched for the caller hanging up (a signal
 *     made its door_call fail with EINTR, or it died): the serving thread is then
 *     cancelled, as on illumos. The server dying closes the connection: EINTR.
 *   docs/doors_compat.md has the table of what is exact and what is emulated. */
#define _GNU_SOURCE /* Linux: struct ucred, SO_PEERCRED, accept4, epoll, O_PATH */

#include "door.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define DOORS_MAX 64     /* doors one process may have */
#define SOURCES_MAX 1024 /* listening sockets, connections and watched ends */
#define IDLE_MAX 16      /* connections a caller keeps for later calls */
#define BACKLOG 128
#define REQUEST_SECONDS 30 /* for the rest of a request to arrive, once it began */
#define CALLER_SECONDS                                                                   \
    86400         /* a caller's receive timeout: only so signals give EINTR              \
                   */
#define SMALL 512 /* results up to this size arrive with their header */

/* ---- What goes over a connection: a header, then `size` bytes of data. The
 * header carries descriptors as SCM_RIGHTS: on a connection's first request the
 * proof first, then `ndesc` of the caller's. ---- */
enum { MSG_CALL = 1, MSG_INFO, MSG_DETACH, MSG_REPLY, MSG_ERROR, MSG_STALE };
struct msg {
    uint32_t type;
    uint32_t ndesc; /* descriptors for the other side, not counting the proof */
    uint64_t size;  /* data bytes after the header */
    int32_t error;  /* MSG_ERROR: the errno the caller's call fails with */
    uint32_t proof; /* MSG_CALL, MSG_INFO: the first descriptor is the proof */
    uint32_t ruid, rgid, suid, sgid; /* the caller's other ids, for door_ucred */
};

/* MSG_INFO's answer: door_info and door_getparam in one. */
struct info_reply {
    door_info_t info;
    uint64_t data_min, data_max, desc_max;
};

struct ucred_s {
    uid_t euid, ruid, suid;
    gid_t egid, rgid, sgid;
    pid_t pid;
};

/* A pool of server threads: the global one, or a DOOR_PRIVATE door's own. */
struct pool {
    int epfd; /* every listening socket, connection and watched end of its doors */
    int note; /* an eventfd in epfd: "an unreferenced call is due" */
    int idle; /* threads waiting in epoll_wait */
};

struct door {
    int used;
    int revoked;
    door_server_proc_t *proc;
    void *cookie;
    uint_t attributes;
    dev_t dev; /* of the door descriptor: its own name and di_uniquifier */
    ino_t ino;
    int refs;      /* descriptors (one while any copy lives), paths, handed-out copies */
    int most_refs; /* the most there ever were: unreferenced means it was 2 or more */
    int active;    /* calls in progress */
    int unref_due; /* an unreferenced call waits for the active calls to end */
    int unrefs;    /* unreferenced calls delivered */
    int sources;   /* sources naming it: the door's slot is free when none is left */
    size_t data_min, data_max, desc_max;
    struct pool *pool;
    struct pool private_pool;
};

/* What epoll watches. An event carries the slot and the arm's sequence number:
 * every arm bumps it, so an event of an earlier arm is recognised and ignored. */
enum kind { FREE, LISTENER, CONN, WATCH, NOTE };
struct source {
    enum kind kind;
    uint32_t seq;
    int fd;
    int owned;   /* a thread has it (took its event), not epoll */
    int closing; /* to be closed by the thread that has it */
    struct door *door;
    struct pool *pool; /* NOTE */
    dev_t dev;         /* LISTENER: the name; CONN: the name it came through */
    ino_t ino;
    int file;          /* LISTENER of an fattach()ed path: the file, held O_PATH */
    uid_t owner;       /* of that file: who may fdetach it */
    int watch;         /* LISTENER of a descriptor's name: the slot of its WATCH */
    struct ucred peer; /* CONN: the caller, from SO_PEERCRED */
    int proven;        /* CONN: the proof came and was good */
    int stale;         /* CONN: its name was detached: the next request gets MSG_STALE */
    int busy;          /* CONN: a call is in progress on it */
    int hungup;        /* CONN: the caller went away during the call */
    int early;         /* CONN: an event came while a thread had it: arm it again */
    pthread_t server;  /* CONN: the thread serving that call */
};

/* One call being served, in the thread serving it. */
struct call {
    struct door *door; /* NULL: no call */
    int slot;          /* its connection; -1 for the unreferenced call */
    struct ucred peer;
    struct msg req;
    door_desc_t desc[DOOR_COMPAT_DESC_MAX];
};

/* A server thread's own state, found through worker_key (its destructor runs when
 * the thread ends, also in the middle of a call). */
struct worker {
    jmp_buf back;      /* door_return jumps back here, to the pool loop */
    int cancel_state;  /* the thread's own, restored while the procedure runs */
    struct pool *pool; /* the pool it serves */
    struct call call;
    char *buf; /* the current call's argument bytes */
    size_t cap;
};

/* A caller's kept connection. */
struct cconn {
    int fd;
    dev_t dev;
    ino_t ino;
    uid_t euid;
    gid_t egid;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct door doors[DOORS_MAX];
static struct source sources[SOURCES_MAX];
static struct pool global_pool = {-1, -1, 0};
static int global_started;
static door_server_func_t *create_function;
static int create_function_set;
static struct cconn kept[IDLE_MAX];
static int nkept;
static pthread_key_t worker_key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Thread_local struct pool *bound; /* door_bind */

static void default_create(door_info_t *info);
static void end_call(struct worker *w, int reply_error);
static _Noreturn void serve_pool(struct pool *pool);

/* ---- Small tools ---- */

/* The abstract socket name of whatever has this st_dev and st_ino. */
static socklen_t door_address(dev_t dev, ino_t ino, struct sockaddr_un *addr)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    /* sun_path[0] == '\0': an abstract name, no file to create or clean up */
    int n =
        snprintf(addr->sun_path + 1, sizeof addr->sun_path - 1, "door-compat:%llx:%llx",
                 (unsigned long long)dev, (unsigned long long)ino);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static void close_all(const int *fds, int n)
{
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

/* Send exactly len bytes (after a first part sendmsg already sent). */
static int send_rest(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL); /* a gone peer: EPIPE, no signal */
        if (n == -1 && errno == EAGAIN)
            continue; /* a caller's send timeout: only there for EINTR */
        if (n == -1)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read exactly len bytes; end-of-file before that is ECONNRESET. */
static int read_all(int fd, char *buf, size_t len, int retry_timeout)
{
    while (len > 0) {
        ssize_t n = recv(fd, buf, len, 0);
        if (n == -1 && errno == EAGAIN && retry_timeout)
            continue;
        if (n == -1)
            return -1;
        if (n == 0) {
            errno = ECONNRESET;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A header and data in one sendmsg, with nfds descriptors attached. */
static int send_msg(int fd, const struct msg *m, const int *fds, int nfds,
                    const char *data)
{
    union { /* a control buffer aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int) * (DOOR_COMPAT_DESC_MAX + 1))];
        struct cmsghdr align;
    } control;
    struct iovec iov[2] = {{(void *)m, sizeof *m}, {(void *)data, m->size}};
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = m->size > 0 ? 2 : 1};
    if (nfds > 0) {
        mh.msg_control = control.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
        memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
    }
    ssize_t n;
    while ((n = sendmsg(fd, &mh, MSG_NOSIGNAL)) == -1 && errno == EAGAIN)
        continue;
    if (n == -1)
        return -1;
    size_t sent = (size_t)n;
    if (sent < sizeof *m) {
        if (send_rest(fd, (const char *)m + sent, sizeof *m - sent) == -1)
            return -1;
        sent = sizeof *m;
    }
    if (m->size == 0)
        return 0; /* (data may be NULL) */
    return send_rest(fd, data + (sent - sizeof *m), m->size - (sent - sizeof *m));
}

/* Receive a header, the descriptors that came with it (at most max), and up to
 * room bytes of its data into buf. Returns the data bytes received, or -1. */
static ssize_t recv_msg(int fd, struct msg *m, int *fds, int max, int *nfds, char *buf,
                        size_t room, int retry_timeout)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * (DOOR_COMPAT_DESC_MAX + 1))];
        struct cmsghdr align;
    } control;
    struct iovec iov[2] = {{m, sizeof *m}, {buf, room}};
    struct msghdr mh = {.msg_iov = iov,
                        .msg_iovlen = room > 0 ? 2 : 1,
                        .msg_control = control.buf,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)max)};
    *nfds = 0;
    ssize_t n;
    while ((n = recvmsg(fd, &mh, 0)) == -1 && errno == EAGAIN && retry_timeout)
        continue;
    if (n == 0)
        errno = ECONNRESET;
    if (n <= 0)
        return -1;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            *nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)*nfds);
        }
    if (mh.msg_flags & MSG_CTRUNC) { /* more descriptors than promised: refuse them */
        close_all(fds, *nfds);
        *nfds = 0;
        errno = EMFILE;
        return -1;
    }
    if ((size_t)n < sizeof *m) {
        if (read_all(fd, (char *)m + n, sizeof *m - (size_t)n, retry_timeout) == -1)
            return -1;
        return 0;
    }
    size_t got = (size_t)n - sizeof *m;
    return (ssize_t)(got < m->size ? got : m->size);
}

/* Start a detached thread with every signal blocked: signals stay with the
 * program's own threads, a door thread never runs a handler by surprise. */
static int start_thread(void *(*fn)(void *), void *arg)
{
    pthread_t tid;
    pthread_attr_t attr;
    sigset_t all, old;
    sigfillset(&all);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int e = pthread_create(&tid, &attr, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return e;
}

/* ---- Sources: what the pools' epoll watches. All with `lock` held. ---- */

static uint64_t event_data(int slot, uint32_t seq)
{
    return (uint64_t)slot | (uint64_t)seq << 32;
}

/* Give epoll the source back (or for the first time), for one event. */
static void arm(int slot, uint32_t events)
{
    struct source *s = &sources[slot];
    struct epoll_event ev = {.events = events | EPOLLONESHOT,
                             .data.u64 = event_data(slot, ++s->seq)};
    struct pool *pool = s->door ? s->door->pool : s->pool;
    int op = s->owned == -1 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    s->owned = 0;
    epoll_ctl(pool->epfd, op, s->fd, &ev);
}

static int new_source(enum kind kind, int fd, struct door *door)
{
    for (int i = 0; i < SOURCES_MAX; i++)
        if (sources[i].kind == FREE) {
            uint32_t seq = sources[i].seq;
            sources[i] = (struct source){.kind = kind,
                                         .seq = seq,
                                         .fd = fd,
                                         .owned = -1, /* not yet in epoll */
                                         .door = door,
                                         .file = -1,
                                         .watch = -1};
            if (door != NULL)
                door->sources++;
            return i;
        }
    errno = EMFILE;
    return -1;
}

/* Close a source now (nobody has it) or let the thread that has it do so. */
static void drop_source(int slot)
{
    struct source *s = &sources[slot];
    if (s->owned == 1) {
        s->closing = 1;
        return;
    }
    close(s->fd); /* also takes it out of epoll */
    if (s->file != -1)
        close(s->file);
    s->seq++; /* an event already on its way is now stale */
    s->kind = FREE;
    if (s->door != NULL && --s->door->sources == 0 && s->door->refs == 0)
        s->door->used = 0;
}

/* The thread that has a source is done with it: back to epoll, or closed. */
static void release_source(int slot, uint32_t events)
{
    struct source *s = &sources[slot];
    if (s->closing) {
        s->owned = 0;
        drop_source(slot);
    } else {
        arm(slot, events);
    }
}

/* ---- Doors: references and the unreferenced call. With `lock` held. ---- */

static void wake_pool(struct pool *pool)
{
    uint64_t one = 1;
    if (write(pool->note, &one, sizeof one) == -1)
        return; /* the counter is full: a wakeup is pending anyway */
}

/* One reference fewer. illumos delivers the unreferenced call when the count of
 * references drops to one (after it was two or more), and only once no call is
 * active; DOOR_UNREF once, DOOR_UNREF_MULTI each time. */
static void unreference(struct door *door)
{
    door->refs--;
    int wanted = (door->attributes & DOOR_UNREF_MULTI) ||
                 ((door->attributes & DOOR_UNREF) && door->unrefs == 0);
    if (door->refs == 1 && door->most_refs >= 2 && wanted && !door->revoked) {
        door->unref_due = 1;
        if (door->active == 0)
            wake_pool(door->pool);
    }
}

static void reference(struct door *door)
{
    if (++door->refs > door->most_refs)
        door->most_refs = door->refs;
}

/* The door of this process that descriptor d stands for (its own descriptor or a
 * copy it handed out), or NULL. */
static struct door *local_door(int d, int *slot)
{
    struct stat st;
    if (fstat(d, &st) == -1)
        return NULL;
    for (int i = 0; i < SOURCES_MAX; i++)
        if (sources[i].kind == LISTENER && sources[i].file == -1 &&
            sources[i].dev == st.st_dev && sources[i].ino == st.st_ino) {
            if (slot != NULL)
                *slot = i;
            return sources[i].door;
        }
    return NULL;
}

/* Give a door a name: a listening socket called after (dev, ino). EBUSY when
 * another door (of any process) has that name. Returns the slot. */
static int add_listener(struct door *door, dev_t dev, ino_t ino)
{
    struct sockaddr_un addr;
    socklen_t len = door_address(dev, ino, &addr);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd == -1)
        return -1;
    if (bind(fd, (struct sockaddr *)&addr, len) == -1 || listen(fd, BACKLOG) == -1) {
        int e = errno;
        close(fd);
        errno = e == EADDRINUSE ? EBUSY : e;
        return -1;
    }
    int slot = new_source(LISTENER, fd, door);
    if (slot == -1) {
        close(fd);
        return -1;
    }
    sources[slot].dev = dev;
    sources[slot].ino = ino;
    arm(slot, EPOLLIN);
    return slot;
}

/* A door descriptor (or a handed-out copy): its name, and the other end of its
 * socketpair watched for the moment every copy of it is closed. */
static int add_descriptor(struct door *door, int mine, int watch)
{
    struct stat st;
    if (fstat(mine, &st) == -1)
        return -1;
    int l = add_listener(door, st.st_dev, st.st_ino);
    if (l == -1)
        return -1;
    int w = new_source(WATCH, watch, door);
    if (w == -1) {
        drop_source(l);
        return -1;
    }
    sources[l].watch = w;
    arm(w, EPOLLRDHUP);
    reference(door);
    return l;
}

/* Connections that came through a name that is going away: the next request on
 * each is answered MSG_STALE, and its caller connects afresh (to what the name
 * leads to now, if anything). */
static void make_stale(struct door *door, dev_t dev, ino_t ino)
{
    for (int i = 0; i < SOURCES_MAX; i++)
        if (sources[i].kind == CONN && sources[i].door == door && sources[i].dev == dev &&
            sources[i].ino == ino)
            sources[i].stale = 1;
}

/* ---- The server side ---- */

static int create_pool(struct pool *pool)
{
    pool->idle = 0;
    pool->epfd = epoll_create1(EPOLL_CLOEXEC);
    pool->note = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (pool->epfd == -1 || pool->note == -1)
        return -1;
    int slot = new_source(NOTE, pool->note, NULL);
    if (slot == -1)
        return -1;
    sources[slot].pool = pool;
    arm(slot, EPOLLIN);
    return 0;
}

static void info_of(const struct door *door, door_info_t *info)
{
    memset(info, 0, sizeof *info);
    info->di_target = getpid();
    info->di_proc = (door_ptr_t)(uintptr_t)door->proc;
    info->di_data = (door_ptr_t)(uintptr_t)door->cookie;
    info->di_attributes = door->attributes | (door->revoked ? DOOR_REVOKED : 0) |
                          (door->refs <= 1 ? DOOR_IS_UNREF : 0);
    /* A socket's inode number comes from a counter that only grows, for every socket
     * of the machine: unique since boot (until it wraps at 2^32). */
    info->di_uniquifier = (door_id_t)door->ino;
}

/* The pool's creation function, called with the lock not held. */
static void call_create(struct door *door)
{
    door_info_t info, *ip = NULL;
    door_server_func_t *fn = create_function_set ? create_function : default_create;
    if (door != NULL && (door->attributes & DOOR_PRIVATE)) {
        pthread_mutex_lock(&lock);
        info_of(door, &info);
        pthread_mutex_unlock(&lock);
        info.di_attributes |= DOOR_LOCAL;
        ip = &info;
    }
    if (fn != NULL)
        fn(ip);
}

/* The library's own server threads: join the pool they were made for. */
static void *default_thread(void *arg)
{
    bound = arg; /* the private pool, or NULL: the global one */
    door_return(NULL, 0, NULL, 0);
    return NULL;
}

static void default_create(door_info_t *info)
{
    struct pool *pool = NULL;
    if (info != NULL) {
        pthread_mutex_lock(&lock);
        for (int i = 0; i < DOORS_MAX; i++)
            if (doors[i].used && (door_id_t)doors[i].ino == info->di_uniquifier)
                pool = doors[i].pool;
        pthread_mutex_unlock(&lock);
        if (pool == NULL)
            return;
    }
    start_thread(default_thread, pool);
}

static void reply_error(int fd, int type, int error)
{
    struct msg m = {.type = (uint32_t)type, .error = error};
    send_msg(fd, &m, NULL, 0, NULL); /* the caller may be gone: nothing to do then */
}

/* Is fd a descriptor of the name the connection came through ("Who may call")? */
static int proof_ok(const struct source *c, int fd)
{
    struct stat st;
    int flags = fcntl(fd, F_GETFL);
    return flags != -1 && !(flags & O_PATH) && fstat(fd, &st) == 0 &&
           st.st_dev == c->dev && st.st_ino == c->ino;
}

/* Accept every waiting caller of a name; each connection goes to the door's pool. */
static void accept_callers(int slot)
{
    int lfd = sources[slot].fd; /* ours until we release it */
    for (;;) {
        int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (conn == -1)
            break; /* EAGAIN: all taken; out of resources: the callers wait */
        struct ucred peer;
        socklen_t len = sizeof peer;
        struct timeval limit = {.tv_sec = REQUEST_SECONDS};
        getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &peer, &len);
        /* A caller that starts a request and stops keeps a thread at most this long. */
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        pthread_mutex_lock(&lock);
        struct source *l = &sources[slot];
        int c = l->closing ? -1 : new_source(CONN, conn, l->door);
        if (c == -1) {
            pthread_mutex_unlock(&lock);
            reply_error(conn, MSG_ERROR, EAGAIN); /* illumos: server out of resources */
            close(conn);
            continue;
        }
        sources[c].dev = l->dev;
        sources[c].ino = l->ino;
        sources[c].peer = peer;
        arm(c, EPOLLIN | EPOLLRDHUP);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    release_source(slot, EPOLLIN);
    pthread_mutex_unlock(&lock);
}

/* Every copy of a door descriptor is closed: one reference less, and its name goes. */
static void descriptor_closed(int watch)
{
    pthread_mutex_lock(&lock);
    struct door *door = sources[watch].door;
    for (int i = 0; i < SOURCES_MAX; i++)
        if (sources[i].kind == LISTENER && sources[i].watch == watch) {
            make_stale(door, sources[i].dev, sources[i].ino);
            drop_source(i);
        }
    sources[watch].owned = 0;
    drop_source(watch);
    unreference(door);
    pthread_mutex_unlock(&lock);
}

/* Read and throw away n bytes the caller still sends (a request that is refused):
 * the connection stays in step for its next request. */
static int drain(int fd, uint64_t n)
{
    char rest[4096];
    while (n > 0) {
        ssize_t got = recv(fd, rest, n < sizeof rest ? n : sizeof rest, 0);
        if (got <= 0)
            return -1;
        n -= (uint64_t)got;
    }
    return 0;
}

/* Check a request against the door: 0 to serve it, else the errno to answer. */
static int refusal(const struct source *c, const struct msg *m)
{
    const struct door *door = c->door;
    if (c->stale)
        return -1; /* MSG_STALE */
    if (m->type != MSG_CALL)
        return 0; /* door_info answers for a revoked door too: DOOR_REVOKED */
    if (door->revoked)
        return EBADF;
    if (m->size > DOOR_COMPAT_DATA_MAX || m->ndesc > DOOR_COMPAT_DESC_MAX)
        return E2BIG;
    if (m->ndesc > 0 && (door->attributes & DOOR_REFUSE_DESC))
        return ENOTSUP;
    if (m->size < door->data_min || m->size > door->data_max)
        return ENOBUFS;
    if (m->ndesc > door->desc_max)
        return ENFILE;
    return 0;
}

static void serve_info(struct source *c)
{
    struct info_reply r;
    pthread_mutex_lock(&lock);
    info_of(c->door, &r.info);
    r.data_min = c->door->data_min;
    r.data_max = c->door->data_max;
    r.desc_max = c->door->desc_max;
    pthread_mutex_unlock(&lock);
    struct msg m = {.type = MSG_REPLY, .size = sizeof r};
    send_msg(c->fd, &m, NULL, 0, (const char *)&r);
}

/* Take a path off its door (with the lock held): 0, or the errno. */
static int detach(dev_t dev, ino_t ino, uid_t who)
{
    for (int i = 0; i < SOURCES_MAX; i++) {
        struct source *l = &sources[i];
        if (l->kind != LISTENER || l->file == -1 || l->closing || l->dev != dev ||
            l->ino != ino)
            continue;
        if (who != 0 && who != l->owner)
            return EPERM; /* illumos: the file's owner, or root */
        struct door *door = l->door;
        make_stale(door, dev, ino);
        drop_source(i);
        unreference(door);
        return 0;
    }
    return EINVAL; /* illumos: path is not attached */
}

static void serve_detach(struct source *c)
{
    pthread_mutex_lock(&lock);
    int e = detach(c->dev, c->ino, c->peer.uid);
    pthread_mutex_unlock(&lock);
    if (e != 0)
        reply_error(c->fd, MSG_ERROR, e);
    else
        reply_error(c->fd, MSG_REPLY, 0);
}

static int grow(struct worker *w, size_t need)
{
    if (need <= w->cap)
        return 0;
    char *p = realloc(w->buf, need);
    if (p == NULL)
        return -1;
    w->buf = p;
    w->cap = need;
    return 0;
}

/* Run the procedure. door_return jumps back here; if the procedure returns instead,
 * the thread ends, as on illumos: the caller gets EINTR (worker_gone). */
static void run_call(struct worker *w, char *argp, size_t size)
{
    struct call *c = &w->call;
    if (setjmp(w->back) != 0)
        return;
    pthread_setcancelstate(w->cancel_state, NULL);
    c->door->proc(c->door->cookie, argp, size, c->req.ndesc ? c->desc : NULL,
                  c->req.ndesc);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    pthread_exit(NULL);
}

/* A call begins in this thread: count it, watch its caller, make a thread if this
 * was the last one waiting (illumos calls the creation function then, too). */
static void begin_call(struct worker *w, int slot, struct door *door)
{
    w->call.door = door;
    w->call.slot = slot;
    door->active++;
    if (slot >= 0) {
        sources[slot].busy = 1;
        sources[slot].hungup = 0;
        sources[slot].server = pthread_self();
        w->call.peer = sources[slot].peer;
        sources[slot].early = 0;
        /* Armed now for its next request, which also tells us if the caller hangs up
         * during this call (serve_event). One epoll_ctl per call. */
        arm(slot, EPOLLIN | EPOLLRDHUP);
        sources[slot].owned = 1;
    }
    int depleted = w->pool->idle == 0;
    pthread_mutex_unlock(&lock);
    if (depleted)
        call_create(door);
}

/* A request arrived on a connection that is ours (its event came to us). */
static void serve_connection(struct worker *w, int slot)
{
    struct source *c = &sources[slot];
    int fds[DOOR_COMPAT_DESC_MAX + 1], nfds;
    struct msg *m = &w->call.req;
    ssize_t got =
        recv_msg(c->fd, m, fds, DOOR_COMPAT_DESC_MAX + 1, &nfds, w->buf, w->cap, 0);
    if (got == -1)
        goto hang_up; /* the caller left (end-of-file), or sent nonsense */
    int first = 0;
    if (m->proof) {
        if (nfds < 1 || !proof_ok(c, fds[0])) {
            close_all(fds, nfds);
            reply_error(c->fd, MSG_ERROR, EBADF);
            goto hang_up;
        }
        close(fds[0]);
        c->proven = 1;
        first = 1;
    }
    if (m->type == MSG_DETACH) { /* fdetach proves nothing: the owner check decides */
        close_all(fds + first, nfds - first);
        serve_detach(c);
        goto done;
    }
    if (!c->proven || (uint32_t)(nfds - first) != m->ndesc) {
        close_all(fds + first, nfds - first);
        reply_error(c->fd, MSG_ERROR, EBADF);
        goto hang_up;
    }
    pthread_mutex_lock(&lock);
    int e = refusal(c, m);
    pthread_mutex_unlock(&lock);
    if (e != 0) {
        close_all(fds + first, nfds - first);
        if (e == E2BIG || drain(c->fd, m->size - (uint64_t)got) == -1) {
            reply_error(c->fd, MSG_ERROR, e == -1 ? EBADF : e);
            goto hang_up;
        }
        reply_error(c->fd, e == -1 ? MSG_STALE : MSG_ERROR, e);
        goto done;
    }
    if (m->type == MSG_INFO) {
        serve_info(c);
        goto done;
    }
    if (m->type != MSG_CALL || grow(w, m->size) == -1 ||
        read_all(c->fd, w->buf + got, m->size - (uint64_t)got, 0) == -1) {
        close_all(fds + first, nfds - first);
        goto hang_up;
    }
    for (uint32_t i = 0; i < m->ndesc; i++) {
        memset(&w->call.desc[i], 0, sizeof w->call.desc[i]);
        w->call.desc[i].d_attributes = DOOR_DESCRIPTOR;
        w->call.desc[i].d_data.d_desc.d_descriptor = fds[first + i];
    }
    pthread_mutex_lock(&lock);
    begin_call(w, slot, c->door);
    run_call(w, w->buf, m->size);
    return;
done:
    pthread_mutex_lock(&lock);
    release_source(slot, EPOLLIN | EPOLLRDHUP);
    pthread_mutex_unlock(&lock);
    return;
hang_up:
    pthread_mutex_lock(&lock);
    c->owned = 0;
    drop_source(slot);
    pthread_mutex_unlock(&lock);
}

/* The caller of a call in progress hung up (a signal interrupted its door_call, or
 * it died): cancel the thread serving it, unless the door says DOOR_NO_CANCEL. */
static void caller_gone(int slot)
{
    struct source *c = &sources[slot];
    c->hungup = 1;
    if (!(c->door->attributes & DOOR_NO_CANCEL))
        pthread_cancel(c->server);
}

/* The reply is about to go: from now on the caller's next request may come (it is
 * no hang-up). Returns 1 if the caller already left (nothing to send). */
static int finish_reply(int slot)
{
    pthread_mutex_lock(&lock);
    sources[slot].busy = 0;
    int gone = sources[slot].hungup;
    pthread_mutex_unlock(&lock);
    return gone;
}

/* An unreferenced call is due on a door of this pool: deliver it (one per wakeup). */
static void deliver_unref(struct worker *w, int slot)
{
    uint64_t n;
    if (read(sources[slot].fd, &n, sizeof n) == -1)
        n = 0;
    pthread_mutex_lock(&lock);
    struct door *door = NULL;
    for (int i = 0; i < DOORS_MAX && door == NULL; i++)
        if (doors[i].used && doors[i].pool == w->pool && doors[i].unref_due &&
            doors[i].active == 0)
            door = &doors[i];
    if (door != NULL) {
        door->unref_due = 0;
        door->unrefs++;
        wake_pool(w->pool); /* another door may be due too */
    }
    release_source(slot, EPOLLIN);
    if (door == NULL) {
        pthread_mutex_unlock(&lock);
        return;
    }
    memset(&w->call.req, 0, sizeof w->call.req);
    begin_call(w, -1, door);
    run_call(w, DOOR_UNREF_DATA, 0);
}

static void serve_event(struct worker *w, uint64_t data)
{
    int slot = (int)(data & 0xffffffff);
    uint32_t seq = (uint32_t)(data >> 32);
    pthread_mutex_lock(&lock);
    struct source *s = &sources[slot];
    if (s->kind == FREE || s->seq != seq) { /* an event of an earlier arm */
        pthread_mutex_unlock(&lock);
        return;
    }
    if (s->kind == CONN && s->owned == 1) { /* a call is in progress on it */
        char byte;
        ssize_t n = recv(s->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (s->busy && (n == 0 || (n == -1 && errno != EAGAIN)))
            caller_gone(slot); /* end-of-file: the caller left */
        else
            s->early = 1; /* its next request, already: end_call arms it again */
        pthread_mutex_unlock(&lock);
        return;
    }
    s->owned = 1;
    enum kind kind = s->kind;
    pthread_mutex_unlock(&lock);
    if (kind == LISTENER)
        accept_callers(slot);
    else if (kind == WATCH)
        descriptor_closed(slot);
    else if (kind == NOTE)
        deliver_unref(w, slot);
    else
        serve_connection(w, slot);
}

/* The thread's state, made on its first door_return(NULL, ...). */
static struct worker *worker(void)
{
    struct worker *w = pthread_getspecific(worker_key);
    if (w == NULL) {
        w = calloc(1, sizeof *w);
        if (w == NULL || (w->buf = malloc(4096)) == NULL)
            abort(); /* a thread that cannot serve must not pretend to */
        w->cap = 4096;
        pthread_setspecific(worker_key, w);
    }
    return w;
}

/* A server thread's life: wait for an event of its pool, handle it, again. */
static _Noreturn void serve_pool(struct pool *pool)
{
    struct worker *w = worker();
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &w->cancel_state);
    w->pool = pool;
    for (;;) {
        struct epoll_event ev;
        pthread_mutex_lock(&lock);
        pool->idle++;
        pthread_mutex_unlock(&lock);
        int n = epoll_wait(pool->epfd, &ev, 1, -1);
        pthread_mutex_lock(&lock);
        pool->idle--;
        pthread_mutex_unlock(&lock);
        if (n == 1)
            serve_event(w, ev.data.u64);
    }
}

/* The thread ends: in the middle of a call (pthread_exit, a cancellation, a procedure
 * that returned), the caller gets EINTR; the pool has one thread fewer. */
static void worker_gone(void *arg)
{
    struct worker *w = arg;
    if (w->call.door != NULL)
        end_call(w, EINTR);
    free(w->buf);
    free(w);
}

/* The call is over: tell the caller (an error, if any: the reply went already
 * otherwise), count it out, give the connection back to epoll. */
static void end_call(struct worker *w, int reply_error_no)
{
    struct call *c = &w->call;
    if (c->slot >= 0 && reply_error_no != 0 && !finish_reply(c->slot))
        reply_error(sources[c->slot].fd, MSG_ERROR, reply_error_no);
    pthread_mutex_lock(&lock);
    struct door *door = c->door;
    c->door = NULL;
    if (c->slot >= 0) {
        struct source *s = &sources[c->slot];
        if (s->hungup || s->closing) {
            s->owned = 0;
            drop_source(c->slot);
        } else if (s->early) { /* its event came to another thread: once more */
            arm(c->slot, EPOLLIN | EPOLLRDHUP);
        } else {
            s->owned = 0; /* still armed since begin_call */
        }
    }
    if (--door->active == 0 && door->unref_due)
        wake_pool(door->pool);
    pthread_mutex_unlock(&lock);
}

/* ---- The API: server side ---- */

static void init(void);

int door_create(door_server_proc_t *server_procedure, void *cookie, uint_t attributes)
{
    pthread_once(&once, init);
    if (server_procedure == NULL || (attributes & ~(uint_t)DOOR_CREATE_MASK) ||
        (attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) ==
            (DOOR_UNREF | DOOR_UNREF_MULTI)) {
        errno = EINVAL;
        return -1;
    }
    int sv[2]; /* sv[0]: the door descriptor; sv[1]: watched for its last close */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
        return -1;
    struct stat st;
    fstat(sv[0], &st);
    pthread_mutex_lock(&lock);
    struct door *door = NULL;
    for (int i = 0; i < DOORS_MAX && door == NULL; i++)
        if (!doors[i].used && doors[i].sources == 0)
            door = &doors[i];
    int first = 0, ok = 0;
    if (door == NULL) {
        errno = EMFILE;
    } else {
        *door = (struct door){.used = 1,
                              .proc = server_procedure,
                              .cookie = cookie,
                              .attributes = attributes,
                              .dev = st.st_dev,
                              .ino = st.st_ino,
                              .data_max = SIZE_MAX,
                              .desc_max = attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX};
        door->pool = &global_pool;
        if (attributes & DOOR_PRIVATE)
            door->pool = &door->private_pool;
        else if (global_pool.epfd == -1)
            create_pool(&global_pool);
        if ((!(attributes & DOOR_PRIVATE) || create_pool(door->pool) == 0) &&
            door->pool->epfd != -1 && add_descriptor(door, sv[0], sv[1]) != -1)
            ok = 1;
        else
            door->used = 0;
        first = ok && !(attributes & DOOR_PRIVATE) && !global_started;
        if (first)
            global_started = 1;
    }
    pthread_mutex_unlock(&lock);
    if (!ok) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        errno = e;
        return -1;
    }
    /* illumos calls the creation function for the first door of the global pool,
     * and for every private door. */
    if (first || (attributes & DOOR_PRIVATE))
        call_create(door);
    return sv[0];
}

door_server_func_t *door_server_create(door_server_func_t *create_proc)
{
    pthread_mutex_lock(&lock);
    door_server_func_t *old = create_function_set ? create_function : default_create;
    create_function = create_proc;
    create_function_set = 1;
    pthread_mutex_unlock(&lock);
    return old;
}

int door_bind(int d)
{
    pthread_mutex_lock(&lock);
    struct door *door = local_door(d, NULL);
    int e = door == NULL ? EBADF : !(door->attributes & DOOR_PRIVATE) ? EINVAL : 0;
    if (e == 0)
        bound = door->pool; /* a thread bound to another door is unbound from it */
    pthread_mutex_unlock(&lock);
    errno = e;
    return e ? -1 : 0;
}

int door_unbind(void)
{
    if (bound == NULL) {
        errno = EBADF;
        return -1;
    }
    bound = NULL;
    return 0;
}

/* Send a reply or request's descriptors. A door of this process is not sent as it
 * is: the receiver gets a copy of its own (a new socketpair end with a name), so
 * that the door knows when that copy is closed (see unreference). */
static int prepare_descriptors(const door_desc_t *desc, uint_t n, int *fds, int *made)
{
    int nmade = 0;
    for (uint_t i = 0; i < n; i++) {
        int fd = desc[i].d_data.d_desc.d_descriptor;
        fds[i] = fd;
        pthread_mutex_lock(&lock);
        struct door *door = local_door(fd, NULL);
        int sv[2];
        if (door != NULL && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
            if (add_descriptor(door, sv[0], sv[1]) == -1) {
                close(sv[0]);
                close(sv[1]);
            } else {
                fds[i] = made[nmade++] = sv[0];
            }
        }
        pthread_mutex_unlock(&lock);
    }
    return nmade;
}

/* Descriptors to send: each DOOR_DESCRIPTOR (maybe | DOOR_RELEASE), and open. */
static int check_descriptors(const door_desc_t *desc, uint_t n)
{
    if (n > DOOR_COMPAT_DESC_MAX) {
        errno = E2BIG;
        return -1;
    }
    if (n > 0 && desc == NULL) {
        errno = EFAULT;
        return -1;
    }
    for (uint_t i = 0; i < n; i++) {
        if ((desc[i].d_attributes & ~(door_attr_t)DOOR_RELEASE) != DOOR_DESCRIPTOR) {
            errno = EINVAL;
            return -1;
        }
        if (fcntl(desc[i].d_data.d_desc.d_descriptor, F_GETFD) == -1)
            return -1; /* EBADF */
    }
    return 0;
}

static void release_descriptors(const door_desc_t *desc, uint_t n)
{
    for (uint_t i = 0; i < n; i++)
        if (desc[i].d_attributes & DOOR_RELEASE)
            close(desc[i].d_data.d_desc.d_descriptor);
}

int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr, uint_t num_desc)
{
    pthread_once(&once, init);
    struct worker *w = pthread_getspecific(worker_key);
    if (w == NULL || w->call.door == NULL) {
        /* Not in a call: the thread joins its pool and waits for calls (illumos
         * ignores the arguments then). */
        pthread_mutex_lock(&lock);
        struct pool *pool = bound != NULL ? bound : &global_pool;
        if (pool->epfd == -1)
            create_pool(pool);
        pthread_mutex_unlock(&lock);
        serve_pool(pool);
    }
    int state; /* no cancellation inside the library */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
    int e = data_size > DOOR_COMPAT_DATA_MAX        ? E2BIG
            : data_size > 0 && data_ptr == NULL     ? EFAULT
            : check_descriptors(desc_ptr, num_desc) ? errno
                                                    : 0;
    if (e != 0) { /* the call goes on: the procedure may answer otherwise */
        pthread_setcancelstate(state, NULL);
        errno = e;
        return -1;
    }
    struct call *c = &w->call;
    if (c->slot >= 0 && !finish_reply(c->slot)) {
        int fds[DOOR_COMPAT_DESC_MAX], made[DOOR_COMPAT_DESC_MAX];
        int nmade = prepare_descriptors(desc_ptr, num_desc, fds, made);
        struct msg m = {.type = MSG_REPLY, .ndesc = num_desc, .size = data_size};
        /* The caller may be gone: the reply is dropped (MSG_NOSIGNAL, no SIGPIPE). */
        send_msg(sources[c->slot].fd, &m, fds, (int)num_desc, data_ptr);
        close_all(made, nmade);
    }
    release_descriptors(desc_ptr, num_desc);
    pthread_mutex_lock(&lock);
    int cancelled = c->slot >= 0 && sources[c->slot].hungup &&
                    !(c->door->attributes & DOOR_NO_CANCEL) &&
                    w->cancel_state == PTHREAD_CANCEL_ENABLE;
    pthread_mutex_unlock(&lock);
    end_call(w, 0);
    if (cancelled) /* a cancellation is pending for this thread: it must not serve on */
        pthread_exit(NULL);
    longjmp(w->back, 1);
}

int fattach(int fildes, const char *path)
{
    pthread_once(&once, init);
    struct stat st;
    /* Hold the file open while attached: its inode number cannot be given to another
     * file meanwhile, even if this one is unlinked, so the name stays this file's.
     * O_PATH opens anything at once: a FIFO does not wait for a writer. */
    int file = open(path, O_PATH | O_CLOEXEC);
    if (file == -1 || fstat(file, &st) == -1)
        return -1; /* ENOENT, EACCES, ENOTDIR, ... */
    int result = -1;
    pthread_mutex_lock(&lock);
    struct door *door = local_door(fildes, NULL);
    if (!S_ISREG(st.st_mode)) /* a door's path is a regular file here */
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    else if (door == NULL) /* illumos: EBADF for no descriptor, EINVAL for no door */
        errno = fcntl(fildes, F_GETFD) == -1 ? EBADF : EINVAL;
    else if (door->revoked)
        errno = EBADF;
    else if (geteuid() != 0 && geteuid() != st.st_uid)
        errno = EPERM; /* illumos: only the owner of path (or root) */
    else if ((result = add_listener(door, st.st_dev, st.st_ino)) != -1) {
        sources[result].file = file;
        sources[result].owner = st.st_uid;
        reference(door);
        result = 0;
    }
    pthread_mutex_unlock(&lock);
    if (result == -1) {
        int e = errno;
        close(file);
        errno = e;
    }
    return result;
}

int door_revoke(int d)
{
    pthread_mutex_lock(&lock);
    struct door *door = local_door(d, NULL);
    if (door != NULL)
        door->revoked = 1; /* calls in progress finish; new ones get EBADF */
    pthread_mutex_unlock(&lock);
    if (door == NULL) {
        errno = EBADF; /* illumos says EPERM for another process's door */
        return -1;
    }
    return close(d);
}

static struct worker *in_call(void)
{
    struct worker *w = pthread_getspecific(worker_key);
    return w != NULL && w->call.door != NULL && w->call.slot >= 0 ? w : NULL;
}

int door_ucred(ucred_t **info)
{
    struct worker *w = in_call();
    if (w == NULL) {
        errno = EINVAL; /* not inside a door call (the unreferenced one has no caller) */
        return -1;
    }
    if (*info == NULL && (*info = malloc(sizeof **info)) == NULL)
        return -1;
    struct ucred_s *u = *info;
    u->euid = w->call.peer.uid; /* SO_PEERCRED: the kernel's word, taken at connect() */
    u->egid = w->call.peer.gid;
    u->pid = w->call.peer.pid;
    u->ruid = w->call.req.ruid; /* the caller's library's word: see the table */
    u->rgid = w->call.req.rgid;
    u->suid = w->call.req.suid;
    u->sgid = w->call.req.sgid;
    return 0;
}

int door_cred(door_cred_t *info)
{
    struct ucred_s u, *up = &u;
    if (door_ucred(&up) == -1)
        return -1;
    memset(info, 0, sizeof *info);
    info->dc_euid = u.euid;
    info->dc_egid = u.egid;
    info->dc_ruid = u.ruid;
    info->dc_rgid = u.rgid;
    info->dc_pid = u.pid;
    return 0;
}

#define UCRED_GET(type, name, field)                                                     \
    type name(const ucred_t *uc)                                                         \
    {                                                                                    \
        if (uc == NULL) {                                                                \
            errno = EINVAL;                                                              \
            return (type)-1;                                                             \
        }                                                                                \
        return uc->field;                                                                \
    }
UCRED_GET(uid_t, ucred_geteuid, euid)
UCRED_GET(uid_t, ucred_getruid, ruid)
UCRED_GET(uid_t, ucred_getsuid, suid)
UCRED_GET(gid_t, ucred_getegid, egid)
UCRED_GET(gid_t, ucred_getrgid, rgid)
UCRED_GET(gid_t, ucred_getsgid, sgid)
UCRED_GET(pid_t, ucred_getpid, pid)

void ucred_free(ucred_t *uc)
{
    free(uc);
}

/* ---- The API: the caller's side ---- */

/* A connection for calls through d as this thread's credentials: a kept one, or a
 * new one (*fresh: its first request must carry the proof). No listener: EBADF. */
static int connection(const struct stat *st, uid_t euid, gid_t egid, int *fresh)
{
    pthread_mutex_lock(&lock);
    for (int i = nkept - 1; i >= 0; i--)
        if (kept[i].dev == st->st_dev && kept[i].ino == st->st_ino &&
            kept[i].euid == euid && kept[i].egid == egid) {
            int fd = kept[i].fd;
            kept[i] = kept[--nkept];
            pthread_mutex_unlock(&lock);
            *fresh = 0;
            return fd;
        }
    pthread_mutex_unlock(&lock);
    *fresh = 1;
    struct sockaddr_un addr;
    socklen_t len = door_address(st->st_dev, st->st_ino, &addr);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s == -1)
        return -1;
    /* A timeout, however long, makes a signal interrupt recvmsg with EINTR even
     * under SA_RESTART (signal(7)), as a door_call is interrupted on illumos. */
    struct timeval limit = {.tv_sec = CALLER_SECONDS};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    if (connect(s, (struct sockaddr *)&addr, len) == -1) {
        int e = errno;
        close(s);
        errno = (e == ECONNREFUSED || e == ENOENT) ? EBADF : e;
        return -1;
    }
    return s;
}

static void keep(int fd, const struct stat *st, uid_t euid, gid_t egid)
{
    pthread_mutex_lock(&lock);
    if (nkept < IDLE_MAX) {
        kept[nkept++] = (struct cconn){fd, st->st_dev, st->st_ino, euid, egid};
        fd = -1;
    }
    pthread_mutex_unlock(&lock);
    if (fd != -1)
        close(fd);
}

/* One request through d and the header of its reply (with up to `room` bytes of
 * its data in buf). Returns the connection, or -1 with errno set; *got is the
 * data already read. */
static int request(int d, struct msg *m, const char *data, const door_desc_t *desc,
                   struct msg *reply, int *fds, int *nfds, char *buf, size_t room,
                   size_t *got, const struct stat *st, uid_t *euid, gid_t *egid)
{
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    getresuid(&ru, &eu, &su);
    getresgid(&rg, &eg, &sg);
    *euid = eu;
    *egid = eg;
    m->ruid = ru, m->rgid = rg, m->suid = su, m->sgid = sg;
    for (int attempt = 0; attempt < 3; attempt++) {
        int fresh, out[DOOR_COMPAT_DESC_MAX + 1], made[DOOR_COMPAT_DESC_MAX];
        int conn = connection(st, eu, eg, &fresh);
        if (conn == -1)
            return -1;
        m->proof = (uint32_t)fresh;
        out[0] = d; /* the proof: "I could open what the door is attached to" */
        int nmade = prepare_descriptors(desc, m->ndesc, out + fresh, made);
        int sent = send_msg(conn, m, out, (int)m->ndesc + fresh, data);
        int e = errno;
        close_all(made, nmade);
        if (sent == -1 && !fresh && (e == EPIPE || e == ECONNRESET)) {
            close(conn); /* a kept connection whose server went: try a new one */
            continue;
        }
        ssize_t n = sent == -1 ? -1
                               : recv_msg(conn, reply, fds, DOOR_COMPAT_DESC_MAX, nfds,
                                          buf, room, 1);
        if (n == -1) {
            if (sent != -1)
                e = errno;
            close(conn);
            /* The server died, or a signal came: EINTR, as on illumos. */
            errno = (e == ECONNRESET || e == EPIPE || e == EINTR) ? EINTR : e;
            return -1;
        }
        if (reply->type == MSG_STALE) { /* its name was detached: ask afresh */
            close(conn);
            continue;
        }
        if (reply->type == MSG_ERROR) {
            close_all(fds, *nfds);
            keep(conn, st, eu, eg);
            errno = reply->error;
            return -1;
        }
        if (reply->type != MSG_REPLY || reply->size > DOOR_COMPAT_DATA_MAX ||
            (uint32_t)*nfds != reply->ndesc) {
            close_all(fds, *nfds);
            close(conn);
            errno = EPROTO;
            return -1;
        }
        *got = (size_t)n;
        return conn;
    }
    errno = EBADF;
    return -1;
}

/* Put the results where illumos puts them: data, then descriptors from the next
 * multiple of sizeof(door_desc_t), in rbuf; when that is too small, in a new
 * mapping of whole pages (rbuf and rsize then describe it; the caller munmap()s). */
static int take_results(int conn, door_arg_t *p, const struct msg *r, const int *fds,
                        const char *small, size_t got)
{
    size_t dsize = r->ndesc * sizeof(door_desc_t);
    size_t room = dsize ? (r->size + sizeof(door_desc_t) - 1) / sizeof(door_desc_t) *
                              sizeof(door_desc_t)
                        : r->size;
    size_t need = room + dsize;
    char *buf = p->rbuf;
    size_t size = p->rsize;
    if (need > 0 && (buf == NULL || p->rsize < need ||
                     (dsize && (uintptr_t)buf % _Alignof(door_desc_t) != 0))) {
        long page = sysconf(_SC_PAGESIZE);
        size = (need + (size_t)page - 1) / (size_t)page * (size_t)page;
        buf =
            mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (buf == MAP_FAILED) {
            errno = EOVERFLOW; /* illumos: no room for the results */
            return -1;
        }
    }
    if (got > 0)
        memcpy(buf, small, got);
    if (r->size > got && read_all(conn, buf + got, r->size - got, 1) == -1) {
        int e = errno;
        if (buf != p->rbuf)
            munmap(buf, size);
        errno = e;
        return -1;
    }
    door_desc_t *desc = NULL;
    if (r->ndesc > 0) {
        desc = (door_desc_t *)(void *)(buf + room);
        for (uint32_t i = 0; i < r->ndesc; i++) {
            memset(&desc[i], 0, sizeof desc[i]);
            desc[i].d_attributes = DOOR_DESCRIPTOR;
            desc[i].d_data.d_desc.d_descriptor = fds[i];
        }
    }
    p->rbuf = buf;
    p->rsize = size;
    p->data_ptr = buf;
    p->data_size = r->size;
    p->desc_ptr = desc;
    p->desc_num = r->ndesc;
    return 0;
}

int door_call(int d, door_arg_t *params)
{
    pthread_once(&once, init);
    door_arg_t none = {0};
    door_arg_t *p = params ? params : &none;
    struct stat st;
    if (fstat(d, &st) == -1)
        return -1; /* EBADF: not even a descriptor */
    if (!S_ISSOCK(st.st_mode) &&
        (fcntl(d, F_GETFL) & O_PATH)) { /* no right to the file */
        errno = EBADF;
        return -1;
    }
    if (p->data_size > DOOR_COMPAT_DATA_MAX) {
        errno = E2BIG;
        return -1;
    }
    if (p->data_size > 0 && p->data_ptr == NULL) {
        errno = EFAULT;
        return -1;
    }
    if (check_descriptors(p->desc_ptr, p->desc_num) == -1)
        return -1;
    struct msg m = {.type = MSG_CALL, .ndesc = p->desc_num, .size = p->data_size}, reply;
    int fds[DOOR_COMPAT_DESC_MAX], nfds;
    char small[SMALL];
    size_t got;
    uid_t euid;
    gid_t egid;
    int conn = request(d, &m, p->data_ptr, p->desc_ptr, &reply, fds, &nfds, small,
                       sizeof small, &got, &st, &euid, &egid);
    int e = errno;
    if (conn != -1 || e == EINTR)
        release_descriptors(p->desc_ptr, p->desc_num); /* they went with the call */
    if (conn == -1) {
        errno = e;
        return -1;
    }
    if (take_results(conn, p, &reply, fds, small, got) == -1) {
        e = errno;
        close_all(fds, nfds);
        close(conn);
        errno = e == EOVERFLOW ? e : EINTR;
        return -1;
    }
    keep(conn, &st, euid, egid);
    return 0;
}

/* door_info and door_getparam of any door: ours from the table, another's by asking. */
static int query(int d, struct info_reply *r)
{
    pthread_once(&once, init);
    pthread_mutex_lock(&lock);
    struct door *door = local_door(d, NULL);
    if (door != NULL) {
        info_of(door, &r->info);
        r->data_min = door->data_min;
        r->data_max = door->data_max;
        r->desc_max = door->desc_max;
    }
    pthread_mutex_unlock(&lock);
    if (door == NULL) {
        struct stat st;
        if (fstat(d, &st) == -1)
            return -1;
        struct msg m = {.type = MSG_INFO}, reply;
        int fds[DOOR_COMPAT_DESC_MAX], nfds;
        size_t got;
        uid_t euid;
        gid_t egid;
        int conn = request(d, &m, NULL, NULL, &reply, fds, &nfds, (char *)r, sizeof *r,
                           &got, &st, &euid, &egid);
        if (conn == -1)
            return -1;
        close_all(fds, nfds);
        if (reply.size != sizeof *r ||
            read_all(conn, (char *)r + got, sizeof *r - got, 1) == -1) {
            close(conn);
            errno = EPROTO;
            return -1;
        }
        keep(conn, &st, euid, egid);
    }
    if (r->info.di_target == getpid())
        r->info.di_attributes |= DOOR_LOCAL;
    return 0;
}

int door_info(int d, door_info_t *info)
{
    struct info_reply r;
    if (d == DOOR_QUERY) { /* the door this thread serves, or is bound to */
        struct worker *w = pthread_getspecific(worker_key);
        pthread_mutex_lock(&lock);
        struct door *door = w != NULL ? w->call.door : NULL;
        for (int i = 0; door == NULL && bound != NULL && i < DOORS_MAX; i++)
            if (doors[i].used && doors[i].pool == bound)
                door = &doors[i];
        if (door != NULL)
            info_of(door, info);
        pthread_mutex_unlock(&lock);
        if (door == NULL) {
            errno = EBADF;
            return -1;
        }
        info->di_attributes |= DOOR_LOCAL;
        return 0;
    }
    if (query(d, &r) == -1)
        return -1;
    *info = r.info;
    return 0;
}

int door_getparam(int d, int param, size_t *out)
{
    struct info_reply r;
    if (param < DOOR_PARAM_DESC_MAX || param > DOOR_PARAM_DATA_MIN) {
        errno = EINVAL;
        return -1;
    }
    if (query(d, &r) == -1)
        return -1;
    *out = param == DOOR_PARAM_DESC_MAX   ? (size_t)r.desc_max
           : param == DOOR_PARAM_DATA_MAX ? (size_t)r.data_max
                                          : (size_t)r.data_min;
    return 0;
}

int door_setparam(int d, int param, size_t val)
{
    pthread_once(&once, init);
    pthread_mutex_lock(&lock);
    struct door *door = local_door(d, NULL);
    int e = 0;
    if (door == NULL || door->revoked)
        e = EBADF; /* (another process's door: illumos says EPERM) */
    else if (param == DOOR_PARAM_DESC_MAX && (door->attributes & DOOR_REFUSE_DESC) &&
             val != 0)
        e = ENOTSUP;
    else if (param == DOOR_PARAM_DESC_MAX && val > INT_MAX)
        e = ERANGE;
    else if (param == DOOR_PARAM_DESC_MAX)
        door->desc_max = val;
    else if (param == DOOR_PARAM_DATA_MAX && val >= door->data_min)
        door->data_max = val;
    else if (param == DOOR_PARAM_DATA_MIN && val <= door->data_max)
        door->data_min = val;
    else
        e = EINVAL; /* an unknown parameter, or DATA_MIN past DATA_MAX */
    pthread_mutex_unlock(&lock);
    if (e == EBADF && door == NULL) {
        struct info_reply r;
        if (query(d, &r) == 0)
            e = EPERM; /* a door, but not this process's */
    }
    errno = e;
    return e ? -1 : 0;
}

int fdetach(const char *path)
{
    pthread_once(&once, init);
    struct stat st;
    if (stat(path, &st) == -1)
        return -1;
    pthread_mutex_lock(&lock);
    int e = detach(st.st_dev, st.st_ino, geteuid()); /* a path of our own doors */
    pthread_mutex_unlock(&lock);
    if (e != EINVAL) {
        errno = e;
        return e ? -1 : 0;
    }
    /* Whichever other process attached it: ask its server. */
    struct sockaddr_un addr;
    socklen_t len = door_address(st.st_dev, st.st_ino, &addr);
    int conn = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (conn == -1)
        return -1;
    struct msg m = {.type = MSG_DETACH}, reply;
    int fds[DOOR_COMPAT_DESC_MAX], nfds;
    if (connect(conn, (struct sockaddr *)&addr, len) == -1) {
        close(conn);
        errno = EINVAL; /* illumos: path is not attached */
        return -1;
    }
    if (send_msg(conn, &m, NULL, 0, NULL) == -1 ||
        recv_msg(conn, &reply, fds, DOOR_COMPAT_DESC_MAX, &nfds, NULL, 0, 0) == -1) {
        close(conn);
        errno = EINTR;
        return -1;
    }
    close_all(fds, nfds);
    close(conn);
    if (reply.type == MSG_ERROR) {
        errno = reply.error;
        return -1;
    }
    return 0;
}

/* ---- fork: the child has none of the parent's server threads, and must not share
 * its connections: it forgets both (the doors stay the parent's). ---- */
static void forget_all(void)
{
    for (int i = 0; i < nkept; i++)
        close(kept[i].fd);
    nkept = 0;
    for (int i = 0; i < SOURCES_MAX; i++)
        if (sources[i].kind != FREE) {
            close(sources[i].fd);
            if (sources[i].file != -1)
                close(sources[i].file);
            sources[i].kind = FREE;
        }
    for (int i = 0; i < DOORS_MAX; i++) {
        if (doors[i].used && (doors[i].attributes & DOOR_PRIVATE))
            close(doors[i].private_pool.epfd);
        doors[i] = (struct door){0};
    }
    if (global_pool.epfd != -1)
        close(global_pool.epfd);
    global_pool = (struct pool){-1, -1, 0};
    global_started = 0;
    bound = NULL;
    pthread_mutex_init(&lock, NULL);
}

static void lock_for_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void unlock_after_fork(void)
{
    pthread_mutex_unlock(&lock);
}

static void init(void)
{
    pthread_key_create(&worker_key, worker_gone);
    pthread_atfork(lock_for_fork, unlock_after_fork, forget_all);
}
