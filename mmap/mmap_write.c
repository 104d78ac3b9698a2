/* mmap_write.c -- write a number, as text, into a file through a mapping.
 * Usage:  mmap_write file [value]
 *         without a value, a random one between -100 and 100
 * Shows:  sizing a file with ftruncate(2) before mapping it (a mapping cannot
 *         make a file longer: touching a page past its end is SIGBUS), mmap(2)
 *         with MAP_SHARED so the store reaches the file, munmap(2).
 * Mirrors: ALP listing 5.5 "mmap-write.c"; CE 02_mmap-write.c. */
#define _POSIX_C_SOURCE 200809L /* ftruncate, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mmap_file.h"

static void usage(void)
{
    fprintf(stderr, "usage: mmap_write file [value]\n");
    exit(2);
}

static long parse_value(const char *text)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0)
        usage();
    return value;
}

int main(int argc, char *argv[])
{
    if (argc < 2 || argc > 3 || argv[1][0] == '-') /* -h, --help: ./-x is a file */
        usage();
    const char *path = argv[1];
    long value;
    if (argc == 3) {
        value = parse_value(argv[2]);
    } else {
        srand((unsigned)time(NULL) ^ (unsigned)getpid());
        value = rand() % 201 - 100;
    }

    struct stat st;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NONBLOCK, S_IRUSR | S_IWUSR);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st.st_mode)) /* a FIFO or a device: no file to size and map */
        errx(1, "%s is not a regular file", path);
    /* ALP seeks past the end and writes a byte; ftruncate says it directly. */
    if (ftruncate(fd, FILE_LENGTH) == -1)
        err(1, "ftruncate %s", path);
    char *file_memory = mmap(NULL, FILE_LENGTH, PROT_WRITE, MAP_SHARED, fd, 0);
    /* The slide (KHU) says mmap returns -1 on error: it is MAP_FAILED. */
    if (file_memory == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd); /* the mapping stays valid without the descriptor */

    snprintf(file_memory, FILE_LENGTH, "%ld\n", value);
    if (munmap(file_memory, FILE_LENGTH) == -1)
        err(1, "munmap");
    printf("wrote %ld to %s\n", value, path);
    return 0;
}
