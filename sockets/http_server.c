/* http_server.c -- a small HTTP/1.0 server: one page (fixed, or a file) on a TCP port.
 * Usage:  http_server [-f file] port [address]
 * Shows:  an iterative server speaking a real protocol: the request head is read up
 *         to its blank line (never "one read is the request") within a size and a
 *         time limit, parsed, and answered with a status line, headers and the page
 *         (HEAD: the headers only; ALP's bare HTTP/0.9 "GET /": the page only). One
 *         client at a time; the time limit keeps a silent one from holding the rest.
 * Beyond: server.c. A test fixture: the web server that socket_inet (ALP's
 *         socket-inet.c) and CE's telnet demo talk to, with no Internet needed. */
#define _GNU_SOURCE /* memmem(3) */

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD 8192 /* request line and headers */
#define TIME_LIMIT 5  /* seconds a client has to send its request */

static const char fixed_page[] =
    "<!DOCTYPE html>\n<html><head><title>IPC lab</title></head>\n"
    "<body><h1>Hello from http_server</h1>\n"
    "<p>This page came to you over a TCP socket.</p></body></html>\n";
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

/* Nothing outlives the server: the handler says so and ends it at once. */
static void on_stop(int sig)
{
    static const char msg[] = "http_server: stopped\n";
    (void)sig;
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* Where the head ends: after its blank line (HTTP/0.9: its one line), or NULL. */
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

/* Read until the head is complete, the buffer full or time up. Returns the head's
 * length, 0 for a client that gave up, -1 for one too big or too slow. */
static ssize_t read_head(int fd, char *buf, size_t size)
{
    size_t len = 0;
    time_t deadline = time(NULL) + TIME_LIMIT;
    while (head_end(buf, len) == NULL) {
        if (len == size || time(NULL) > deadline)
            return -1;
        ssize_t n = read(fd, buf + len, size - len);
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return -1; /* nothing came for TIME_LIMIT seconds */
        if (n <= 0)
            return 0;
        len += (size_t)n;
    }
    len = (size_t)(head_end(buf, len) - buf);
    buf[len] = '\0'; /* buf holds size + 1 bytes */
    return (ssize_t)len;
}

/* "GET /path HTTP/1.x" -> the method and path; 0 if it is not a request line. */
static int parse_request(char *head, struct request *rq)
{
    char version[16] = "";
    head[strcspn(head, "\r\n")] = '\0'; /* the request line: no header is used */
    int fields = sscanf(head, "%7[A-Z] %1023s %15s", rq->method, rq->path, version);
    if (fields < 2 || rq->path[0] != '/')
        return 0;
    for (const char *p = rq->path; *p != '\0'; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            return 0; /* no control byte reaches the log (or a terminal) */
    rq->simple = fields == 2;
    if (rq->simple)
        return strcmp(rq->method, "GET") == 0; /* HTTP/0.9 knew nothing else */
    return strncmp(version, "HTTP/1.", 7) == 0;
}

/* Status line and headers; none for an HTTP/0.9 request, which had neither. */
#define HEAD                                                                             \
    "HTTP/1.0 %d %s\r\nServer: ipc-lab-http_server\r\nContent-Type: %s\r\n"              \
    "Content-Length: %lld\r\nConnection: close\r\n\r\n"

/* A short error page: the head, then "CODE REASON\n" as the body. Returns code. */
static int send_error(FILE *out, int code, const char *reason)
{
    fprintf(out, HEAD "%d %s\n", code, reason, "text/plain",
            (long long)strlen(reason) + 5, code, reason);
    return code;
}

/* The page file, if it is a regular file now (-1: it is not, and a warning says
 * why). O_NONBLOCK: open() of a FIFO would wait for a writer. */
static int open_page(struct stat *st)
{
    int fd = open(page_file, O_RDONLY | O_NONBLOCK);
    if (fd == -1 || fstat(fd, st) == -1)
        warn("%s", page_file);
    else if (S_ISREG(st->st_mode))
        return fd;
    else
        warnx("%s: not a regular file", page_file); /* a directory reads as nothing */
    if (fd != -1)
        close(fd);
    return -1;
}

/* The answer to a request: the fixed page, the file as it is now, or an error
 * page (none for HTTP/0.9, which had none). Returns the status. */
static int answer(FILE *out, const struct request *rq)
{
    int body = strcmp(rq->method, "HEAD") != 0;
    char buf[8192];
    struct stat st;
    ssize_t n;
    if (strcmp(rq->method, "GET") != 0 && body)
        return send_error(out, 501, "Not Implemented");
    if (strcmp(rq->path, "/") != 0 && strcmp(rq->path, "/index.html") != 0)
        return rq->simple ? 404 : send_error(out, 404, "Not Found");
    if (page_file == NULL) {
        if (!rq->simple)
            fprintf(out, HEAD, 200, "OK", "text/html", (long long)sizeof fixed_page - 1);
        if (body)
            fputs(fixed_page, out);
        return 200;
    }
    int fd = open_page(&st);
    if (fd == -1)
        return rq->simple ? 500 : send_error(out, 500, "Internal Server Error");
    const char *dot = strrchr(page_file, '.');
    int html = dot != NULL && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0);
    if (!rq->simple)
        fprintf(out, HEAD, 200, "OK", html ? "text/html" : "text/plain",
                (long long)st.st_size);
    while (body && (n = read(fd, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            break; /* the client is gone: fclose() in serve() says so */
    close(fd);
    return 200;
}

/* One connection: read the request, answer it through stdio (which loops on
 * short writes for us), log one line. */
static void serve(int fd, const char *peer)
{
    char head[MAX_HEAD + 1];
    struct request rq;
    struct timeval limit = {.tv_sec = TIME_LIMIT};
    /* A client silent or never reading: each read() and write() waits TIME_LIMIT. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt");
    FILE *out = fdopen(fd, "w");
    if (out == NULL)
        err(1, "fdopen");
    ssize_t len = read_head(fd, head, MAX_HEAD);
    if (len == 0) {
        printf("http_server: %s: hung up before a request\n", peer);
    } else if (len == -1 || !parse_request(head, &rq)) { /* too big, slow, or not HTTP */
        send_error(out, 400, "Bad Request");
        printf("http_server: %s: bad request -> 400\n", peer);
    } else {
        int code = answer(out, &rq);
        printf("http_server: %s: %s %s -> %d\n", peer, rq.method, rq.path, code);
    }
    if (fclose(out) == EOF) /* closes fd too */
        printf("http_server: %s: the reply was cut short: %s\n", peer, strerror(errno));
}

int main(int argc, char *argv[])
{
    struct sockaddr_in addr = {.sin_family = AF_INET}, peer;
    struct stat st;
    socklen_t len = sizeof addr;
    char *end, name[INET_ADDRSTRLEN + 8];
    int opt, one = 1;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "f:")) != -1) {
        if (opt != 'f')
            usage();
        page_file = optarg;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    long port = strtol(argv[optind], &end, 10);
    const char *address = argc - optind == 2 ? argv[optind + 1] : "127.0.0.1";
    addr.sin_port = htons((unsigned short)port);
    if (*argv[optind] == '\0' || *end != '\0' || port < 0 || port > 65535 ||
        inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        usage();
    /* A file it cannot serve is refused now (open_page says why), not at a request. */
    if (page_file != NULL && close(open_page(&st)) == -1)
        exit(1);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR ||
        signal(SIGINT, on_stop) == SIG_ERR) /* SIGPIPE: a client gone is an EPIPE */
        err(1, "signal");
    int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd == -1 ||
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
        err(1, "socket");
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s port %ld", address, port);
    if (listen(listen_fd, SOMAXCONN) == -1 ||
        getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
        err(1, "listen");
    printf("http_server: listening on %s port %d\n", address, ntohs(addr.sin_port));
    for (;;) {
        len = sizeof peer; /* in-out: accept needs the buffer's size */
        int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
        if (fd == -1 && errno != EINTR && errno != ECONNABORTED)
            warn("accept");
        if (fd == -1)
            continue;
        inet_ntop(AF_INET, &peer.sin_addr, name, INET_ADDRSTRLEN);
        snprintf(name + strlen(name), 8, ":%d", ntohs(peer.sin_port));
        serve(fd, name);
    }
}
