/* pipe_sort.c -- the parent writes lines into a pipe that is sort(1)'s stdin.
 * Usage:  pipe_sort [file | -]
 * Shows:  fork(2), dup2(2) of the read end onto the child's stdin, then
 *         execlp(3) of sort; the parent writes unsorted lines (the lecture's
 *         five, or those of file, or of stdin for "-"), closes its end so sort
 *         sees EOF and prints, and reaps sort with waitpid(2).
 * Mirrors: ALP listing 5.8 "dup2.c". */
#define _POSIX_C_SOURCE 200809L /* fdopen, getline */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The lines the lecture writes when no file is given. */
static const char *const lecture_lines[] = {
    "This is a test.\n",        "Hello, world.\n",       "My dog has fleas.\n",
    "This program is great.\n", "One fish, two fish.\n",
};

/* If sort dies early, writing to it fails with EPIPE, which is reported,
 * instead of SIGPIPE killing this program without a word. */
static void ignore_sigpipe(void)
{
    struct sigaction sa = {.sa_handler = SIG_IGN};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void usage(void)
{
    fprintf(stderr, "usage: pipe_sort [file | -]\n");
    exit(2);
}

/* The child: its stdin becomes the pipe's read end, then it turns into sort. */
static void run_sort(int fds[2])
{
    if (dup2(fds[0], STDIN_FILENO) == -1) {
        warn("dup2");
        _exit(1);
    }
    close(fds[0]);
    close(fds[1]); /* sort must hold no write end, or it waits for EOF forever */
    execlp("sort", "sort", (char *)NULL);
    warn("exec sort");
    _exit(127);
}

/* Copy the lines (the lecture's when in is NULL) to out. Returns -1 if a
 * write failed: sort died early, and the pipe has no reader (EPIPE). */
static int copy_lines(FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    int ok = 1;

    if (in == NULL)
        for (size_t i = 0; ok && i < sizeof lecture_lines / sizeof lecture_lines[0]; i++)
            ok = fputs(lecture_lines[i], out) != EOF;
    while (ok && in != NULL && getline(&line, &cap, in) != -1)
        ok = fputs(line, out) != EOF;
    if (in != NULL && ferror(in))
        err(1, "read input");
    free(line);
    return ok ? 0 : -1;
}

/* The parent: write the lines into the pipe, then close it: sort's EOF. */
static int feed(int fd, FILE *in)
{
    FILE *out = fdopen(fd, "w");
    if (out == NULL)
        err(1, "fdopen");
    int status = copy_lines(in, out);
    if (fclose(out) == EOF) /* flushes what stdio still holds */
        status = -1;
    if (status == -1)
        warn("write to sort");
    return status;
}

int main(int argc, char *argv[])
{
    int fds[2], status;
    FILE *in = NULL;

    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0'))
        usage();
    if (argc == 2)
        in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
    if (argc == 2 && in == NULL)
        err(1, "%s", argv[1]);

    if (pipe(fds) == -1)
        err(1, "pipe");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        run_sort(fds);
    close(fds[0]);
    ignore_sigpipe(); /* after fork: sort itself keeps the default */
    int fed = feed(fds[1], in);
    /* Reap sort even after a failed write: its status says why. */
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "sort failed (wait status %#x)", status);
    return fed == 0 ? 0 : 1;
}
