/* dgram_client.c -- sends one datagram to dgram_server and prints the reply.
 * Usage:  dgram_client [-t seconds] [-b own-path] server-path [message]
 * Shows:  a datagram client must bind an address of its own, or the server
 *         has nowhere to send the answer: it binds own-path (default
 *         dgram_client.PID.sock in the current directory) and removes it on
 *         every way out, SIGINT and SIGTERM included. connect(2) on a
 *         datagram socket fixes the peer: send(2) needs no address, and only
 *         the server's datagrams are received. A server that does not answer
 *         within -t seconds (default 5), or whose queue stays full that long,
 *         is an error, never a hang.
 * Mirrors: nothing in the lectures (see dgram_server.c). */
#define _POSIX_C_SOURCE 200809L /* sockets, sigaction, pselect */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static const char *own_path; /* removed at exit once it is bound */

static void usage(void)
{
    fprintf(stderr,
            "usage: dgram_client [-t seconds] [-b own-path] server-path [message]\n");
    exit(2);
}

/* atexit: err() and errx() exit too, so every way out removes the file. */
static void remove_own_path(void)
{
    if (own_path != NULL)
        unlink(own_path);
}

/* Bind our own name, then connect to the server's. */
static int open_socket(const char *own, const char *server)
{
    struct sockaddr_un me, peer;
    socklen_t me_len = unix_address(&me, own);
    socklen_t peer_len = unix_address(&peer, server);

    claim_socket_path(own, SOCK_DGRAM);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (bind_private(fd, &me, me_len) == -1)
        err(1, "bind %s", own);
    own_path = own;
    /* ENOENT: no such socket; ECONNREFUSED: a socket file nobody reads. */
    if (connect(fd, (struct sockaddr *)&peer, peer_len) == -1)
        err(1, "connect %s", server);
    return fd;
}

/* Send without waiting in send(): a server that does not read leaves its
 * queue full, and a blocking send() would sleep there with SIGINT and SIGTERM
 * blocked (catch_stop_signals), deaf to them. Wait for room in pselect()
 * instead, which lets them in, for at most SECONDS. */
static void send_datagram(int fd, const char *server, const char *message, int seconds)
{
    struct timespec limit = {seconds, 0};
    fd_set writable;

    while (send(fd, message, strlen(message), MSG_DONTWAIT) == -1) {
        if (errno != EAGAIN)
            err(1, "send to %s", server);
        FD_ZERO(&writable);
        FD_SET(fd, &writable);
        int ready = pselect(fd + 1, NULL, &writable, NULL, &limit, &wait_mask);
        if (ready == 0)
            errx(1, "%s took no datagram within %d s: its queue is full", server, seconds);
        if (ready == -1)
            err(1, "waiting to send to %s", server);
    }
}

int main(int argc, char *argv[])
{
    int seconds = 5, opt;
    char own_default[64], reply[MSG_MAX + 1];
    const char *own = NULL;

    while ((opt = getopt(argc, argv, "b:t:")) != -1) {
        if (opt == 'b')
            own = optarg;
        else if (opt != 't' || (seconds = parse_seconds(optarg)) == -1)
            usage();
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *server = argv[optind];
    const char *message = argc - optind == 2 ? argv[optind + 1] : "hello from a client";
    if (strlen(message) > MSG_MAX)
        errx(1, "message too long: %zu bytes, at most %d", strlen(message), MSG_MAX);
    if (own == NULL) {
        snprintf(own_default, sizeof own_default, "dgram_client.%ld.sock",
                 (long)getpid());
        own = own_default;
    }

    catch_stop_signals();
    if (atexit(remove_own_path) != 0)
        errx(1, "atexit failed");
    int fd = open_socket(own, server);
    send_datagram(fd, server, message, seconds);
    int ready = wait_fd(fd, seconds);
    if (ready == 0)
        errx(1, "no reply from %s within %d s", server, seconds);
    if (ready == -1)
        err(1, "waiting for the reply");
    ssize_t len = recv(fd, reply, MSG_MAX, 0);
    if (len == -1)
        err(1, "recv");
    reply[len] = '\0'; /* len <= MSG_MAX: inside the array */
    make_printable(reply, (size_t)len);
    printf("reply from server: %s\n", reply);
    return 0;
}
