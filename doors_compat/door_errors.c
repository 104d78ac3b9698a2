/* door_errors.c -- runs door calls into each documented error, prints what came back.
 * Usage:  door_errors path
 * Shows:  the library's errors, one line each ("what: ERRNO" or "what: ok"): EBADF
 *         for what is not a door, EINVAL for bad attributes, E2BIG past the limits,
 *         EBUSY for a path already attached, ENOTSUP for descriptors sent to a
 *         DOOR_REFUSE_DESC door, EINTR when the procedure forgets door_return or
 *         ends its thread, ENOBUFS and ENFILE past door_setparam's limits.
 *         path is a scratch file it creates and removes. The list follows the
 *         ERRORS sections of door_call(3DOOR), door_create(3DOOR), door_return(3DOOR),
 *         fattach(3C), fdetach(3C).
 * Beyond: extends door_server and door_client, which show only the calls that work.
 * Build:  cc -o door_errors door_errors.c door.c */
#define _GNU_SOURCE /* O_PATH: a Linux descriptor that must not pass for an open file */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "door.h"

static const char *errno_name(int e)
{
    switch (e) {
    case EBADF:
        return "EBADF";
    case EINVAL:
        return "EINVAL";
    case E2BIG:
        return "E2BIG";
    case EBUSY:
        return "EBUSY";
    case ENOTSUP:
        return "ENOTSUP";
    case EINTR:
        return "EINTR";
    case EPERM:
        return "EPERM";
    case EFAULT:
        return "EFAULT";
    case ENOBUFS:
        return "ENOBUFS";
    case ENFILE:
        return "ENFILE";
    case EISDIR:
        return "EISDIR";
    default:
        return strerror(e);
    }
}

/* Print what a call gave: "ok" for 0, the errno's name for -1. */
static void report(const char *what, int result)
{
    printf("%s: %s\n", what, result == 0 ? "ok" : errno_name(errno));
}

/* The door's procedure; the argument says what to do. */
static void proc(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                 uint_t n_desc)
{
    static char big[8];
    (void)cookie, (void)dp, (void)n_desc;
    if (arg_size == 1 && argp[0] == 'r') /* forget door_return */
        return;
    if (arg_size == 1 && argp[0] == 'x') /* end the server thread */
        pthread_exit(NULL);
    if (arg_size == 1 && argp[0] == 'b') { /* return too much, then say what happened */
        int result = door_return(big, (size_t)DOOR_COMPAT_DATA_MAX + 1, NULL, 0);
        char e = result == -1 && errno == E2BIG ? 'y' : 'n';
        door_return(&e, 1, NULL, 0);
    }
    door_return(NULL, 0, NULL, 0);
}

static int call_with(int fd, char what)
{
    door_arg_t arg = {.data_ptr = &what, .data_size = 1};
    return door_call(fd, &arg);
}

static int call_with_desc(int fd, door_attr_t attributes, uint_t n)
{
    door_desc_t desc[DOOR_COMPAT_DESC_MAX + 1];
    for (uint_t i = 0; i < n; i++) {
        desc[i].d_attributes = attributes;
        desc[i].d_data.d_desc.d_descriptor = STDIN_FILENO;
    }
    door_arg_t arg = {.desc_ptr = desc, .desc_num = n};
    return door_call(fd, &arg);
}

/* Descriptors that are no doors. */
static void not_doors(const char *path)
{
    int fds[2], pipe_result, closed = dup(STDIN_FILENO);
    door_info_t info;
    int file = open(path, O_RDONLY);
    if (file == -1 || pipe(fds) == -1 || closed == -1)
        err(1, "open %s", path);
    close(closed);
    report("door_call on a plain file", door_call(file, NULL));
    report("door_info on a plain file", door_info(file, &info));
    pipe_result = door_call(fds[0], NULL);
    report("door_call on a pipe", pipe_result);
    report("door_call on a closed descriptor", door_call(closed, NULL));
    report("fattach of a plain file's descriptor", fattach(file, path));
    report("fdetach of a path with no door", fdetach(path));
    report("door_revoke of a plain file's descriptor", door_revoke(file));
    report("door_cred outside a door call", door_cred(&(door_cred_t){0}));
    close(fds[0]);
    close(fds[1]);
    close(file);
}

