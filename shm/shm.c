/* shm.c -- allocate a System V segment, attach it, write, detach, reattach
 *          it read-only elsewhere and read back what was written.
 * Usage:  shm [-s size] [-a address]
 * Shows:  shmget(2) with IPC_PRIVATE; shmat(2)/shmdt(2); shmctl(2) IPC_STAT (the
 *         size recorded, and the whole pages it takes: getpagesize) and IPC_RMID;
 *         a detached segment lives on until IPC_RMID; reattaching SHM_RDONLY at a
 *         chosen address (0x5000000, as in the lecture) with SHM_RND, or where the
 *         kernel chooses when there is no room there.
 * Mirrors: ALP listing 5.1 "shm.c"; CE 01 "Simple". */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize(), the lecture's call, is BSD's */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static const char message[] = "Hello, world.";
static int segment_id = -1; /* remove_segment runs at exit, also after err() */

static void usage(void)
{
    fprintf(stderr, "usage: shm [-s size] [-a address]\n");
    exit(2);
}

static void remove_segment(void)
{
    if (segment_id != -1 && shmctl(segment_id, IPC_RMID, NULL) == -1)
        warn("shmctl IPC_RMID");
    segment_id = -1;
}

/* Hold SIGINT and SIGTERM until the segment is removed: the program never
 * waits, so a Ctrl-C is delayed by microseconds and cannot strand it. */
static void hold_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(how, &set, NULL) == -1)
        err(1, "sigprocmask");
}

/* -s size, -a address: unsigned numbers in any base strtoul knows, nothing else. */
static void parse_args(int argc, char *argv[], unsigned long *size,
                       unsigned long *address)
{
    int opt;
    while ((opt = getopt(argc, argv, ":s:a:")) != -1) { /* ":": usage alone */
        if (opt != 's' && opt != 'a')
            usage();
        char *end;
        errno = 0;
        unsigned long value = strtoul(optarg, &end, 0);
        if (*optarg == '\0' || *optarg == '-' || *end != '\0' || errno != 0)
            usage();
        *(opt == 's' ? size : address) = value;
    }
    if (optind != argc || *size < sizeof message)
        usage();
}

/* The size the kernel recorded is the size asked for; it reserves whole pages. */
static void print_size(void)
{
    /* The slide (ALP l.103) declares struct shm_id_ds: there is no such type. */
    struct shmid_ds shmbuffer;
    if (shmctl(segment_id, IPC_STAT, &shmbuffer) == -1)
        err(1, "shmctl IPC_STAT");
    size_t segment_size = shmbuffer.shm_segsz, page = (size_t)getpagesize();
    printf("segment size: %zu\n", segment_size);
    printf("pages: %zu of %zu bytes\n", (segment_size + page - 1) / page, page);
}

/* Reattach read-only at the wanted address, or where the kernel chooses. */
static char *reattach(unsigned long wanted)
{
    /* The slide (ALP l.67) says SHM_RND rounds down to the page size: it rounds
     * to SHMLBA, which is the page size on x86 but 4 pages on ARM. */
    void *at = shmat(segment_id, (void *)wanted, SHM_RND | SHM_RDONLY);
    if (at != (void *)-1)
        return at;
    printf("reattach at %#lx failed (%s): letting the kernel choose instead\n", wanted,
           strerror(errno));
    at = shmat(segment_id, NULL, SHM_RDONLY);
    if (at == (void *)-1)
        err(1, "shmat");
    return at;
}

int main(int argc, char *argv[])
{
    unsigned long shared_segment_size = 0x6400, address = 0x5000000;
    parse_args(argc, argv, &shared_segment_size, &address);

    hold_signals(SIG_BLOCK);
    if (atexit(remove_segment) != 0)
        errx(1, "atexit failed");
    segment_id = shmget(IPC_PRIVATE, shared_segment_size,
                        IPC_CREAT | IPC_EXCL | S_IRUSR | S_IWUSR);
    if (segment_id == -1)
        err(1, "shmget");
    printf("segment id %d\n", segment_id);

    char *shared_memory = shmat(segment_id, NULL, 0);
    if (shared_memory == (void *)-1)
        err(1, "shmat");
    printf("shared memory attached at address %p\n", (void *)shared_memory);
    print_size();

    snprintf(shared_memory, shared_segment_size, "%s", message);
    printf("wrote: %s\n", shared_memory);
    /* The slide (CE l.62) says the last detach removes the segment: only
     * IPC_RMID does, and so this process can attach it again below. */
    if (shmdt(shared_memory) == -1)
        err(1, "shmdt");

    shared_memory = reattach(address);
    printf("shared memory reattached at address %p\n", (void *)shared_memory);
    printf("read back: %.*s\n", (int)strnlen(shared_memory, shared_segment_size),
           shared_memory);
    if (shmdt(shared_memory) == -1)
        err(1, "shmdt");

    remove_segment();
    hold_signals(SIG_UNBLOCK);
    return 0;
}
