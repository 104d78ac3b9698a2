/* popen_sort.c -- the same as pipe_sort, with popen(3) doing the pipe, fork and exec.
 * Usage:  popen_sort [file | -]
 * Shows:  popen(3) starts "sort" through the shell with its stdin on a pipe and
 *         hands the parent the other end as a FILE *; pclose(3) closes it (sort's
 *         EOF), waits for sort and returns its status.
 * Mirrors: ALP listing 5.9 "popen.c". */
#define _POSIX_C_SOURCE 200809L /* popen, pclose, getline */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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
    fprintf(stderr, "usage: popen_sort [file | -]\n");
    exit(2);
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

int main(int argc, char *argv[])
{
    FILE *in = NULL;

    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0'))
        usage();
    if (argc == 2)
        in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
    if (argc == 2 && in == NULL)
        err(1, "%s", argv[1]);

    fflush(stdout); /* popen forks: nothing buffered may be printed twice */
    FILE *out = popen("sort", "w");
    if (out == NULL)
        err(1, "popen");
    ignore_sigpipe(); /* after popen: sort itself keeps the default */
    int fed = copy_lines(in, out);
    if (fed == 0 && fflush(out) == EOF)
        fed = -1;
    if (fed == -1)
        warn("write to sort");
    int status = pclose(out); /* closes the pipe (sort's EOF) and waits for sort */
    if (status == -1)
        err(1, "pclose");
    /* A wait status, not an exit code: returning it as is would turn 256 into 0. */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "sort failed (wait status %#x)", status);
    return fed == 0 ? 0 : 1;
}
