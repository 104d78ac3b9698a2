/* udp_client.c -- UDP client: each line of stdin is one datagram; prints each reply.
 * Usage:  udp_client [-t seconds] port [host]
 * Shows:  a connected UDP socket (connect(2) only sets the default peer and
 *         filters what comes back: no handshake), send(2)/recv(2), and a time
 *         limit with poll(2): a datagram or its reply can be lost, and with no
 *         server listening nothing may ever come, so the client gives up.
 * Mirrors: LG "connectionless sockets are left as an exercise". */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, getline, getopt */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DATAGRAM 1024

static void usage(void)
{
    fprintf(stderr, "usage: udp_client [-t seconds] port [host]\n");
    exit(2);
}

static long parse_number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < min || n > max)
        usage();
    return n;
}

/* IPv4, as udp_server is; connect() fixes the peer of every send and recv. */
static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *a;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    int rc = getaddrinfo(host, port, &hints, &a);
    if (rc != 0)
        errx(1, "%s: %s", host, gai_strerror(rc));
    int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd == -1)
        err(1, "socket");
    if (connect(fd, a->ai_addr, a->ai_addrlen) == -1)
        err(1, "connect to %s port %s", host, port);
    freeaddrinfo(a);
    return fd;
}

/* Wait at most seconds for the reply to the datagram just sent. */
static ssize_t await_reply(int fd, char *buf, size_t size, int seconds, const char *where)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int n = poll(&pfd, 1, seconds * 1000);
    if (n == -1)
        err(1, "poll");
    if (n == 0)
        errx(1, "no reply from %s within %d s: is the server running?", where, seconds);
    ssize_t len = recv(fd, buf, size, 0);
    if (len == -1) /* ECONNREFUSED: an ICMP "port unreachable" came back */
        err(1, "no server at %s", where);
    for (ssize_t i = 0; i < len; i++) /* a peer's control bytes: never printed raw */
        buf[i] = (unsigned char)buf[i] < ' ' || buf[i] == 0x7f ? '?' : buf[i];
    return len;
}

int main(int argc, char *argv[])
{
    char reply[MAX_DATAGRAM], where[300];
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int opt, seconds = 3;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        seconds = (int)parse_number(optarg, 1, 3600);
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *port = argv[optind];
    parse_number(port, 1, 65535);
    const char *host = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    snprintf(where, sizeof where, "%s port %s", host, port);

    int fd = connect_to(host, port);
    while ((len = getline(&line, &size, stdin)) != -1) {
        if (len > 0 && line[len - 1] == '\n')
            len--; /* the datagram itself is the frame: no newline needed */
        if (len > MAX_DATAGRAM)
            errx(1, "a line of input is longer than %d bytes", MAX_DATAGRAM);
        if (send(fd, line, (size_t)len, 0) == -1)
            err(1, "send to %s", where);
        ssize_t n = await_reply(fd, reply, sizeof reply, seconds, where);
        printf("%.*s\n", (int)n, reply);
        fflush(stdout);
    }
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    close(fd);
    return 0;
}
