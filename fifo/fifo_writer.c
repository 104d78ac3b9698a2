/* fifo_writer.c -- send what you type into a FIFO, as `cat > fifo` does.
 * Usage:  fifo_writer fifo
 * Shows:  mkfifo(3), or the FIFO already there; open(2) with O_WRONLY, which
 *         blocks until a reader opens the other end; write(2) of each piece of
 *         standard input; close(2), after which the reader sees EOF. On a
 *         terminal a piece is a line: it goes out when you press Enter, and
 *         Ctrl-D ends. The reader may be fifo_reader, cat, or gzip.
 *         Whoever made the FIFO removes it: at the end, or on SIGINT and
 *         SIGTERM, even while open() still waits.
 * Mirrors: CE "FIFOs": the `cat > /tmp/fifo` demo (l.173-195) and the open +
 *         write + close snippet (l.210-214), after ALP 5.4.5. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fifo_path;
static volatile sig_atomic_t made; /* this process made the FIFO, so removes it */

static void usage(void)
{
    fprintf(stderr, "usage: fifo_writer fifo\n");
    exit(2);
}

static void remove_fifo(void)
{
    if (made)
        unlink(fifo_path);
}

/* SIGINT, SIGTERM: a path is all there is to remove, and unlink and _exit are
 * async-signal-safe, so the handler ends the program wherever it waits. */
static void on_stop(int sig)
{
    static const char msg[] = "fifo_writer: interrupted\n";
    (void)sig;
    remove_fifo();
    ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)n; /* nothing to do if even that fails */
    _exit(1);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sa.sa_handler = SIG_IGN; /* a reader that leaves: write() fails with EPIPE */
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Make the FIFO, or use the one that is there; refuse any other kind of file. */
static void make_fifo(void)
{
    struct stat st;

    made = mkfifo(fifo_path, 0600) == 0; /* a stop just before this store leaves it */
    if (made)
        return;
    if (errno != EEXIST)
        err(1, "mkfifo %s", fifo_path);
    if (stat(fifo_path, &st) == -1)
        err(1, "%s", fifo_path);
    if (!S_ISFIFO(st.st_mode))
        errx(1, "%s exists and is not a FIFO", fifo_path);
}

/* The slide writes once and ignores the result: a write cut short by a signal
 * would lose the rest, and a reader gone kills the writer with SIGPIPE unseen.
 * Loop until all is written; SIGPIPE is ignored, so EPIPE comes back here. */
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n == -1)
            err(1, "write");
        buf += n;
        len -= (size_t)n;
    }
}

int main(int argc, char *argv[])
{
    char data[4096];
    ssize_t data_length;
    long long total = 0;

    if (argc != 2 || argv[1][0] == '-')
        usage();
    fifo_path = argv[1];
    catch_signals();
    make_fifo();
    if (atexit(remove_fifo) != 0)
        errx(1, "atexit failed");
    printf("waiting for a reader on %s\n", fifo_path);
    fflush(stdout);

    int fd = open(fifo_path, O_WRONLY); /* waits for a reader */
    if (fd == -1)
        err(1, "open %s", fifo_path);
    while ((data_length = read(STDIN_FILENO, data, sizeof data)) > 0) {
        write_all(fd, data, (size_t)data_length);
        total += data_length;
    }
    if (data_length == -1)
        err(1, "read standard input");
    if (close(fd) == -1)
        err(1, "close %s", fifo_path);
    printf("wrote %lld bytes\n", total);
    return 0;
}
