/* sipc2.c -- the client: writes a request into the System V shared memory
 *            segment sipc1 waits in, and waits for the reply.
 * Usage:  sipc2 [-k keypath] [message]
 * Shows:  the same key from ftok(3) on the same path, shmget(2) with
 *         IPC_CREAT (start it before or after sipc1: whichever comes first
 *         creates the segment), shmat(2), taking the segment's turn, writing
 *         the request before handing the turn over, waiting for the reply,
 *         shmdt(2). The server removes the segment.
 * Limits of the lecture's design: one client at a time: a second one finds
 *         the segment busy and gives up; a wait looks every 10 ms; a server
 *         that dies mid-request leaves the client waiting until Ctrl-C.
 * Mirrors: KHU lecture "sipc2.c"; CE 01 "Client-Server" (shmclient.c). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize(), the lecture's call, is BSD's */

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    fprintf(stderr, "usage: sipc2 [-k keypath] [message]\n");
    exit(2);
}

static void parse_args(int argc, char *argv[], const char **path, const char **message)
{
    int opt;
    while ((opt = getopt(argc, argv, ":k:")) != -1) {
        if (opt != 'k')
            usage();
        *path = optarg;
    }
    if (argc - optind > 1)
        usage();
    if (optind < argc)
        *message = argv[optind];
    if (strlen(*message) >= SIPC_TEXT) {
        fprintf(stderr, "sipc2: the message is longer than %d bytes\n", SIPC_TEXT - 1);
        usage();
    }
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
    /* The slide's code spins on a plain int, a data race: see sipc1.c. */
    while (atomic_load_explicit(&shm->state, memory_order_acquire) != turn) {
        if (stop)
            return 0;
        nanosleep(&tick, NULL);
    }
    return 1;
}

int main(int argc, char *argv[])
{
    const char *path = ".", *message = "Hello from sipc2";
    parse_args(argc, argv, &path, &message);
    key_t key = ftok(path, SIPC_PROJ_ID);
    if (key == -1)
        err(1, "ftok %s", path);
    catch_signals();

    int shmid = shmget(key, getpagesize(), IPC_CREAT | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget key %#x", (unsigned)key);
    struct sipc *shm = shmat(shmid, NULL, 0);
    if (shm == (void *)-1)
        err(1, "shmat");

    /* The slide's client writes at once, over the request of any client
     * already there: take the turn only if nobody has it. */
    int idle = SIPC_IDLE;
    if (!atomic_compare_exchange_strong(&shm->state, &idle, SIPC_WRITING))
        errx(1, "segment %d is busy with another client (if it was killed: ipcrm -m %d)",
             shmid, shmid);
    strcpy(shm->text, message); /* its length was checked above */
    atomic_store_explicit(&shm->state, SIPC_REQUEST, memory_order_release);
    printf("sipc2: request: %s\n", message);
    fflush(stdout);

    if (!wait_for(shm, SIPC_REPLY)) {
        shmctl(shmid, IPC_RMID, NULL); /* no reply will come: nobody needs it */
        errx(1, "stopped by %s; segment removed", stop == SIGINT ? "SIGINT" : "SIGTERM");
    }
    shm->text[SIPC_TEXT - 1] = '\0';
    printf("sipc2: reply: %s\n", shm->text);
    if (shmdt(shm) == -1)
        err(1, "shmdt");
    return 0;
}
