/* server.c -- TCP server on loopback: sends back in upper case all a client writes.
 * Usage:  server port [address]
 * Shows:  a server's life: socket(2), bind(2) to an address and port (0: any free
 *         one, printed once listen(2) is done), listen(2), accept(2), then read(2)
 *         and write(2) in turn until the client closes, close(2), and accept again.
 * Limits: the slide's design, one client at a time: the next waits in the listen
 *         queue, so a client that connects and says nothing holds up all the others
 *         until it leaves (fork_server and poll_server lift this). It owns nothing
 *         that outlives it: Ctrl-C or SIGTERM ends it, the kernel closes its sockets.
 * Mirrors: LG "server.c" (TCP on loopback), CE 07_socket_server.c. */
#define _POSIX_C_SOURCE 200809L /* inet_pton, inet_ntop */

#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: server port [address]\n");
    exit(2);
}

/* The address to bind: a port (0: any) and an IPv4 address, in network byte order. */
static void server_address(struct sockaddr_in *addr, const char *port, const char *ip)
{
    char *end;
    long n = strtol(port, &end, 10);

    if (*port == '\0' || *end != '\0' || n < 0 || n > 65535)
        usage();
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((unsigned short)n);
    if (inet_pton(AF_INET, ip, &addr->sin_addr) != 1)
        usage();
}

/* write(2) may take less than it was given: loop until all of it is sent. */
static int write_all(int fd, const char *buf, size_t len)
{
    for (ssize_t n; len > 0; buf += n, len -= (size_t)n)
        if ((n = write(fd, buf, len)) == -1)
            return -1;
    return 0;
}

/* Read, then write back what was read in upper case, until the client closes. No
 * framing is needed: however TCP splits the bytes, each comes back, in order. */
static void serve(int conn, const struct sockaddr_in *client)
{
    char buf[1024], ip[INET_ADDRSTRLEN], name[INET_ADDRSTRLEN + 8];
    ssize_t n;
    long long total = 0;

    inet_ntop(AF_INET, &client->sin_addr, ip, sizeof ip);
    snprintf(name, sizeof name, "%s:%d", ip, ntohs(client->sin_port));
    printf("server: %s connected\n", name);
    while ((n = read(conn, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        if (write_all(conn, buf, (size_t)n) == -1) {
            warn("write to %s", name); /* EPIPE: it left without reading */
            break;
        }
        total += n;
    }
    if (n == -1)
        warn("read from %s", name); /* -1 is an error, never a length */
    printf("server: %s closed (%lld bytes answered)\n", name, total);
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr, client;
    socklen_t len = sizeof addr;
    int one = 1;

    if (argc < 2 || argc > 3)
        usage();
    const char *ip = argc == 3 ? argv[2] : "127.0.0.1"; /* the slide's loopback */
    server_address(&addr, argv[1], ip);
    setvbuf(stdout, NULL, _IOLBF, 0);        /* each log line as it happens */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a client gone: EPIPE, not death */
        err(1, "signal");

    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock == -1)
        err(1, "socket");
    /* Bind at once after a crash, though its connections linger in TIME_WAIT. */
    if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "setsockopt SO_REUSEADDR");
    if (bind(sock, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %s", ip, argv[1]);
    /* The slide (LG l.172) calls the 1 a limit on connections: it only bounds
     * those waiting for accept() (and Linux lets one more wait). */
    if (listen(sock, 1) == -1)
        err(1, "listen");
    if (getsockname(sock, (struct sockaddr *)&addr, &len) == -1)
        err(1, "getsockname");
    printf("server: listening on %s port %d\n", ip, ntohs(addr.sin_port));
    for (;;) {
        len = sizeof client; /* in-out: accept() reads it as the buffer's size */
        int conn = accept(sock, (struct sockaddr *)&client, &len);
        if (conn == -1 && errno == ECONNABORTED)
            continue; /* the client left while it waited in the queue */
        if (conn == -1)
            err(1, "accept");
        serve(conn, &client);
        close(conn);
    }
}
