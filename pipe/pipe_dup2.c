/* pipe_dup2.c -- the child's stdout becomes the pipe's write end, the parent's stdin its read end.
 * Usage:  pipe_dup2 [number]
 * Shows:  dup2(2) putting a pipe end where stdio expects stdout or stdin, so
 *         plain printf(3) in the child and scanf(3) in the parent talk through
 *         the pipe; each side closes the half it does not use. The child sends
 *         5000 unless told another number; the parent prints
 *         "child sent value = 5000", as on the slide.
 * Mirrors: SYS "IPC Topics" pipe + dup2 example and fork_pipe. */
#define _POSIX_C_SOURCE 200809L /* fork, dup2 */

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: pipe_dup2 [number]\n");
    exit(2);
}

static long parse_number(const char *s)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || n < INT_MIN || n > INT_MAX)
        usage();
    return n;
}

/* The child: with stdout on the pipe, an ordinary printf sends the number. */
static void child(int fds[2], long number)
{
    if (dup2(fds[1], STDOUT_FILENO) == -1) {
        warn("dup2");
        _exit(1);
    }
    close(fds[0]);
    close(fds[1]); /* the copy on fd 1 is the only write end left */
    printf("%ld\n", number);
    if (fflush(stdout) == EOF || ferror(stdout)) {
        warn("write to pipe");
        _exit(1);
    }
    _exit(0);
}

/* The parent: with stdin on the pipe, an ordinary scanf reads the number. */
static void parent(int fds[2])
{
    int number;

    if (dup2(fds[0], STDIN_FILENO) == -1)
        err(1, "dup2");
    close(fds[0]);
    close(fds[1]); /* else stdin never reaches EOF if the child sends nothing */
    /* The slide's scanf("%d\n") goes on reading after the number (the "\n"
     * skips white space up to the next non-blank or EOF), and its unchecked
     * result prints an uninitialised value when nothing arrives. */
    if (scanf("%d", &number) != 1)
        errx(1, "no number arrived from the child");
    printf("child sent value = %d\n", number);
}

int main(int argc, char *argv[])
{
    int fds[2], status;

    if (argc > 2)
        usage();
    long number = argc == 2 ? parse_number(argv[1]) : 5000;

    if (pipe(fds) == -1)
        err(1, "pipe");
    fflush(stdout);
    /* The slide keeps fork's result in an int, reports a failed fork on
     * stdout with status 0, and never waits for the child (so never learns
     * that it failed); here pid_t, stderr, status 1, and waitpid below. */
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        child(fds, number);
    parent(fds);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "the child failed");
    return 0;
}
