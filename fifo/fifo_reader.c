/* fifo_reader.c -- print each line that comes through a FIFO, as `cat < fifo`.
 * Usage:  fifo_reader fifo
 * Shows:  a FIFO is opened by its name like any file: fopen(3), which blocks
 *         until a writer opens the other end; stdio reads it line by line up to
 *         EOF, which comes when the last writer closes; fclose(3). Each line is
 *         printed as soon as it arrives: type into `cat > fifo` in another
 *         terminal and every line shows up here when you press Enter.
 *         It is for text: a NUL byte ends the piece of line that fputs prints.
 *         Whoever made the FIFO removes it: at the end, or on SIGINT and
 *         SIGTERM, even while fopen() still waits.
 * Mirrors: CE "FIFOs": the `cat < /tmp/fifo` demo (l.173-195) and the fopen +
 *         fscanf + fclose snippet (l.216-220), after ALP 5.4.5. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, sigaction */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fifo_path;
static volatile sig_atomic_t made; /* this process made the FIFO, so removes it */

static void usage(void)
{
    fprintf(stderr, "usage: fifo_reader fifo\n");
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
    static const char msg[] = "fifo_reader: interrupted\n";
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
    sa.sa_handler = SIG_IGN; /* `fifo_reader f | head`: EPIPE, an error, not death */
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

int main(int argc, char *argv[])
{
    char buffer[256];

    if (argc != 2 || argv[1][0] == '-')
        usage();
    fifo_path = argv[1];
    catch_signals();
    make_fifo();
    if (atexit(remove_fifo) != 0)
        errx(1, "atexit failed");
    printf("waiting for a writer on %s\n", fifo_path);
    fflush(stdout);

    FILE *fifo = fopen(fifo_path, "r"); /* waits for a writer */
    if (fifo == NULL)
        err(1, "fopen %s", fifo_path);
    /* The slide reads with fscanf(fifo, "%s", buffer): no width, so a longer
     * word runs past the end of buffer, and it stops at the first space.
     * fgets is bounded by sizeof buffer and keeps the line whole; a longer
     * line comes in pieces, printed one after the other, so nothing is lost. */
    while (fgets(buffer, sizeof buffer, fifo) != NULL) {
        if (fputs(buffer, stdout) == EOF || fflush(stdout) == EOF || ferror(stdout))
            err(1, "standard output");
    }
    if (ferror(fifo))
        err(1, "read %s", fifo_path);
    fclose(fifo);
    return 0;
}
