/* doorinfo.c -- says whether a path is a door, and whose.
 * Usage:  doorinfo path    ("-" is standard input, e.g. a pipe)
 * Shows:  door_info(3DOOR): the server's pid, its procedure, the door's
 *         attributes and unique id; EBADF for anything that is not a door.
 *         (On illumos S_ISDOOR(st_mode) also tells; here the path stays a regular
 *         file, and only asking the door answers.)
 * Mirrors: UNP vol. 2, 15.7 "door_info function" and 15.8 (doorinfo.c).
 * Build:  cc -o doorinfo doorinfo.c door.c */
#define _POSIX_C_SOURCE 200809L /* POSIX.1-2008: open, close; no extension needed */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "door.h"

/* The attribute names, as illumos spells them. */
static void print_attributes(door_attr_t a)
{
    static const struct {
        door_attr_t bit;
        const char *name;
    } names[] = {
        {DOOR_UNREF, "DOOR_UNREF"},         {DOOR_UNREF_MULTI, "DOOR_UNREF_MULTI"},
        {DOOR_PRIVATE, "DOOR_PRIVATE"},     {DOOR_REFUSE_DESC, "DOOR_REFUSE_DESC"},
        {DOOR_NO_CANCEL, "DOOR_NO_CANCEL"}, {DOOR_LOCAL, "DOOR_LOCAL"},
        {DOOR_REVOKED, "DOOR_REVOKED"},     {DOOR_IS_UNREF, "DOOR_IS_UNREF"},
    };
    const char *sep = "";
    printf(" attributes ");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (a & names[i].bit) {
            printf("%s%s", sep, names[i].name);
            sep = "|";
        }
    printf("%s\n", *sep ? "" : "none");
}

/* Door or not, both are answers; only a path that does not open is a failure. */
static void describe(const char *path)
{
    door_info_t info; /* O_NONBLOCK: a FIFO is not waited for, just no door */
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK);
    if (fd == -1)
        err(1, "open %s", path);
    if (door_info(fd, &info) == -1) {
        if (errno != EBADF)
            err(1, "door_info %s", path);
        printf("%s: not a door\n", path);
    } else {
        printf("%s: door of server %ld, unique id %llu,", path, (long)info.di_target,
               info.di_uniquifier);
        print_attributes(info.di_attributes);
    }
    if (fd != STDIN_FILENO)
        close(fd);
}

int main(int argc, char *argv[])
{
    if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
        fprintf(stderr, "usage: doorinfo path\n");
        return 2;
    }
    describe(argv[1]);
    return 0;
}
