/* scm_credentials.c -- who sent this message? SCM_CREDENTIALS against SO_PEERCRED,
 * on a socket in the abstract namespace.
 * Usage:  scm_credentials -l [-t seconds] name                 (the server)
 *         scm_credentials [-f] [-p pid] [-t seconds] name [message]
 * Shows:  SO_PEERCRED (see peercred.c) is who called connect(2); SCM_CREDENTIALS,
 *         a control message, is who sent each message: with SO_PASSCRED on, the
 *         kernel hands the receiver the pid, uid and gid of every sender. The two
 *         differ when the connection changes hands: -f sends from a child forked
 *         after connect(). A sender may state its credentials itself, but the
 *         kernel checks them: its own pid, its real, effective or saved uid and
 *         gid, unless it is privileged (root may claim -p 1; another user gets
 *         EPERM). The name is abstract: sun_path starts with a NUL byte, so no
 *         file is made, none is left behind, nothing must be removed, and no
 *         file mode guards it: anyone may connect, and only the credentials tell
 *         who did. SOCK_SEQPACKET keeps each message whole (255 bytes at most).
 *         The server takes one client at a time, for -t seconds (default 10).
 *         Linux only: other systems pass credentials as SCM_CREDS, if at all.
 * Beyond: peercred.c (SO_PEERCRED), server.c (SYS domain_sock); TLPI ch. 61.13.4. */
#define _GNU_SOURCE /* struct ucred, SO_PASSCRED, SCM_CREDENTIALS: Linux */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_MAX 255

static void usage(void)
{
    fprintf(stderr, "usage: scm_credentials -l [-t seconds] name\n"
                    "       scm_credentials [-f] [-p pid] [-t seconds] name [message]\n");
    exit(2);
}

/* The server owns no file: the handler only says so and ends it. */
static void on_stop(int sig)
{
    static const char msg[] = "scm_credentials stopped (an abstract name: no file)\n";
    (void)sig;
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* The address of an abstract name: a NUL byte, then the name, no NUL after it.
 * Its length counts exactly those bytes: a longer one would be another name. */
static socklen_t abstract_address(struct sockaddr_un *addr, const char *name)
{
    if (strlen(name) + 1 > sizeof addr->sun_path)
        errx(1, "name too long: %zu bytes, an abstract name holds at most %zu",
             strlen(name), sizeof addr->sun_path - 1);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path + 1, name, strlen(name)); /* sun_path[0] stays '\0' */
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* Receive one message, print it with the credentials the kernel attached to it.
 * Returns what recvmsg() did: 0 at the client's end, -1 on an error. */
static ssize_t print_message(int conn)
{
    char text[MESSAGE_MAX];
    struct iovec iov = {.iov_base = text, .iov_len = sizeof text}; /* more: MSG_TRUNC */
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct ucred cred;

    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n = recvmsg(conn, &msg, 0);
    if (n <= 0)
        return n;
    if (msg.msg_flags & MSG_TRUNC) {
        warnx("a message longer than %d bytes: dropped", MESSAGE_MAX);
        return n;
    }
    for (ssize_t i = 0; i < n; i++) /* a peer's control bytes: never printed raw */
        text[i] = (unsigned char)text[i] < ' ' || text[i] == 0x7f ? '?' : text[i];
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
        cmsg->cmsg_type != SCM_CREDENTIALS) {
        printf("message: no credentials: %.*s\n", (int)n, text);
        return n;
    }
    memcpy(&cred, CMSG_DATA(cmsg), sizeof cred);
    printf("message: SCM_CREDENTIALS pid=%ld uid=%ld gid=%ld: %.*s\n", (long)cred.pid,
           (long)cred.uid, (long)cred.gid, (int)n, text);
    return n;
}

