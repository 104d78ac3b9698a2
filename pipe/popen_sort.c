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

/* Copy the lines (the lecture's when in is NULL) into sort's stdin. */
static void feed(FILE *out, FILE *in)
{
    if (in == NULL) {
        for (size_t i = 0; i < sizeof lecture_lines / sizeof lecture_lines[0]; i++)
            if (fputs(lecture_lines[i], out) == EOF)
                err(1, "write to sort");
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) != -1)
        if (fputs(line, out) == EOF)
            err(1, "write to sort");
    if (ferror(in))
        err(1, "read input");
    free(line);
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
    feed(out, in);
    int status = pclose(out);
    if (status == -1)
        err(1, "pclose");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "sort failed (wait status %#x)", status);
    return 0;
}
