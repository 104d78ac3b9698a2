/* socket_client.c -- ALP's local-namespace client: sends texts to socket_server.
 * Usage:  socket_client socket-path [text]
 * Shows:  connect(2), then one framed message per text on the same
 *         connection: the text given, or else every line of stdin, so that
 *         `printf 'a\nb\n' | socket_client sock` sends two texts. However the
 *         bytes are split or joined on the way, the server prints each text on
 *         its own line. Send "quit" to stop the server.
 * Mirrors: ALP listing 5.11 "socket-client.c". */
#define _POSIX_C_SOURCE 200809L /* sockets, getline */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static void usage(void)
{
    fprintf(stderr, "usage: socket_client socket-path [text]\n");
    exit(2);
}

static void send_text(int fd, const char *text, size_t len)
{
    if (len > MSG_MAX)
        errx(1, "text too long: %zu bytes, at most %d", len, MSG_MAX);
    if (send_msg(fd, text, len) == -1)
        err(1, "send");
}

/* Every line of stdin, without its newline, as one text. */
static void send_lines(int fd)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    while ((len = getline(&line, &size, stdin)) != -1) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        send_text(fd, line, (size_t)len);
    }
    if (ferror(stdin))
        err(1, "read stdin");
    free(line);
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr;

    if (argc < 2 || argc > 3 || argv[1][0] == '-')
        usage();
    socklen_t len = unix_address(&addr, argv[1]);

    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (connect(fd, (struct sockaddr *)&addr, len) == -1)
        err(1, "connect %s", argv[1]);
    if (argc == 3)
        send_text(fd, argv[2], strlen(argv[2]));
    else
        send_lines(fd);
    if (close(fd) == -1)
        err(1, "close");
    return 0;
}
