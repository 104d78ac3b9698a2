/* sipc1.c -- the server: waits in a System V shared memory segment for a
 *            request, and writes the reply in its place.
 * Usage:  sipc1 [-k keypath]
 * Shows:  ftok(3) on a path both programs name (default: the current
 *         directory), shmget(2) of one page (getpagesize), shmat(2), waiting
 *         for the client's turn to end, shmctl(IPC_RMID) and shmdt(2). The
 *         reply is the request in capital letters.
 * Limits of the lecture's design: one request, from one client at a time (a
 *         second client finds the segment busy); a wait looks every 10 ms
 *         instead of sleeping until woken (a semaphore does that: sem/); a
 *         segment left by kill -9 is used again as it is (ipcrm -M KEY).
 * Mirrors: KHU lecture "sipc1.c"; CE 01 "Client-Server" (shmserver.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize(), the lecture's call, is BSD's */

#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
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

static void usage(void)
{
    fprintf(stderr, "usage: sipc1 [-k keypath]\n");
    exit(2);
}

static const char *key_path(int argc, char *argv[])
{
    const char *path = ".";
    int opt;
    while ((opt = getopt(argc, argv, ":k:")) != -1) {
        if (opt != 'k')
            usage();
        path = optarg;
    }
    if (optind != argc)
        usage();
    return path;
}

/* No SA_RESTART: a signal cuts the sleep in wait_for short. */
static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* Wait until the state is 'turn'; 0 if a signal asked us to stop first. */
static int wait_for(struct sipc *shm, int turn)
{
    const struct timespec tick = {0, 10 * 1000 * 1000};
    /* The slide's code spins on a plain int: a data race (the compiler may read
     * it once and loop forever; the text may show before it is written) that
     * burns a CPU. An acquire load sees all the peer wrote before its release
     * store, and the sleep between looks leaves the CPU to the peer. */
    while (atomic_load_explicit(&shm->state, memory_order_acquire) != turn) {
        if (stop)
            return 0;
        nanosleep(&tick, NULL);
    }
    return 1;
}

int main(int argc, char *argv[])
{
    const char *path = key_path(argc, argv);
    key_t key = ftok(path, SIPC_PROJ_ID);
    if (key == -1) /* else the key is 0xffffffff, which every such mistake shares */
        err(1, "ftok %s", path);
    catch_signals();

    /* The slide (CE l.44) spells the owner's write bit S_IWUSER: it is S_IWUSR. */
    int shmid = shmget(key, getpagesize(), IPC_CREAT | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget key %#x", (unsigned)key);
    struct sipc *shm = shmat(shmid, NULL, 0);
    /* The slide (KHU l.384) says shmat returns -1 on error: it is (void *)-1. */
    if (shm == (void *)-1)
        err(1, "shmat");
    printf("sipc1: waiting for a request in segment %d\n", shmid);
    fflush(stdout);

    if (!wait_for(shm, SIPC_REQUEST)) {
        shmctl(shmid, IPC_RMID, NULL);
        errx(1, "stopped by %s; segment removed", stop == SIGINT ? "SIGINT" : "SIGTERM");
    }
    shm->text[SIPC_TEXT - 1] = '\0'; /* never trust the peer's terminator */
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
