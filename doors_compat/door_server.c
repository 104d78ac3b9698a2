/* door_server.c -- the lecture's door server: answers each request through its door.
 * Usage:  door_server path
 * Shows:  door_create(3DOOR), creat + fattach(3C) to give the door a name in the
 *         file system, a server procedure that ends with door_return(3DOOR). The
 *         door asks for DOOR_UNREF: once no file leads to it any more (fdetach), the
 *         procedure is called one last time with argp == DOOR_UNREF_DATA.
 * Mirrors: SYS doors (server).
 * Build:  cc -o door_server door_server.c door.c */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsuspend (door_file.h) */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "door.h"
#include "door_file.h"
#include "hello.h"

static atomic_long served; /* calls run concurrently: count atomically */

/* The server procedure: runs in a thread of its own for every door_call. */
static void hello(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                  uint_t n_desc)
{
    struct hello_request req;
    struct hello_reply reply = {.server = getpid()};
    (void)cookie, (void)dp, (void)n_desc;

    if (argp == DOOR_UNREF_DATA) {
        printf("door_server: the door is unreferenced: no file leads to it\n");
        fflush(stdout);
        door_return(NULL, 0, NULL, 0);
    }
    if (arg_size != sizeof req) { /* a stranger's call: answer nothing */
        door_return(NULL, 0, NULL, 0);
    }
    memcpy(&req, argp, sizeof req); /* argp need not be aligned for a struct */
    req.text[sizeof req.text - 1] = '\0';
    reply.id = req.id;
    reply.served = atomic_fetch_add(&served, 1) + 1;
    printf("door_server: request %ld: %s\n", req.id, req.text);
    fflush(stdout);
    door_return((char *)&reply, sizeof reply, NULL, 0);
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: door_server path\n");
        return 2;
    }
    const char *path = argv[1];

    door_file_catch();
    int d = door_create(hello, NULL, DOOR_UNREF);
    if (d == -1)
        err(1, "door_create");
    door_file_attach(d, path); /* creat(path); fattach(d, path) */
    printf("door_server: door attached to %s\n", path);
    fflush(stdout);

    door_file_wait(); /* until SIGINT or SIGTERM */
    door_file_remove(d, path);
    printf("door_server: %ld requests served\n", atomic_load(&served));
    return 0;
}
