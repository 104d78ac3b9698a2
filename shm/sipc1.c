/* sipc1.c -- the server half of a request/reply exchange through a System V
 *            shared memory segment: waits for a request, answers it.
 * Usage:  sipc1 [-t seconds] [-k keypath]
 * Shows:  ftok(3) on a path both programs name, shmget(2) with IPC_CREAT |
 *         IPC_EXCL so that whichever of sipc1 and sipc2 starts first creates
 *         the segment, process-shared semaphores in the segment instead of a
 *         busy loop on a flag, and removing the segment on every path.
 *         The reply is the request in capital letters.
 * Mirrors: KHU lecture "sipc1.c"; CE 01 "Client-Server" (the server).
 * Build:  cc -o sipc1 sipc1.c     (sipc.h is the layout both halves share) */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sem_timedwait */

#include <ctype.h>

#include "sipc.h"

static void usage(void)
{
    fprintf(stderr, "usage: sipc1 [-t seconds] [-k keypath]\n");
    exit(2);
}

/* Turn the request into the reply: every letter in capitals. */
static void make_reply(struct sipc_segment *seg)
{
    size_t i;
    for (i = 0; i < SIPC_TEXT - 1 && seg->request[i] != '\0'; i++)
        seg->reply[i] = (char)toupper((unsigned char)seg->request[i]);
    seg->reply[i] = '\0';
}

int main(int argc, char *argv[])
{
    const char *keypath = ".";
    long seconds = 0;
    int opt;

    while ((opt = getopt(argc, argv, ":t:k:")) != -1) {
        if (opt == 't' && (seconds = sipc_seconds(optarg)) >= 0)
            continue;
        if (opt == 'k') {
            keypath = optarg;
            continue;
        }
        usage();
    }
    if (optind != argc)
        usage();

    sipc_catch_signals();
    sipc_open("sipc1", sipc_key(keypath));
    printf("sipc1: waiting for a request\n");
    fflush(stdout);

    sipc_wait(&sipc.seg->request_posted, seconds, "request");
    sipc.seg->request[SIPC_TEXT - 1] = '\0'; /* never trust the peer's terminator */
    printf("sipc1: request: %s\n", sipc.seg->request);
    make_reply(sipc.seg);
    if (sem_post(&sipc.seg->reply_posted) == -1)
        err(1, "sem_post");
    printf("sipc1: reply: %s\n", sipc.seg->reply);
    sipc_cleanup();
    return 0;
}
