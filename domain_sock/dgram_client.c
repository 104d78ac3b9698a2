/* dgram_client.c -- sends one datagram to dgram_server and prints the reply.
 * Usage:  dgram_client [-t seconds] [-b own-path] server-path [message]
 * Shows:  a datagram client must bind an address of its own, or the server has
 *         nowhere to send the answer: it binds own-path (default
 *         dgram_client.PID.sock in the current directory) and removes it on
 *         every way out, SIGINT and SIGTERM included. connect(2) on a datagram
 *         socket fixes the peer: send(2) needs no address, and only the server's
 *         datagrams are received. A server that does not answer within -t
 *         seconds (default 5), or whose queue stays full that long, is an error,
 *         never a hang (SO_RCVTIMEO, SO_SNDTIMEO).
 * Beyond: client.c (SYS domain_sock); see dgram_server.c. */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "usock.h"

static const char *own_path; /* removed on every way out once it is bound */

static void usage(void)
{
    fprintf(stderr,
            "usage: dgram_client [-t seconds] [-b own-path] server-path [message]\n");
    exit(2);
}

/* atexit: err() and errx() exit too, so every way out removes the file. */
static void remove_own_path(void)
{
    unlink(own_path);
}

static void on_stop(int sig)
{
    static const char msg[] = "dgram_client: stopped, its socket file removed\n";
    (void)sig;
    unlink(own_path);
    write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(1);
}

static void fill_address(struct sockaddr_un *addr, const char *path)
{
    if (strlen(path) >= sizeof addr->sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr->sun_path - 1, path);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    strcpy(addr->sun_path, path);
}

/* Send the message, print the reply; each waits at most seconds (see main). */
static void exchange(int fd, const char *path, const char *message, long seconds)
{
    char reply[DGRAM_MAX + 1];

    /* A full queue (a server that does not read) makes send() wait. */
    if (send(fd, message, strlen(message), 0) == -1) {
        if (errno == EAGAIN)
            errx(1, "%s took no datagram within %ld s: its queue is full", path, seconds);
        err(1, "send to %s", path);
    }
    ssize_t len = recv(fd, reply, DGRAM_MAX, 0);
    if (len == -1 && errno == EAGAIN)
        errx(1, "no reply from %s within %ld s", path, seconds);
    if (len == -1)
        err(1, "recv");
    reply[len] = '\0';                /* len <= DGRAM_MAX: inside the array */
    for (ssize_t i = 0; i < len; i++) /* a peer's text may hold anything */
        if ((unsigned char)reply[i] < 0x20 || reply[i] == 0x7f)
            reply[i] = '?';
    printf("reply from server: %s\n", reply);
}

int main(int argc, char *argv[])
{
    struct sockaddr_un me, server;
    struct timeval limit = {.tv_sec = 5};
    static char own_default[64]; /* static: atexit uses it after main returns */
    char *end;
    int opt;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "b:t:")) != -1) {
        if (opt == 'b') {
            own_path = optarg;
            continue;
        }
        limit.tv_sec = opt == 't' ? strtol(optarg, &end, 10) : 0;
        if (opt != 't' || *optarg == '\0' || *end != '\0' || limit.tv_sec < 1 ||
            limit.tv_sec > 3600)
            usage();
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *path = argv[optind];
    const char *message = argc - optind == 2 ? argv[optind + 1] : "hello from a client";
    if (strlen(message) > DGRAM_MAX)
        errx(1, "message too long: %zu bytes, at most %d", strlen(message), DGRAM_MAX);
    snprintf(own_default, sizeof own_default, "dgram_client.%ld.sock", (long)getpid());
    own_path = own_path != NULL ? own_path : own_default;
    fill_address(&me, own_path);
    fill_address(&server, path);

    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        err(1, "socket");
    umask(0177); /* our socket file 0600: only its owner may send to it */
    /* SIGINT and SIGTERM held back until the file bind makes has its handler. */
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &old);
    if (bind(fd, (struct sockaddr *)&me, sizeof me) == -1)
        err(1, "bind %s", own_path);
    if (atexit(remove_own_path) != 0 || signal(SIGINT, on_stop) == SIG_ERR ||
        signal(SIGTERM, on_stop) == SIG_ERR)
        errx(1, "atexit or signal failed");
    sigprocmask(SIG_SETMASK, &old, NULL); /* a stop that came meanwhile: now */
    /* ENOENT: no such socket; ECONNREFUSED: a socket file nobody reads. */
    if (connect(fd, (struct sockaddr *)&server, sizeof server) == -1)
        err(1, "connect %s", path);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) == -1 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt");
    exchange(fd, path, message, (long)limit.tv_sec);
    return 0;
}
