/* http_server.c -- a small HTTP/1.0 server: one page (fixed, or a file) on a TCP port.
 * Usage:  http_server [-f file] port [address]
 * Shows:  an iterative server speaking a real protocol: the request head is
 *         read up to its blank line (never "one read is the request"), within
 *         a size limit and a time limit, parsed, and answered with a status
 *         line, Content-Length and the page; HEAD gets the headers only, a
 *         bare HTTP/0.9 "GET /" (what ALP's socket-inet.c sends) the page only.
 *         One client at a time: the time limit is what keeps a silent client
 *         from holding the others out for long (fork_server shows the cure).
 *         Good enough for socket_inet and curl; not a web server.
 * Mirrors: the web server that ALP's socket-inet.c and CE's telnet demo talk to. */
#define _GNU_SOURCE /* ppoll(2): poll with an atomic signal mask (Linux, POSIX.1-2024) */

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "inet.h"

#define MAX_HEAD 8192  /* request line and headers */
#define TIME_LIMIT 5   /* seconds a client has to send its request */

static const char fixed_page[] =
    "<!DOCTYPE html>\n"
    "<html><head><title>IPC lab</title></head>\n"
    "<body><h1>Hello from http_server</h1>\n"
    "<p>This page came to you over a TCP socket.</p></body></html>\n";

static volatile sig_atomic_t stop;
static const char *page_file; /* NULL: serve fixed_page */

struct request {
    char method[8];
    char path[1024];
    int simple; /* HTTP/0.9: no version, no headers either way */
};

static void usage(void)
{
    fprintf(stderr, "usage: http_server [-f file] port [address]\n");
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

static void catch_signals(sigset_t *during_poll)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = SIG_IGN; /* a client that hangs up early: EPIPE, not death */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, during_poll) == -1)
        err(1, "sigprocmask");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where the head ends: after "\r\n\r\n" or "\n\n", or after the first line
 * of an HTTP/0.9 request (it has no version). NULL: not there yet. */
static const char *head_end(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    if (nl == NULL)
        return NULL;
    if (memmem(buf, (size_t)(nl - buf), " HTTP/", 6) == NULL)
        return nl + 1;
    const char *crlf = memmem(buf, len, "\n\r\n", 3), *lf = memmem(buf, len, "\n\n", 2);
    if (lf != NULL && (crlf == NULL || lf < crlf))
        return lf + 2;
    return crlf != NULL ? crlf + 3 : NULL;
}

/* Read until the head is complete, the buffer is full or time is up.
 * Returns the head's length, 0 for a client that gave up, -1 for too big/slow. */
static ssize_t read_head(int fd, char *buf, size_t size)
{
    size_t len = 0;
    double deadline = now() + TIME_LIMIT;

    while (head_end(buf, len) == NULL) {
        if (len == size)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left_ms = (int)((deadline - now()) * 1000);
        if (left_ms <= 0 || poll(&pfd, 1, left_ms) == 0)
            return -1;
        ssize_t n = read(fd, buf + len, size - len);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        len += (size_t)n;
    }
    return (ssize_t)(head_end(buf, len) - buf);
}

/* "GET /path HTTP/1.x" -> the method and path; 0 if it is not a request line. */
static int parse_request(const char *head, struct request *rq)
{
    char version[16] = "";
    const char *eol = strpbrk(head, "\r\n");
    char line[1100];

    if (eol == NULL || (size_t)(eol - head) >= sizeof line)
        return 0;
    memcpy(line, head, (size_t)(eol - head));
    line[eol - head] = '\0';
    int fields = sscanf(line, "%7[A-Z] %1023s %15s", rq->method, rq->path, version);
    if (fields < 2 || rq->path[0] != '/')
        return 0;
    rq->simple = fields == 2;
    if (rq->simple)
        return strcmp(rq->method, "GET") == 0; /* HTTP/0.9 knew nothing else */
    return strncmp(version, "HTTP/1.", 7) == 0;
}

static int send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_status(int fd, int code, const char *reason, const char *type,
                       long long length)
{
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.0 %d %s\r\nServer: ipc-lab-http_server\r\n"
                     "Content-Type: %s\r\nContent-Length: %lld\r\n"
                     "Connection: close\r\n\r\n",
                     code, reason, type, length);
    return send_all(fd, head, (size_t)n);
}

