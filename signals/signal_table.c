/* signal_table.c -- the signals of the lecture's table, each one really delivered.
 * Usage:  signal_table
 * Shows:  for each signal, a child that gets it under the default action: by the
 *         event behind it where a program can cause it (abort(3), alarm(2), a
 *         division by zero, a write to a pipe nobody reads, a bad access to a
 *         mapped page), else by raise(3). The parent says what waitpid(2) tells:
 *         killed, stopped (then continued by kill(2)), or lived on.
 * Mirrors: SYS "Important Signals" (a table, no code) and "Sending Signals". */
#define _POSIX_C_SOURCE 200809L /* strsignal, mmap */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
    const char *name;
    int signo;
    const char *cause;
} table[] = {
    {"SIGABRT", SIGABRT, "abort()"},
    {"SIGALRM", SIGALRM, "alarm(1), then pause()"},
    {"SIGBUS", SIGBUS, "read a mapped page past the end of its file"},
    {"SIGCHLD", SIGCHLD, "raise(SIGCHLD): stands for a child that ended"},
    {"SIGFPE", SIGFPE, "integer division by zero"},
    {"SIGHUP", SIGHUP, "raise(SIGHUP): stands for a lost terminal"},
    {"SIGILL", SIGILL, "raise(SIGILL): stands for a bad instruction"},
    {"SIGINT", SIGINT, "raise(SIGINT): stands for Ctrl-C"},
    {"SIGKILL", SIGKILL, "raise(SIGKILL)"},
    {"SIGPIPE", SIGPIPE, "write to a pipe whose read end is closed"},
    {"SIGSEGV", SIGSEGV, "write to a read-only mapped page"},
    {"SIGSTOP", SIGSTOP, "raise(SIGSTOP), then kill(pid, SIGCONT)"},
    {"SIGTERM", SIGTERM, "raise(SIGTERM): stands for `kill PID`"},
};

/* In the child: make the signal happen. Returns only if the child lives on. */
static void provoke(int signo)
{
    FILE *empty = tmpfile(); /* an empty file, removed when the child ends */
    char *page =
        empty ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(empty), 0) : MAP_FAILED;
    volatile int zero = 0;
    int fd[2];

    if (page == MAP_FAILED) {
        warn("tmpfile or mmap");
        _exit(1);
    }
    switch (signo) {
    case SIGABRT:
        abort();
    case SIGALRM:
        alarm(1);
        pause();
        break;
    case SIGBUS:
        zero = *(volatile char *)page; /* the empty file has no byte there */
        break;
    case SIGSTOP:
        raise(SIGSTOP);
        break;
    case SIGFPE:
        zero = div(1, zero).quot; /* in libc, where no sanitizer checks first */
        break;
    case SIGPIPE:
        if (pipe(fd) == 0 && close(fd[0]) == 0)
            zero = (int)write(fd[1], "x", 1);
        break;
    case SIGSEGV:
        *(volatile char *)page = 1; /* the mapping is PROT_READ */
        break;
    default:
        raise(signo);
    }
}

static void show(const char *name, int signo, const char *cause)
{
    int status;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        signal(signo, SIG_DFL); /* the default action, even if the shell ignored it */
        provoke(signo);
        _exit(0);
    }
    printf("%-8s %-47s ->", name, cause);
    do {
        if (waitpid(pid, &status, WUNTRACED | WCONTINUED) == -1)
            err(1, "waitpid");
        if (WIFSTOPPED(status) && kill(pid, SIGCONT) == -1)
            err(1, "kill");
        fputs(WIFSTOPPED(status)     ? " stopped,"
              : WIFCONTINUED(status) ? " continued,"
                                     : "",
              stdout);
    } while (WIFSTOPPED(status) || WIFCONTINUED(status));
    if (WIFEXITED(status))
        printf(" lived on (exit %d)\n", WEXITSTATUS(status));
    else
        printf(" killed: %s (%d)\n", strsignal(WTERMSIG(status)), WTERMSIG(status));
}

int main(int argc, char *argv[])
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: signal_table\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        show(table[i].name, table[i].signo, table[i].cause);
    return 0;
}
