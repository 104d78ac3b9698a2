/* dgram_server.c -- a UNIX datagram server: answers every datagram to its sender.
 * Usage:  dgram_server socket-file
 * Shows:  SOCK_DGRAM: each recvmsg(2) returns one whole datagram (the message
 *         boundaries are kept: no framing needed) and the sender's address;
 *         sendto(2) answers that address. A datagram longer than the buffer
 *         is detected (MSG_TRUNC) and dropped, not half-read; a sender without
 *         an address of its own cannot be answered; a reply to a sender that
 *         is gone or never reads is dropped (MSG_DONTWAIT), never waited for.
 * Beyond: server.c (SYS domain_sock, which SYS l.993 says may use datagrams);
 *         LG leaves "connectionless sockets" as an exercise: the UNIX-domain answer. */
#define _DEFAULT_SOURCE /* SOCK_NONBLOCK (Linux, POSIX.1-2024) */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static const char *socket_file; /* for on_stop */

static void on_stop(int sig)
{
    static const char msg[] = "dgram_server stopped, socket file removed\n";
    (void)sig;
    unlink(socket_file);
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* Fill addr for path, and free the path for bind(): a socket nobody reads on
 * (left by a server killed with SIGKILL) is removed, nothing else ever is. */
static void claim_path(struct sockaddr_un *addr, const char *path)
{
    struct stat st;

    if (strlen(path) >= sizeof addr->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr->sun_path - 1, path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    strcpy(addr->sun_path, path);
    if (lstat(path, &st) == -1)
        return; /* nothing there, or bind() will say what is wrong */
    if (!S_ISSOCK(st.st_mode))
        errx(1, "%s exists and is not a socket: not removing it", path);
    int probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (probe == -1)
        err(1, "socket");
    /* connect() of a datagram socket only names the peer: it fails if none is bound. */
    if (connect(probe, (const struct sockaddr *)addr, sizeof *addr) == 0 ||
        errno != ECONNREFUSED)
        errx(1, "%s: a server is already running there", path);
    close(probe);
    if (unlink(path) == -1)
        err(1, "remove stale socket %s", path);
    warnx("removed stale socket %s (no server answered on it)", path);
}

/* Control characters, NUL included, printed as '?': a peer's text may hold anything. */
static void make_printable(char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            text[i] = '?';
}

/* Answer one datagram. The text is printed and echoed in the reply. */
static void answer(int fd, char *text, size_t len, const struct sockaddr_un *from,
                   socklen_t from_len)
{
    char reply[DGRAM_MAX + 1];
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

int main(int argc, char *argv[])
{
    struct sockaddr_un addr, from;
    char text[DGRAM_MAX + 1];
    struct iovec iov = {.iov_base = text, .iov_len = DGRAM_MAX};
    struct msghdr msg;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: dgram_server socket-file\n");
        return 2;
    }
    socket_file = argv[1];
    claim_path(&addr, socket_file);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    umask(0177); /* the socket file 0600: only its owner may send to it */
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s", socket_file);
    if (signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal"); /* a stop before this leaves a stale file, which is replaced */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("listening on %s\n", socket_file);

    for (;;) { /* no listen, no accept: every datagram comes to this one socket */
        memset(&from, 0, sizeof from);
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from; /* in-out, like accept's length */
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        ssize_t len = recvmsg(fd, &msg, 0);
        if (len == -1) {
            warn("recvmsg");
            continue;
        }
        if (msg.msg_flags & MSG_TRUNC) {
            warnx("a datagram longer than %d bytes: dropped", DGRAM_MAX);
            continue;
        }
        text[len] = '\0'; /* len <= DGRAM_MAX: inside the array */
        answer(fd, text, (size_t)len, &from, msg.msg_namelen);
    }
}
