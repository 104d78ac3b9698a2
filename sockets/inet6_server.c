/* inet6_server.c -- a TCP server for IPv6 and IPv4 alike: it tells each client the
 * address it came from.
 * Usage:  inet6_server [-t seconds] port [address]
 * Shows:  getaddrinfo(3) with AI_PASSIVE and AF_UNSPEC turns the address and the
 *         port into a socket address of the right family: nothing below is
 *         written for IPv4 or IPv6 alone (struct sockaddr_storage holds either).
 *         The default address is ::1, IPv6's loopback. "::" is every address of
 *         the machine, and with IPV6_V6ONLY off the one socket takes IPv4 clients
 *         too: they appear as IPv4-mapped IPv6 addresses (::ffff:127.0.0.1).
 *         getnameinfo(3) prints an address of any family. Each line a client
 *         sends (at most 1023 bytes) comes back as "from [address]:port: line".
 *         One client at a time, each for -t seconds at most (default 10).
 * Beyond: server.c (LG server.c, IPv4 only); UNP ch. 12, TLPI ch. 59. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, getnameinfo */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE 1024 /* a line and its '\n' */
#define HOST_MAX 64   /* an address as text: IPv6 (46 bytes), maybe a %scope */
#define ADDR_NAME (HOST_MAX + 16) /* "[address]:port" */

static void usage(void)
{
    fprintf(stderr, "usage: inet6_server [-t seconds] port [address]\n");
    exit(2);
}

/* Nothing outlives the server: the handler says so and ends it at once. */
static void on_stop(int sig)
{
    static const char msg[] = "inet6_server: stopped\n";
    (void)sig;
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* "[address]:port" of any family, numeric (no name lookup). */
static void name_of(const struct sockaddr *sa, socklen_t len, char name[ADDR_NAME])
{
    char host[HOST_MAX], serv[8];
    int rc = getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                         NI_NUMERICHOST | NI_NUMERICSERV);
    if (rc != 0)
        errx(1, "getnameinfo: %s", gai_strerror(rc));
    snprintf(name, ADDR_NAME, "[%s]:%s", host, serv);
}

/* The next read() or write() on fd may wait until the deadline, no longer. */
static int time_left(int fd, time_t deadline)
{
    struct timeval left = {.tv_sec = deadline - time(NULL)};

    errno = EAGAIN; /* what a read or write that ran out of time says */
    return left.tv_sec > 0 &&
           setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &left, sizeof left) == 0 &&
           setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &left, sizeof left) == 0;
}

/* Send all of buf within the time left; -1 (errno EAGAIN: time is up) if not. */
static int send_all(int fd, const char *buf, size_t len, time_t deadline)
{
    while (len > 0) {
        ssize_t n = time_left(fd, deadline) ? send(fd, buf, len, MSG_NOSIGNAL) : -1;
        if (n == -1)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Answer each line with "from NAME: line" until the client closes or time is up.
 * Returns why the connection ends. */
static const char *serve(int fd, const char *name, int seconds, unsigned long *lines)
{
    char in[MAX_LINE], out[ADDR_NAME + MAX_LINE + 8];
    size_t len = 0;
    time_t deadline = time(NULL) + seconds;
    char *nl;

    for (;;) {
        ssize_t n = time_left(fd, deadline) ? read(fd, in + len, sizeof in - len) : -1;
        if (n == 0)
            return "closed";
        if (n == -1)
            return errno == EAGAIN ? "its time is up" : strerror(errno);
        len += (size_t)n;
        while ((nl = memchr(in, '\n', len)) != NULL) {
            size_t line = (size_t)(nl - in) + 1;
            int m = snprintf(out, sizeof out, "from %s: %.*s", name, (int)line, in);
            if (send_all(fd, out, (size_t)m, deadline) == -1)
                return errno == EAGAIN ? "its time is up" : strerror(errno);
            memmove(in, in + line, len - line);
            len -= line;
            ++*lines;
        }
        if (len == sizeof in)
            return "a line longer than 1023 bytes";
    }
}

/* socket, bind, listen on the address getaddrinfo makes of address and port. */
static int listen_on(const char *address, const char *port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *a;
    struct sockaddr_storage addr; /* big enough for any family */
    socklen_t len = sizeof addr;
    char name[ADDR_NAME];
    int one = 1, off = 0;

    if (getaddrinfo(address, port, &hints, &a) != 0)
        usage(); /* not a numeric address, or not a port */
    int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "socket");
    /* IPv6 only, or IPv4 too? Linux's default is a sysctl (bindv6only): say it. */
    if (a->ai_family == AF_INET6 &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == -1)
        err(1, "setsockopt IPV6_V6ONLY");
    if (bind(fd, a->ai_addr, a->ai_addrlen) == -1)
        err(1, "bind %s port %s", address, port);
    freeaddrinfo(a);
    if (listen(fd, SOMAXCONN) == -1 || getsockname(fd, (struct sockaddr *)&addr, &len))
        err(1, "listen");
    name_of((struct sockaddr *)&addr, len, name);
    printf("inet6_server: listening on %s\n", name);
    return fd;
}

int main(int argc, char *argv[])
{
    struct sockaddr_storage peer;
    char name[ADDR_NAME], *end;
    int opt, seconds = 10;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        long secs = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt != 't' || *optarg == '\0' || *end != '\0' || secs < 1 || secs > 3600)
            usage();
        seconds = (int)secs;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    long port = strtol(argv[optind], &end, 10); /* getaddrinfo takes 70000 as 4464 */
    if (*argv[optind] == '\0' || *end != '\0' || port < 0 || port > 65535)
        usage();
    const char *address = argc - optind == 2 ? argv[optind + 1] : "::1";
    setvbuf(stdout, NULL, _IOLBF, 0); /* each log line as it happens */
    if (signal(SIGTERM, on_stop) == SIG_ERR || signal(SIGINT, on_stop) == SIG_ERR)
        err(1, "signal");
    int listen_fd = listen_on(address, argv[optind]);
    for (;;) {
        socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
        int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
        if (fd == -1 && errno != EINTR && errno != ECONNABORTED)
            warn("accept");
        if (fd == -1)
            continue;
        unsigned long lines = 0;
        name_of((struct sockaddr *)&peer, len, name);
        printf("inet6_server: %s connected\n", name);
        const char *why = serve(fd, name, seconds, &lines);
        printf("inet6_server: %s: %s (%lu lines answered)\n", name, why, lines);
        close(fd);
    }
}
