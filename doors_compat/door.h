/* door.h -- Solaris/illumos doors for Linux, built on UNIX domain sockets.
 * The names, types, constants and calls of illumos <door.h>, <ucred.h> and
 * <stropts.h> (fattach, fdetach), so that a door program from a lecture or from
 * UNP vol. 2 builds unchanged:   cc -o door_server door_server.c door.c
 * What each call does here, and what it cannot do, is in door.c and in
 * docs/doors_compat.md (the table of kept and emulated semantics). */
#ifndef DOOR_H
#define DOOR_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef unsigned int uint_t; /* illumos has it in <sys/types.h>; glibc has not */
typedef unsigned int door_attr_t;
typedef unsigned long long door_id_t;
typedef unsigned long long door_ptr_t;

/* A descriptor travelling through a door, in either direction. */
typedef struct door_desc {
    door_attr_t d_attributes; /* DOOR_DESCRIPTOR, optionally | DOOR_RELEASE */
    union {
        struct {
            int d_descriptor;
            door_id_t d_id; /* illumos: the door's id if it is one; 0 here */
        } d_desc;
        int d_resv[5];
    } d_data;
} door_desc_t;

/* The arguments of door_call, and on return its results. */
typedef struct door_arg {
    char *data_ptr;        /* in: the argument bytes; out: the result bytes */
    size_t data_size;      /* in: argument size;      out: result size */
    door_desc_t *desc_ptr; /* in: descriptors sent;   out: descriptors received */
    uint_t desc_num;
    char *rbuf; /* where results go; replaced by a mapping when too small */
    size_t rsize;
} door_arg_t;

typedef struct door_info {
    pid_t di_target;           /* the server process */
    door_ptr_t di_proc;        /* the server procedure's address, in the server */
    door_ptr_t di_data;        /* the cookie given to door_create */
    door_attr_t di_attributes; /* door_create's attributes, DOOR_LOCAL, ... */
    door_id_t di_uniquifier;   /* unique per door, for this boot */
    int di_resv[4];
} door_info_t;

typedef struct door_cred {
    uid_t dc_euid; /* of the calling process: vouched for by the kernel */
    gid_t dc_egid;
    uid_t dc_ruid; /* as the caller's library reported them (see door.c) */
    gid_t dc_rgid;
    pid_t dc_pid;
    int dc_resv[4];
} door_cred_t;

typedef struct ucred_s ucred_t; /* opaque: read it with the ucred_get* calls */

typedef void door_server_proc_t(void *cookie, char *argp, size_t arg_size,
                                door_desc_t *dp, uint_t n_desc);
typedef void door_server_func_t(door_info_t *);

/* door_create attributes (the illumos values). */
#define DOOR_UNREF 0x01       /* an "unreferenced" call when one reference is left */
#define DOOR_PRIVATE 0x02     /* served only by threads door_bind()ed to it */
#define DOOR_UNREF_MULTI 0x10 /* the same, each time it happens */
#define DOOR_REFUSE_DESC 0x40 /* door_call with descriptors fails: ENOTSUP */
#define DOOR_NO_CANCEL 0x80   /* a caller's signal does not cancel the server thread */
#define DOOR_CREATE_MASK                                                                 \
    (DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | DOOR_REFUSE_DESC | DOOR_NO_CANCEL)

/* door_info attributes. */
#define DOOR_LOCAL 0x04    /* the door belongs to the calling process */
#define DOOR_REVOKED 0x08  /* the door has been revoked */
#define DOOR_IS_UNREF 0x20 /* at most one reference is left */

/* door_desc_t attributes. */
#define DOOR_DESCRIPTOR 0x10000 /* d_data.d_desc.d_descriptor is a descriptor */
#define DOOR_RELEASE 0x40000    /* and the sender's copy is closed once sent */

/* door_getparam, door_setparam. */
#define DOOR_PARAM_DESC_MAX 1 /* most descriptors a call may send (ENFILE past it) */
#define DOOR_PARAM_DATA_MAX 2 /* most argument bytes (ENOBUFS past it) */
#define DOOR_PARAM_DATA_MIN 3 /* fewest argument bytes (ENOBUFS below it) */

#define DOOR_INVAL (-1)             /* no door descriptor */
#define DOOR_QUERY (-2)             /* door_info: the current thread's door */
#define DOOR_UNREF_DATA ((char *)1) /* argp of the "unreferenced" call */

/* S_ISDOOR: on illumos stat() of a door path says S_IFDOOR. Linux has no such
 * file type and a door path stays a regular file here: S_ISDOOR is never true
 * of a stat() result. Ask door_info() instead (doorinfo.c does). */
#define S_IFDOOR 0xD000
#define S_ISDOOR(mode) (((mode)&0xF000) == S_IFDOOR)

/* This library's limits: past them door_call and door_return fail with E2BIG. */
#define DOOR_COMPAT_DATA_MAX (4u << 20) /* bytes of arguments or of results */
#define DOOR_COMPAT_DESC_MAX 16         /* descriptors in one direction */

int door_create(door_server_proc_t *server_procedure, void *cookie, uint_t attributes);
int door_call(int d, door_arg_t *params);
int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr, uint_t num_desc);
int door_info(int d, door_info_t *info);
int door_revoke(int d);
int door_cred(door_cred_t *info);
int door_ucred(ucred_t **info);
door_server_func_t *door_server_create(door_server_func_t *create_function);
int door_bind(int d);
int door_unbind(void);
int door_getparam(int d, int param, size_t *out);
int door_setparam(int d, int param, size_t val);
int fattach(int fildes, const char *path);
int fdetach(const char *path);

uid_t ucred_geteuid(const ucred_t *uc);
uid_t ucred_getruid(const ucred_t *uc);
uid_t ucred_getsuid(const ucred_t *uc);
gid_t ucred_getegid(const ucred_t *uc);
gid_t ucred_getrgid(const ucred_t *uc);
gid_t ucred_getsgid(const ucred_t *uc);
pid_t ucred_getpid(const ucred_t *uc);
void ucred_free(ucred_t *uc);

#endif
