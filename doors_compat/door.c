/* door.c -- Solaris/illumos doors on Linux, over UNIX domain sockets.
 * Build:  cc -o door_server door_server.c door.c    (and the same for each program)
 * Shows:  how a door maps onto sockets:
 *   - A door is a row in this process's table: the server procedure, its cookie, the
 *     attributes. door_create() returns a door descriptor: an unbound AF_UNIX socket
 *     used only as a name tag (holding it lets you call, nothing more).
 *   - Every name of a door is a listening socket in Linux's abstract namespace
 *     (no file, gone when the server dies), called "door-compat:DEV:INO" after the
 *     st_dev and st_ino of what names it: the door descriptor itself, and every file
 *     the door is fattach()ed to. So door_call(fd) needs no table: fstat(fd), build
 *     the name, connect(). Nothing listens there: the fd is no door, EBADF.
 *   - One door_call is one connection: a request (header, data, and SCM_RIGHTS
 *     descriptors) goes in, a reply comes out, the connection closes. Each connection
 *     is served by a thread of its own, so calls run concurrently.
 *   - Who may call: the caller sends the very descriptor it calls through (the proof)
 *     with the request, and the server checks that it refers to the attached file
 *     (same st_dev and st_ino, not an O_PATH descriptor). Only a process that could
 *     open() the file, or was handed such a descriptor, has one: the file's
 *     permissions decide, as on illumos. Connecting to the name without it gets EBADF.
 *   - door_return() sends the reply on the connection of the current call (found in a
 *     thread-local variable) and ends the thread: it never returns.
 *   - The server dying closes the connection: the caller reads end-of-file, EINTR.
 *     The caller dying closes it too: the server's reply is dropped (MSG_NOSIGNAL). */
#define _GNU_SOURCE /* Linux: struct ucred, SO_PEERCRED, accept4, O_PATH */

#include "door.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define DOORS_MAX 32     /* doors one process may create */
#define LISTENERS_MAX 64 /* names (door descriptors + attached paths) of them */
#define BACKLOG 64
#define REQUEST_SECONDS 30 /* for a request to arrive, once connected */

/* What goes over a connection: this header, then `size` bytes of data. The
 * header carries the descriptors as SCM_RIGHTS: for a request, first the proof
 * (the descriptor the caller called through), then `ndesc` of the caller's. */
enum { MSG_CALL = 1, MSG_INFO, MSG_DETACH, MSG_REPLY, MSG_ERROR };
struct msg {
    uint32_t type;
    uint32_t ndesc; /* descriptors for the other side, not counting the proof */
    uint64_t size;  /* data bytes after the header */
    int32_t error;  /* MSG_ERROR: the errno the caller's call fails with */
    uint32_t ruid;  /* MSG_CALL: the caller's real ids, for door_cred */
    uint32_t rgid;
};

struct door {
    int used;
    int revoked;
    door_server_proc_t *proc;
    void *cookie;
    uint_t attributes;
    door_id_t id;
    dev_t dev; /* of the door descriptor: its own name */
    ino_t ino;
    int npaths; /* files it is attached to now */
    int unrefs; /* "unreferenced" calls delivered */
};

struct listener {
    int used;
    int fd;
    int file; /* the attached file, held open (O_PATH): see fattach */
    struct door *door;
    dev_t dev; /* the name it listens on */
    ino_t ino;
    uid_t owner;  /* of the attached file: who may fdetach it */
    int attached; /* 1: an fattach()ed path; 0: the door descriptor's own name */
    int closing;  /* being removed: fdetach and door_revoke must not both do it */
    pthread_t thread;
};

/* One invocation being served: what door_return and door_cred need. */
struct call {
    int conn; /* -1: the "unreferenced" call, nobody to answer */
    struct door *door;
    dev_t dev; /* the name the caller came through */
    ino_t ino;
    struct ucred peer;
    struct msg req;
    char *data;
    door_desc_t desc[DOOR_COMPAT_DESC_MAX];
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct door doors[DOORS_MAX];
static struct listener listeners[LISTENERS_MAX];
static door_id_t next_id = 1;
static _Thread_local struct call *current_call;

/* ---- Small tools: names, whole reads and writes, descriptors in messages ---- */

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

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL); /* a gone peer: EPIPE, no signal */
        if (n == -1)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read exactly len bytes; end-of-file before that is ECONNRESET. */
