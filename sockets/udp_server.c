/* udp_server.c -- UDP server: answers every datagram with its text in upper case.
 * Usage:  udp_server port [address]
 * Shows:  connectionless sockets: no listen, no accept, one socket for every
 *         client; recvmsg(2) tells who sent each datagram and whether it was
 *         cut short (MSG_TRUNC); sendto(2) answers that sender. A datagram is a
 *         message: no framing is needed, but it can be lost.
 * Mirrors: LG "connectionless sockets are left as an exercise". */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux, POSIX.1-2024) */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "inet.h"

#define MAX_DATAGRAM 1024
#define TOO_LONG "error: datagram longer than 1024 bytes"

static volatile sig_atomic_t stop;

static void usage(void)
{
    fprintf(stderr, "usage: udp_server port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

/* The stop signals stay blocked except inside ppoll: none is lost between the
 * test of the flag and the wait. */
static void catch_stop_signals(sigset_t *during_poll)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, during_poll) == -1)
        err(1, "sigprocmask");
}

/* Receive one datagram and answer its sender. */
static void answer_one(int fd)
{
    char buf[MAX_DATAGRAM], ip[INET_ADDRSTRLEN];
    struct sockaddr_in peer;
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
    struct msghdr msg;

    memset(&msg, 0, sizeof msg);
    msg.msg_name = &peer;
    msg.msg_namelen = sizeof peer; /* in-out, like accept's length */
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n == -1) {
        if (errno != EINTR)
            warn("recvmsg");
        return;
    }
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    const char *reply = buf;
    size_t len = (size_t)n;
    if (msg.msg_flags & MSG_TRUNC) { /* the rest of it is gone: say so */
        printf("udp_server: %s:%d: datagram too long, cut\n", ip, ntohs(peer.sin_port));
        reply = TOO_LONG;
        len = strlen(TOO_LONG);
    } else {
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        printf("udp_server: %s:%d: %zd bytes\n", ip, ntohs(peer.sin_port), n);
    }
    if (sendto(fd, reply, len, 0, (struct sockaddr *)&peer, msg.msg_namelen) == -1)
        warn("sendto %s:%d", ip, ntohs(peer.sin_port)); /* that client's problem */
}

int main(int argc, char *argv[])
{
    sigset_t mask;

    if (argc < 2 || argc > 3)
        usage();
    int port = parse_port(argv[1]);
    const char *address = argc == 3 ? argv[2] : "127.0.0.1";
    if (port < 0 || !valid_address(address))
        usage();

    setvbuf(stdout, NULL, _IOLBF, 0);
    catch_stop_signals(&mask);
    int fd = listen_inet("udp_server", SOCK_DGRAM, address, port);
    while (!stop) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = ppoll(&pfd, 1, NULL, &mask);
        if (n == -1 && errno != EINTR)
            err(1, "ppoll");
        if (n > 0)
            answer_one(fd);
    }
    close(fd);
    printf("udp_server: stopped\n");
    return 0;
}
