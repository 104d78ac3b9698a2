/* unref_multi.c -- DOOR_UNREF_MULTI: an unreferenced call each time a door's
 * references drop to one, counting the copies of its descriptor handed out.
 * Usage:  unref_multi
 * Shows:  door_create(3C) with DOOR_UNREF_MULTI. The door's references are its
 *         descriptor (with all its dups), each path it is fattach()ed to, and each
 *         copy of it handed out through a door (DOOR_DESCRIPTOR in door_return):
 *         when they drop to one (ours), its procedure gets a call with argp ==
 *         DOOR_UNREF_DATA, each time (DOOR_UNREF: the first time only), and only
 *         once no call of the door is in progress. door_info says DOOR_IS_UNREF
 *         meanwhile. A second door, "giver", hands out the copies; the steps are
 *         printed as they happen.
 * Beyond: extends unref_server (UNP's DOOR_UNREF) with DOOR_UNREF_MULTI and
 *         descriptors passed through a door, as the illumos door_create(3C) has them.
 * Build:  cc -o unref_multi unref_multi.c door.c */
#define _POSIX_C_SOURCE 200809L /* sem_timedwait, clock_gettime */

#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "door.h"

static int counted = -1;       /* the DOOR_UNREF_MULTI door */
static sem_t unreferenced;     /* posted by each unreferenced call */
static sem_t release;          /* lets the call held in progress end */
static sem_t started;          /* posted when that call is in progress */
static atomic_int unref_calls; /* counted by the door's thread, read by main */

static void counted_proc(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                         uint_t n_desc)
{
    (void)cookie, (void)arg_size, (void)dp, (void)n_desc;
    if (argp == DOOR_UNREF_DATA) {
        printf("unreferenced call %d\n", ++unref_calls);
        sem_post(&unreferenced);
        door_return(NULL, 0, NULL, 0);
    }
    sem_post(&started);
    while (sem_wait(&release) == -1) /* a call kept in progress until main says */
        continue;
    door_return(NULL, 0, NULL, 0);
}

/* The giver: hands out a copy of the counted door's descriptor. */
static void giver_proc(void *cookie, char *argp, size_t arg_size, door_desc_t *dp,
                       uint_t n_desc)
{
    door_desc_t d = {.d_attributes = DOOR_DESCRIPTOR};
    (void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;
    d.d_data.d_desc.d_descriptor = counted;
    door_return(NULL, 0, &d, 1);
}

/* A copy of the counted door, from the giver. */
static int take_copy(int giver)
{
    union {
        door_desc_t d;
        char bytes[64];
    } buf;
    door_arg_t arg = {.rbuf = buf.bytes, .rsize = sizeof buf};
    if (door_call(giver, &arg) == -1)
        err(1, "door_call giver");
    if (arg.desc_num != 1)
        errx(1, "the giver sent %u descriptors", arg.desc_num);
    return arg.desc_ptr[0].d_data.d_desc.d_descriptor;
}

static void show_references(const char *when)
{
    door_info_t info;
    if (door_info(counted, &info) == -1)
        err(1, "door_info");
    printf("%s: %s\n", when,
           info.di_attributes & DOOR_IS_UNREF ? "DOOR_IS_UNREF" : "referenced");
}

/* Wait (at most 5 s) for the next unreferenced call. */
static void expect_unref(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += 5;
    while (sem_timedwait(&unreferenced, &t) == -1)
        if (errno != EINTR)
            errx(1, "no unreferenced call came");
}

static void *call_counted(void *arg)
{
    (void)arg;
    if (door_call(counted, NULL) == -1)
        err(1, "door_call");
    return NULL;
}

int main(int argc, char *argv[])
{
    pthread_t caller;
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: unref_multi\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines in the order they happen */
    if (sem_init(&unreferenced, 0, 0) == -1 || sem_init(&release, 0, 0) == -1 ||
        sem_init(&started, 0, 0) == -1)
        err(1, "sem_init");
    counted = door_create(counted_proc, NULL, DOOR_UNREF_MULTI);
    int giver = door_create(giver_proc, NULL, 0);
    if (counted == -1 || giver == -1)
        err(1, "door_create");
    show_references("our descriptor only");
    for (int round = 1; round <= 2; round++) {
        int copy = take_copy(giver);
        show_references("a copy handed out");
        printf("closing the copy\n");
        close(copy);
        expect_unref();
        show_references("after the unreferenced call");
    }
    /* A call in progress holds the unreferenced call back until it ends. */
    if ((errno = pthread_create(&caller, NULL, call_counted, NULL)) != 0)
        err(1, "pthread_create");
    while (sem_wait(&started) == -1)
        continue;
    int copy = take_copy(giver);
    printf("closing the copy while a call is in progress\n");
    close(copy);
    nanosleep(&(struct timespec){0, 200000000}, NULL); /* time for a wrong early call */
    printf("%d unreferenced calls so far\n", (int)unref_calls);
    printf("ending the call\n");
    sem_post(&release);
    pthread_join(caller, NULL);
    expect_unref();
    return 0;
}
