/* server.c -- a UNIX stream socket server: one child per connection, children reaped.
 * Usage:  server [-t seconds] socket-path
 * Shows:  socket(2), bind(2) to a path, listen(2), accept(2), fork(2) for each
 *         client, waitpid(2) with WNOHANG whenever SIGCHLD comes so that no
 *         zombie is left, a stale socket file replaced, the socket file removed
 *         on SIGINT/SIGTERM. Each child reads one framed message (usock.h) and
 *         replies "hello from server, you said: MESSAGE". A child waits at
 *         most -t seconds (default 10) for its client to speak.
 * Mirrors: SYS systems-code-examples domain_sock/server.c. */
#define _POSIX_C_SOURCE 200809L /* sockets, sigaction, pselect */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: server [-t seconds] socket-path\n");
    exit(2);
}

/* Its only job is to exist: SIGCHLD then interrupts the wait for the next
 * client (wait_fd returns EINTR), and the loop reaps the child at once. */
static void on_child(int sig)
{
    (void)sig;
}

/* SIGCHLD, like the stop signals, is blocked except inside wait_fd(). */
static void catch_sigchld(void)
{
    struct sigaction sa;
    sigset_t set;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGCHLD, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
        err(1, "sigprocmask");
    sigdelset(&wait_mask, SIGCHLD);
}

/* Collect every child that has ended: no zombies. A child killed by a
 * signal (SIGPIPE, say) is a bug, so it is reported; at the end, a SIGTERM
 * to the whole process group is not. */
static void reap_children(void)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if (WIFSIGNALED(status) && !stop_signal)
            warnx("child %ld killed by signal %d", (long)pid, WTERMSIG(status));
}

/* Bind PATH (after checking it) and listen. The lecture's unlink(path)
 * before bind() would delete a live server's socket, or any file at all. */
/* The child's work: one message in, one reply out. A client that misbehaves
 * ends only this child, with a warning, and never through a signal. */
static int serve_client(int conn, int seconds)
{
    char text[MSG_MAX + 1], reply[MSG_MAX + 1];

    int len = recv_msg(conn, text, seconds);
    if (len == RECV_EOF) {
        warnx("a client closed without sending a message");
        return 1;
    }
    if (len == RECV_BAD) {
        warnx("a client's message: %s", recv_problem(errno));
        return 1;
    }
    make_printable(text, (size_t)len);
    printf("message from client: %s\n", text);
    fflush(stdout); /* the child ends with _exit, which does not flush */

    /* snprintf never writes past reply; a long text is cut to fit. */
    int n = snprintf(reply, sizeof reply, "hello from server, you said: %s", text);
    size_t reply_len = n < (int)sizeof reply ? (size_t)n : sizeof reply - 1;
    if (send_msg(conn, reply, reply_len) == -1) {
        warn("reply to a client");
        return 1;
    }
    return 0;
}

/* In a child: the default actions and mask back (SIGTERM kills it). */
static void default_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigprocmask(SIG_SETMASK, &wait_mask, NULL);
}

/* A new child for the connection: it gets the default signal actions back,
 * so that SIGTERM to the process group ends it too. */
static void start_child(int listener, int conn, int seconds)
{
    pid_t pid = fork();
    if (pid == -1) {
        warn("fork");
        close(conn);
        return;
    }
    if (pid == 0) {
        close(listener);
        default_signals();
        _exit(serve_client(conn, seconds));
    }
    close(conn); /* the child has its own copy; ours would keep the client open */
}

/* Accept clients until SIGINT/SIGTERM, reaping children on the way. */
static void serve(int listener, int seconds)
{
    while (!stop_signal) {
        int ready = wait_fd(listener, -1);
        if (ready == -1 && errno != EINTR) {
            warn("pselect");
            return;
        }
        reap_children();
        if (ready != 1)
            continue;
        /* accept's address arguments may be NULL; the lecture passed an
         * uninitialised length, which accept() reads before writing. */
        int conn = accept(listener, NULL, NULL);
        if (conn == -1) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
                continue;
            warn("accept");
            return;
        }
        start_child(listener, conn, seconds);
    }
}

int main(int argc, char *argv[])
{
    int seconds = 10, opt;

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't' || (seconds = parse_seconds(optarg)) == -1)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];

    catch_stop_signals();
    catch_sigchld();
    int listener = listen_unix(path);
    printf("listening on %s\n", path);
    fflush(stdout); /* the readiness line, and nothing left for a child to repeat */

    serve(listener, seconds);
    close(listener);
    reap_children();
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("server stopped, %s removed\n", path);
    return stop_signal ? 0 : 1;
}
