/* client.c -- TCP client: sends each line of stdin to a server and prints the reply line.
 * Usage:  client port [host]
 * Shows:  getaddrinfo(3) and connect(2) tried on each address of the host,
 *         writing a whole line even when send(2) is short, and reading the
 *         reply as a line: a stream socket has no message boundaries, so one
 *         read() is not one message.
 * Mirrors: LG "client.c" (TCP on loopback), CE 07_socket_client.c. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, fdopen, MSG_NOSIGNAL */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LINE 1024 /* the server's limit: 1023 bytes and the '\n' */

static void usage(void)
{
    fprintf(stderr, "usage: client port [host]\n");
    exit(2);
}

static const char *parse_port(const char *s)
{
    char *end;
    long port = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || port < 1 || port > 65535)
        usage();
    return s;
}

/* Connect to the first address of host that accepts. */
static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *list;
    int fd = -1, saved = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC; /* IPv4 or IPv6, whatever the name gives */
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        errx(1, "%s: %s", host, gai_strerror(rc));
    for (struct addrinfo *a = list; a != NULL && fd == -1; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == -1) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd == -1) {
        errno = saved;
        err(1, "connect to %s port %s", host, port);
    }
    return fd;
}

/* write(2) may send less than asked: loop until all of it is gone. */
static void send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL); /* a closed server: EPIPE */
        if (n == -1) {
            if (errno == EINTR)
                continue;
            err(1, "send");
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Read one reply line; a NUL, an over-long or unfinished line is an error. */
static void read_reply(FILE *from_server, char *reply, int size)
{
    if (fgets(reply, size, from_server) == NULL) {
        if (ferror(from_server))
            err(1, "read from server");
        errx(1, "the server closed the connection");
    }
    size_t len = strlen(reply);
    if (len == 0 || reply[len - 1] != '\n')
        errx(1, "the server's reply is not one line of text");
}

int main(int argc, char *argv[])
{
    char reply[MAX_LINE + 1];
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    if (argc < 2 || argc > 3)
        usage();
    const char *port = parse_port(argv[1]);
    const char *host = argc == 3 ? argv[2] : "127.0.0.1";

    int fd = connect_to(host, port);
    FILE *from_server = fdopen(fd, "r"); /* stdio finds the line ends for us */
    if (from_server == NULL)
        err(1, "fdopen");
    while ((len = getline(&line, &size, stdin)) != -1) {
        if (line[len - 1] == '\n')
            len--;
        if (len > MAX_LINE - 1)
            errx(1, "a line of input is longer than %d bytes", MAX_LINE - 1);
        if (memchr(line, '\0', (size_t)len) != NULL)
            errx(1, "a line of input holds a NUL byte: this protocol carries text");
        line[len++] = '\n'; /* also frames a last line that had no newline */
        send_all(fd, line, (size_t)len);
        read_reply(from_server, reply, sizeof reply);
        fputs(reply, stdout);
        fflush(stdout);
    }
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    fclose(from_server); /* closes fd too */
    return 0;
}
