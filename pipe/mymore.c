/* mymore.c -- "ls -l | more" built by hand from pipe(2) and dup(2).
 * Usage:  mymore [directory]
 * Shows:  pipe(2); a child for ls and a child for more (fork(2)); in each,
 *         close(2) of stdout (or stdin) and then dup(2) of the pipe end, which
 *         lands on the number just closed because dup returns the lowest free
 *         descriptor; execlp(3) of "ls -l" and of "more". The parent closes
 *         both ends (one write end left open anywhere and more never sees EOF)
 *         and reaps both children, saying which one failed. When stdout is not
 *         a terminal, more copies its input, so the output is exactly ls -l's.
 * Limits: close-then-dup is two steps and relies on every lower descriptor
 *         being open: started with stdin closed (./mymore <&-), the pipe's read
 *         end is descriptor 0 itself, and the more child reports the failed dup
 *         (stdout closed: ls reports its failed write). dup2(2) does it in one
 *         step (pipe_dup2, pipe_sort). ls and more keep the default SIGPIPE:
 *         if the reader of mymore's output goes away, it kills them, as in the
 *         shell, and mymore reports it.
 * Mirrors: KHU lecture, exercise "mymore.c" (ls -l | more with pipe & dup). */
#define _POSIX_C_SOURCE 200809L /* fork, execlp */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The slide builds it with "gcc -o mymore mymore.c mymore.c": the file twice
 * defines main twice, and the link fails. One file: cc -o mymore mymore.c */

static void usage(void)
{
    fprintf(stderr, "usage: mymore [directory]\n");
    exit(2);
}

/* In a child: close target, so that dup() puts the pipe end fd on it. */
static void dup_onto(int fd, int target)
{
    close(target);
    int got = dup(fd);
    if (got == -1) {
        warn("dup");
        _exit(1);
    }
    if (got != target) {
        warnx("dup gave descriptor %d, not %d: a lower one was free", got, target);
        _exit(1);
    }
}

/* Child 1: ls -l, its stdout the pipe's write end. */
static void run_ls(int fd[2], const char *dir)
{
    dup_onto(fd[1], STDOUT_FILENO);
    close(fd[0]);
    close(fd[1]);
    /* Without a directory, dir is NULL and ends the list right there. */
    execlp("ls", "ls", "-l", dir, (char *)NULL);
    warn("exec ls");
    _exit(127);
}

/* Child 2: more, its stdin the pipe's read end. */
static void run_more(int fd[2])
{
    dup_onto(fd[0], STDIN_FILENO);
    close(fd[0]);
    close(fd[1]); /* else more holds a write end and waits for EOF forever */
    execlp("more", "more", (char *)NULL);
    warn("exec more");
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
    int fd[2];

    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        usage();
    if (pipe(fd) == -1)
        err(1, "pipe");
    fflush(stdout);
    pid_t ls = fork();
    if (ls == -1)
        err(1, "fork");
    if (ls == 0)
        run_ls(fd, argv[1]); /* argv[argc] is NULL */
    pid_t more = fork();
    if (more == -1)
        err(1, "fork");
    if (more == 0)
        run_more(fd);
    close(fd[0]);
    close(fd[1]); /* the parent uses neither end */
    int failed = reap(ls, "ls");
    failed |= reap(more, "more");
    return failed;
}
