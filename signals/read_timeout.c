/* read_timeout.c -- alarm() as a time limit on a blocking FIFO read.
 * Usage:  read_timeout [-r] fifo seconds
 * Shows:  alarm(2) interrupting a blocked open(2) or read(2) of a FIFO: the
 *         call fails with EINTR, and the program gives up with a clear message
 *         and exit status 1. The FIFO is created (0600) if it does not exist,
 *         and then removed at the end.
 *         -r installs the SIGALRM handler with SA_RESTART: the kernel then
 *         restarts the interrupted call, and the alarm alone no longer ends the
 *         wait. The handler shows it (the first alarm returns, and no EINTR
 *         appears), then does what such a program must do: a second alarm one
 *         second later leaves the restarted call with siglongjmp(3).
 * Mirrors: SYS "Using Alarm for Time Limits" (APUE's read1/read2). */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsetjmp, SA_RESTART */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t alarms, can_jump;
static volatile sig_atomic_t in_read; /* 0: before or in open(), 1: past it */
static const char *fifo_path; /* set once we created it: removed at exit */

static void usage(void)
{
    fprintf(stderr, "usage: read_timeout [-r] fifo seconds\n");
    exit(2);
}

static void say(const char *text)
{
    ssize_t unused = write(STDOUT_FILENO, text, strlen(text));
    (void)unused;
}

static void on_alarm(int signo)
{
    (void)signo;
    alarms++;
    if (!can_jump)
        return; /* without SA_RESTART: the blocked call fails with EINTR */
    if (alarms == 1) {
        say("SIGALRM: the blocked call is restarted (SA_RESTART), no EINTR; "
            "one more second, then siglongjmp\n");
        alarm(1);
        return;
    }
    siglongjmp(env, 1);
}

/* SIGINT/SIGTERM: the handler cleans up and ends the program itself (unlink,
 * write and _exit are async-signal-safe). A flag would be missed by an open()
 * or read() that had not begun yet when the signal came, and the usual cure,
 * an alarm(1) from this handler, would spoil the time limit this program is
 * about. fifo_path is set before this handler is installed. */
static void on_stop(int signo)
{
    static const char *const message[] = {
        "read_timeout: stopped by a signal during open\n",
        "read_timeout: stopped by a signal during read\n",
    };
    (void)signo;
    if (fifo_path != NULL)
        unlink(fifo_path);
    ssize_t unused = write(STDERR_FILENO, message[in_read], strlen(message[in_read]));
    (void)unused;
    _exit(1);
}

static void catch_signal(int signo, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) == -1)
        err(1, "sigaction");
}

static void remove_fifo(void)
{
    if (fifo_path != NULL)
        unlink(fifo_path);
}

/* Use the caller's FIFO, or make one (and remember to remove it). */
static void make_fifo(const char *path)
{
    struct stat st;
    if (mkfifo(path, 0600) == 0) {
        fifo_path = path;
        if (atexit(remove_fifo) != 0)
            errx(1, "atexit failed");
        return;
    }
    if (errno != EEXIST)
        err(1, "mkfifo %s", path);
    if (stat(path, &st) == -1)
        err(1, "%s", path);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO", path);
}

/* A call failed with EINTR: SIGALRM broke it (a stop signal ends us in its
 * handler), so give up. */
static void interrupted(const char *call, const char *what, long seconds)
{
    errx(1, "%s interrupted by SIGALRM (EINTR): %s within %ld s", call, what, seconds);
}

static void read_with_limit(const char *path, long seconds)
{
    char buf[4096];
    alarm((unsigned)seconds);
    int fd = open(path, O_RDONLY); /* blocks until a writer opens the FIFO */
    if (fd == -1) {
        if (errno == EINTR)
            interrupted("open", "no writer", seconds);
        err(1, "open %s", path);
    }
    in_read = 1;
    ssize_t n = read(fd, buf, sizeof buf); /* blocks until data or EOF */
    if (n == -1 && errno == EINTR)
        interrupted("read", "no data", seconds);
    if (n == -1)
        err(1, "read %s", path);
    alarm(0); /* first: no alarm may come after the data has arrived */
    can_jump = 0;
    close(fd);
    if (n == 0)
        errx(1, "the writer closed %s without sending anything", path);
    if (buf[n - 1] == '\n')
        n--;
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);
}

int main(int argc, char *argv[])
{
    int opt, restart = 0;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "r")) != -1) {
        if (opt != 'r')
            usage();
        restart = 1;
    }
    if (argc - optind != 2)
        usage();
    errno = 0;
    long seconds = strtol(argv[optind + 1], &end, 10);
    if (*argv[optind + 1] == '\0' || *end != '\0' || errno || seconds < 1 ||
        seconds > 3600)
        usage();
    const char *path = argv[optind];

    make_fifo(path);
    catch_signal(SIGALRM, on_alarm, restart ? SA_RESTART : 0);
    catch_signal(SIGINT, on_stop, 0); /* after make_fifo: on_stop reads fifo_path */
    catch_signal(SIGTERM, on_stop, 0);
    if (restart && sigsetjmp(env, 1) != 0)
        errx(1, "no data within %ld s: left the restarted call with siglongjmp", seconds);
    can_jump = restart;
    printf("read_timeout: waiting up to %ld s for data on %s (SA_RESTART %s)\n", seconds,
           path, restart ? "on" : "off");
    fflush(stdout);
    read_with_limit(path, seconds);
    return 0;
}
