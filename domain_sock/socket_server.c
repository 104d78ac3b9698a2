/* socket_server.c -- ALP's local-namespace server: prints every text its
 * clients send, until one of them sends "quit".
 * Usage:  socket_server [-t seconds] socket-path
 * Shows:  an iterative server: one client at a time, each sending any number
 *         of texts, each text a framed message (a length first, as in ALP, but
 *         bounded and in network byte order: usock.h). A client that stays
 *         silent for -t seconds (default 10) is dropped, so it cannot keep the
 *         others waiting; one that sends garbage or vanishes mid-message only
 *         loses its connection. "quit" stops the server and removes the socket.
 * Mirrors: ALP listing 5.10 "socket-server.c". */
#define _POSIX_C_SOURCE 200809L /* sockets, sigaction, pselect */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: socket_server [-t seconds] socket-path\n");
    exit(2);
}

/* Print the client's texts until it closes. Returns 1 if it sent "quit". */
static int serve_client(int conn, int seconds)
{
    char text[MSG_MAX + 1];
    int len;

    while ((len = recv_msg(conn, text, seconds)) >= 0) {
        if (len == 4 && memcmp(text, "quit", 4) == 0)
            return 1;
        make_printable(text, (size_t)len);
        printf("%s\n", text);
        fflush(stdout);
    }
    if (len == RECV_BAD && !stop_signal)
        warnx("dropping a client: %s", recv_problem(errno));
    return 0;
}

int main(int argc, char *argv[])
{
    int seconds = 10, opt, quit = 0;

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

    while (!quit && !stop_signal) {
        if (wait_fd(listener, -1) != 1)
            continue; /* EINTR: a stop signal, checked above */
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            continue; /* EAGAIN: the client left before we took it */
        quit = serve_client(conn, seconds);
        close(conn);
    }
    close(listener);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("%s, %s removed\n", quit ? "quit received" : "stopped by a signal", path);
    return 0;
}