static int read_all(int fd, char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = recv(fd, buf, len, 0);
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

static void close_all(const int *fds, int n)
{
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

/* Send a header with nfds descriptors attached, then the data. */
static int send_msg(int conn, const struct msg *m, const int *fds, int nfds,
                    const char *data)
{
    union { /* a control buffer aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int) * (DOOR_COMPAT_DESC_MAX + 1))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof *m};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        mh.msg_control = control.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
        memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
    }
    ssize_t n = sendmsg(conn, &mh, MSG_NOSIGNAL);
    if (n == -1)
        return -1;
    if (write_all(conn, (const char *)m + n, sizeof *m - (size_t)n) == -1)
        return -1;
    return write_all(conn, data, m->size);
}

/* Receive a header and the descriptors that came with it (at most max). */
static int recv_header(int conn, struct msg *m, int *fds, int max, int *nfds)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * (DOOR_COMPAT_DESC_MAX + 1))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = m, .iov_len = sizeof *m};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)max)};
    *nfds = 0;
    ssize_t n = recvmsg(conn, &mh, 0);
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
    return read_all(conn, (char *)m + n, sizeof *m - (size_t)n);
}

/* Start a thread with every signal blocked: signals stay with the program's own
 * threads, a door thread never runs a handler by surprise. */
static int start_thread(void *(*fn)(void *), void *arg, pthread_t *joinable)
{
    pthread_t tid;
    pthread_attr_t attr;
    sigset_t all, old;
    sigfillset(&all);
    pthread_attr_init(&attr);
    if (joinable == NULL)
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int e = pthread_create(joinable ? joinable : &tid, &attr, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return e;
}

/* ---- The server side: names, connections, invocations ---- */

static void *accept_loop(void *arg);

/* Give a door a name: a listening socket called after (dev, ino). Called with
 * table_lock held. EBUSY when another door (of any process) has that name. */
static int add_listener(struct door *door, dev_t dev, ino_t ino, uid_t owner, int file)
{
    struct listener *l = NULL;
    for (int i = 0; i < LISTENERS_MAX && l == NULL; i++)
        if (!listeners[i].used)
            l = &listeners[i];
    if (l == NULL) {
        errno = ENOSPC;
        return -1;
    }
    struct sockaddr_un addr;
    socklen_t len = door_address(dev, ino, &addr);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd == -1)
        return -1;
    if (bind(fd, (struct sockaddr *)&addr, len) == -1 || listen(fd, BACKLOG) == -1) {
        int e = errno;
        close(fd);
        errno = e == EADDRINUSE ? EBUSY : e;
        return -1;
    }
    *l = (struct listener){.used = 1,
                           .fd = fd,
                           .file = file,
                           .door = door,
                           .dev = dev,
                           .ino = ino,
                           .owner = owner,
                           .attached = file != -1};
    int e = start_thread(accept_loop, l, &l->thread);
    if (e != 0) {
        close(fd);
        l->used = 0;
        errno = e;
        return -1;
    }
    door->npaths += l->attached;
    return 0;
}

/* Take a name away. shutdown() wakes the accept() of the listener's thread; once
 * that thread is gone nobody uses the socket, and close() frees the name at once
 * (a new fattach may take it as soon as this returns). Called without table_lock:
 * it waits for a thread, and nobody should wait for one while holding the lock. */
static void remove_listener(struct listener *l)
{
    shutdown(l->fd, SHUT_RDWR);
    pthread_join(l->thread, NULL);
    close(l->fd);
    if (l->file != -1)
        close(l->file);
    pthread_mutex_lock(&table_lock);
    l->door->npaths -= l->attached;
    l->used = 0;
    pthread_mutex_unlock(&table_lock);
}

static void reply_error(int conn, int error)
{
    struct msg m = {.type = MSG_ERROR, .error = error};
    send_msg(conn, &m, NULL, 0, NULL); /* the caller may be gone: nothing to do then */
}

/* Is fd a descriptor of the name the caller came through (see "Who may call")? */
static int proof_ok(const struct call *c, int fd)
{
    struct stat st;
    int flags = fcntl(fd, F_GETFL);
    return flags != -1 && !(flags & O_PATH) && fstat(fd, &st) == 0 &&
           st.st_dev == c->dev && st.st_ino == c->ino;
}

static void end_call(struct call *c)
{
    if (c->conn != -1)
        close(c->conn);
    free(c->data);
    free(c);
    current_call = NULL;
}

