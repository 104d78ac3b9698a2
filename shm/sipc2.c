/* sipc2.c -- the client: writes a request into the System V shared memory
 *            segment sipc1 waits in, and waits for the reply.
 * Usage:  sipc2 [-k keypath] [message]
 * Shows:  ftok(3) on the server's path, shmget(2) with IPC_CREAT (whichever
 *         of the two starts first creates the segment), shmat(2), taking the
 *         turn, writing the request before handing the turn over, waiting
 *         for the reply, shmctl(IPC_STAT) to notice a dead server, shmdt(2).
 * Limits of the lecture's design: one client at a time (another finds the
 *         segment busy and gives up); a wait looks every 10 ms.
 * Mirrors: KHU lecture "sipc2.c"; CE 01 "Client-Server" (shmclient.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize(), the lecture's call, is BSD's */

#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static key_t key_of(int argc, char *argv[], const char **message)
{
    const char *path = ".";
    int opt;
    while ((opt = getopt(argc, argv, ":k:")) == 'k')
        path = optarg;
    if (optind < argc)
        *message = argv[optind];
    if (opt != -1 || argc - optind > 1 || strlen(*message) >= SIPC_TEXT) {
        fprintf(stderr, "usage: sipc2 [-k keypath] [message (< %d bytes)]\n", SIPC_TEXT);
        exit(2);
    }
    key_t key = ftok(path, SIPC_PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", path);
    return key;
}

/* Wait for the reply. A signal (no SA_RESTART: it cuts the sleep short) or a
 * server that died ends the wait, and the segment goes. */
static void wait_for_reply(int shmid, struct sipc *shm)
{
    const struct timespec tick = {0, 10 * 1000 * 1000};
    struct shmid_ds ds;
    /* The slide's code spins on a plain int, a data race: see sipc1.c. */
    while (atomic_load_explicit(&shm->state, memory_order_acquire) != SIPC_REPLY) {
        /* A server that came and is no longer attached will never reply (look
         * again after IPC_STAT: a server replies, then detaches). */
        if (atomic_load(&shm->server) && shmctl(shmid, IPC_STAT, &ds) == 0 &&
            ds.shm_nattch < 2 &&
            atomic_load_explicit(&shm->state, memory_order_acquire) != SIPC_REPLY) {
            shmctl(shmid, IPC_RMID, NULL);
            errx(1, "the server went away without replying; segment %d removed", shmid);
        }
        if (stop) { /* a server still attached finishes: it goes at the last detach */
            shmctl(shmid, IPC_RMID, NULL);
            errx(1, "stopped by %s; segment removed",
                 stop == SIGINT ? "SIGINT" : "SIGTERM");
        }
        nanosleep(&tick, NULL);
    }
}

int main(int argc, char *argv[])
{
    const char *message = "Hello from sipc2";
    key_t key = key_of(argc, argv, &message);
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line out at once, also to a file */
    struct sigaction sa = {.sa_handler = on_signal};
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");

    int shmid = shmget(key, getpagesize(), IPC_CREAT | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget key %#x", (unsigned)key);
    struct sipc *shm = shmat(shmid, NULL, 0);
    if (shm == (void *)-1) /* EINVAL, EIDRM: its server removed it since shmget */
        err(1, "shmat segment %d (gone since shmget? try again)", shmid);

    /* The slide's client writes at once, over the request of any client
     * already there: take the turn only if nobody has it. */
    int idle = SIPC_IDLE;
    if (!atomic_compare_exchange_strong(&shm->state, &idle, SIPC_WRITING))
        errx(1, "segment %d is busy with another client", shmid);
    printf("sipc2: request: %s\n", message);
    strcpy(shm->text, message); /* it fits: key_of refused a longer one */
    atomic_store_explicit(&shm->state, SIPC_REQUEST, memory_order_release);

    wait_for_reply(shmid, shm);
    shm->text[SIPC_TEXT - 1] = '\0';           /* never trust the peer's terminator, */
    for (char *p = shm->text; *p != '\0'; p++) /* nor its control bytes */
        *p = iscntrl((unsigned char)*p) ? '?' : *p;
    printf("sipc2: reply: %s\n", shm->text);
    if (shmdt(shm) == -1)
        err(1, "shmdt");
    return 0;
}
