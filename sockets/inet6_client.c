/* inet6_client.c -- connects to a host by name, over IPv6 or IPv4, whichever works,
 * and sends it each line of stdin.
 * Usage:  inet6_client [-t seconds] host port
 * Shows:  getaddrinfo(3) with AF_UNSPEC gives every address of the host, IPv6
 *         and IPv4 (localhost: ::1 and 127.0.0.1, in the order the system
 *         prefers, RFC 6724); the client tries each in turn until one connects,
 *         and says which ("connected to [::1]:41234"). Then each line of stdin
 *         goes to the server, and the server's one-line answer is printed (as
 *         inet6_server gives it). The server must answer within -t seconds
 *         (default 10): a silent server is an error, never a hang.
 * Beyond: client.c (LG client.c: one IPv4 address); UNP ch. 11, TLPI ch. 59.10. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, getnameinfo, getline */

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define REPLY_MAX 2048 /* an answer line: "from [address]:port: " and a line */

static void usage(void)
{
    fprintf(stderr, "usage: inet6_client [-t seconds] host port\n");
    exit(2);
}

/* Every address of host in turn until one connects; says which, or why none. */
static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *list;
    char addr[64], serv[8];
    int fd = -1, saved = 0;

    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        errx(1, "%s: %s", host, gai_strerror(rc));
    for (struct addrinfo *a = list; a != NULL && fd == -1; a = a->ai_next) {
        if (getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof addr, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0)
            continue;
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd != -1 && connect(fd, a->ai_addr, a->ai_addrlen) == -1) {
            saved = errno;
            warn("connect to [%s]:%s", addr, serv); /* on to the next address */
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    errno = saved;
    if (fd == -1)
        err(1, "no address of %s port %s takes a connection", host, port);
    printf("connected to [%s]:%s\n", addr, serv);
    return fd;
}

int main(int argc, char *argv[])
{
    struct timeval limit = {.tv_sec = 10};
    char reply[REPLY_MAX], *line = NULL, *end;
    size_t size = 0;
    ssize_t len;
    int opt;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        limit.tv_sec = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt != 't' || *optarg == '\0' || *end != '\0' || limit.tv_sec < 1 ||
            limit.tv_sec > 3600)
            usage();
    }
    if (argc - optind != 2 || argv[optind][0] == '-')
        usage();
    long port = strtol(argv[optind + 1], &end, 10); /* getaddrinfo takes 70000 */
    if (*argv[optind + 1] == '\0' || *end != '\0' || port < 1 || port > 65535)
        usage();
    int fd = connect_to(argv[optind], argv[optind + 1]);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt SO_RCVTIMEO");
    FILE *in = fdopen(fd, "r"); /* the answers, a line at a time */
    if (in == NULL)
        err(1, "fdopen");

    while ((len = getline(&line, &size, stdin)) != -1) {
        if (line[len - 1] != '\n') /* a last line without one: the server */
            line[len++] = '\n';    /* waits for it */
        for (ssize_t sent = 0, n; sent < len; sent += n)
            if ((n = send(fd, line + sent, (size_t)(len - sent), MSG_NOSIGNAL)) == -1)
                err(1, "send");
        if (fgets(reply, sizeof reply, in) == NULL) {
            if (ferror(in) && (errno == EAGAIN || errno == EWOULDBLOCK))
                errx(1, "no answer within %ld s", (long)limit.tv_sec);
            if (ferror(in))
                err(1, "read");
            errx(1, "the server closed the connection");
        }
        for (char *p = reply; *p != '\0'; p++) /* control bytes: never printed raw */
            if (((unsigned char)*p < ' ' && *p != '\n') || *p == 0x7f)
                *p = '?';
        fputs(reply, stdout);
        fflush(stdout);
    }
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    fclose(in);
    return 0;
}
