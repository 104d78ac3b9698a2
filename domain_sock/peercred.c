/* peercred.c -- a server that asks the kernel who each client is: SO_PEERCRED.
 * Usage:  peercred [-t seconds] socket-path
 *         then, from another terminal:  client socket-path
 * Shows:  getsockopt(SO_PEERCRED) on an accepted UNIX socket gives the pid,
 *         uid and gid of the process that called connect(2), as the kernel
 *         recorded them: a client cannot lie about them, unlike anything it
 *         writes. The server prints them, reads the client's message (framed,
 *         as client sends it; at most -t seconds, default 10), and sends them
 *         back as the reply. One client at a time.
 * Mirrors: nothing in the lectures. */
#define _GNU_SOURCE /* struct ucred and SO_PEERCRED are Linux's: the point here */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: peercred [-t seconds] socket-path\n");
    exit(2);
}

static void serve_client(int conn, int seconds)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    char text[MSG_MAX + 1], reply[128];

    if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
        warn("getsockopt SO_PEERCRED");
        return;
    }
    printf("peer pid=%ld uid=%ld gid=%ld\n", (long)cred.pid, (long)cred.uid,
           (long)cred.gid);
    fflush(stdout);

    int got = recv_msg(conn, text, seconds);
    if (got < 0) {
        if (!stop_signal)
            warnx("no reply to this peer: %s",
                  got == RECV_EOF ? "it sent no message" : recv_problem(errno));
        return;
    }
    int n = snprintf(reply, sizeof reply, "you are pid %ld, uid %ld, gid %ld",
                     (long)cred.pid, (long)cred.uid, (long)cred.gid);
    if (send_msg(conn, reply, (size_t)n) == -1)
        warn("reply to pid %ld", (long)cred.pid);
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
    int listener = listen_unix(path);
    printf("listening on %s\n", path);
    fflush(stdout);

    while (!stop_signal) {
        if (wait_fd(listener, -1) != 1)
            continue; /* EINTR: a stop signal, checked above */
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            continue; /* EAGAIN: the client left before we took it */
        serve_client(conn, seconds);
        close(conn);
    }
    close(listener);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("peercred stopped, %s removed\n", path);
    return 0;
}
