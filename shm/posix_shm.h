/* posix_shm.h -- what posix_shm_writer and posix_shm_reader agree on: the
 * layout of the object and what makes a valid POSIX name. */
#ifndef POSIX_SHM_H
#define POSIX_SHM_H

#include <limits.h>
#include <stddef.h>
#include <string.h>

#define POSIX_SHM_MAGIC 0x4c41424dU /* "LABM": the writer made this object */

struct posix_shm_message {
    unsigned magic;
    size_t length; /* bytes of text, no NUL */
    char text[];   /* the object is sized to hold exactly this much */
};

/* One leading slash, no other, not empty, not too long for the file system. */
static int posix_shm_name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 1 && n <= NAME_MAX && name[0] == '/' && strchr(name + 1, '/') == NULL;
}

#endif
