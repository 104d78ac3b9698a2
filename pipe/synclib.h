/* synclib.h -- TELL/WAIT: a parent and its child take turns, signalling over two pipes.
 * Call TELL_WAIT() before fork(); right after fork(), TELL_WAIT_IN_PARENT() or
 * TELL_WAIT_IN_CHILD() on each side. Then TELL_x(pid) lets the other run and
 * WAIT_x() blocks until the other has told. Every function returns 0, or -1 with
 * errno set; a WAIT whose partner has exited fails with errno EPIPE.
 * The capital names are APUE's (section 8.9), which the lecture uses.
 * Mirrors: KHU lecture "synclib.c" (after APUE figure 15.7). */
#ifndef SYNCLIB_H
#define SYNCLIB_H

#include <sys/types.h>

int TELL_WAIT(void);
int TELL_WAIT_IN_PARENT(void);
int TELL_WAIT_IN_CHILD(void);
int TELL_PARENT(pid_t pid);
int WAIT_PARENT(void);
int TELL_CHILD(pid_t pid);
int WAIT_CHILD(void);

#endif
