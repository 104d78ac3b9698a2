/* shm.c -- allocate a System V segment, attach it, write, detach, reattach
 *          elsewhere and read back what was written.
 * Usage:  shm [-s size] [-a address]
 * Shows:  shmget(2) with IPC_PRIVATE, shmat(2)/shmdt(2), shmctl(2) IPC_STAT
 *         (the segment size the kernel recorded) and IPC_RMID; reattaching at a
 *         chosen address (default 0x5000000, as in the lecture) with SHM_RND, and
 *         what to do when the address space has no room there.
 * Mirrors: ALP listing 5.1 "shm.c"; CE 01 "Simple". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static const char message[] = "Hello, world.";
static int shmid = -1; /* removed by remove_segment on every exit path */

static void usage(void)
{
    fprintf(stderr, "usage: shm [-s size] [-a address]\n");
    exit(2);
}

/* Strictly an unsigned number (any base strtoul knows), or usage. */
static unsigned long parse_number(const char *text)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 0);
    if (*text == '\0' || *text == '-' || *end != '\0' || errno != 0)
        usage();
    return value;
}

/* atexit handler: an IPC_PRIVATE segment is still a kernel object; err()
 * exits through here, so no path leaves it behind. */
static void remove_segment(void)
{
    if (shmid != -1 && shmctl(shmid, IPC_RMID, NULL) == -1)
        warn("shmctl IPC_RMID");
    shmid = -1;
}

/* Hold SIGINT and SIGTERM until the segment is removed: the program never
 * waits, so delaying a signal by a few microseconds costs nothing and a
 * Ctrl-C can no longer strand the segment. */
static void hold_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

/* Attach at the wanted address (rounded down to SHMLBA by SHM_RND); if the
 * address space has something there, or no room at all, let the kernel choose. */
static char *reattach(uintptr_t wanted)
{
    void *at = shmat(shmid, (void *)wanted, SHM_RND);
    if (at != (void *)-1)
        return at;
    printf("reattach at %#lx failed (%s): letting the kernel choose instead\n",
           (unsigned long)wanted, strerror(errno));
    at = shmat(shmid, NULL, 0);
    if (at == (void *)-1)
        err(1, "shmat");
    return at;
}

int main(int argc, char *argv[])
{
    unsigned long size = 0x6400, address = 0x5000000;
    int opt;

    while ((opt = getopt(argc, argv, ":s:a:")) != -1) {
        if (opt == 's')
            size = parse_number(optarg);
        else if (opt == 'a')
            address = parse_number(optarg);
        else
            usage();
    }
    if (optind != argc || size < sizeof message)
        usage();

    hold_signals(SIG_BLOCK);
    if (atexit(remove_segment) != 0)
        errx(1, "atexit failed");
    shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | S_IRUSR | S_IWUSR);
    if (shmid == -1)
        err(1, "shmget");
    printf("segment id %d\n", shmid);

    char *shared = shmat(shmid, NULL, 0);
    if (shared == (void *)-1)
        err(1, "shmat");
    printf("shared memory attached at address %p\n", (void *)shared);

    struct shmid_ds info; /* ALP's listing says "struct shm_id_ds": no such type */
    if (shmctl(shmid, IPC_STAT, &info) == -1)
        err(1, "shmctl IPC_STAT");
    printf("segment size: %zu\n", (size_t)info.shm_segsz);

    snprintf(shared, size, "%s", message);
    printf("wrote: %s\n", shared);
    if (shmdt(shared) == -1)
        err(1, "shmdt");

    shared = reattach(address);
    printf("shared memory reattached at address %p\n", (void *)shared);
    printf("read back: %.*s\n", (int)strnlen(shared, size), shared);
    if (shmdt(shared) == -1)
        err(1, "shmdt");

    remove_segment();
    hold_signals(SIG_UNBLOCK);
    return 0;
}
