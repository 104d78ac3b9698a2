/* udp_multicast.c -- one sender, any number of receivers: UDP multicast on loopback.
 * Usage:  udp_multicast -r [-c count] [-i interface] group port    (a receiver)
 *         udp_multicast -s [-i interface] group port               (the sender)
 * Shows:  a datagram sent once to a group address (224.0.0.0/4) reaches every
 *         socket that joined the group. A receiver binds the group's port (port
 *         0: a free one, printed; give it to the others) with SO_REUSEADDR, so
 *         that several can, and joins with IP_ADD_MEMBERSHIP on an interface;
 *         it prints each datagram with its sender, and ends after -c of them.
 *         The sender sends each line of stdin as one datagram, out through the
 *         interface IP_MULTICAST_IF names, with IP_MULTICAST_LOOP on (so the
 *         receivers on this machine get it) and a TTL of 1 (no router passes it
 *         on). The interface is 127.0.0.1 unless -i gives another address:
 *         the lab stays on this machine. UDP keeps no promise: a datagram may
 *         be lost, and no receiver says it got one.
 * Beyond: udp_server.c, udp_client.c (LG "connectionless sockets"); UNP ch. 21. */
#define _DEFAULT_SOURCE /* struct ip_mreq and IP_MULTICAST_*: BSD options, not POSIX */

#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_DATAGRAM 1024

static void usage(void)
{
    fprintf(stderr, "usage: udp_multicast -r [-c count] [-i interface] group port\n"
                    "       udp_multicast -s [-i interface] group port\n");
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

/* Join the group on the interface, and print each datagram until count of them. */
static void receive(struct sockaddr_in *group, struct in_addr interface, long count)
{
    struct ip_mreq join = {.imr_multiaddr = group->sin_addr, .imr_interface = interface};
    char buf[MAX_DATAGRAM + 1], ip[INET_ADDRSTRLEN], where[INET_ADDRSTRLEN];
    socklen_t len = sizeof *group;
    int one = 1;

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    /* Several receivers on one port: each binds it, none is refused. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "setsockopt SO_REUSEADDR");
    /* Bound to the group's address: only the group's datagrams come in. */
    if (bind(fd, (struct sockaddr *)group, sizeof *group) == -1)
        err(1, "bind port %d", ntohs(group->sin_port));
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) == -1)
        err(1, "join the group (IP_ADD_MEMBERSHIP)");
    if (getsockname(fd, (struct sockaddr *)group, &len) == -1)
        err(1, "getsockname");
    inet_ntop(AF_INET, &group->sin_addr, ip, sizeof ip);
    inet_ntop(AF_INET, &interface, where, sizeof where);
    printf("udp_multicast: joined %s port %d on %s\n", ip, ntohs(group->sin_port), where);
    fflush(stdout);
    for (long got = 0; count == 0 || got < count; got++) {
        struct sockaddr_in from;
        len = sizeof from; /* in-out, like accept's */
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
        if (n == -1)
            err(1, "recvfrom");
        const char *cut = n > MAX_DATAGRAM ? " [cut: longer than 1024 bytes]" : "";
        n = n > MAX_DATAGRAM ? MAX_DATAGRAM : n; /* recvfrom dropped the rest */
        for (ssize_t i = 0; i < n; i++) /* a peer's control bytes: never printed raw */
            buf[i] = (unsigned char)buf[i] < ' ' || buf[i] == 0x7f ? '?' : buf[i];
        inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip);
        printf("from %s:%d: %.*s%s\n", ip, ntohs(from.sin_port), (int)n, buf, cut);
        fflush(stdout);
    }
    close(fd);
}

/* Each line of stdin, one datagram to the group, out through the interface. */
static void send_lines(const struct sockaddr_in *group, struct in_addr interface)
{
    unsigned char ttl = 1, loop = 1;
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &interface, sizeof interface) == -1 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) == -1 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) == -1)
        err(1, "setsockopt IP_MULTICAST_*");
    while ((len = getline(&line, &size, stdin)) != -1) {
        if (line[len - 1] == '\n')
            len--; /* the datagram is the frame: no newline needed */
        if (len > MAX_DATAGRAM)
            errx(1, "a line of input is longer than %d bytes", MAX_DATAGRAM);
        if (sendto(fd, line, (size_t)len, 0, (const struct sockaddr *)group,
                   sizeof *group) == -1)
            err(1, "sendto");
    }
    if (ferror(stdin))
        err(1, "stdin");
    free(line);
    close(fd);
}

int main(int argc, char *argv[])
{
    struct sockaddr_in group = {.sin_family = AF_INET};
    struct in_addr interface = {.s_addr = htonl(INADDR_LOOPBACK)};
    int opt, role = 0;
    long count = 0;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "rsc:i:")) != -1) {
        if (opt == 'r' || opt == 's')
            role = role == 0 ? opt : '?';
        else if (opt == 'c')
            count = parse_number(optarg, 1, 1000000);
        else if (opt != 'i' || inet_pton(AF_INET, optarg, &interface) != 1)
            usage();
    }
    if (argc - optind != 2 || role == 0 || role == '?' || (role == 's' && count != 0))
        usage();
    if (inet_pton(AF_INET, argv[optind], &group.sin_addr) != 1 ||
        !IN_MULTICAST(ntohl(group.sin_addr.s_addr)))
        usage(); /* a group is an address of 224.0.0.0/4 */
    group.sin_port =
        htons((unsigned short)parse_number(argv[optind + 1], role == 'r' ? 0 : 1, 65535));
    if (role == 'r')
        receive(&group, interface, count);
    else
        send_lines(&group, interface);
    return 0;
}