static void info_of(const struct door *door, door_info_t *info)
{
    memset(info, 0, sizeof *info);
    info->di_target = getpid();
    info->di_proc = (door_ptr_t)(uintptr_t)door->proc;
    info->di_data = (door_ptr_t)(uintptr_t)door->cookie;
    info->di_attributes = door->attributes | (door->revoked ? DOOR_REVOKED : 0);
    info->di_uniquifier = door->id;
}

static void serve_info(struct call *c)
{
    door_info_t info;
    info_of(c->door, &info);
    struct msg m = {.type = MSG_REPLY, .size = sizeof info};
    send_msg(c->conn, &m, NULL, 0, (const char *)&info);
}

/* fdetach() from any process: allowed to the file's owner and to root, as on
 * illumos. Returns 1 when the path was detached. */
static int serve_detach(struct call *c)
{
    struct listener *l = NULL;
    int error = EINVAL; /* illumos: path is not attached */
    pthread_mutex_lock(&table_lock);
    for (int i = 0; i < LISTENERS_MAX && l == NULL; i++)
        if (listeners[i].used && listeners[i].attached && !listeners[i].closing &&
            listeners[i].dev == c->dev && listeners[i].ino == c->ino)
            l = &listeners[i];
    if (l != NULL && c->peer.uid != 0 && c->peer.uid != l->owner) {
        l = NULL;
        error = EPERM;
    }
    if (l != NULL)
        l->closing = 1;
    pthread_mutex_unlock(&table_lock);
    if (l == NULL) {
        reply_error(c->conn, error);
        return 0;
    }
    remove_listener(l);
    struct msg m = {.type = MSG_REPLY};
    send_msg(c->conn, &m, NULL, 0, NULL);
    return 1;
}

static void *unref_thread(void *arg);

/* DOOR_UNREF: when its last attached file is detached, the door gets one call with
 * argp == DOOR_UNREF_DATA (DOOR_UNREF_MULTI: each time). It cannot know about door
 * descriptors held by other processes: see docs/doors_compat.md. */
static void maybe_unref(struct door *door)
{
    pthread_mutex_lock(&table_lock);
    int due = door->npaths == 0 && !door->revoked &&
              ((door->attributes & DOOR_UNREF_MULTI) ||
               ((door->attributes & DOOR_UNREF) && door->unrefs == 0));
    door->unrefs += due;
    pthread_mutex_unlock(&table_lock);
    if (due)
        start_thread(unref_thread, door, NULL);
}

static void *unref_thread(void *arg)
{
    struct door *door = arg;
    struct call *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->conn = -1;
    c->door = door;
    current_call = c;
    door->proc(door->cookie, DOOR_UNREF_DATA, 0, NULL, 0);
    end_call(c);
    return NULL;
}

/* Read the rest of a request: checks, the proof, the data, the descriptors. */
static int read_request(struct call *c)
{
    int fds[DOOR_COMPAT_DESC_MAX + 1], nfds, error = EBADF;
    if (recv_header(c->conn, &c->req, fds, DOOR_COMPAT_DESC_MAX + 1, &nfds) == -1)
        return -1; /* the caller is gone, or sent nonsense: just hang up */
    if (c->req.type == MSG_DETACH && nfds == 0 && c->req.size == 0)
        return 0; /* fdetach proves nothing: serve_detach checks the owner */
    if (nfds < 1 || (uint32_t)nfds != c->req.ndesc + 1 || !proof_ok(c, fds[0]))
        goto refuse;
    error = E2BIG;
    if (c->req.size > DOOR_COMPAT_DATA_MAX)
        goto refuse;
    error = ENOTSUP;
    if (c->req.ndesc > 0 && (c->door->attributes & DOOR_REFUSE_DESC))
        goto refuse;
    error = ENOMEM;
    if (c->req.size > 0 && (c->data = malloc(c->req.size)) == NULL)
        goto refuse;
    if (read_all(c->conn, c->data, c->req.size) == -1) {
        close_all(fds, nfds);
        return -1;
    }
    close(fds[0]); /* the proof has done its job */
    for (uint32_t i = 0; i < c->req.ndesc; i++) {
        c->desc[i].d_attributes = DOOR_DESCRIPTOR;
        c->desc[i].d_data.d_desc.d_descriptor = fds[i + 1];
    }
    return 0;
refuse:
    close_all(fds, nfds);
    reply_error(c->conn, error);
    /* Read what the caller still sends (its argument) until it hangs up: hanging up
     * first would fail its send with EPIPE, or reset the connection over the unread
     * bytes, and it would see EINTR instead of the error. */
    char rest[4096];
    while (recv(c->conn, rest, sizeof rest, 0) > 0)
        continue;
    return -1;
}

