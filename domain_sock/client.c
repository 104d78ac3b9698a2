/* client.c -- sends one message to server's UNIX socket and prints the reply.
 * Usage:  client [-t seconds] socket-path [message]
 * Shows:  connect(2) to a socket path, one framed message out and one in
 *         (usock.h), a time limit on the reply (-t, default 10 s), so that a
 *         server that never answers cannot hang the client.
 * Mirrors: SYS systems-code-examples domain_sock/client.c. */
#define _POSIX_C_SOURCE 200809L /* sockets, pselect */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: client [-t seconds] socket-path [message]\n");
    exit(2);
}

static int connect_to(const char *path)
{
    struct sockaddr_un addr;
    socklen_t len = unix_address(&addr, path);

    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        err(1, "socket");
    /* ENOENT: no such socket; ECONNREFUSED: a socket file nobody listens on. */
    if (connect(fd, (struct sockaddr *)&addr, len) == -1)
        err(1, "connect %s", path);
    return fd;
}

int main(int argc, char *argv[])
{
    int seconds = 10, opt;
    char reply[MSG_MAX + 1];

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't' || (seconds = parse_seconds(optarg)) == -1)
            usage();
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *path = argv[optind];
    const char *message = argc - optind == 2 ? argv[optind + 1] : "hello from a client";
    if (strlen(message) > MSG_MAX)
        errx(1, "message too long: %zu bytes, at most %d", strlen(message), MSG_MAX);

    int fd = connect_to(path);
    if (send_msg(fd, message, strlen(message)) == -1)
        err(1, "send to %s", path);
    int len = recv_msg(fd, reply, seconds);
    if (len == RECV_EOF)
        errx(1, "the server closed the connection without a reply");
    if (len == RECV_BAD)
        errx(1, "reply from %s: %s", path, recv_problem(errno));
    make_printable(reply, (size_t)len);
    printf("message from server: %s\n", reply);
    close(fd);
    return 0;
}
