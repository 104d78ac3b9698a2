/* dgram_server.c -- a UNIX datagram server: answers every datagram to its sender.
 * Usage:  dgram_server socket-path
 * Shows:  SOCK_DGRAM: each recvmsg(2) returns one whole datagram (the message
 *         boundaries are kept: no framing needed) and the sender's address;
 *         sendto(2) answers that address. A datagram longer than the buffer
 *         is detected (MSG_TRUNC) and dropped, not half-read; a sender without
 *         an address of its own cannot be answered; a reply to a sender that
 *         is gone or never reads is dropped (MSG_DONTWAIT), never waited for.
 * Mirrors: nothing in the lectures; LG leaves "connectionless sockets" as an
 *         exercise, and this is the UNIX-domain answer. */
#define _POSIX_C_SOURCE 200809L /* sockets, sigaction, pselect */

#include <err.h>
#include <errno.h>
#include <stddef.h>
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
    fprintf(stderr, "usage: dgram_server socket-path\n");
    exit(2);
}

static int bind_at(const char *path)
{
    struct sockaddr_un addr;
    socklen_t len = unix_address(&addr, path);

    claim_socket_path(path, SOCK_DGRAM);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    if (bind_private(fd, &addr, len) == -1)
        err(1, "bind %s", path);
    return fd;
}

/* Answer one datagram. The text is printed and echoed in the reply. */
static void answer(int fd, char *text, size_t len, const struct sockaddr_un *from,
                   socklen_t from_len)
{
    char reply[MSG_MAX + 1];
    /* An unbound sender's address is only its family: nothing to reply to. */
    if (from_len <= offsetof(struct sockaddr_un, sun_path)) {
        warnx("a datagram from a socket with no name: it cannot be answered");
        return;
    }
    /* A name in Linux's abstract namespace starts with a NUL byte. */
    const char *name = from->sun_path[0] != '\0' ? from->sun_path : "(abstract name)";
    int name_len = (int)strnlen(name, sizeof from->sun_path);
    make_printable(text, len);
    printf("datagram from %.*s: %s\n", name_len, name, text);
    fflush(stdout);

    int n = snprintf(reply, sizeof reply, "hello from dgram_server, you said: %s", text);
    size_t reply_len = n < (int)sizeof reply ? (size_t)n : sizeof reply - 1;
    if (sendto(fd, reply, reply_len, MSG_DONTWAIT, (const struct sockaddr *)from,
               from_len) == -1)
        warn("reply to %.*s", name_len, name);
}

/* Receive datagrams until SIGINT/SIGTERM. */
static void serve(int fd)
{
    char text[MSG_MAX + 1];
    struct sockaddr_un from;
    struct iovec iov = {.iov_base = text, .iov_len = MSG_MAX};
    struct msghdr msg;

    while (!stop_signal) {
        if (wait_fd(fd, -1) != 1)
            continue; /* EINTR: a stop signal, checked above */
        memset(&from, 0, sizeof from);
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        ssize_t len = recvmsg(fd, &msg, MSG_DONTWAIT);
        if (len == -1) {
            if (errno != EAGAIN && errno != EINTR)
                warn("recvmsg");
            continue;
        }
        if (msg.msg_flags & MSG_TRUNC) {
            warnx("a datagram longer than %d bytes: dropped", MSG_MAX);
            continue;
        }
        text[len] = '\0'; /* len <= MSG_MAX: inside the array */
        answer(fd, text, (size_t)len, &from, msg.msg_namelen);
    }
}

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-')
        usage();
    const char *path = argv[1];

    catch_stop_signals();
    int fd = bind_at(path);
    printf("listening on %s\n", path);
    fflush(stdout);

    serve(fd);
    close(fd);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    printf("dgram_server stopped, %s removed\n", path);
    return 0;
}