/* One connection, one thread: read the request and serve it. */
static void *serve_connection(void *arg)
{
    struct call *c = arg;
    if (read_request(c) == 0) {
        current_call = c;
        if (c->req.type == MSG_CALL) {
            c->door->proc(c->door->cookie, c->data, c->req.size,
                          c->req.ndesc ? c->desc : NULL, c->req.ndesc);
            /* The procedure returned instead of calling door_return(): hang up
             * without an answer; the caller gets EINTR, as on illumos. */
        } else if (c->req.type == MSG_INFO) {
            serve_info(c);
        } else if (c->req.type == MSG_DETACH && serve_detach(c)) {
            maybe_unref(c->door);
        }
    }
    end_call(c);
    return NULL;
}

/* A name's thread: accept each caller and hand the connection to a thread of its own. */
static void *accept_loop(void *arg)
{
    struct listener *l = arg;
    for (;;) {
        int conn = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
        if (conn == -1) {
            if (errno == EINVAL) /* shut down by remove_listener */
                return NULL;
            if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
                usleep(10000); /* out of resources: the caller waits, not fails */
            continue;
        }
        struct call *c = calloc(1, sizeof *c);
        socklen_t len = sizeof c->peer;
        if (c == NULL ||
            getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &c->peer, &len) == -1) {
            reply_error(conn, EAGAIN);
            close(conn);
            free(c);
            continue;
        }
        /* A caller that connects and then sends nothing must not keep a thread
         * forever: the request has REQUEST_SECONDS to arrive. */
        struct timeval limit = {.tv_sec = REQUEST_SECONDS};
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        c->conn = conn;
        c->door = l->door;
        c->dev = l->dev;
        c->ino = l->ino;
        if (start_thread(serve_connection, c, NULL) != 0) {
            reply_error(conn, EAGAIN); /* illumos: "server out of resources" */
            end_call(c);
        }
    }
}

/* ---- The API ---- */

int door_create(door_server_proc_t *server_procedure, void *cookie, uint_t attributes)
{
    if (server_procedure == NULL || (attributes & ~(uint_t)DOOR_CREATE_MASK)) {
        errno = EINVAL;
        return -1;
    }
    /* The door descriptor: a socket that is never bound nor connected, a name tag. */
    int d = socket(AF_UNIX, SOCK_STREAM, 0);
    struct stat st;
    if (d == -1 || fstat(d, &st) == -1)
        return -1;
    pthread_mutex_lock(&table_lock);
    struct door *door = NULL;
    for (int i = 0; i < DOORS_MAX && door == NULL; i++)
        if (!doors[i].used)
            door = &doors[i];
    int result = -1;
    if (door == NULL) {
        errno = EMFILE;
    } else {
        *door = (struct door){.used = 1,
                              .proc = server_procedure,
                              .cookie = cookie,
                              .attributes = attributes,
                              .id = next_id++,
                              .dev = st.st_dev,
                              .ino = st.st_ino};
        if (add_listener(door, st.st_dev, st.st_ino, geteuid(), -1) == 0)
            result = d;
        else
            door->used = 0;
    }
    pthread_mutex_unlock(&table_lock);
    if (result == -1) {
        int e = errno;
        close(d);
        errno = e;
    }
    return result;
}

/* The door of this process that descriptor d stands for, or NULL. */
static struct door *local_door(int d)
{
    struct stat st;
    if (fstat(d, &st) == -1)
        return NULL;
    for (int i = 0; i < DOORS_MAX; i++)
        if (doors[i].used && !doors[i].revoked && doors[i].dev == st.st_dev &&
            doors[i].ino == st.st_ino)
            return &doors[i];
    return NULL;
}

int fattach(int fildes, const char *path)
{
    struct stat st;
    /* Hold the file open while attached: its inode number cannot be given to another
     * file meanwhile, even if this one is unlinked, so the name stays this file's. */
    int file = open(path, O_PATH | O_CLOEXEC);
    if (file == -1 || fstat(file, &st) == -1)
        return -1; /* ENOENT, EACCES, ENOTDIR, ... */
    int result = -1;
    pthread_mutex_lock(&table_lock);
    struct door *door = local_door(fildes);
    if (door == NULL) /* illumos: EBADF for no descriptor, EINVAL for no door */
        errno = fcntl(fildes, F_GETFD) == -1 ? EBADF : EINVAL;
    else if (geteuid() != 0 && geteuid() != st.st_uid)
        errno = EPERM; /* illumos: only the owner of path (or root) */
    else
        result = add_listener(door, st.st_dev, st.st_ino, st.st_uid, file);
    pthread_mutex_unlock(&table_lock);
    if (result == -1) {
        int e = errno;
        close(file);
        errno = e;
    }
    return result;
}

