/* synclib.h -- parent and child take turns: TELL_x lets the other side go,
 * WAIT_x sleeps until the other side says so. Built on two pipes (APUE
 * section 15.2's version); each call returns 0, or -1 with errno set (EPIPE
 * when the other side has gone away). Call TELL_WAIT before fork.
 * This is mmap/'s own copy, so mipc builds from this directory alone. */
#ifndef SYNCLIB_H
#define SYNCLIB_H

int TELL_WAIT(void);
int TELL_PARENT(void);
int WAIT_PARENT(void);
int TELL_CHILD(void);
int WAIT_CHILD(void);

#endif
