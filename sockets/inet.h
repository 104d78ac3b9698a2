/* inet.h -- what the servers of sockets/ share: their port and address
 * arguments, and a socket bound to them that says which port it got.
 * Header only (every function static inline: a program that uses only some
 * of them gets no unused-function warning), so that each server still
 * builds on its own: cc -o server server.c. The program defines its
 * feature-test macro before including it. */
#ifndef INET_H
#define INET_H

#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A port argument: 0 to 65535, where 0 asks for any free port; -1 if it is not one. */
static inline int parse_port(const char *s)
{
    char *end;
    long port = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || port < 0 || port > 65535)
        return -1;
    return (int)port;
}

/* An address to bind: numeric IPv4 only (0.0.0.0 for every interface). */
static inline int valid_address(const char *s)
{
    struct in_addr ip;
    return inet_pton(AF_INET, s, &ip) == 1;
}

/* A socket of the given type (SOCK_STREAM or SOCK_DGRAM) bound to address:port,
 * listening if it is a stream. Then, and only then, the readiness line
 * "PROG: listening on ADDRESS port N" with the port really bound. */
static inline int listen_inet(const char *prog, int type, const char *address, int port)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int one = 1;

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, address, &addr.sin_addr); /* checked by valid_address */
    int fd = socket(AF_INET, type, 0);
    if (fd == -1)
        err(1, "socket");
    /* Without it, a restart right after a crash finds the port held by the
     * dead server's connections in TIME_WAIT and bind fails. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "setsockopt SO_REUSEADDR");
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %d", address, port);
    if (type == SOCK_STREAM && listen(fd, SOMAXCONN) == -1)
        err(1, "listen");
    if (getsockname(fd, (struct sockaddr *)&addr, &len) == -1)
        err(1, "getsockname");
    printf("%s: listening on %s port %d\n", prog, address, ntohs(addr.sin_port));
    fflush(stdout);
    return fd;
}

#endif
