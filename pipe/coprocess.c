/* coprocess.c -- drive a filter through two pipes: one line in, one line back.
 * Usage:  coprocess [-s] [-w seconds] [-- command [arg ...]]
 * Shows:  a coprocess: a filter whose stdin and stdout are both pipes to the
 *         program that started it (the shell's | gives only one of the two).
 *         Each line of coprocess's stdin is written to the filter, then one
 *         line of its answer is read and printed. The filter is the command
 *         given, or else the built-in add2: "3 4" gives "7".
 *         The trap: a filter that writes with stdio, as most commands do, is
 *         fully buffered when its stdout is a pipe. Its answer waits in its
 *         buffer while coprocess waits for the answer: a deadlock. -s makes
 *         add2 use stdio (try also "-- sed s/^/x/" against "-- sed -u s/^/x/").
 *         coprocess waits at most -w seconds (default 5) for each answer, then
 *         says so, closes the filter's stdin, and prints what the filter's
 *         exit flushes at last. A filter that dies is reported (EPIPE on
 *         writing to it, EOF on reading), and always waited for.
 * Beyond: APUE 15.4 (coprocesses: add2 and its driver, figures 15.17-15.19),
 *         after the pipes of pipe_sort (one way) and sync (two pipes). */
#define _POSIX_C_SOURCE 200809L /* poll, getline, sigaction */

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ANSWER_MAX 4096 /* an answer is read back in pieces of up to 4095 bytes */

static void usage(void)
{
    fprintf(stderr, "usage: coprocess [-s] [-w seconds] [-- command [arg ...]]\n");
    exit(2);
}

/* The built-in filter: two numbers a line in, their sum out. Reading with
 * stdio is harmless (fgets returns at each '\n'); the answer is the trap: with
 * write(2) it leaves at once, with stdio (-s) it waits in a full buffer. */
static void add2(int use_stdio)
{
    char line[256], out[64];
    long a, b;
    int c;

    while (fgets(line, sizeof line, stdin) != NULL) {
        int whole = strchr(line, '\n') != NULL;
        while (!whole && (c = getchar()) != EOF && c != '\n')
            ; /* the rest of a line too long for line[]: one answer for it all */
        int len = whole && sscanf(line, "%ld %ld", &a, &b) == 2
                      ? snprintf(out, sizeof out, "%ld\n", a + b)
                      : snprintf(out, sizeof out, "invalid args\n");
        if (use_stdio)
            fputs(out, stdout); /* into the buffer: nothing written yet */
        else if (write(STDOUT_FILENO, out, (size_t)len) != len)
            _exit(1);
    }
    exit(0); /* exit flushes stdout's buffer: -s's answers leave only now */
}

/* The child: stdin from to_co, stdout to from_co, every other end closed, so
 * that the filter sees EOF once coprocess closes its write end. */
static void run_filter(int to_co[2], int from_co[2], char **cmd, int use_stdio)
{
    if (dup2(to_co[0], STDIN_FILENO) == -1 || dup2(from_co[1], STDOUT_FILENO) == -1) {
        warn("dup2");
        _exit(1);
    }
    close(to_co[0]);
    close(to_co[1]);
    close(from_co[0]);
    close(from_co[1]);
    if (cmd[0] == NULL)
        add2(use_stdio);
    execvp(cmd[0], cmd);
    warn("exec %s", cmd[0]);
    _exit(127);
}

/* Read from fd until a '\n' or EOF, waiting at most secs for the bytes.
 * Returns the line's length (0: EOF), or -1 after the wait ran out. */
static ssize_t read_answer(int fd, char *buf, size_t size, int secs)
{
    size_t len = 0;
    while (len < size - 1 && (len == 0 || buf[len - 1] != '\n')) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = poll(&p, 1, secs * 1000);
        if (ready == -1 && errno != EINTR)
            err(1, "poll");
        if (ready == 0)
            return -1;
        ssize_t n = ready == 1 ? read(fd, buf + len, 1) : 0; /* one byte: no over-read */
        if (n == -1 && errno != EINTR)
            err(1, "read from the coprocess");
        if (ready == 1 && n == 0)
            break; /* EOF: the filter has closed its stdout (or ended) */
        len += n > 0 ? (size_t)n : 0;
    }
    buf[len] = '\0';
    return (ssize_t)len;
}

/* Send each line and print the answer; 0 when all went through. */
static int drive(int to, int from, int secs, pid_t pid)
{
    char *line = NULL, answer[ANSWER_MAX];
    size_t cap = 0;
    ssize_t len, got = 0;

    while ((len = getline(&line, &cap, stdin)) != -1) {
        int nl = line[len - 1] != '\n'; /* the last line may lack its '\n' */
        if (write(to, line, (size_t)len) != len || (nl && write(to, "\n", 1) != 1)) {
            warn("write to the coprocess"); /* EPIPE: it has gone */
            break;
        }
        do { /* an answer longer than the buffer comes in pieces: all of it */
            got = read_answer(from, answer, sizeof answer, secs);
            if (got > 0)
                fputs(answer, stdout);
        } while (got > 0 && answer[got - 1] != '\n');
        if (got <= 0)
            break;
        fflush(stdout);
    }
    free(line);
    if (got == -1)
        warnx("no answer within %d s: a coprocess that writes with stdio keeps its "
              "answer in a full buffer, waiting for more input while we wait for "
              "the answer (a deadlock)",
              secs);
    else if (got == 0 && len != -1)
        warnx("the coprocess closed its output without answering");
    int ok = len == -1 && got != -1;
    close(to); /* the filter's EOF: it ends, and its exit flushes what it held */
    while ((got = read_answer(from, answer, sizeof answer, secs)) > 0)
        printf("after EOF, the coprocess flushed: %s", answer);
    if (got == -1) {
        warnx("the coprocess did not end at EOF within %d s: killing it", secs);
        kill(pid, SIGKILL);
    }
    return ok ? 0 : 1;
}

int main(int argc, char *argv[])
{
    int opt, use_stdio = 0, secs = 5, to_co[2], from_co[2], status;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "sw:")) != -1) {
        if (opt == 's') {
            use_stdio = 1;
            continue;
        }
        if (opt != 'w')
            usage();
        long w = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || w < 1 || w > 3600)
            usage();
        secs = (int)w;
    }
    /* A command only after "--" (getopt has skipped it); -s is add2's alone. */
    if (optind < argc && (use_stdio || strcmp(argv[optind - 1], "--") != 0))
        usage();

    if (pipe(to_co) == -1 || pipe(from_co) == -1)
        err(1, "pipe");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0)
        run_filter(to_co, from_co, argv + optind, use_stdio);
    close(to_co[0]);          /* else a dead filter's pipe keeps a reader: no EPIPE */
    close(from_co[1]);        /* else a dead filter's pipe keeps a writer: no EOF */
    signal(SIGPIPE, SIG_IGN); /* a filter that died: EPIPE, reported */
    int failed = drive(to_co[1], from_co[0], secs, pid);
    close(from_co[0]);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (WIFSIGNALED(status))
        warnx("the coprocess was killed by signal %d", WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        warnx("the coprocess exited with status %d", WEXITSTATUS(status));
    return failed || status != 0;
}