/* A short error page: status line, headers, a one-line body. */
static int send_error(int fd, int code, const char *reason)
{
    char body[128];
    int n = snprintf(body, sizeof body, "%d %s\n", code, reason);
    if (send_status(fd, code, reason, "text/plain", n) == -1)
        return -1;
    return send_all(fd, body, (size_t)n);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot != NULL && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
        return "text/html";
    return "text/plain";
}

/* The page: the fixed one, or the file as it is now. Returns the status. */
static int send_page(int fd, const struct request *rq)
{
    int head_too = !rq->simple, body_too = strcmp(rq->method, "HEAD") != 0;
    char buf[8192];
    struct stat st;

    if (page_file == NULL) {
        long long size = sizeof fixed_page - 1;
        if (head_too && send_status(fd, 200, "OK", "text/html", size) == -1)
            return -1;
        return body_too ? send_all(fd, fixed_page, sizeof fixed_page - 1) : 0;
    }
    int file = open(page_file, O_RDONLY);
    if (file == -1 || fstat(file, &st) == -1) {
        warn("%s", page_file);
        if (file != -1)
            close(file);
        return head_too ? send_error(fd, 500, "Internal Server Error") : -1;
    }
    int rc = head_too ? send_status(fd, 200, "OK", content_type(page_file),
                                    (long long)st.st_size)
                      : 0;
    ssize_t n;
    while (rc == 0 && body_too && (n = read(file, buf, sizeof buf)) > 0)
        rc = send_all(fd, buf, (size_t)n);
    close(file);
    return rc;
}

/* One connection: read the request, answer it, log one line. */
static void serve(int fd, const char *peer)
{
    char head[MAX_HEAD + 1];
    struct request rq;
    struct timeval limit = {.tv_sec = TIME_LIMIT};
    int code;

    /* A client that never reads the page must not hold us: time-limit writes. */
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt SO_SNDTIMEO");
    ssize_t len = read_head(fd, head, MAX_HEAD);
    if (len == 0) {
        printf("http_server: %s: hung up before a request\n", peer);
        return;
    }
    if (len > 0)
        head[len] = '\0';
    if (len == -1) {
        code = 400;
        send_error(fd, code, "Bad Request"); /* too big, or too slow */
    } else if (!parse_request(head, &rq)) {
        code = 400;
        send_error(fd, code, "Bad Request");
    } else if (strcmp(rq.method, "GET") != 0 && strcmp(rq.method, "HEAD") != 0) {
        code = 501;
        send_error(fd, code, "Not Implemented");
    } else if (strcmp(rq.path, "/") != 0 && strcmp(rq.path, "/index.html") != 0) {
        code = 404;
        if (!rq.simple)
            send_error(fd, code, "Not Found");
    } else {
        code = send_page(fd, &rq) == -1 ? 500 : 200;
    }
    if (len > 0 && code != 400)
        printf("http_server: %s: %s %s -> %d\n", peer, rq.method, rq.path, code);
    else
        printf("http_server: %s: bad request -> 400\n", peer);
}

static void accept_one(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer; /* in-out: accept needs the buffer's size */
    char ip[INET_ADDRSTRLEN], name[INET_ADDRSTRLEN + 8];

    int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    if (fd == -1) {
        if (errno != EINTR && errno != ECONNABORTED)
            warn("accept");
        return;
    }
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    snprintf(name, sizeof name, "%s:%d", ip, ntohs(peer.sin_port));
    serve(fd, name);
    close(fd);
}

int main(int argc, char *argv[])
{
    sigset_t mask;
    int opt;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "f:")) != -1) {
        if (opt != 'f')
            usage();
        page_file = optarg;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    int port = parse_port(argv[optind]);
    const char *address = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    if (port < 0 || !valid_address(address))
        usage();
    if (page_file != NULL && access(page_file, R_OK) == -1)
        err(1, "%s", page_file);

    setvbuf(stdout, NULL, _IOLBF, 0);
    catch_signals(&mask);
    int listen_fd = listen_inet("http_server", SOCK_STREAM, address, port);
    while (!stop) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        int n = ppoll(&pfd, 1, NULL, &mask);
        if (n == -1 && errno != EINTR)
            err(1, "ppoll");
        if (n > 0)
            accept_one(listen_fd);
    }
    close(listen_fd);
    printf("http_server: stopped\n");
    return 0;
}
