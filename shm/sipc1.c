/* sipc1.c -- the server: waits in a System V shared memory segment for a
 *            request, and writes the reply in its place.
 * Usage:  sipc1 [-k keypath]
 * Shows:  ftok(3) on a path both programs name (default: the current
 *         directory), shmget(2) of one page (getpagesize), shmat(2), waiting
 *         for the client's turn, shmctl(IPC_STAT) for who is attached,
 *         shmctl(IPC_RMID), shmdt(2). The reply is the request in capitals.
 * Limits of the lecture's design: one request per run, from one client at a
 *         time (the others are told the segment is busy); a wait looks every
 *         10 ms instead of sleeping until woken (a semaphore does that: sem/).
 * Mirrors: KHU lecture "sipc1.c"; CE 01 "Client-Server" (shmserver.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize(), the lecture's call, is BSD's */

#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sipc.h"

static volatile sig_atomic_t stop; /* the signal that asks us to stop */

static void on_signal(int sig)
{
    stop = sig;
}

static key_t key_of(int argc, char *argv[])
{
    const char *path = ".";
    int opt;
    while ((opt = getopt(argc, argv, ":k:")) == 'k')
        path = optarg;
    if (opt != -1 || optind != argc) {
        fprintf(stderr, "usage: sipc1 [-k keypath]\n");
        exit(2);
    }
    key_t key = ftok(path, SIPC_PROJ_ID);
    if (key == -1) /* else the key is 0xffffffff, which every such mistake shares */
        err(1, "ftok %s", path);
    return key;
}

/* Wait for a whole request from a client still attached. A signal that asks
 * us to stop cuts the sleep short (no SA_RESTART): the segment goes. */
static void wait_for_request(int shmid, struct sipc *shm)
{
    const struct timespec tick = {0, 10 * 1000 * 1000};
    struct shmid_ds ds;
    /* The slide's code spins on a plain int: a data race (the compiler may read
     * it once and loop forever; the text may show before it is written) that
     * burns a CPU. An acquire load sees all the peer wrote before its release
     * store, and the sleep between looks leaves the CPU to the peer. */
    for (int state; !stop; nanosleep(&tick, NULL)) {
        state = atomic_load_explicit(&shm->state, memory_order_acquire);
        /* A client that took the turn stays attached until its reply. */
        if (state != SIPC_IDLE && shmctl(shmid, IPC_STAT, &ds) == 0 &&
            ds.shm_nattch < 2) {
            if (atomic_compare_exchange_strong(&shm->state, &state, SIPC_IDLE))
                printf("sipc1: the client left before its reply; waiting for another\n");
        } else if (state == SIPC_REQUEST)
            return;
    }
    shmctl(shmid, IPC_RMID, NULL);
    errx(1, "stopped by %s; segment removed", stop == SIGINT ? "SIGINT" : "SIGTERM");
}

int main(int argc, char *argv[])
{
    key_t key = key_of(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line out at once, also to a file */
    struct sigaction sa = {.sa_handler = on_signal};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");

    /* The slide (CE l.44) spells the owner's write bit S_IWUSER: it is S_IWUSR. */
    int shmid = shmget(key, getpagesize(), IPC_CREAT | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget key %#x", (unsigned)key);
    struct sipc *shm = shmat(shmid, NULL, 0);
    /* The slide (KHU l.384) says shmat returns -1 on error: it is (void *)-1. */
    if (shm == (void *)-1)
        err(1, "shmat");
    atomic_store(&shm->server, 1);
    printf("sipc1: waiting for a request in segment %d\n", shmid);

    wait_for_request(shmid, shm);
    shm->text[SIPC_TEXT - 1] = '\0';           /* never trust the peer's terminator, */
    for (char *p = shm->text; *p != '\0'; p++) /* nor its control bytes */
        *p = iscntrl((unsigned char)*p) ? '?' : *p;
    printf("sipc1: request: %s\n", shm->text);
    for (char *p = shm->text; *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    printf("sipc1: reply: %s\n", shm->text);
    atomic_store_explicit(&shm->state, SIPC_REPLY, memory_order_release);

    /* The client may still be reading: the segment goes at the last detach. */
    if (shmctl(shmid, IPC_RMID, NULL) == -1)
        err(1, "shmctl IPC_RMID");
    if (shmdt(shm) == -1)
        err(1, "shmdt");
    return 0;
}