/* One client: who connected, then who sent each message, for seconds at most. */
static void serve(int conn, int seconds)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    int on = 1;
    time_t deadline = time(NULL) + seconds;

    if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
        setsockopt(conn, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == -1) {
        warn("SO_PEERCRED or SO_PASSCRED");
        return;
    }
    printf("connect: SO_PEERCRED pid=%ld uid=%ld gid=%ld\n", (long)cred.pid,
           (long)cred.uid, (long)cred.gid);
    for (;;) { /* each wait is for the time left (SO_RCVTIMEO): EAGAIN when it is up */
        struct timeval left = {.tv_sec = deadline - time(NULL)};
        errno = EAGAIN;
        ssize_t n = left.tv_sec > 0 && setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &left,
                                                  sizeof left) == 0
                        ? print_message(conn)
                        : -1;
        if (n == -1 && errno == EAGAIN)
            warnx("a client out of time: dropped");
        else if (n == -1)
            warn("recvmsg");
        if (n <= 0)
            return;
    }
}

static void server(const char *name, int seconds)
{
    struct sockaddr_un addr;
    socklen_t len = abstract_address(&addr, name);

    int listener = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (listener == -1)
        err(1, "socket");
    /* No stale name to remove: it vanished with the last socket that had it. */
    if (bind(listener, (struct sockaddr *)&addr, len) == -1) {
        if (errno == EADDRINUSE)
            errx(1, "@%s: a server is already running there", name);
        err(1, "bind @%s", name);
    }
    if (listen(listener, 5) == -1)
        err(1, "listen");

    if (signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("listening on @%s (abstract: no file)\n", name);
    for (;;) {
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            err(1, "accept");
        serve(conn, seconds);
        close(conn);
    }
}

/* Send the message with the credentials stated explicitly: pid (ours unless -p),
 * our real uid and gid. The kernel refuses a claim it does not allow (EPERM). */
static void send_message(int fd, const char *text, pid_t pid)
{
    struct ucred cred = {.pid = pid, .uid = getuid(), .gid = getgid()};
    struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text)};
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

    memset(&control, 0, sizeof control);
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_CREDENTIALS;
    cmsg->cmsg_len = CMSG_LEN(sizeof cred);
    memcpy(CMSG_DATA(cmsg), &cred, sizeof cred);
    if (sendmsg(fd, &msg, MSG_NOSIGNAL) == -1)
        err(1, "send as pid %ld uid %ld", (long)cred.pid, (long)cred.uid);
}

static int client(const char *name, const char *text, int fork_first, pid_t claim,
                  int seconds)
{
    struct sockaddr_un addr;
    socklen_t len = abstract_address(&addr, name);
    struct timeval limit = {.tv_sec =
                                seconds}; /* connect() waits while the queue is full */
    int status;

    if (strlen(text) > MESSAGE_MAX)
        errx(1, "message too long: %zu bytes, at most %d", strlen(text), MESSAGE_MAX);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) == -1)
        err(1, "socket");
    if (connect(fd, (struct sockaddr *)&addr, len) == -1)
        err(1, "connect @%s", name);
    printf("pid %ld connected\n", (long)getpid());
    fflush(stdout); /* nothing buffered for the child to print again */
    pid_t child = fork_first ? fork() : 0;
    if (child == -1)
        err(1, "fork");
    if (child == 0) {
        printf("pid %ld sends\n", (long)getpid());
        send_message(fd, text, claim != 0 ? claim : getpid());
        if (fork_first)
            _exit(fflush(stdout) == EOF || ferror(stdout));
        return 0;
    }
    if (waitpid(child, &status, 0) == -1)
        err(1, "waitpid");
    return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char *argv[])
{
    int opt, listening = 0, fork_first = 0;
    long claim = 0, seconds = 10;
    char *end;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "lfp:t:")) != -1) {
        long n = opt == 'p' || opt == 't' ? strtol(optarg, &end, 10) : 0;
        if ((opt == 'p' || opt == 't') && (*optarg == '\0' || *end != '\0' || n < 1 ||
                                           n > (opt == 't' ? 3600 : 4194304)))
            usage();
        listening |= opt == 'l';
        fork_first |= opt == 'f';
        claim = opt == 'p' ? n : claim;
        seconds = opt == 't' ? n : seconds;
        if (opt == '?')
            usage();
    }
    if (listening && (argc - optind != 1 || fork_first || claim != 0))
        usage();
    if (argc - optind < 1 || argc - optind > 2 || argv[optind][0] == '\0')
        usage();
    if (listening)
        server(argv[optind], (int)seconds);
    return client(argv[optind], argc - optind == 2 ? argv[optind + 1] : "hello",
                  fork_first, (pid_t)claim, (int)seconds);
}
