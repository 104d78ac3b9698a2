/* mymore.c -- "ls -l | more" built by hand: two children joined by a pipe.
 * Usage:  mymore [directory]
 * Shows:  pipe(2), two fork(2)s, dup2(2) of each end onto the child that uses it,
 *         execlp(3) of ls and more; the parent closes both ends (or more never
 *         sees EOF) and reaps both children. When stdout is not a terminal, more
 *         copies its input unchanged, so the output is exactly what ls -l prints.
 * Mirrors: KHU lecture "mymore.c". */
#define _POSIX_C_SOURCE 200809L /* fork, dup2, execlp */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: mymore [directory]\n");
    exit(2);
}

/* In a new child, put pipe end fds[end] on fd target, close the rest, exec argv. */
static pid_t spawn(int fds[2], int end, int target, char *const argv[])
{
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid > 0)
        return pid;
    if (dup2(fds[end], target) == -1) {
        warn("dup2");
        _exit(1);
    }
    close(fds[0]); /* an extra write end left open anywhere keeps more waiting */
    close(fds[1]);
    execvp(argv[0], argv);
    warn("exec %s", argv[0]);
    _exit(127);
}

/* Reap one child; say which one failed and how. */
static int reap(pid_t pid, const char *name)
{
    int status;
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        warnx("%s was killed by signal %d", name, WTERMSIG(status));
    else
        warnx("%s exited with status %d", name, WEXITSTATUS(status));
    return 1;
}

int main(int argc, char *argv[])
{
    int fds[2];

    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        usage();
    char *ls_argv[] = {"ls", "-l", argc == 2 ? argv[1] : NULL, NULL};
    char *more_argv[] = {"more", NULL};

    if (pipe(fds) == -1)
        err(1, "pipe");
    fflush(stdout);
    pid_t ls = spawn(fds, 1, STDOUT_FILENO, ls_argv);
    pid_t more = spawn(fds, 0, STDIN_FILENO, more_argv);
    close(fds[0]);
    close(fds[1]); /* the parent uses neither end */
    int failed = reap(ls, "ls");
    failed |= reap(more, "more");
    return failed;
}
