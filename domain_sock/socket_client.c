/* socket_client.c -- ALP's local-namespace client: sends texts to socket_server.
 * Usage:  socket_client socket-file [text]
 * Shows:  socket(PF_LOCAL, SOCK_STREAM), connect(2), then write_text() for each
 *         text: its length first, then the text (usock.h), so that the server
 *         can tell where one text ends. The text given, or else every line of
 *         stdin, one text per line. The text "quit" stops the server.
 * Mirrors: ALP listing 5.11 "socket-client.c". */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <arpa/inet.h>
#include <err.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

/* write(2) may take less than it was given: loop until all of it is sent. */
static void write_all(int fd, const void *buf, size_t len)
{
    for (size_t sent = 0; sent < len;) {
        ssize_t n = write(fd, (const char *)buf + sent, len - sent);
        if (n == -1)
            err(1, "write");
        sent += (size_t)n;
    }
}

/* The slide (ALP) sends the length as a host-order int and the text's NUL. */
static void write_text(int socket_fd, const char *text, size_t len)
{
    uint32_t length = htonl((uint32_t)len);

    if (len > TEXT_MAX)
        errx(1, "text too long: %zu bytes, at most %d", len, TEXT_MAX);
    write_all(socket_fd, &length, sizeof length);
    write_all(socket_fd, text, len);
}

int main(int argc, char *argv[])
{
    struct sockaddr_un name;
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: socket_client socket-file [text]\n");
        return 2;
    }
    const char *socket_name = argv[1];
    int socket_fd = socket(PF_LOCAL, SOCK_STREAM, 0);
    if (socket_fd == -1)
        err(1, "socket");
    /* The slide's strcpy(name.sun_path, socket_name) overflows with a long path. */
    if (strlen(socket_name) >= sizeof name.sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(socket_name), sizeof name.sun_path - 1, socket_name);
    memset(&name, 0, sizeof name);
    name.sun_family = AF_LOCAL;
    strcpy(name.sun_path, socket_name);
    if (connect(socket_fd, (struct sockaddr *)&name, sizeof name) == -1)
        err(1, "connect %s", socket_name);
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) /* a server gone: EPIPE, not death */
        err(1, "signal");

    if (argc == 3)
        write_text(socket_fd, argv[2], strlen(argv[2]));
    while (argc == 2 && (len = getline(&line, &size, stdin)) != -1)
        write_text(socket_fd, line,
                   line[len - 1] == '\n' ? (size_t)len - 1 : (size_t)len);
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    if (close(socket_fd) == -1)
        err(1, "close");
    return 0;
}
