/* pipe.c -- a parent sends bytes to its child through a pipe, with plain read and write.
 * Usage:  pipe [message]
 * Shows:  pipe(2) and fork(2) without stdio: write(2) may write less than asked
 *         and read(2) may return any amount up to what is there, so both loop;
 *         the child stops at EOF, which comes only once every write end is closed.
 *         A child that dies early (of SIGPIPE, when the reader of its stdout
 *         has gone) leaves the pipe without a reader: the parent's write fails
 *         with EPIPE, and it reports that and how the child ended (status 1).
 * Mirrors: KHU lecture "pipe.c" (after APUE figure 15.5). */
#define _POSIX_C_SOURCE 200809L /* getopt */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: pipe [message]\n");
    exit(2);
}

/* write(2) may stop early (a signal, a full pipe): keep going until all is out. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The child: copy whatever arrives to stdout until EOF, then say how much came. */
static void child(int fd)
{
    char buf[4096];
    ssize_t n;
    long long total = 0;

    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n == -1) {
            if (errno == EINTR)
                continue;
            warn("read from pipe");
            _exit(1);
        }
        if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1) {
            warn("write to stdout");
            _exit(1);
        }
        total += n;
    }
    /* stderr, so that stdout holds exactly the bytes the parent sent */
    fprintf(stderr, "child: read %lld bytes, then EOF\n", total);
    _exit(0);
}

int main(int argc, char *argv[])
{
    int fds[2], status;

    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0'))
        usage();
    const char *message = argc == 2 ? argv[1] : "hello world";

    if (pipe(fds) == -1)
        err(1, "pipe");
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        close(fds[1]); /* keep no write end, or read() never returns EOF */
        child(fds[0]);
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN); /* after fork: a reader gone is EPIPE, not death */
    int failed = write_all(fds[1], message, strlen(message)) == -1 ||
                 write_all(fds[1], "\n", 1) == -1;
    if (failed)
        warn("write to pipe");
    close(fds[1]); /* the child's EOF */
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (WIFSIGNALED(status))
        errx(1, "the child was killed by signal %d", WTERMSIG(status));
    return failed ? 1 : WEXITSTATUS(status);
}
