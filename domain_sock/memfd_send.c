/* memfd_send.c -- hands every client a sealed, read-only buffer: a memfd passed
 * with SCM_RIGHTS.
 * Usage:  memfd_send [-u] socket-file < data     (at most 1 MiB of data)
 * Shows:  memfd_create(2): a file that lives in memory only, with no name in any
 *         directory. The data from stdin is written into it, then sealed with
 *         fcntl(F_ADD_SEALS): F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE (nobody,
 *         the sender included, can change it any more) and F_SEAL_SEAL (nor lift
 *         the seals). Each client gets the descriptor by sendmsg(2) with
 *         SCM_RIGHTS (as fd_send does), and can map it: many processes share
 *         one buffer, none can change it under another's feet, so a receiver
 *         that checks the seals (memfd_recv) need not copy what it got. -u sends
 *         it unsealed, to watch memfd_recv refuse it. Linux only (since 3.17):
 *         the POSIX way to share memory by name is shm_open(3) (shm/), which has
 *         no seals.
 * Beyond: fd_send.c (SCM_RIGHTS, TLPI ch. 61.13.3), server.c (SYS domain_sock);
 *         memfd_create(2) and fcntl(2) "File Sealing". */
#define _GNU_SOURCE /* memfd_create(2) and file seals are Linux's: the point here */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define DATA_MAX (1024 * 1024)

static const char *socket_file; /* for on_stop */

static void usage(void)
{
    fprintf(stderr, "usage: memfd_send [-u] socket-file < data\n");
    exit(2);
}

static void on_stop(int sig)
{
    static const char msg[] = "memfd_send stopped, socket file removed\n";
    (void)sig;
    unlink(socket_file);
    write(STDOUT_FILENO, msg, sizeof msg - 1);
    _exit(0);
}

/* A memfd holding all of stdin, sealed unless told not to. */
static int make_buffer(int seal, size_t *size)
{
    static char data[DATA_MAX + 1]; /* + 1: to see more than DATA_MAX */
    ssize_t n;

    *size = 0;
    while (*size < sizeof data &&
           (n = read(STDIN_FILENO, data + *size, sizeof data - *size)) != 0) {
        if (n == -1)
            err(1, "read stdin");
        *size += (size_t)n;
    }
    if (*size > DATA_MAX)
        errx(1, "more than %d bytes on stdin", DATA_MAX);
    /* Without MFD_ALLOW_SEALING a memfd takes no seals (F_ADD_SEALS: EPERM). */
    int fd = memfd_create("memfd_send", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd == -1)
        err(1, "memfd_create");
    for (size_t done = 0; done < *size; done += (size_t)n)
        if ((n = write(fd, data + done, *size - done)) == -1)
            err(1, "write the memfd");
    /* Sealed once written: F_SEAL_WRITE now makes every write fail with EPERM. */
    if (seal && fcntl(fd, F_ADD_SEALS,
                      F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == -1)
        err(1, "fcntl F_ADD_SEALS");
    return fd;
}

/* Fill addr for path, and free the path for bind(): a socket nobody answers on
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
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (probe == -1)
        err(1, "socket");
    if (connect(probe, (const struct sockaddr *)addr, sizeof *addr) == 0 ||
        errno != ECONNREFUSED)
        errx(1, "%s: a server is already running there", path);
    close(probe);
    if (unlink(path) == -1)
        err(1, "remove stale socket %s", path);
    warnx("removed stale socket %s (no server answered on it)", path);
}

/* The descriptor and one byte of ordinary data (a stream socket sends no control
 * message without some), never waiting on the client (MSG_DONTWAIT). */
static int send_fd(int conn, int fd)
{
    char byte = 'M';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union { /* the control buffer must be aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

    memset(&control, 0, sizeof control);
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    return sendmsg(conn, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == -1 ? -1 : 0;
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr;
    size_t size;
    long clients = 0;
    int opt, seal = 1;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "u")) != -1) {
        if (opt != 'u')
            usage();
        seal = 0;
    }
    if (argc - optind != 1)
        usage();
    socket_file = argv[optind];
    claim_path(&addr, socket_file); /* before the data: a wrong path costs no input */
    int buffer = make_buffer(seal, &size);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener == -1)
        err(1, "socket");
    umask(0177); /* the socket file 0600: only its owner may connect */
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "bind %s", socket_file);
    if (signal(SIGINT, on_stop) == SIG_ERR || signal(SIGTERM, on_stop) == SIG_ERR)
        err(1, "signal"); /* a stop before this leaves a stale file, which is replaced */
    if (listen(listener, 5) == -1)
        err(1, "listen");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("a buffer of %zu bytes, %s\n", size, seal ? "sealed" : "NOT sealed");
    printf("listening on %s\n", socket_file);
    for (;;) {
        int conn = accept(listener, NULL, NULL);
        if (conn == -1)
            err(1, "accept");
        if (send_fd(conn, buffer) == -1)
            warn("send the buffer to client %ld", ++clients);
        else
            printf("sent the buffer to client %ld\n", ++clients);
        close(conn); /* the client's copy of the descriptor stays open */
    }
}