/* Calls through an attached door that must fail. */
static void bad_calls(int d, const char *path)
{
    static char data[1];
    char answer[1];
    int other = door_create(proc, NULL, 0), fd = open(path, O_RDONLY);
    int o_path = open(path, O_PATH);
    if (other == -1 || fd == -1 || o_path == -1)
        err(1, "door_create or open");
    report("fattach of a second door to the same path", fattach(other, path));
    report("door_call with too many descriptors",
           call_with_desc(fd, DOOR_DESCRIPTOR, DOOR_COMPAT_DESC_MAX + 1));
    door_arg_t too_big = {.data_ptr = data,
                          .data_size = (size_t)DOOR_COMPAT_DATA_MAX + 1};
    report("door_call with too much data", door_call(fd, &too_big));
    report("door_call with a descriptor not marked DOOR_DESCRIPTOR",
           call_with_desc(fd, 0, 1));
    report("door_call through an O_PATH descriptor", door_call(o_path, NULL));
    report("door_call to a procedure that forgets door_return", call_with(fd, 'r'));
    report("door_call to a procedure that calls pthread_exit", call_with(fd, 'x'));
    door_arg_t arg = {.data_ptr = "b", .data_size = 1, .rbuf = answer, .rsize = 1};
    int result = door_call(fd, &arg);
    printf("door_return of too much data: %s\n",
           result == 0 && arg.data_size == 1 && arg.data_ptr[0] == 'y' ? "E2BIG"
                                                                       : "no E2BIG");
    report("door_call through the door descriptor itself", door_call(d, NULL));
    door_revoke(other);
    close(o_path);
    close(fd);
}

/* Attributes and parameters: a DOOR_REFUSE_DESC door, door_info of our own door,
 * door_setparam's limits, the thread pool calls. */
static void attributes(void)
{
    door_info_t info;
    report("door_create with an unknown attribute",
           door_create(proc, NULL, 0x8000) == -1 ? -1 : 0);
    report("door_create with DOOR_UNREF|DOOR_UNREF_MULTI",
           door_create(proc, NULL, DOOR_UNREF | DOOR_UNREF_MULTI) == -1 ? -1 : 0);
    int d = door_create(proc, NULL, DOOR_REFUSE_DESC);
    if (d == -1)
        err(1, "door_create");
    printf("door descriptor close-on-exec: %s\n",
           fcntl(d, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
    report("door_call with a descriptor to a DOOR_REFUSE_DESC door",
           call_with_desc(d, DOOR_DESCRIPTOR, 1));
    if (door_info(d, &info) == -1)
        err(1, "door_info");
    printf("door_info of our own door: %s, %s\n",
           info.di_target == getpid() ? "our pid" : "another pid",
           (info.di_attributes & (DOOR_LOCAL | DOOR_REFUSE_DESC)) ==
                   (DOOR_LOCAL | DOOR_REFUSE_DESC)
               ? "DOOR_LOCAL|DOOR_REFUSE_DESC"
               : "wrong attributes");
    report("door_info(DOOR_QUERY) outside a door call", door_info(DOOR_QUERY, &info));
    report("door_setparam DOOR_PARAM_DESC_MAX 1 on a DOOR_REFUSE_DESC door",
           door_setparam(d, DOOR_PARAM_DESC_MAX, 1));
    report("door_setparam DOOR_PARAM_DATA_MIN above DATA_MAX",
           door_setparam(d, DOOR_PARAM_DATA_MAX, 4) ||
               door_setparam(d, DOOR_PARAM_DATA_MIN, 5));
    report("door_call with less data than DOOR_PARAM_DATA_MIN",
           door_setparam(d, DOOR_PARAM_DATA_MIN, 2) || call_with(d, 'a'));
    report("door_bind of a door without DOOR_PRIVATE", door_bind(d));
    report("door_unbind of a thread that is not bound", door_unbind());
    door_revoke(d);
    d = door_create(proc, NULL, 0);
    report("door_call with more descriptors than DOOR_PARAM_DESC_MAX",
           d == -1 || door_setparam(d, DOOR_PARAM_DESC_MAX, 1) ||
               call_with_desc(d, DOOR_DESCRIPTOR, 2));
    report("fattach to a directory", fattach(d, "."));
    door_revoke(d);
}

int main(int argc, char *argv[])
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: door_errors path\n");
        return 2;
    }
    const char *path = argv[1];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd == -1)
        err(1, "creat %s", path);
    close(fd);

    not_doors(path);
    attributes();
    int d = door_create(proc, NULL, 0);
    if (d == -1 || fattach(d, path) == -1)
        err(1, "door_create or fattach %s", path);
    bad_calls(d, path);
    if (door_revoke(d) == -1)
        err(1, "door_revoke");
    fd = open(path, O_RDONLY);
    report("door_call on the path after door_revoke",
           fd == -1 ? -1 : door_call(fd, NULL));
    door_info_t info;
    if (door_info(fd, &info) == -1)
        err(1, "door_info of a revoked door");
    printf("door_info after door_revoke: %s\n",
           info.di_attributes & DOOR_REVOKED ? "DOOR_REVOKED" : "not revoked");
    close(fd);
    if (unlink(path) == -1)
        err(1, "unlink %s", path);
    return 0;
}
