/* pipe_fdopen.c -- a parent writes lines into a pipe through stdio; its child reads them.
 * Usage:  pipe_fdopen [-n count] [message]
 * Shows:  pipe(2), fork(2), fdopen(3) on each end, closing the unused ends so
 *         the reader sees EOF, and waitpid(2) so no zombie is left. A child
 *         that dies early (say, of SIGPIPE when the reader of its stdout has
 *         gone) leaves a pipe without a reader: the parent's write fails with
 *         EPIPE, and it reports that and how the child ended (status 1).
 * Mirrors: ALP listing 5.7 "pipe.c", CE 04_pipe.c. */
#define _POSIX_C_SOURCE 200809L /* fdopen, getopt */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: pipe_fdopen [-n count] [message]\n");
    exit(2);
}

/* The parent: write the message count times, one line each; -1 if a write
 * failed (EPIPE: the child has gone). */
static int writer(int fd, const char *message, long count)
{
    FILE *out = fdopen(fd, "w");
    if (out == NULL)
        err(1, "fdopen");
    int ok = 1;
    for (long i = 0; ok && i < count; i++)
        ok = fprintf(out, "%s\n", message) >= 0;
    /* fclose flushes stdio's buffer and closes the write end: the child's EOF. */
    if (fclose(out) == EOF || !ok) {
        warn("write to pipe");
        return -1;
    }
    return 0;
}

/* The child: print every line that arrives, numbered, until EOF. */
static void reader(int fd)
{
    char line[1024];
    long n = 0;
    FILE *in = fdopen(fd, "r");
    if (in == NULL) {
        warn("fdopen");
        _exit(1);
    }
    while (fgets(line, sizeof line, in) != NULL)
        printf("child got line %ld: %s", ++n, line);
    fclose(in);
    if (fflush(stdout) == EOF || ferror(stdout)) { /* _exit flushes nothing */
        warn("child: write to stdout");
        _exit(1);
    }
    _exit(0);
}

int main(int argc, char *argv[])
{
    long count = 5;
    int opt, fds[2], status;
    char *end;
    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        errno = 0;
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 0 || errno == ERANGE)
            usage();
    }
    if (argc - optind > 1)
        usage();
    const char *message = optind < argc ? argv[optind] : "Hello, world.";

    /* The slide (CE) declares "int read_fd, int write_fd;", which is not C,
     * and says data written to read_fd is read from write_fd: it is the other
     * way round. pipe() fills fds[0], the read end, and fds[1], the write end. */
    if (pipe(fds) == -1)
        err(1, "pipe");
    fflush(stdout); /* nothing buffered may be printed twice after fork */
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        close(fds[1]); /* else the child holds a writer and never sees EOF */
        reader(fds[0]);
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN); /* after fork: a reader gone is EPIPE, not death */
    int failed = writer(fds[1], message, count);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (WIFSIGNALED(status))
        errx(1, "the child was killed by signal %d", WTERMSIG(status));
    return failed ? 1 : WEXITSTATUS(status);
}
