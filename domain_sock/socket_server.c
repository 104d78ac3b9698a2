/* socket_server.c -- ALP's local-namespace server: prints every text its clients
 * send, until one of them sends "quit".
 * Usage:  socket_server socket-file
 * Shows:  socket(PF_LOCAL, SOCK_STREAM), bind(2), listen(2), then accept(2) and
 *         one client at a time, each sending texts framed by their length
 *         (usock.h), read in full however the bytes were split on the way.
 *         "quit" stops it; so do SIGINT and SIGTERM; each removes the socket file.
 * Limits: one client at a time: a client that sends nothing, or a byte now and
 *         then, holds up all the others until it leaves (server.c forks a child per
 *         client; peercred drops a client that takes too long).
 * Mirrors: ALP listing 5.10 "socket-server.c". */
#define _DEFAULT_SOURCE /* SOCK_NONBLOCK (Linux, POSIX.1-2024) */

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static const char *socket_name; /* for on_stop */

static void on_stop(int sig)
{
    static const char msg[] = "socket_server stopped by a signal, socket file removed\n";
    (void)sig;
    unlink(socket_name);
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* Read exactly len bytes, however read() splits them. Returns how many came
 * before the client closed (len: all of them), or -1 on an error. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n <= 0)
            return n == -1 ? -1 : (ssize_t)got; /* -1 is an error, never a length */
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static int drop(const char *why)
{
    warnx("dropping a client: %s", why);
    return 0;
}

/* One client's texts, until it closes; 1 if it sent "quit". The slide (ALP) trusts
 * the length: malloc() of any, one read() that may bring less, use after free(). */
static int server(int client_socket)
{
    char text[TEXT_MAX];
    uint32_t length;
    for (;;) {
        ssize_t got = read_full(client_socket, &length, sizeof length);
        if (got == 0)
            return 0; /* the client has no more texts */
        if (got < (ssize_t)sizeof length)
            return drop("connection closed in the middle of a message");
        length = ntohl(length);
        if (length > TEXT_MAX)
            return drop("length prefix too large (garbage, or not this protocol)");
        if (read_full(client_socket, text, length) < (ssize_t)length)
            return drop("connection closed in the middle of a message");
        for (uint32_t i = 0; i < length; i++) /* no control byte reaches a terminal */
            text[i] = (unsigned char)text[i] < ' ' || text[i] == 0x7f ? '?' : text[i];
        printf("%.*s\n", (int)length, text);
        if (length == 4 && memcmp(text, "quit", 4) == 0)
            return 1;
    }
}

/* Fill name for path, and free the path for bind(): a socket nobody answers on
 * (left by a server killed with SIGKILL) is removed. The slide removes nothing, so
 * bind() fails until someone does; and its strcpy() overflows with a long path. */
static void claim_name(struct sockaddr_un *name, const char *path)
{
    struct stat st;
    if (strlen(path) >= sizeof name->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof name->sun_path - 1, path);
    memset(name, 0, sizeof *name);
    name->sun_family = AF_LOCAL;
    strcpy(name->sun_path, path);
    if (lstat(name->sun_path, &st) == -1)
        return; /* nothing there, or bind() will say what is wrong */
    if (!S_ISSOCK(st.st_mode))
        errx(1, "%s exists and is not a socket: not removing it", name->sun_path);
    int probe = socket(PF_LOCAL, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (probe == -1)
        err(1, "socket");
    if (connect(probe, (const struct sockaddr *)name, sizeof *name) == 0 ||
        errno != ECONNREFUSED)
        errx(1, "%s: a server is already running there", name->sun_path);
    close(probe);
    if (unlink(name->sun_path) == -1)
        err(1, "remove stale socket %s", name->sun_path);
    warnx("removed stale socket %s (no server answered on it)", name->sun_path);
}

int main(int argc, char *argv[])
{
    struct sockaddr_un name;
    int client_sent_quit_message = 0;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: socket_server socket-file\n");
        return 2;
    }
    socket_name = argv[1];
    int socket_fd = socket(PF_LOCAL, SOCK_STREAM, 0);
    if (socket_fd == -1)
        err(1, "socket");
    claim_name(&name, socket_name);
    umask(0177); /* the socket file 0600: only its owner may connect */
    if (bind(socket_fd, (struct sockaddr *)&name, sizeof name) == -1)
        err(1, "bind %s", socket_name);
    if (signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal"); /* a stop before this leaves a stale file, which is replaced */
    if (listen(socket_fd, 5) == -1)
        err(1, "listen");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("listening on %s\n", socket_name);

    do {
        /* The slide leaves client_name_len unset; accept() reads it: NULL here. */
        int client_socket_fd = accept(socket_fd, NULL, NULL);
        if (client_socket_fd == -1)
            err(1, "accept");
        client_sent_quit_message = server(client_socket_fd);
        close(client_socket_fd);
    } while (!client_sent_quit_message);
    close(socket_fd);
    if (unlink(socket_name) == -1)
        err(1, "unlink %s", socket_name);
    printf("quit received, %s removed\n", socket_name);
    return 0;
}
