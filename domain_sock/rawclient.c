/* rawclient.c -- a misbehaving client, for testing servers: sends its stdin
 * as raw bytes (no framing) and does not read a reply unless asked.
 * Usage:  rawclient [-r] [-w seconds] socket-path
 *         rawclient -d [-b own-path] socket-path
 *         -w  after sending, say so on stdout, then keep the connection
 *             open this long, silent; then (or at once) end the writing
 *         -r  then read whatever the server sends, until it closes, and print it
 *         -d  datagram: stdin (at most 64 KiB) becomes one datagram, sent from
 *             an unnamed socket, or from own-path (-b), which is removed at
 *             once, so that the server's reply has nowhere to go
 * Shows:  what a server must survive: garbage, a message cut short, a client
 *         that says nothing, a client gone before its reply. It also is a raw
 *         stream client, like `nc -U`: `printf 'hi\n' | rawclient -r sock`.
 *         The tests of domain_sock/ use it as their hostile peer.
 * Beyond: client.c (SYS domain_sock); a test tool. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAW_MAX 65536

static void usage(void)
{
    fprintf(stderr, "usage: rawclient [-r] [-w seconds] socket-path\n"
                    "       rawclient -d [-b own-path] socket-path\n");
    exit(2);
}

static socklen_t fill_address(struct sockaddr_un *addr, const char *path)
{
    if (strlen(path) >= sizeof addr->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr->sun_path - 1, path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    strcpy(addr->sun_path, path);
    return (socklen_t)sizeof *addr;
}

/* All of stdin, at most RAW_MAX bytes. */
static size_t read_stdin(char *buf)
{
    size_t got = 0;
    ssize_t r;

    while (got < RAW_MAX && (r = read(STDIN_FILENO, buf + got, RAW_MAX - got)) != 0) {
        if (r == -1)
            err(1, "read stdin");
        got += (size_t)r;
    }
    return got;
}

/* Stream: connect, send the bytes as they are, stay silent, maybe read. */
static void stream(const char *path, int hold, int show_reply)
{
    static char buf[RAW_MAX];
    struct sockaddr_un addr;
    socklen_t len = fill_address(&addr, path);
    size_t n = read_stdin(buf);

    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (connect(fd, (struct sockaddr *)&addr, len) == -1)
        err(1, "connect %s", path);
    for (size_t sent = 0; sent < n;) {
        ssize_t w = send(fd, buf + sent, n - sent, MSG_NOSIGNAL); /* EPIPE, no SIGPIPE */
        if (w == -1)
            err(1, "send");
        sent += (size_t)w;
    }
    if (hold > 0) {
        struct timespec pause = {hold, 0};
        /* A readiness line: a test knows the connection is made. */
        printf("sent %zu bytes, silent for %d s\n", n, hold);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    /* The end of writing, as socat's at the end of its input: a server that
     * reads to the end of the stream sees it, and the reply can still come. */
    if (shutdown(fd, SHUT_WR) == -1)
        err(1, "shutdown");
    ssize_t r;
    while (show_reply && (r = read(fd, buf, sizeof buf)) != 0) {
        if (r == -1)
            err(1, "read");
        fwrite(buf, 1, (size_t)r, stdout);
    }
    close(fd);
}

/* Datagram: one datagram, from nowhere or from an address that vanishes. */
static void datagram(const char *path, const char *own)
{
    static char buf[RAW_MAX];
    struct sockaddr_un addr, me;
    socklen_t len = fill_address(&addr, path);
    size_t n = read_stdin(buf);

    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (own != NULL) {
        socklen_t me_len = fill_address(&me, own);
        umask(0177);
        if (bind(fd, (struct sockaddr *)&me, me_len) == -1)
            err(1, "bind %s", own);
    }
    ssize_t sent = sendto(fd, buf, n, 0, (struct sockaddr *)&addr, len);
    int error = errno;
    if (own != NULL && unlink(own) == -1)
        warn("unlink %s", own);
    if (sent == -1) {
        errno = error;
        err(1, "sendto %s", path);
    }
    close(fd);
}

int main(int argc, char *argv[])
{
    int hold = 0, show_reply = 0, dgram = 0, opt;
    const char *own = NULL;
    char *end;
    long secs;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "b:drw:")) != -1) {
        if (opt == 'b')
            own = optarg;
        else if (opt == 'd')
            dgram = 1;
        else if (opt == 'r')
            show_reply = 1;
        else if (opt == 'w' && (secs = strtol(optarg, &end, 10)) >= 1 && secs <= 3600 &&
                 *end == '\0')
            hold = (int)secs;
        else
            usage();
    }
    if (argc - optind != 1 || (dgram && (hold || show_reply)) || (!dgram && own))
        usage();
    if (dgram)
        datagram(argv[optind], own);
    else
        stream(argv[optind], hold, show_reply);
    return 0;
}
