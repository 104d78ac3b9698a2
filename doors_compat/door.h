/* door.h -- Solaris/illumos doors for Linux, built on UNIX domain sockets.
 * The names, types, constants and calls of illumos <door.h> and <stropts.h>
 * (fattach, fdetach), so that a door program from a lecture or from UNP vol. 2
 * builds unchanged:   cc -o door_server door_server.c door.c
 * What each call does here, and what it cannot do, is in door.c and in
 * docs/doors_compat.md (section DIFFERENCES). */
#ifndef DOOR_H
#define DOOR_H

#include <stddef.h>
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

typedef void door_server_proc_t(void *cookie, char *argp, size_t arg_size,
                                door_desc_t *dp, uint_t n_desc);

/* door_create attributes (the illumos values). */
#define DOOR_UNREF 0x01       /* deliver an "unreferenced" call (see door.c) */
#define DOOR_PRIVATE 0x02     /* accepted; every door has its own threads here */
#define DOOR_UNREF_MULTI 0x10 /* deliver "unreferenced" more than once */
#define DOOR_REFUSE_DESC 0x40 /* door_call with descriptors fails: ENOTSUP */
#define DOOR_NO_CANCEL 0x80   /* accepted; no thread is ever cancelled here */
#define DOOR_CREATE_MASK                                                                 \
    (DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | DOOR_REFUSE_DESC | DOOR_NO_CANCEL)

/* door_info attributes. */
#define DOOR_LOCAL 0x04   /* the door belongs to the calling process */
#define DOOR_REVOKED 0x08 /* the door has been revoked */
#define DOOR_IS_UNREF 0x20

/* door_desc_t attributes. */
#define DOOR_DESCRIPTOR 0x10000 /* d_data.d_desc.d_descriptor is a descriptor */
#define DOOR_RELEASE 0x40000    /* and the sender's copy is closed once sent */

#define DOOR_UNREF_DATA ((char *)1) /* argp of the "unreferenced" call */
#define DOOR_QUERY (-1)             /* door_info(DOOR_QUERY, ...): the current door */

/* This library's limits: past them door_call and door_return fail with E2BIG. */
#define DOOR_COMPAT_DATA_MAX (4u << 20) /* bytes of arguments or of results */
#define DOOR_COMPAT_DESC_MAX 16         /* descriptors in one direction */

int door_create(door_server_proc_t *server_procedure, void *cookie, uint_t attributes);
int door_call(int d, door_arg_t *params);
int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr, uint_t num_desc);
int door_info(int d, door_info_t *info);
int door_revoke(int d);
int door_cred(door_cred_t *info);
int fattach(int fildes, const char *path);
int fdetach(const char *path);

#endif
