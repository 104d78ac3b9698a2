/* posix_shm_reader.c -- print the message posix_shm_writer left in a named
 *                       POSIX shared memory object, then unlink the object.
 * Usage:  posix_shm_reader [-k] name
 *         -k  keep the object (do not shm_unlink it)
 * Shows:  shm_open(3) without O_CREAT (an absent object is an error, not a
 *         new empty one), fstat(2) for the size, a read-only mmap(2),
 *         checking the data before trusting it, and shm_unlink(3).
 * Mirrors: the modern counterpart of ALP shm.c and KHU sipc1.c / sipc2.c. */
#define _POSIX_C_SOURCE 200809L /* shm_open */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix_shm.h"

static void usage(void)
{
    fprintf(stderr, "usage: posix_shm_reader [-k] name\n");
    exit(2);
}

/* Map the object and check it is what the writer makes, before any use. */
static void print_message(const char *name, int fd)
{
    struct stat st;
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", name);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a shared memory object", name);
    size_t size = (size_t)st.st_size;
    if (size < sizeof(struct posix_shm_message))
        errx(1, "%s is too short (%zu bytes): not written by posix_shm_writer", name,
             size);
    const struct posix_shm_message *shared =
        mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED)
        err(1, "mmap %s", name);
    if (shared->magic != POSIX_SHM_MAGIC ||
        shared->length > size - sizeof(struct posix_shm_message))
        errx(1, "%s was not written by posix_shm_writer", name);
    printf("posix_shm_reader: %zu bytes: ", shared->length);
    for (size_t i = 0; i < shared->length; i++) /* a peer's control bytes: shown as '?' */
        putchar(iscntrl((unsigned char)shared->text[i]) ? '?' : shared->text[i]);
    putchar('\n');
    munmap((void *)shared, size);
}

int main(int argc, char *argv[])
{
    int opt, keep = 0;
    while ((opt = getopt(argc, argv, ":k")) != -1) {
        if (opt != 'k')
            usage();
        keep = 1;
    }
    const char *name = argv[optind];
    /* A POSIX name: one leading slash, no other, not too long for a file name. */
    if (argc - optind != 1 || name[0] != '/' || name[1] == '\0' ||
        strchr(name + 1, '/') != NULL || strlen(name) > NAME_MAX)
        usage();

    /* O_NONBLOCK: were the name a FIFO (anyone may make one in /dev/shm), a
     * plain open would wait for a writer; fstat then refuses it. */
    int fd = shm_open(name, O_RDONLY | O_NONBLOCK, 0);
    if (fd == -1 && errno == ENOENT)
        errx(1, "no shared memory object %s (run posix_shm_writer first)", name);
    if (fd == -1)
        err(1, "shm_open %s", name);
    print_message(name, fd);
    close(fd);
    if (!keep && shm_unlink(name) == -1)
        err(1, "shm_unlink %s", name);
    if (!keep)
        printf("posix_shm_reader: removed %s\n", name);
    return 0;
}