/* Connect to the door named by (dev, ino). No listener there: EBADF. */
static int connect_to(dev_t dev, ino_t ino)
{
    struct sockaddr_un addr;
    socklen_t len = door_address(dev, ino, &addr);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s == -1)
        return -1;
    if (connect(s, (struct sockaddr *)&addr, len) == -1) {
        int e = errno;
        close(s);
        errno = (e == ECONNREFUSED || e == ENOENT) ? EBADF : e;
        return -1;
    }
    return s;
}

static int connect_door(int d)
{
    struct stat st;
    if (fstat(d, &st) == -1)
        return -1; /* EBADF: not even a descriptor */
    return connect_to(st.st_dev, st.st_ino);
}

/* The caller's side of a broken connection: the server died, or a signal came. */
static int call_failed(int conn)
{
    int e = errno;
    close(conn);
    errno = (e == ECONNRESET || e == EPIPE || e == EINTR) ? EINTR : e;
    return -1;
}

/* Send a request through d and read the reply's header and descriptors. */
static int request(int d, struct msg *m, const char *data, const door_desc_t *desc,
                   struct msg *reply, int *fds, int *nfds)
{
    int out[DOOR_COMPAT_DESC_MAX + 1];
    int conn = connect_door(d);
    if (conn == -1)
        return -1;
    out[0] = d; /* the proof: "I could open what the door is attached to" */
    for (uint32_t i = 0; i < m->ndesc; i++)
        out[i + 1] = desc[i].d_data.d_desc.d_descriptor;
    if (send_msg(conn, m, out, (int)m->ndesc + 1, data) == -1 ||
        recv_header(conn, reply, fds, DOOR_COMPAT_DESC_MAX, nfds) == -1)
        return call_failed(conn);
    if (reply->type == MSG_ERROR) {
        close_all(fds, *nfds);
        close(conn);
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
    return conn;
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

/* Put the results where illumos puts them: data then descriptors, in rbuf, or
 * in a new mapping when rbuf is too small (the caller munmap()s it) or not aligned
 * for the descriptors. */
static int take_results(int conn, door_arg_t *p, const struct msg *r, const int *fds)
{
    size_t align = _Alignof(door_desc_t);
    size_t room = (r->size + align - 1) / align * align;
    size_t need = room + r->ndesc * sizeof(door_desc_t);
    char *buf = p->rbuf;
    int misaligned =
        r->ndesc > 0 && (uintptr_t)buf % align != 0; /* for the door_desc_t */
    if (need > 0 && (buf == NULL || p->rsize < need || misaligned)) {
        buf =
            mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (buf == MAP_FAILED) {
            errno = EOVERFLOW; /* illumos: no room for the results */
            return -1;
        }
    }
    if (read_all(conn, buf, r->size) == -1) {
        int e = errno;
        if (buf != p->rbuf)
            munmap(buf, need);
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
    if (buf != p->rbuf) {
        p->rbuf = buf;
        p->rsize = need;
    }
    p->data_ptr = buf;
    p->data_size = r->size;
    p->desc_ptr = desc;
    p->desc_num = r->ndesc;
    return 0;
}

int door_call(int d, door_arg_t *params)
{
    door_arg_t none = {0};
    door_arg_t *p = params ? params : &none;
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
    struct msg m = {.type = MSG_CALL,
                    .ndesc = p->desc_num,
                    .size = p->data_size,
                    .ruid = getuid(),
                    .rgid = getgid()};
    struct msg reply;
    int fds[DOOR_COMPAT_DESC_MAX], nfds;
    int conn = request(d, &m, p->data_ptr, p->desc_ptr, &reply, fds, &nfds);
    if (conn == -1)
        return -1;
    /* The request is in the server's hands: DOOR_RELEASE lets go of ours. (Done
     * after the reply arrived: the server had its copies by then.) */
    release_descriptors(p->desc_ptr, p->desc_num);
    if (take_results(conn, p, &reply, fds) == -1) {
        close_all(fds, nfds);
        return call_failed(conn);
    }
    close(conn);
    return 0;
}

int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr, uint_t num_desc)
{
    struct call *c = current_call;
    if (c == NULL) {
        /* illumos: the thread becomes a server thread and waits for calls. Here
         * every call gets a thread of its own, so this one just waits, forever. */
        for (;;)
            pause();
    }
    if (data_size > DOOR_COMPAT_DATA_MAX) {
        errno = E2BIG;
        return -1;
    }
    if ((data_size > 0 && data_ptr == NULL)) {
        errno = EFAULT;
        return -1;
    }
    if (check_descriptors(desc_ptr, num_desc) == -1)
        return -1;
    if (c->conn != -1) {
        int fds[DOOR_COMPAT_DESC_MAX];
        for (uint_t i = 0; i < num_desc; i++)
            fds[i] = desc_ptr[i].d_data.d_desc.d_descriptor;
        struct msg m = {.type = MSG_REPLY, .ndesc = num_desc, .size = data_size};
        send_msg(c->conn, &m, fds, (int)num_desc, data_ptr); /* caller gone: dropped */
    }
    release_descriptors(desc_ptr, num_desc);
    end_call(c);
    pthread_exit(NULL); /* the thread's work is done: it never returns */
}

int door_info(int d, door_info_t *info)
{
    if (d == DOOR_QUERY) { /* inside a server procedure: the door being called */
        if (current_call == NULL) {
            errno = EBADF;
            return -1;
        }
        info_of(current_call->door, info);
        info->di_attributes |= DOOR_LOCAL;
        return 0;
    }
    struct msg m = {.type = MSG_INFO}, reply;
    int fds[DOOR_COMPAT_DESC_MAX], nfds;
    int conn = request(d, &m, NULL, NULL, &reply, fds, &nfds);
    if (conn == -1)
        return -1;
    close_all(fds, nfds);
    if (reply.size != sizeof *info) {
        close(conn);
        errno = EPROTO;
        return -1;
    }
    if (read_all(conn, (char *)info, sizeof *info) == -1)
        return call_failed(conn);
    close(conn);
    if (info->di_target == getpid())
        info->di_attributes |= DOOR_LOCAL;
    return 0;
}

int door_revoke(int d)
{
    struct listener *mine[LISTENERS_MAX];
    int n = 0;
    pthread_mutex_lock(&table_lock);
    struct door *door = local_door(d);
    if (door != NULL) {
        door->revoked = 1;
        for (int i = 0; i < LISTENERS_MAX; i++)
            if (listeners[i].used && listeners[i].door == door && !listeners[i].closing) {
                listeners[i].closing = 1;
                mine[n++] = &listeners[i];
            }
    }
    pthread_mutex_unlock(&table_lock);
    if (door == NULL) {
        errno = EBADF; /* illumos says EPERM for another process's door */
        return -1;
    }
    /* Calls in progress finish; new ones find no name: EBADF. */
    for (int i = 0; i < n; i++)
        remove_listener(mine[i]);
    return close(d);
}

int door_cred(door_cred_t *info)
{
    struct call *c = current_call;
    if (c == NULL || c->conn == -1) {
        errno = EINVAL; /* not inside a door call */
        return -1;
    }
    memset(info, 0, sizeof *info);
    info->dc_euid = c->peer.uid; /* SO_PEERCRED: the kernel's word, taken at connect() */
    info->dc_egid = c->peer.gid;
    info->dc_pid = c->peer.pid;
    info->dc_ruid = c->req.ruid; /* the caller's library's word: see the DIFFERENCES */
    info->dc_rgid = c->req.rgid;
    return 0;
}

int fdetach(const char *path)
{
    struct stat st;
    if (stat(path, &st) == -1)
        return -1;
    /* Whichever process attached it: ask its server (even if that is us). */
    int conn = connect_to(st.st_dev, st.st_ino);
    if (conn == -1) {
        if (errno == EBADF)
            errno = EINVAL; /* illumos: path is not attached */
        return -1;
    }
    struct msg m = {.type = MSG_DETACH}, reply;
    int fds[DOOR_COMPAT_DESC_MAX], nfds;
    if (send_msg(conn, &m, NULL, 0, NULL) == -1 ||
        recv_header(conn, &reply, fds, DOOR_COMPAT_DESC_MAX, &nfds) == -1)
        return call_failed(conn);
    close_all(fds, nfds);
    close(conn);
    if (reply.type == MSG_ERROR) {
        errno = reply.error;
        return -1;
    }
    return 0;
}
