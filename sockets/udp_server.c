/* udp_server.c -- UDP server: answers every datagram with its text in upper case.
 * Usage:  udp_server port [address]
 * Shows:  connectionless sockets: socket(SOCK_DGRAM) and bind(2), but no listen
 *         and no accept: one socket for every client. recvfrom(2) gives each
 *         datagram whole, with the address of its sender, and sendto(2) answers
 *         that address. A datagram is a message (no framing needed), but it can
 *         be lost. One longer than 1024 bytes is cut by recvfrom: the server
 *         sees it (a buffer one byte larger) and answers with an error.
 * Mirrors: LG "connectionless sockets are left as an exercise". */
#define _POSIX_C_SOURCE 200809L /* inet_pton, inet_ntop */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DATAGRAM 1024
#define TOO_LONG "error: datagram longer than 1024 bytes"

static void usage(void)
{
    fprintf(stderr, "usage: udp_server port [address]\n");
    exit(2);
}

/* Nothing outlives the server: the handler says so and ends it at once. */
static void on_stop(int sig)
{
    static const char msg[] = "udp_server: stopped\n";
    (void)sig;
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* Receive one datagram and answer its sender. */
static void answer_one(int sock)
{
    char buf[MAX_DATAGRAM + 1], ip[INET_ADDRSTRLEN]; /* + 1: to see one too long */
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out, like accept's */

    ssize_t n = recvfrom(sock, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);
    if (n == -1) {
        warn("recvfrom");
        return;
    }
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    const char *reply = buf;
    if (n > MAX_DATAGRAM) { /* the rest of it is gone: say so */
        printf("udp_server: %s:%d: datagram too long, cut\n", ip, ntohs(peer.sin_port));
        reply = TOO_LONG;
        n = (ssize_t)strlen(TOO_LONG);
    } else {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        printf("udp_server: %s:%d: %zd bytes\n", ip, ntohs(peer.sin_port), n);
    }
    if (sendto(sock, reply, (size_t)n, 0, (struct sockaddr *)&peer, len) == -1)
        warn("sendto %s:%d", ip, ntohs(peer.sin_port)); /* that client's problem */
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    char *end;

    if (argc < 2 || argc > 3)
        usage();
    long port = strtol(argv[1], &end, 10);
    const char *address = argc == 3 ? argv[2] : "127.0.0.1";
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535 ||
        inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (signal(SIGTERM, on_stop) == SIG_ERR || signal(SIGINT, on_stop) == SIG_ERR)
        err(1, "signal");

    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock == -1)
        err(1, "socket");
    if (bind(sock, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %ld", address, port);
    if (getsockname(sock, (struct sockaddr *)&addr, &len) == -1)
        err(1, "getsockname");
    printf("udp_server: listening on %s port %d\n", address, ntohs(addr.sin_port));
    for (;;)
        answer_one(sock);
}
