/* memfd_recv.c -- takes a buffer from memfd_send, checks that it is sealed, maps
 * it and prints it.
 * Usage:  memfd_recv [-v] [-t seconds] socket-file
 * Shows:  recvmsg(2) with SCM_RIGHTS (as fd_recv does), then fcntl(F_GET_SEALS):
 *         a receiver that trusts a shared buffer must know that nobody can change
 *         it while it reads, so one without F_SEAL_WRITE, F_SEAL_SHRINK and
 *         F_SEAL_GROW is refused. A sealed buffer is mapped read-only (MAP_SHARED:
 *         no copy) and written to stdout. -v also says on stderr what was checked:
 *         the seals, the size, and that a write through the descriptor fails
 *         with EPERM. The server must send within -t seconds (default 10).
 *         Linux only (memfd and seals): see memfd_send.c.
 * Beyond: fd_recv.c (SCM_RIGHTS), client.c (SYS domain_sock); memfd_create(2). */
#define _GNU_SOURCE /* F_GET_SEALS and the F_SEAL_* flags are Linux's */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define NEEDED (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) /* nobody can change it */

static void usage(void)
{
    fprintf(stderr, "usage: memfd_recv [-v] [-t seconds] socket-file\n");
    exit(2);
}

/* The one byte and the descriptor that comes with it. */
static int recv_fd(int conn, const char *path, long seconds)
{
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union { /* the control buffer must be aligned for struct cmsghdr */
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    int fd;

    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
        errx(1, "no buffer from %s within %ld s", path, seconds);
    if (n == -1)
        err(1, "recvmsg");
    if (n == 0)
        errx(1, "the server closed the connection without sending a buffer");
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if ((msg.msg_flags & MSG_CTRUNC) || cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
        cmsg->cmsg_type != SCM_RIGHTS || cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
        errx(1, "the server sent no buffer");
    memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
    return fd;
}

/* Refuse a buffer its sender (or anyone) could still change; say what holds. */
static void check_seals(int fd, int verbose)
{
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals == -1)
        err(1, "fcntl F_GET_SEALS (not a memfd?)");
    if ((seals & NEEDED) != NEEDED)
        errx(1, "the buffer can still be changed (seals missing:%s%s%s): refusing it",
             seals & F_SEAL_WRITE ? "" : " write", seals & F_SEAL_SHRINK ? "" : " shrink",
             seals & F_SEAL_GROW ? "" : " grow");
    if (verbose)
        fprintf(stderr, "memfd_recv: sealed against writing, shrinking, growing%s\n",
                seals & F_SEAL_SEAL ? ", and the seals are sealed" : "");
    if (verbose && write(fd, "x", 1) == -1) /* EPERM: F_SEAL_WRITE */
        fprintf(stderr, "memfd_recv: a write to it fails: %s\n", strerror(errno));
}

int main(int argc, char *argv[])
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct timeval limit = {.tv_sec = 10};
    struct stat st;
    int opt, verbose = 0;
    char *end;

    opterr = 0; /* one usage line is the whole complaint */
    while ((opt = getopt(argc, argv, "vt:")) != -1) {
        limit.tv_sec = opt == 't' ? strtol(optarg, &end, 10) : limit.tv_sec;
        if (opt == 'v')
            verbose = 1;
        else if (opt != 't' || *optarg == '\0' || *end != '\0' || limit.tv_sec < 1 ||
                 limit.tv_sec > 3600)
            usage();
    }
    if (argc - optind != 1)
        usage();
    const char *path = argv[optind];
    if (strlen(path) >= sizeof addr.sun_path)
        errx(1, "socket path too long: %zu bytes, sun_path holds at most %zu: %s",
             strlen(path), sizeof addr.sun_path - 1, path);
    strcpy(addr.sun_path, path);
    int conn = socket(AF_UNIX, SOCK_STREAM, 0);
    if (conn == -1)
        err(1, "socket");
    if (connect(conn, (struct sockaddr *)&addr, sizeof addr) == -1)
        err(1, "connect %s", path);
    if (setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == -1)
        err(1, "setsockopt SO_RCVTIMEO");
    int fd = recv_fd(conn, path, (long)limit.tv_sec);
    close(conn);
    check_seals(fd, verbose);
    if (fstat(fd, &st) == -1)
        err(1, "fstat");
    if (verbose)
        fprintf(stderr, "memfd_recv: %lld bytes, mapped read-only\n",
                (long long)st.st_size);
    if (st.st_size > 0) { /* mmap of 0 bytes fails (EINVAL): nothing to map */
        char *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (data == MAP_FAILED)
            err(1, "mmap");
        if (fwrite(data, 1, (size_t)st.st_size, stdout) != (size_t)st.st_size ||
            fflush(stdout) == EOF || ferror(stdout))
            err(1, "write stdout");
        munmap(data, (size_t)st.st_size);
    }
    close(fd);
    return 0;
}
