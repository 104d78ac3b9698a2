/* mech_door.c -- ipcbench's door: the child serves a door (doors_compat's library),
 * the parent calls it. A round trip is one door_call: the parent's message is the
 * argument, the child's the result.
 * Part of ipcbench (see ipcbench.c for how to build it; this file also needs
 * ../doors_compat/door.c).
 *
 * A door procedure answers with door_return, which then waits for the next call;
 * the bench's child must be free between batches to talk to the parent. So the
 * door's server thread hands each argument to the child's main thread and waits
 * for its answer: the figure includes these two hand-overs inside the child
 * (docs/performance.md says what they cost). */
#define _GNU_SOURCE /* ipcbench.c explains: Linux extensions are the point */

#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../doors_compat/door.h"
#include "ipcbench.h"

static int pass[2] = {-1, -1}; /* the child sends the door descriptor on it */
static int door = -1;          /* the child's door; the parent's descriptor of it */
static size_t msg_size;
/* The child's: a message that came, and the answer its main thread gives. The last
 * byte of every argument says whether the parent waits for an answer (1), or only
 * delivers a message of a stream (0). */
static char *arg, *result;
static size_t arg_size;
static sem_t arrived, taken, answered;
/* The parent's: a message not yet sent, and the last call's result. */
static char *held, *reply;
static int holding;
static size_t reply_size;

static size_t door_limit(const char **why)
{
    *why = "DOOR_COMPAT_DATA_MAX (the library's limit for arguments and results)";
    return DOOR_COMPAT_DATA_MAX;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void door_mech_create(size_t size)
{
    msg_size = size;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pass) == -1)
        bench_fail("socketpair");
}

static void wait_sem(sem_t *sem)
{
    while (sem_wait(sem) == -1)
        bench_poll(); /* EINTR: a signal; bench_poll ends the run if it must */
}

/* The door's procedure, in a server thread of the child. */
static void serve(void *cookie, char *argp, size_t size, door_desc_t *dp, uint_t n)
{
    (void)cookie, (void)dp, (void)n;
    if (argp == DOOR_UNREF_DATA || size == 0)
        door_return(NULL, 0, NULL, 0);
    int answer = argp[size - 1];
    if (size > 1) {       /* a message for the child's main thread */
        wait_sem(&taken); /* it took the one before */
        memcpy(arg, argp, size - 1);
        arg_size = size - 1;
        sem_post(&arrived);
    }
    if (!answer)
        door_return(NULL, 0, NULL, 0);
    wait_sem(&answered);
    door_return(result, msg_size, NULL, 0);
}

static void send_fd(int sock, int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    char byte = 'd';
    struct iovec iov = {&byte, 1};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    while (sendmsg(sock, &mh, 0) == -1) {
        if (errno != EINTR)
            bench_fail("sendmsg");
        bench_poll();
    }
}

static int recv_fd(int sock)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    char byte;
    struct iovec iov = {&byte, 1};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf};
    ssize_t n;
    while ((n = recvmsg(sock, &mh, 0)) == -1) {
        if (errno != EINTR)
            bench_fail("recvmsg");
        bench_poll();
    }
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    if (n == 0 || cm == NULL || cm->cmsg_type != SCM_RIGHTS)
        bench_failx("no door descriptor came from the child");
    int fd;
    memcpy(&fd, CMSG_DATA(cm), sizeof fd);
    return fd;
}

static void door_mech_attach(int side)
{
    if (side == PARENT) {
        close_fd(&pass[1]);
        door = recv_fd(pass[0]);
        close_fd(&pass[0]);
        held = malloc(msg_size + 1);
        reply = malloc(msg_size + 16); /* room to spare: never a mapped result */
        if (held == NULL || reply == NULL)
            bench_fail("malloc");
        return;
    }
    close_fd(&pass[0]);
    arg = malloc(msg_size + 1);
    result = malloc(msg_size + 1);
    if (arg == NULL || result == NULL || sem_init(&arrived, 0, 0) == -1 ||
        sem_init(&taken, 0, 1) == -1 || sem_init(&answered, 0, 0) == -1)
        bench_fail("malloc, sem_init");
    door = door_create(serve, NULL, 0);
    if (door == -1)
        bench_fail("door_create");
    send_fd(pass[1], door);
    close_fd(&pass[1]);
}

/* The parent's door_call: the held message (if any) and whether to wait for an
 * answer; the result, if one is wanted, goes to reply. */
static void call(int answer)
{
    held[holding ? msg_size : 0] = (char)answer;
    door_arg_t a = {.data_ptr = held,
                    .data_size = (holding ? msg_size : 0) + 1,
                    .rbuf = reply,
                    .rsize = msg_size + 16};
    /* A door_call that a signal interrupts may have run (illumos: EINTR, and
     * the server thread cancelled, perhaps after it took the argument): so the
     * tick and SIGCHLD must not interrupt it, or its retry delivers a message
     * twice. SIGINT and SIGTERM may: the run then ends. A child that dies
     * closes the door's connection: EINTR too, and bench_poll sees it. A child
     * alive but stuck goes unnoticed by the stall check here: SIGTERM ends it. */
    sigset_t ticks, old;
    sigemptyset(&ticks);
    sigaddset(&ticks, SIGALRM);
    sigaddset(&ticks, SIGCHLD);
    int r;
    do {
        pthread_sigmask(SIG_BLOCK, &ticks, &old);
        r = door_call(door, &a);
        int e = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL); /* a tick held back comes now */
        if (r == -1 && e != EINTR) {
            errno = e;
            bench_fail("door_call");
        }
        if (r == -1)
            bench_poll(); /* a stop, or the child gone: bench_poll ends the run */
    } while (r == -1);
    if (a.rbuf != reply)
        bench_failx("door_call: a result of %zu bytes, larger than a message",
                    a.data_size);
    reply_size = a.data_size;
    holding = 0;
}

/* A message goes with the next call: as its argument when the parent then waits for
 * the child's message (recv), or on its own when another message follows (a stream). */
static void door_mech_send(int side, const void *buf, size_t size)
{
    if (side == CHILD) { /* the answer to the call the child's server thread holds */
        memcpy(result, buf, size);
        sem_post(&answered);
        return;
    }
    if (holding)
        call(0);
    memcpy(held, buf, size);
    holding = 1;
}

static void door_mech_recv(int side, void *buf, size_t size)
{
    if (side == CHILD) {
        wait_sem(&arrived);
        if (arg_size != size)
            bench_failx("door: a %zu-byte argument where %zu were sent", arg_size, size);
        memcpy(buf, arg, size);
        sem_post(&taken);
        return;
    }
    call(1);
    if (reply_size != size)
        bench_failx("door: a %zu-byte result where %zu were sent", reply_size, size);
    memcpy(buf, reply, size);
}

static void door_mech_destroy(int side)
{
    (void)side;
    close_fd(&pass[0]);
    close_fd(&pass[1]);
    close_fd(&door);
    free(held);
    free(reply);
    held = reply = NULL;
    holding = 0;
}

const struct mech mech_door = {
    .name = "door",
    .how = "door_call to a door of the other process (doors_compat's library)",
    .limit = door_limit,
    .create = door_mech_create,
    .attach = door_mech_attach,
    .send = door_mech_send,
    .recv = door_mech_recv,
    .destroy = door_mech_destroy,
};
