/* door_file.h -- what every door server here does around its door: attach it
 * to a file (created if missing), wait for SIGINT or SIGTERM, then revoke the
 * door and remove the file -- but only while the file is still this server's
 * door (after an fdetach another server may have taken it over).
 * The including program defines _POSIX_C_SOURCE 200809L (sigaction). */
#ifndef DOOR_FILE_H
#define DOOR_FILE_H

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "door.h"

static volatile sig_atomic_t door_file_stop;

static void door_file_on_signal(int sig)
{
    (void)sig;
    door_file_stop = 1;
}

/* creat(path), fattach(d, path): the lecture's two lines, with their errors. A
 * file that exists already is used as it is (a server killed by SIGKILL leaves
 * it, or another server is using it: then fattach says EBUSY). */
static inline void door_file_attach(int d, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    int created = fd != -1;
    if (fd == -1 && errno != EEXIST)
        err(1, "creat %s", path);
    if (created)
        close(fd);
    if (fattach(d, path) == -1) {
        int e = errno;
        if (created)
            unlink(path);
        errno = e;
        err(1, "fattach %s", path);
    }
}

static sigset_t door_file_mask; /* the signal mask to wait with */

/* Catch SIGINT and SIGTERM, but keep them blocked until door_file_wait(): one that
 * comes early is then not lost. Call it first, before the door is attached. */
static inline void door_file_catch(void)
{
    struct sigaction sa = {.sa_handler = door_file_on_signal};
    sigset_t block;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &block, &door_file_mask) == -1)
        err(1, "sigprocmask");
}

/* Sleep until SIGINT or SIGTERM; the library's threads serve the calls meanwhile. */
static inline void door_file_wait(void)
{
    while (!door_file_stop)
        sigsuspend(&door_file_mask);
}

/* Revoke the door; remove the file if it was still our door until then. */
static inline void door_file_remove(int d, const char *path)
{
    door_info_t info;
    int fd = open(path, O_RDONLY);
    int ours = fd != -1 && door_info(fd, &info) == 0 && (info.di_attributes & DOOR_LOCAL);
    if (fd != -1)
        close(fd);
    if (door_revoke(d) == -1)
        warn("door_revoke");
    if (ours && unlink(path) == -1)
        warn("unlink %s", path);
}

#endif
