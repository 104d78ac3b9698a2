/* socketpair.c -- one socketpair(2) between a parent and its child, used in
 * both directions at once.
 * Usage:  socketpair [-n rounds]
 * Shows:  socketpair(AF_UNIX, SOCK_STREAM): two connected sockets, each end
 *         readable and writable (a pipe has one way only). In every round both
 *         processes send first and read second: the parent "ping N", the child
 *         "pong N". With one pipe each would read back its own message; here
 *         each gets the other's. A message is a line, read a byte at a time up
 *         to its '\n' (so no read takes a byte of the next message). The parent
 *         prints what it got; the child checks what it got, and its exit
 *         status tells the parent whether every ping arrived in order. Either
 *         side gone (killed) is EOF or EPIPE for the other, which says so.
 * Beyond: server.c and client.c (SYS domain_sock, "full-duplex", l.992), with
 *         no path and no listen: the counterpart of pipe/ in both directions. */
#define _POSIX_C_SOURCE 200809L /* getopt */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG_MAX 64 /* "ping 1000000\n" and more */

static void usage(void)
{
    fprintf(stderr, "usage: socketpair [-n rounds]\n");
    exit(2);
}

/* One round on FD: send "SAY N\n", then receive the other side's line into got
 * (without its '\n'). Returns 0, or -1 with a warning. */
static int exchange(int fd, const char *say, long round, char got[MSG_MAX])
{
    char text[MSG_MAX];
    int n = snprintf(text, sizeof text, "%s %ld\n", say, round);
    size_t len = 0;

    for (int sent = 0; sent < n;) {
        ssize_t w = write(fd, text + sent, (size_t)(n - sent));
        if (w == -1) {
            warn("write");
            return -1;
        }
        sent += (int)w;
    }
    while (len < MSG_MAX - 1) {
        ssize_t r = read(fd, got + len, 1);
        if (r <= 0) {
            warnx("receive: %s", r == 0 ? "the other side closed" : strerror(errno));
            return -1;
        }
        if (got[len] == '\n')
            break;
        len++;
    }
    got[len] = '\0'; /* len < MSG_MAX: inside the array */
    return 0;
}

/* The child: pong each round, and check the pings. Exit 0 if all were right. */
static void child(int fd, long rounds)
{
    char got[MSG_MAX], want[MSG_MAX];

    for (long i = 1; i <= rounds; i++) {
        if (exchange(fd, "pong", i, got) < 0)
            _exit(1);
        snprintf(want, sizeof want, "ping %ld", i);
        if (strcmp(got, want) != 0) {
            warnx("child expected \"%s\", got \"%s\"", want, got);
            _exit(1);
        }
    }
    _exit(0);
}

/* The parent: ping each round, print the pongs. */
static int parent(int fd, long rounds)
{
    char got[MSG_MAX];

    for (long i = 1; i <= rounds; i++) {
        if (exchange(fd, "ping", i, got) < 0)
            return 1;
        printf("parent sent \"ping %ld\" and got \"%s\"\n", i, got);
    }
    return 0;
}

int main(int argc, char *argv[])
{
    long rounds = 3;
    int opt, fds[2], status;
    char *end;

    while ((opt = getopt(argc, argv, ":n:")) != -1) { /* ":": usage alone */
        if (opt != 'n')
            usage();
        rounds = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || rounds < 0 || rounds > 1000000)
            usage();
    }
    if (argc != optind)
        usage();

    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* the other side gone: EPIPE, said */
        err(1, "signal");
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == -1)
        err(1, "socketpair");
    fflush(stdout); /* nothing buffered may be printed twice after fork */
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        close(fds[0]); /* each process keeps one end: the other's EOF works */
        child(fds[1], rounds);
    }
    close(fds[1]);
    int failed = parent(fds[0], rounds);
    close(fds[0]);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "the child did not get every ping");
    printf("child got all %ld pings, in order\n", rounds);
    return failed;
}
