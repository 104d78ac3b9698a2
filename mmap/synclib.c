/* synclib.c -- TELL/WAIT between a parent and its child, on two pipes.
 * The parent tells the child by writing 'p' into one pipe; the child tells
 * the parent by writing 'c' into the other. A wait is a blocking read of one
 * byte: no polling, and EOF means the other side is gone.
 * Mirrors: KHU lecture "synclib.c" (after APUE figure 15.7). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <unistd.h>

#include "synclib.h"

static int to_child[2], to_parent[2];
static int side; /* 0 until the first call after fork: then 'p' or 'c' */

int TELL_WAIT(void)
{
    if (pipe(to_child) == -1)
        return -1;
    if (pipe(to_parent) == -1)
        return -1;
    return 0;
}

static int tell(int fd, char c)
{
    ssize_t n;
    while ((n = write(fd, &c, 1)) == -1 && errno == EINTR)
        continue;
    return n == 1 ? 0 : -1;
}

static int wait_for(int fd, char expected)
{
    char c;
    ssize_t n;
    while ((n = read(fd, &c, 1)) == -1 && errno == EINTR)
        continue;
    if (n == -1)
        return -1;
    if (n == 0 || c != expected) {
        errno = EPIPE; /* EOF or a stray byte: the protocol is broken */
        return -1;
    }
    return 0;
}

/* APUE keeps all four ends open in both processes; then a wait never sees
 * EOF when the other side dies, and hangs. So the first call a process makes
 * tells us which side it is (the _PARENT calls are the child's), and we close
 * the two ends that belong to the other side. */
static void take_side(int me)
{
    if (side != 0)
        return;
    side = me;
    if (me == 'c') {
        close(to_child[1]);
        close(to_parent[0]);
    } else {
        close(to_child[0]);
        close(to_parent[1]);
    }
}

int TELL_PARENT(void)
{
    take_side('c');
    return tell(to_parent[1], 'c');
}

int WAIT_PARENT(void)
{
    take_side('c');
    return wait_for(to_child[0], 'p');
}

int TELL_CHILD(void)
{
    take_side('p');
    return tell(to_child[1], 'p');
}

int WAIT_CHILD(void)
{
    take_side('p');
    return wait_for(to_parent[0], 'c');
}
