/* mmap_consumer.c -- map the file mmap_producer made and print its message.
 * Usage:  mmap_consumer [file]    (default: shared.dat)
 * Shows:  stat(2) for the size of an existing file, mmap(2) of that many
 *         bytes MAP_SHARED, and memcpy out of the mapping into our own memory.
 *         A file that is absent, empty (mmap of length 0 fails) or not a
 *         regular file is a clear error; a FIFO there cannot make it wait.
 * Mirrors: SYS "Using mmap" and systems-code-examples/mmap (the consumer). */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The slide's getFileSize ignores a failing stat and returns a size it never
 * got. */
static size_t getFileSize(const char *fileName)
{
    struct stat fileStat;
    if (stat(fileName, &fileStat) == -1) {
        if (errno == ENOENT)
            errx(1, "%s does not exist: start mmap_producer first", fileName);
        err(1, "stat %s", fileName);
    }
    if (!S_ISREG(fileStat.st_mode))
        errx(1, "%s is not a regular file", fileName);
    if (fileStat.st_size == 0)
        errx(1, "%s is empty: nothing to map", fileName);
    return (size_t)fileStat.st_size;
}

/* The slide's first consumer writes main(argc, ...): argc needs its type. */
int main(int argc, char *argv[])
{
    if (argc > 2 || (argc > 1 && argv[1][0] == '-')) { /* -h, --help: ./-x is a file */
        fprintf(stderr, "usage: mmap_consumer [file]\n");
        return 2;
    }
    const char *fileName = argc > 1 ? argv[1] : "shared.dat";
    size_t fileSize = getFileSize(fileName);

    int fd = open(fileName, O_RDWR);
    if (fd == -1)
        err(1, "open %s", fileName);
    void *map = mmap(NULL, fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    /* The slide's full consumer prints "mmap() returned -1" and goes on to
     * copy from MAP_FAILED. */
    if (map == MAP_FAILED)
        err(1, "mmap %s", fileName);

    /* The slide's calloc(1, fileSize) leaves no room for the end of the string
     * when the file holds no NUL: printf would read past the buffer. */
    char *data = calloc(1, fileSize + 1);
    if (data == NULL)
        err(1, "calloc");
    memcpy(data, map, fileSize);
    for (char *c = data; *c != '\0'; c++)
        if (!isprint((unsigned char)*c)) /* the file is not ours: no control byte raw */
            *c = '?';
    printf("%s\n", data);
    free(data);

    /* The slide's first consumer calls munmap(map): munmap needs the length. */
    if (munmap(map, fileSize) == -1)
        err(1, "munmap");
    close(fd);
    return 0;
}
