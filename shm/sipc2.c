/* sipc2.c -- the client half of a request/reply exchange through a System V
 *            shared memory segment: writes a request, waits for the reply.
 * Usage:  sipc2 [-t seconds] [-k keypath] [message]
 * Shows:  the same segment found through ftok(3) on the same path; writing the
 *         request and then posting a semaphore, so the server sees all of it;
 *         sleeping in sem_wait until the reply is posted. Start it before or
 *         after sipc1: whichever comes first creates the segment.
 * Mirrors: KHU lecture "sipc2.c"; CE 01 "Client-Server" (the client).
 * Build:  cc -o sipc2 sipc2.c     (sipc.h is the layout both halves share) */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sem_timedwait */

#include "sipc.h"

static void usage(void)
{
    fprintf(stderr, "usage: sipc2 [-t seconds] [-k keypath] [message]\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    const char *keypath = ".", *message = "Hello from sipc2";
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
    if (argc - optind > 1)
        usage();
    if (optind < argc)
        message = argv[optind];
    if (strlen(message) >= SIPC_TEXT) {
        fprintf(stderr, "sipc2: the message is longer than %d bytes\n", SIPC_TEXT - 1);
        usage();
    }

    sipc_catch_signals();
    sipc_open("sipc2", sipc_key(keypath));
    snprintf(sipc.seg->request, SIPC_TEXT, "%s", message);
    if (sem_post(&sipc.seg->request_posted) == -1)
        err(1, "sem_post");
    printf("sipc2: request: %s\n", message);
    fflush(stdout);

    sipc_wait(&sipc.seg->reply_posted, seconds, "reply");
    sipc.seg->reply[SIPC_TEXT - 1] = '\0';
    printf("sipc2: reply: %s\n", sipc.seg->reply);
    sipc_cleanup();
    return 0;
}
