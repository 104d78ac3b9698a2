/* pipe_fdopen.c -- a parent writes lines into a pipe through stdio; its child reads them.
 * Usage:  pipe_fdopen [-n count] [message]
 * Shows:  pipe(2), fork(2), fdopen(3) on each end, closing the unused ends so
 *         the reader sees EOF, and waitpid(2) so no zombie is left.
 * Mirrors: ALP listing 5.7 "pipe.c", CE 04_pipe.c. */
#define _POSIX_C_SOURCE 200809L /* fdopen, getopt */

#include <err.h>
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

/* The parent: write the message count times, one line each. */
static void writer(int fd, const char *message, long count)
{
    FILE *out = fdopen(fd, "w");
    if (out == NULL)
        err(1, "fdopen");
    for (long i = 0; i < count; i++)
        if (fprintf(out, "%s\n", message) < 0)
            err(1, "write to pipe");
    /* fclose flushes stdio's buffer and closes the write end: the child's EOF. */
    if (fclose(out) == EOF)
        err(1, "fclose");
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
    fflush(stdout);
    _exit(0);
}

int main(int argc, char *argv[])
{
    long count = 5;
    int opt, fds[2], status;
    char *end;

    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 0)
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
    writer(fds[1], message, count);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
