/* half_close.c -- a TCP client that sends all of its stdin, half-closes the
 * connection, and still reads the whole answer.
 * Usage:  half_close [-t seconds] port [host]
 * Shows:  shutdown(2) with SHUT_WR: "I have nothing more to send". The server
 *         reads EOF, yet the socket stays open the other way, and the answer
 *         keeps coming until the server closes its end: that EOF says the answer
 *         is complete (client.c has to count the bytes instead). close(2) would
 *         end both ways, and what arrives later is answered with a reset; no
 *         shutdown at all, and a server that reads to EOF never sees the end.
 *         poll(2) watches stdin and the socket, and the client writes only what
 *         the socket takes at once, so a long input cannot leave both sides
 *         blocked in write(). After the half-close the server must send within
 *         -t seconds (default 10): a silent server is an error, not a hang.
 * Beyond: client.c (LG client.c, CE 07_socket_client.c); UNP ch. 6.6, TLPI ch. 61.2. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, MSG_NOSIGNAL */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: half_close [-t seconds] port [host]\n");
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

/* Every address of host (IPv4 or IPv6) in turn, until one connects. */
static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *list;
    int fd = -1, saved = 0;

    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        errx(1, "%s: %s", host, gai_strerror(rc));
    for (struct addrinfo *a = list; a != NULL && fd == -1; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd != -1 && connect(fd, a->ai_addr, a->ai_addrlen) == -1) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    errno = saved;
    if (fd == -1)
        err(1, "connect to %s port %s", host, port);
    return fd;
}

/* Copy the answer that is there to stdout. Returns 0 once the server has closed. */
static int take_answer(int sock)
{
    char buf[4096];
    ssize_t n = read(sock, buf, sizeof buf);

    if (n == -1)
        err(1, "read"); /* -1 is an error, never a length */
    if (n > 0 && fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
        err(1, "stdout");
    return n > 0;
}

int main(int argc, char *argv[])
{
    char out[4096];
    size_t pending = 0, sent = 0; /* out[sent..pending) still to go */
    int opt, seconds = 10, input_done = 0;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        seconds = (int)parse_number(optarg, 1, 3600);
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    parse_number(argv[optind], 1, 65535);
    int sock =
        connect_to(argc - optind == 2 ? argv[optind + 1] : "127.0.0.1", argv[optind]);

    for (;;) {
        /* Read stdin only when all of the last piece has gone: the socket decides. */
        struct pollfd p[2] = {
            {.fd = input_done || pending > 0 ? -1 : STDIN_FILENO, .events = POLLIN},
            {.fd = sock, .events = POLLIN | (pending > 0 ? POLLOUT : 0)},
        };
        int n = poll(p, 2, input_done ? seconds * 1000 : -1);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            err(1, "poll");
        if (n == 0)
            errx(1, "the server sent nothing for %d s after the half-close", seconds);
        if (p[0].revents) {
            ssize_t r = read(STDIN_FILENO, out, sizeof out);
            if (r == -1)
                err(1, "stdin");
            pending = (size_t)r;
            sent = 0;
            /* The end of the input: half-close. The server reads EOF; we read on. */
            if (r == 0 && shutdown(sock, SHUT_WR) == -1)
                err(1, "shutdown");
            input_done = r == 0;
        }
        if (p[1].revents & POLLOUT) { /* only what fits now: never block in send */
            ssize_t w =
                send(sock, out + sent, pending - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (w == -1 && errno != EAGAIN)
                err(1, "send"); /* EPIPE: the server is gone */
            if (w > 0 && (sent += (size_t)w) == pending)
                pending = 0;
        }
        if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !take_answer(sock))
            break;
    }
    if (!input_done)
        errx(1, "the server closed the connection before it had all the input");
    if (fflush(stdout) == EOF || ferror(stdout))
        err(1, "stdout");
    close(sock);
    return 0;
}
