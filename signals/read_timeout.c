/* read_timeout.c -- alarm() as a time limit on a blocking FIFO read.
 * Usage:  read_timeout [-r] fifo seconds
 * Shows:  alarm(2) before a blocking open(2) of a FIFO (it waits for a writer)
 *         and read(2) (it waits for data). Without SA_RESTART (sigaction(2)) the
 *         blocked call fails with EINTR, and the program gives up, status 1.
 *         The FIFO is made (0600) if missing and removed once opened, or on
 *         SIGINT/SIGTERM. -r: with SA_RESTART (signal()'s on Linux) the call is
 *         restarted, the limit does nothing; a second alarm siglongjmp(3)s out.
 *         Its limit: an alarm before open() or read() has begun is lost.
 * Mirrors: SYS "Using Alarm for Time Limits". */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsetjmp, SA_RESTART */

#include <ctype.h>
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
static volatile sig_atomic_t restart, alarms; /* -r */
static volatile sig_atomic_t in_read;         /* 0: before or in open() */
static const char *volatile made;             /* the FIFO this program made */

static void on_alarm(int signo)
{
    static const char restarted[] =
        "SIGALRM: the blocked call is restarted (SA_RESTART), no EINTR\n";
    (void)signo;
    if (!restart)
        return; /* the blocked call fails with EINTR */
    if (++alarms == 2)
        siglongjmp(env, 1);
    ssize_t unused = write(STDOUT_FILENO, restarted, sizeof restarted - 1);
    (void)unused;
    alarm(1);
}

/* SIGINT/SIGTERM: the handler cleans up and exits itself (all async-signal-safe):
 * a flag would miss a signal that lands just before open() or read() begins. */
static void on_stop(int signo)
{
    const char *msg = in_read ? "read_timeout: stopped by a signal during read\n"
                              : "read_timeout: stopped by a signal during open\n";
    (void)signo;
    if (made != NULL)
        unlink(made);
    ssize_t unused = write(STDERR_FILENO, msg, strlen(msg));
    (void)unused;
    _exit(1);
}

static void read_with_limit(const char *path, unsigned int seconds)
{
    char buf[4096];
    struct stat st;
    alarm(seconds);
    int fd = open(path, O_RDONLY);         /* blocks until a writer opens the FIFO */
    if (made != NULL && unlink(made) == 0) /* the name has done its job */
        made = NULL;
    if (fd == -1 && errno == EINTR)
        errx(1, "open interrupted by SIGALRM (EINTR): no writer within %u s", seconds);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO", path);
    in_read = 1;
    ssize_t n = read(fd, buf, sizeof buf); /* blocks until data or EOF */
    if (n == -1 && errno == EINTR)
        errx(1, "read interrupted by SIGALRM (EINTR): no data within %u s", seconds);
    if (n == -1)
        err(1, "read %s", path);
    alarm(0);
    if (n == 0)
        errx(1, "the writer closed %s without sending anything", path);
    if (buf[n - 1] == '\n')
        n--;
    for (ssize_t i = 0; i < n; i++) /* the writer's control bytes: '?', never raw */
        buf[i] = iscntrl((unsigned char)buf[i]) ? '?' : buf[i];
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);
}

int main(int argc, char *argv[])
{
    char *end = "";
    restart = argc == 4 && strcmp(argv[1], "-r") == 0;
    long seconds = argc - restart == 3 ? strtol(argv[2 + restart], &end, 10) : 0;
    if (seconds < 1 || seconds > 3600 || *end != '\0' || *argv[1 + restart] == '-') {
        fprintf(stderr, "usage: read_timeout [-r] fifo seconds\n");
        return 2;
    }
    const char *path = argv[1 + restart];
    struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = on_stop;
    sa.sa_flags = 0;
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    if (mkfifo(path, 0600) == 0)
        made = path; /* a stop just before this line leaves the FIFO: the one gap */
    else if (errno != EEXIST)
        err(1, "mkfifo %s", path);
    if (sigsetjmp(env, 1) != 0) { /* -r: the second alarm jumped here */
        if (made != NULL)
            unlink(made);
        errx(1, "no data within %ld s: left the restarted call with siglongjmp", seconds);
    }
    printf("read_timeout: waiting up to %ld s for data on %s (SA_RESTART %s)\n", seconds,
           path, restart ? "on" : "off");
    fflush(stdout);
    read_with_limit(path, (unsigned int)seconds);
    return 0;
}
