/* mmap_producer.c -- size a file, map it, leave a message in it, and keep it
 *                    there while consumers read it.
 * Usage:  mmap_producer [-k] file [message]
 *         message: default "Hello World";  -k: keep the file at the end
 * Shows:  ftruncate(2) before mmap(2) (the file is empty when created), a
 *         store into a MAP_SHARED mapping that any process mapping the file
 *         sees, and waiting without a keyboard: until a line or end of input
 *         on stdin, or SIGINT/SIGTERM; pselect(2) waits for both without the
 *         race of testing a flag and then blocking. Then the file is removed.
 * Mirrors: SYS mmap producer example ("shared.dat", "Hello World"). */
#define _POSIX_C_SOURCE 200809L /* pselect, sigaction */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared_file.h"

static volatile sig_atomic_t stop_signal;

static void usage(void)
{
    fprintf(stderr, "usage: mmap_producer [-k] file [message]\n");
    exit(2);
}

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Catch SIGINT and SIGTERM, but keep them blocked except inside pselect. */
static void catch_signals(sigset_t *unblocked)
{
    sigset_t both;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&both);
    sigaddset(&both, SIGINT);
    sigaddset(&both, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &both, unblocked) == -1)
        err(1, "sigprocmask");
    sigdelset(unblocked, SIGINT);
    sigdelset(unblocked, SIGTERM);
}

static char *create_shared_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    if (fd == -1)
        err(1, "open %s", path);
    if (ftruncate(fd, SHARED_SIZE) == -1) { /* mapping an empty file: SIGBUS */
        warn("ftruncate %s", path);
        unlink(path);
        exit(1);
    }
    char *shared = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED) {
        warn("mmap %s", path);
        unlink(path);
        exit(1);
    }
    close(fd);
    return shared;
}

/* Until a whole line, end of input, or a signal. */
static void wait_for_go(const sigset_t *unblocked)
{
    char buffer[256];
    for (;;) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(STDIN_FILENO, &readable);
        if (pselect(STDIN_FILENO + 1, &readable, NULL, NULL, NULL, unblocked) == -1) {
            if (errno == EINTR && stop_signal)
                return;
            err(1, "pselect");
        }
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0 || memchr(buffer, '\n', (size_t)n) != NULL)
            return; /* an error on stdin ends the wait too: never hang on it */
    }
}

int main(int argc, char *argv[])
{
    int opt, keep = 0;
    while ((opt = getopt(argc, argv, ":k")) != -1) {
        if (opt != 'k')
            usage();
        keep = 1;
    }
    if (argc - optind < 1 || argc - optind > 2)
        usage();
    const char *path = argv[optind];
    const char *message = argc - optind == 2 ? argv[optind + 1] : "Hello World";
    if (strlen(message) >= SHARED_SIZE)
        usage();

    sigset_t unblocked;
    catch_signals(&unblocked);
    char *shared = create_shared_file(path);
    snprintf(shared, SHARED_SIZE, "%s", message);
    printf("mmap_producer: wrote \"%s\" to %s (%d bytes); waiting for a line or end "
           "of input on stdin, or SIGINT/SIGTERM\n",
           message, path, SHARED_SIZE);
    fflush(stdout);

    wait_for_go(&unblocked);
    if (stop_signal)
        printf("mmap_producer: %s\n", stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
    munmap(shared, SHARED_SIZE);
    if (!keep) {
        if (unlink(path) == -1)
            err(1, "unlink %s", path);
        printf("mmap_producer: removed %s\n", path);
    }
    return 0;
}
