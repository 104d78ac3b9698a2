/* synclib.c -- TELL/WAIT built on two pipes: one byte in a pipe means "your turn".
 * Build:  cc -o sync sync.c synclib.c   (with the program that uses it)
 * Shows:  a pipe as a one-way doorbell: read(2) blocks until the other process
 *         writes; closing the ends a process never uses turns the death of the
 *         other process into EOF instead of an endless wait.
 * Mirrors: KHU lecture "synclib.c" (after APUE figure 15.7). */
#define _POSIX_C_SOURCE 200809L /* read, write, close */

#include "synclib.h"

#include <errno.h>
#include <unistd.h>

static int to_child[2];  /* the parent writes 'p' here, the child reads it */
static int to_parent[2]; /* the child writes 'c' here, the parent reads it */

int TELL_WAIT(void)
{
    if (pipe(to_child) == -1)
        return -1;
    if (pipe(to_parent) == -1) {
        int saved = errno;
        close(to_child[0]);
        close(to_child[1]);
        errno = saved;
        return -1;
    }
    return 0;
}

/* APUE keeps all four ends open in both processes; then a WAIT never ends if
 * the other process dies, because the waiter itself still holds a write end. */
int TELL_WAIT_IN_PARENT(void)
{
    if (close(to_child[0]) == -1 || close(to_parent[1]) == -1)
        return -1;
    return 0;
}

int TELL_WAIT_IN_CHILD(void)
{
    if (close(to_child[1]) == -1 || close(to_parent[0]) == -1)
        return -1;
    return 0;
}

static int tell(int fd, char c)
{
    ssize_t n;
    while ((n = write(fd, &c, 1)) == -1 && errno == EINTR)
        ;
    return n == 1 ? 0 : -1;
}

/* Block for one byte; it must be the one expected. EOF means the partner is gone. */
static int wait_for(int fd, char expected)
{
    char c;
    ssize_t n;
    while ((n = read(fd, &c, 1)) == -1 && errno == EINTR)
        ;
    if (n == -1)
        return -1;
    if (n == 0) {
        errno = EPIPE;
        return -1;
    }
    if (c != expected) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

/* The pid argument is unused (APUE's signature, kept so lecture code compiles). */
int TELL_PARENT(pid_t pid)
{
    (void)pid;
    return tell(to_parent[1], 'c');
}

int WAIT_PARENT(void)
{
    return wait_for(to_child[0], 'p');
}

int TELL_CHILD(pid_t pid)
{
    (void)pid;
    return tell(to_child[1], 'p');
}

int WAIT_CHILD(void)
{
    return wait_for(to_parent[0], 'c');
}
