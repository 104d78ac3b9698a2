/* pipe2_cloexec.c -- a pipe end that leaks across exec keeps a reader from its EOF.
 * Usage:  pipe2_cloexec [-c | -f] [seconds]
 * Shows:  every open descriptor is inherited across fork(2) and kept across
 *         execve(2), unless its FD_CLOEXEC flag is set. Here the parent makes a
 *         pipe, then starts a program that knows nothing of it ("sleep
 *         seconds", default 2, standing in for any helper a library spawns),
 *         then a writer child that writes one line and exits. The parent reads
 *         to EOF, which comes only when every write end is closed:
 *           (no option) pipe(2): sleep holds a copy of the write end, and the
 *                       EOF waits until sleep ends;
 *           -f          pipe(2), then fcntl(F_SETFD, FD_CLOEXEC) on both ends:
 *                       exec closes sleep's copies, EOF comes at once; but in
 *                       a threaded program another thread's fork + exec can
 *                       come between the two calls and leak them anyway;
 *           -c          pipe2(2) with O_CLOEXEC: the flag is set by the call
 *                       that makes the pipe, with no such gap.
 *         The writer child does not exec, so it keeps its ends either way.
 *         pipe2 is in POSIX.1-2024 and Linux; glibc declares it under _GNU_SOURCE.
 * Beyond: pipe_sort and mymore (fork + exec with pipe ends to close); TLPI 27.4
 *         (file descriptors and exec(): FD_CLOEXEC) and 4.3.1 (O_CLOEXEC). */
#define _GNU_SOURCE /* pipe2: POSIX.1-2024, not yet in glibc's POSIX modes */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: pipe2_cloexec [-c | -f] [seconds]\n");
    exit(2);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The pipe, made the way the option says: 'c' pipe2, 'f' pipe + fcntl, else pipe. */
static void make_pipe(int fds[2], int how)
{
    if (how == 'c' && pipe2(fds, O_CLOEXEC) == -1)
        err(1, "pipe2");
    if (how != 'c' && pipe(fds) == -1)
        err(1, "pipe");
    for (int i = 0; how == 'f' && i < 2; i++) /* the gap: a fork here leaks both */
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1)
            err(1, "fcntl F_SETFD");
    for (int i = 0; i < 2; i++) {
        int flags = fcntl(fds[i], F_GETFD);
        if (flags == -1)
            err(1, "fcntl F_GETFD");
        printf("%s end: descriptor %d, FD_CLOEXEC %s\n", i ? "write" : "read", fds[i],
               flags & FD_CLOEXEC ? "set" : "not set");
    }
}

/* A program that knows nothing of the pipe: exec, without closing anything.
 * Returns once sleep runs: a close-on-exec pipe of its own sees EOF when the
 * exec has closed the child's copy of it (or an errno if exec failed). */
static pid_t start_sleep(const char *seconds)
{
    int execd[2], e;
    if (pipe2(execd, O_CLOEXEC) == -1)
        err(1, "pipe2");
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        close(execd[0]);
        execlp("sleep", "sleep", seconds, (char *)NULL);
        e = errno;
        (void)!write(execd[1], &e, sizeof e);
        _exit(127);
    }
    close(execd[1]);
    ssize_t n = read(execd[0], &e, sizeof e);
    close(execd[0]);
    if (n == sizeof e)
        errx(1, "exec sleep: %s", strerror(e));
    printf("started sleep %s (pid %ld), which inherits every open descriptor\n", seconds,
           (long)pid);
    return pid;
}

/* The writer: one line into the pipe, then exit (which closes its ends). */
static pid_t start_writer(int fds[2])
{
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        close(fds[0]);
        const char msg[] = "hello through the pipe\n";
        _exit(write(fds[1], msg, sizeof msg - 1) == (ssize_t)sizeof msg - 1 ? 0 : 1);
    }
    return pid;
}

static int reap(pid_t pid, const char *name)
{
    int status;
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid %s", name);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    warnx("%s failed (wait status %#x)", name, status);
    return 1;
}

/* Once the writer has gone, who else holds a write end? Read what is there
 * without waiting: EOF if nobody does, EAGAIN if some process (only sleep
 * can) still does; then wait for the EOF, and say how long it took. */
static void read_to_eof(int fd)
{
    char buf[256];
    ssize_t n;
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
        err(1, "fcntl O_NONBLOCK");
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n == -1 && errno == EINTR))
        printf("read: %.*s", (int)(n > 0 ? n : 0), buf);
    if (n == -1 && errno != EAGAIN)
        err(1, "read");
    if (n == 0) {
        printf("EOF at once: exec closed sleep's copy of the write end\n");
        return;
    }
    printf("no EOF yet: a write end is still open, and sleep holds it\n");
    fflush(stdout);
    if (fcntl(fd, F_SETFL, flags) == -1)
        err(1, "fcntl");
    double t0 = now();
    while ((n = read(fd, buf, sizeof buf)) != 0)
        if (n == -1 && errno != EINTR)
            err(1, "read");
    printf("EOF after %.1f s, when sleep ended and its copy was closed\n", now() - t0);
}

int main(int argc, char *argv[])
{
    int opt, how = 0, fds[2];
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "cf")) != -1) {
        if ((opt != 'c' && opt != 'f') || how != 0)
            usage();
        how = opt;
    }
    const char *seconds = optind < argc ? argv[optind] : "2";
    long secs = strtol(seconds, &end, 10);
    if (argc - optind > 1 || *seconds == '\0' || *end != '\0' || secs < 1 || secs > 60)
        usage();

    make_pipe(fds, how);
    fflush(stdout); /* nothing buffered may be printed twice after fork */
    pid_t sleeper = start_sleep(seconds);
    pid_t writer = start_writer(fds);
    close(fds[1]); /* the parent's own write end: else no EOF ever */
    int failed = reap(writer, "writer"); /* so its ends are closed now */
    read_to_eof(fds[0]);
    failed |= reap(sleeper, "sleep");
    close(fds[0]);
    return failed;
}
