/* mmap_consumer.c -- map the file mmap_producer made and print its message.
 * Usage:  mmap_consumer file
 * Shows:  mapping an existing file read-only, and checking it first: a file
 *         that is absent, or shorter than the producer makes it, is a clear
 *         error (touching a mapped page past the end of a file is SIGBUS), and
 *         the text must end inside the mapping.
 * Mirrors: SYS mmap consumer example ("shared.dat"). */
#define _POSIX_C_SOURCE 200809L

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared_file.h"

static void usage(void)
{
    fprintf(stderr, "usage: mmap_consumer file\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    if (argc != 2)
        usage();
    const char *path = argv[1];
    int fd = open(path, O_RDONLY);
    if (fd == -1 && errno == ENOENT)
        errx(1, "%s does not exist: start mmap_producer %s first", path, path);
    if (fd == -1)
        err(1, "open %s", path);
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (st.st_size < SHARED_SIZE)
        errx(1, "%s is too short (%jd bytes; the producer makes %d)", path,
             (intmax_t)st.st_size, SHARED_SIZE);
    const char *shared = mmap(NULL, SHARED_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED)
        err(1, "mmap %s", path);
    close(fd);
    if (memchr(shared, '\0', SHARED_SIZE) == NULL)
        errx(1, "%s holds no terminated message", path);
    printf("mmap_consumer: %s\n", shared);
    munmap((void *)shared, SHARED_SIZE);
    return 0;
}
