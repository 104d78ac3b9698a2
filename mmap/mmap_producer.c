/* mmap_producer.c -- put "Hello World" into a mapped file, and keep the file
 *                    until Enter is pressed, for mmap_consumer to read.
 * Usage:  mmap_producer [file [message]]    (default: shared.dat "Hello World")
 * Shows:  the basic mmap(2) pattern: create the file, make it long enough
 *         (lseek(2) past the end and write(2) one byte: a mapping cannot make
 *         a file longer), map it MAP_SHARED, memcpy into the mapping, munmap(2).
 *         The file is the IPC object and this program owns it: it makes a
 *         new one (an existing file is refused, never emptied) and removes
 *         it at the end, and on SIGINT or SIGTERM.
 * Mirrors: SYS "Using mmap" and systems-code-examples/mmap (the producer). */
#define _POSIX_C_SOURCE 200809L /* sigaction */

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *sharedFileName = "shared.dat";

/* Only the file must go, and unlink and _exit are async-signal-safe. */
static void on_signal(int sig)
{
    static const char note[] = "mmap_producer: stopped by a signal; file removed\n";
    (void)sig;
    unlink(sharedFileName);
    ssize_t unused = write(STDERR_FILENO, note, sizeof note - 1);
    (void)unused;
    _exit(1);
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* The slide prints its errors to stdout and returns -1 (exit status 255). */
static void fail(const char *call)
{
    warn("%s %s", call, sharedFileName);
    unlink(sharedFileName);
    exit(1);
}

int main(int argc, char *argv[])
{
    if (argc > 3 || (argc > 1 && argv[1][0] == '-')) { /* -h, --help: ./-x is a file */
        fprintf(stderr, "usage: mmap_producer [file [message]]\n");
        return 2;
    }
    if (argc > 1)
        sharedFileName = argv[1];
    const char *data = argc > 2 ? argv[2] : "Hello World";
    size_t dataSize = strlen(data) + 1; /* the terminating NUL goes too */
    const char dummyValue = 0;

    catch_signals(); /* before the file exists: no moment it could be left */
    /* The slide's O_TRUNC empties any file of that name, which we would then
     * remove: only a new one is ours (O_EXCL; a FIFO there is refused too). */
    int fd = open(sharedFileName, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd == -1)
        err(1, "open %s", sharedFileName);
    if (lseek(fd, (off_t)dataSize, SEEK_SET) == -1)
        fail("lseek");
    if (write(fd, &dummyValue, 1) != 1)
        fail("write");

    void *map = mmap(NULL, dataSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        fail("mmap");
    memcpy(map, data, dataSize);

    /* The slide says "press any key": the terminal hands getchar a line. */
    printf("memory mapped. press Enter to exit...\n");
    fflush(stdout);
    getchar(); /* end of input (Ctrl-D, </dev/null) goes on too */

    if (munmap(map, dataSize) == -1)
        fail("munmap");
    close(fd);
    if (unlink(sharedFileName) == -1)
        err(1, "unlink %s", sharedFileName);
    return 0;
}
