/* mycp3.c -- copy a file through two mappings.
 * Usage:  mycp3 source destination
 * Shows:  mapping the source read-only and the destination read-write, after
 *         sizing the destination with ftruncate(2) (a mapping cannot extend a
 *         file); an empty source copied without mapping (a zero-length mmap
 *         fails); copying in windows so a file larger than the address space
 *         allows still copies; the checks a cp needs: the source must be a
 *         regular file, the destination must not be the source (truncating it
 *         would destroy the data), and the copy keeps the permission bits.
 * Mirrors: KHU lecture "mycp3.c" (after APUE figure 14.27). */
#define _POSIX_C_SOURCE 200809L /* fchmod, ftruncate */

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes mapped at a time: a multiple of every page size Linux uses. */
#define WINDOW (1024 * 1024)

static void usage(void)
{
    fprintf(stderr, "usage: mycp3 source destination\n");
    exit(2);
}

/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
 * before we could even see that it is not a regular file. */
static int open_source(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, st) == -1)
        err(1, "fstat %s", path);
    if (!S_ISREG(st->st_mode))
        errx(1, "%s is not a regular file", path);
    return fd;
}

/* Opened without O_TRUNC: only once we know it is not the source (the same
 * inode, by any name) may we cut it to size. O_NONBLOCK: a FIFO, neither. */
static int open_destination(const char *path, const struct stat *src)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CREAT | O_NONBLOCK, src->st_mode & 0777);
    if (fd == -1)
        err(1, "open %s", path);
    if (fstat(fd, &st) == -1)
        err(1, "fstat %s", path);
    if (st.st_dev == src->st_dev && st.st_ino == src->st_ino)
        errx(1, "%s and the source are the same file", path);
    if (!S_ISREG(st.st_mode))
        errx(1, "%s is not a regular file", path);
    if (ftruncate(fd, src->st_size) == -1)
        err(1, "ftruncate %s", path);
    /* open's mode is filtered by the umask and ignored for an existing file. */
    if (fchmod(fd, src->st_mode & 0777) == -1)
        err(1, "fchmod %s", path);
    return fd;
}

static void copy_window(int in, int out, off_t offset, size_t length)
{
    void *src = mmap(NULL, length, PROT_READ, MAP_SHARED, in, offset);
    if (src == MAP_FAILED)
        err(1, "mmap source");
    void *dst = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, out, offset);
    if (dst == MAP_FAILED)
        err(1, "mmap destination");
    memcpy(dst, src, length);
    munmap(src, length);
    if (munmap(dst, length) == -1)
        err(1, "munmap destination");
}

int main(int argc, char *argv[])
{
    if (argc != 3)
        usage();
    struct stat st;
    int in = open_source(argv[1], &st);
    int out = open_destination(argv[2], &st);

    for (off_t done = 0; done < st.st_size; done += WINDOW) {
        off_t left = st.st_size - done;
        copy_window(in, out, done, left < WINDOW ? (size_t)left : WINDOW);
    }
    if (close(out) == -1)
        err(1, "close %s", argv[2]);
    close(in);
    return 0;
}
