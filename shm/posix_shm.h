/* posix_shm.h -- what posix_shm_writer and posix_shm_reader agree on: the
 * layout of the object. */
#ifndef POSIX_SHM_H
#define POSIX_SHM_H

#include <stddef.h>

#define POSIX_SHM_MAGIC 0x4c41424dU /* "LABM": the writer made this object */

struct posix_shm_message {
    unsigned magic;
    size_t length; /* bytes of text, no NUL */
    char text[];   /* the object is sized to hold exactly this much */
};

#endif
