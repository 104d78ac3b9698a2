/* server.c -- UNIX domain stream server: one child per client, which prints the
 * client's message and answers "hello from server".
 * Usage:  server socket-file
 * Shows:  socket(PF_UNIX, SOCK_STREAM), bind(2) to a path, listen(2), accept(2),
 *         then fork(2): the child handles the connection while the parent closes
 *         its copy and accepts the next client. A message is a line (usock.h),
 *         so `nc -U socket-file` talks to it too. SIGCHLD is ignored, so the
 *         kernel reaps the children; SIGINT/SIGTERM remove the socket file.
 * Limits: a client that says nothing keeps its child waiting until it leaves, and
 *         there is no cap: a thousand silent clients are a thousand processes.
 * Mirrors: SYS domain_sock/server.c (server_listen, connection_handler). */
#define _DEFAULT_SOURCE /* SOCK_NONBLOCK (Linux, POSIX.1-2024) */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static const char *socket_file; /* for on_stop */
static pid_t server_pid;

/* SIGINT, SIGTERM: the server removes its socket file and ends. A child has
 * this handler too, but the file is not its own. */
static void on_stop(int sig)
{
    static const char msg[] = "server stopped, socket file removed\n";
    (void)sig;
    if (getpid() == server_pid) {
        unlink(socket_file);
        write(STDOUT_FILENO, msg, sizeof msg - 1);
    }
    _exit(0);
}

/* In the child: read one message, print it, answer, close. */
static int connection_handler(int socket_fd)
{
    char buff[MESSAGE_MAX + 2]; /* the text, its '\n', and a NUL */
    size_t nBytes = 0;
    ssize_t n = 0;
    /* The slide takes one read() for the message (it may be half of it), and its
     * buff[nBytes] = 0 writes past buff after a full read, at buff[-1] after an
     * error. Here: read until the '\n' or the client's end of writing. */
    while (nBytes < sizeof buff - 1 && memchr(buff, '\n', nBytes) == NULL &&
           (n = read(socket_fd, buff + nBytes, sizeof buff - 1 - nBytes)) > 0)
        nBytes += (size_t)n;
    buff[nBytes] = '\0';
    if (n == -1 || nBytes == 0 || (n > 0 && memchr(buff, '\n', nBytes) == NULL)) {
        warnx("a client's message: %s", n == -1  ? strerror(errno)
                                        : nBytes ? "too long"
                                                 : "none");
        return 1;
    }
    buff[strcspn(buff, "\n")] = '\0';
    for (char *p = buff; *p != '\0'; p++) /* control bytes never reach a terminal raw */
        *p = (unsigned char)*p < ' ' || *p == 0x7f ? '?' : *p;
    printf("message from client: %s\n", buff);
    if (write(socket_fd, "hello from server\n", 18) == -1) {
        warn("write"); /* EPIPE: it left without its reply (SIGPIPE is ignored) */
        return 1;
    }
    close(socket_fd);
    return 0;
}

/* The slide unlinks fileName before bind(), which deletes any file of that
 * name, a live server's socket too. Only a socket nobody answers on goes. */
static void remove_stale(const struct sockaddr_un *address)
{
    const char *path = address->sun_path;
    struct stat st;
    if (lstat(path, &st) == -1)
        return; /* nothing there, or bind() will say what is wrong */
    if (!S_ISSOCK(st.st_mode))
        errx(1, "%s exists and is not a socket: not removing it", path);
    int probe = socket(PF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (probe == -1)
        err(1, "socket");
    if (connect(probe, (const struct sockaddr *)address, sizeof *address) == 0 ||
        errno != ECONNREFUSED)
        errx(1, "%s: a server is already running there", path);
    close(probe);
    if (unlink(path) == -1)
        err(1, "remove stale socket %s", path);
    warnx("removed stale socket %s (no server answered on it)", path);
}

static void server_listen(const char *fileName)
{
    struct sockaddr_un address;
    int socket_fd = socket(PF_UNIX, SOCK_STREAM, 0);
    if (socket_fd == -1)
        err(1, "socket");
    /* The slide's sprintf(address.sun_path, fileName) takes the path as a format,
     * and a long one overflows sun_path (108 bytes on Linux). */
    if (strlen(fileName) >= sizeof address.sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(fileName), sizeof address.sun_path - 1, fileName);
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    strcpy(address.sun_path, fileName);
    remove_stale(&address);
    umask(0177); /* the socket file 0600: only its owner may connect */
    if (bind(socket_fd, (struct sockaddr *)&address, sizeof address) == -1)
        err(1, "bind %s", fileName);

    /* A stop before this leaves the file: a stale socket, which is replaced. */
    socket_file = fileName;
    server_pid = getpid();
    /* The slide never waits for its children: each would stay a zombie.
     * SIGCHLD ignored, the kernel reaps them (fork_server shows waitpid). */
    if (signal(SIGCHLD, SIG_IGN) == SIG_ERR || signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
        signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal");
    if (listen(socket_fd, 5) == -1)
        err(1, "listen");
    printf("listening on %s\n", fileName);
    for (;;) {
        /* The slide passes a length it never set; NULL: no client address wanted. */
        int connection_fd = accept(socket_fd, NULL, NULL);
        if (connection_fd == -1)
            err(1, "accept");
        pid_t child = fork();
        if (child == -1)
            warn("fork"); /* this client is turned away, the others are not */
        if (child == 0) {
            close(socket_fd);
            _exit(connection_handler(connection_fd));
        }
        close(connection_fd);
    }
}

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: server socket-file\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* whole lines at once: children end by _exit */
    server_listen(argv[1]);
}
