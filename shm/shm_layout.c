/* shm_layout.c -- where a shared memory segment lands in a process's address
 *                 space, next to its text, data, bss, heap and stack.
 * Usage:  shm_layout
 * Shows:  the address of a function (text), an initialised global (data), an
 *         uninitialised global (bss), malloc'd memory (heap), an attached
 *         System V segment and a local variable (stack), then the same six
 *         sorted from low to high addresses.
 * Mirrors: KHU lecture "shm.c" (after APUE figure 15.31). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#define SEGMENT_SIZE 100000
#define MALLOC_SIZE 100000

struct place {
    const char *name;
    uintptr_t address;
};

static int initialised = 42;      /* data */
static char uninitialised[40000]; /* bss */

static void usage(void)
{
    fprintf(stderr, "usage: shm_layout\n");
    exit(2);
}

/* Attach a private segment and mark it removed at once: Linux keeps an
 * attached segment alive until the last shmdt (or exit), so nothing can be
 * left behind, not even after SIGKILL. */
static void *attach_private_segment(void)
{
    int id = shmget(IPC_PRIVATE, SEGMENT_SIZE, IPC_CREAT | S_IRUSR | S_IWUSR);
    if (id == -1)
        err(1, "shmget");
    void *at = shmat(id, NULL, 0);
    if (at == (void *)-1) {
        warn("shmat");
        shmctl(id, IPC_RMID, NULL);
        exit(1);
    }
    if (shmctl(id, IPC_RMID, NULL) == -1)
        err(1, "shmctl IPC_RMID");
    printf("segment id %d (already removed: freed when we detach)\n", id);
    return at;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = ((const struct place *)a)->address;
    uintptr_t y = ((const struct place *)b)->address;
    return (x > y) - (x < y);
}

int main(int argc, char *argv[])
{
    (void)argv;
    if (argc != 1)
        usage();
    int local = 0; /* stack */
    char *heap = malloc(MALLOC_SIZE);
    if (heap == NULL)
        err(1, "malloc");
    void *segment = attach_private_segment();

    /* A function pointer is not an object pointer in ISO C: go through
     * uintptr_t, which POSIX guarantees can hold it. */
    struct place places[] = {
        {"text", (uintptr_t)&main},        {"data", (uintptr_t)&initialised},
        {"bss", (uintptr_t)uninitialised}, {"heap", (uintptr_t)heap},
        {"shm", (uintptr_t)segment},       {"stack", (uintptr_t)&local},
    };
    size_t n = sizeof places / sizeof places[0];
    for (size_t i = 0; i < n; i++)
        printf("%-5s %#014jx\n", places[i].name, (uintmax_t)places[i].address);

    qsort(places, n, sizeof places[0], by_address);
    printf("low to high:");
    for (size_t i = 0; i < n; i++)
        printf(" %s", places[i].name);
    printf("\n");

    if (shmdt(segment) == -1)
        err(1, "shmdt");
    free(heap);
    return 0;
}
