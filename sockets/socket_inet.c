/* socket_inet.c -- fetch a page from a web server and print the whole reply.
 * Usage:  socket_inet host [port [path]]
 * Shows:  a TCP client of a real protocol: getaddrinfo(3) for the host's
 *         addresses (IPv4 or IPv6), connect(2), an HTTP/1.0 GET written in
 *         full, then read(2) until the server closes: status line, headers and
 *         page are printed as they arrive. A time limit on each read keeps a
 *         silent server from holding the program forever.
 * Mirrors: ALP listing 5.12 "socket-inet.c", CE telnet to a web server on port 80. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, MSG_NOSIGNAL */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define READ_LIMIT 10 /* seconds a server may stay silent */

static void usage(void)
{
    fprintf(stderr, "usage: socket_inet host [port [path]]\n");
    exit(2);
}

static void check_port(const char *s)
{
    char *end;
    long port = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || port < 1 || port > 65535)
        usage();
}

/* The path goes into the request line: it must start with '/' and hold no
 * space or control character, or it could end the line and add headers. */
static void check_path(const char *s)
{
    if (s[0] != '/' || strlen(s) > 1000)
        usage();
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p <= ' ' || *p == 0x7f)
            usage();
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *list;
    int fd = -1, saved = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
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

static void send_request(int fd, const char *host, const char *path)
{
    char request[1400];
    /* HTTP/1.0 with a Host header: today's servers answer it, where the
     * bare "GET /" of HTTP/0.9 is refused or ignored. */
    int len = snprintf(request, sizeof request,
                       "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n",
                       path, host);
    if (len < 0 || (size_t)len >= sizeof request)
        errx(1, "request too long");
    for (const char *p = request; len > 0;) {
        ssize_t n = send(fd, p, (size_t)len, MSG_NOSIGNAL);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            err(1, "send");
        }
        p += n;
        len -= (int)n;
    }
}

/* Copy everything the server sends to stdout, until it closes. */
static void print_reply(int fd)
{
    char buf[4096];
    struct timeval limit = {.tv_sec = READ_LIMIT};

    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt SO_RCVTIMEO");
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return; /* the end of the page: HTTP/1.0 closes the connection */
        if (n == -1) { /* an error, never a length */
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                errx(1, "the server sent nothing for %d s", READ_LIMIT);
            err(1, "read");
        }
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            err(1, "stdout");
    }
}

int main(int argc, char *argv[])
{
    if (argc < 2 || argc > 4 || argv[1][0] == '-') /* -h, --help: no host */
        usage();
    const char *host = argv[1];
    const char *port = argc > 2 ? argv[2] : "80";
    const char *path = argc > 3 ? argv[3] : "/";
    check_port(port);
    check_path(path);

    int fd = connect_to(host, port);
    send_request(fd, host, path);
    print_reply(fd);
    close(fd);
    if (fflush(stdout) == EOF || ferror(stdout))
        err(1, "stdout");
    return 0;
}
