/* posix_shm_writer.c -- leave a message in a named POSIX shared memory object.
 * Usage:  posix_shm_writer name message
 * Shows:  shm_open(3) with O_CREAT | O_EXCL (an existing object is reported,
 *         never overwritten), ftruncate(2) to size the new, empty object before
 *         mapping it, mmap(2), and an object that outlives its writer until
 *         posix_shm_reader unlinks it. On Linux it is the file /dev/shm/NAME.
 * Mirrors: the modern counterpart of ALP shm.c and KHU sipc1.c / sipc2.c. */
#define _POSIX_C_SOURCE 200809L /* shm_open, ftruncate */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix_shm.h"

static void usage(void)
{
    fprintf(stderr, "usage: posix_shm_writer name message\n");
    exit(2);
}

/* Hold SIGINT and SIGTERM while the object is half made: a signal then ends
 * the program after the object is either complete or unlinked. */
static void hold_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

static void fail(const char *name, const char *what)
{
    warn("%s", what);
    shm_unlink(name); /* we created it: a half-made object must not stay */
    exit(1);
}

int main(int argc, char *argv[])
{
    /* A POSIX name: one leading slash, no other, not too long for a file name. */
    if (argc != 3 || argv[1][0] != '/' || argv[1][1] == '\0' ||
        strchr(argv[1] + 1, '/') != NULL || strlen(argv[1]) > NAME_MAX)
        usage();
    const char *name = argv[1], *message = argv[2];
    size_t length = strlen(message);
    size_t size = sizeof(struct posix_shm_message) + length;

    hold_signals(SIG_BLOCK);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
    if (fd == -1 && errno == EEXIST)
        errx(1,
             "%s already exists (an unread message?): read it with "
             "posix_shm_reader %s, or remove /dev/shm%s",
             name, name, name);
    if (fd == -1)
        err(1, "shm_open %s", name);
    if (ftruncate(fd, (off_t)size) == -1) /* a new object has size 0 */
        fail(name, "ftruncate");
    struct posix_shm_message *shared =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED)
        fail(name, "mmap");
    close(fd); /* the mapping keeps the object open */

    memcpy(shared->text, message, length);
    shared->length = length;
    shared->magic = POSIX_SHM_MAGIC;
    if (munmap(shared, size) == -1)
        fail(name, "munmap");
    printf("posix_shm_writer: wrote %zu bytes to %s\n", length, name);
    hold_signals(SIG_UNBLOCK);
    return 0;
}
