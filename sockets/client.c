/* client.c -- TCP client: sends each line of stdin to server and prints what comes back.
 * Usage:  client port [address]
 * Shows:  socket(2), the server's address in a struct sockaddr_in (the port and
 *         the IPv4 address in network byte order), connect(2), then write(2)
 *         and read(2) in turn. A stream has no message boundaries, so one read()
 *         is not one reply: the client knows how many bytes it sent, and reads
 *         until as many have come back. With no server running, connect() fails:
 *         "Connection refused".
 * Mirrors: LG "client.c" (TCP on loopback), CE 07_socket_client.c. */
#define _POSIX_C_SOURCE 200809L /* inet_pton, getline */

#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 4096 /* written, then read back, before the next: see exchange() */

static void usage(void)
{
    fprintf(stderr, "usage: client port [address]\n");
    exit(2);
}

static void server_address(struct sockaddr_in *addr, const char *port, const char *ip)
{
    char *end;
    long n = strtol(port, &end, 10);

    if (*port == '\0' || *end != '\0' || n < 1 || n > 65535)
        usage();
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((unsigned short)n);
    if (inet_pton(AF_INET, ip, &addr->sin_addr) != 1)
        usage();
}

/* Write len bytes (len <= CHUNK), then read until len bytes have come back and
 * print them. A whole line at once could deadlock on a long line: we would block
 * in write() while the server blocks writing replies we do not read yet. */
static void exchange(int sock, const char *data, size_t len)
{
    char reply[CHUNK];
    size_t got = 0;

    for (size_t sent = 0; sent < len;) { /* write() may take less than asked */
        ssize_t n = write(sock, data + sent, len - sent);
        if (n == -1)
            err(1, "write");
        sent += (size_t)n;
    }
    while (got < len) {
        ssize_t n = read(sock, reply + got, len - got);
        if (n <= 0) {
            fwrite(reply, 1, got, stdout); /* the server's last words, if any */
            if (n == -1)
                err(1, "read");
            errx(1, "the server closed the connection");
        }
        got += (size_t)n;
    }
    fwrite(reply, 1, len, stdout);
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr;
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    if (argc < 2 || argc > 3)
        usage();
    const char *ip = argc == 3 ? argv[2] : "127.0.0.1";
    server_address(&addr, argv[1], ip);
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a server gone: EPIPE, not death */
        err(1, "signal");

    /* The slide (LG l.178) binds the client's socket to a name: no bind() is
     * needed, connect() gives the socket a free port of its own. */
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock == -1)
        err(1, "socket");
    if (connect(sock, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "connect to %s port %s", ip, argv[1]);

    while ((len = getline(&line, &size, stdin)) != -1) {
        if (line[len - 1] != '\n') /* a last line without one: the server */
            line[len++] = '\n';    /* may wait for it (poll_server does) */
        for (ssize_t done = 0; done < len; done += CHUNK)
            exchange(sock, line + done,
                     len - done < CHUNK ? (size_t)(len - done) : CHUNK);
        fflush(stdout);
    }
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    close(sock);
    return 0;
}
