/* client.c -- UNIX domain stream client: sends server a message, prints the reply.
 * Usage:  client socket-file [message]
 * Shows:  socket(PF_UNIX, SOCK_STREAM), connect(2) to the server's path, then
 *         write(2) of one message (a line: usock.h) and read(2) of the reply
 *         until the server closes the connection: the same socket carries both
 *         ways. The message is "hello from a client" unless one is given.
 * Limits: no time limit: a server that never answers (or never closes) holds the
 *         client until it is stopped (peercred, fd_recv and dgram_client have one).
 * Mirrors: SYS domain_sock/client.c (client_connect). */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void client_connect(const char *fileName, const char *message)
{
    struct sockaddr_un address;
    char buffer[MESSAGE_MAX + 2]; /* a line and a NUL: request, then reply */
    size_t nBytes = 0;
    ssize_t n;

    int socket_fd = socket(PF_UNIX, SOCK_STREAM, 0);
    if (socket_fd == -1)
        err(1, "socket");
    /* The slide's sprintf(address.sun_path, fileName) takes the path as a format,
     * and a long one overflows sun_path (108 bytes on Linux). */
    if (strlen(fileName) >= sizeof address.sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(fileName), sizeof address.sun_path - 1, fileName);
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    strcpy(address.sun_path, fileName);
    /* ENOENT: no such socket; ECONNREFUSED: a socket file nobody listens on. */
    if (connect(socket_fd, (struct sockaddr *)&address, sizeof address) == -1)
        err(1, "connect %s", fileName);

    int len = snprintf(buffer, sizeof buffer, "%s\n", message);
    for (int sent = 0; sent < len; sent += (int)n) /* write() may take less */
        if ((n = write(socket_fd, buffer + sent, (size_t)(len - sent))) == -1)
            err(1, "write");

    /* The slide reads once, as if one read() were the whole reply, and its
     * buffer[nBytes] = 0 writes past buffer after a full read, or at
     * buffer[-1] when read() fails. The reply ends where the stream ends. */
    while (nBytes < sizeof buffer - 1 &&
           (n = read(socket_fd, buffer + nBytes, sizeof buffer - 1 - nBytes)) > 0)
        nBytes += (size_t)n;
    if (n == -1)
        err(1, "read");
    if (nBytes == 0)
        errx(1, "the server closed the connection without a reply");
    if (nBytes == sizeof buffer - 1)
        errx(1, "the reply is longer than %d bytes", MESSAGE_MAX);
    buffer[nBytes] = '\0';
    buffer[strcspn(buffer, "\n")] = '\0';
    for (char *p = buffer; *p != '\0'; p++) /* control bytes never reach a terminal raw */
        *p = (unsigned char)*p < ' ' || *p == 0x7f ? '?' : *p;
    printf("message from server: %s\n", buffer);
    close(socket_fd);
}

int main(int argc, char *argv[])
{
    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: client socket-file [message]\n");
        return 2;
    }
    const char *message = argc == 3 ? argv[2] : "hello from a client";
    if (strlen(message) > MESSAGE_MAX)
        errx(1, "message too long: %zu bytes, at most %d", strlen(message), MESSAGE_MAX);
    if (strchr(message, '\n') != NULL)
        errx(1, "a message is one line: it holds no newline");
    client_connect(argv[1], message);
    return 0;
}
