/* binary_sem.c -- the binary semaphore helpers declared in binary_sem.h.
 * Shows:  semget(2), semctl(2) with SETALL, GETVAL, IPC_STAT and IPC_RMID,
 *         semop(2) with SEM_UNDO, and Stevens' sem_otime handshake that
 *         closes the race between semget creating a set and someone
 *         initialising it.
 * Mirrors: ALP listings 5.2 "sem_all_deall.c", 5.3 "sem_init.c", 5.4 "sem_pv.c".
 * Build:  cc -c binary_sem.c (then link it with the program using it) */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include "binary_sem.h"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>

#define OPEN_WAIT_TRIES 500 /* x 10 ms: how long a latecomer waits for initialisation */

int binary_semaphore_allocation(key_t key, int sem_flags)
{
    return semget(key, 1, sem_flags);
}

int binary_semaphore_deallocate(int semid)
{
    union semun ignored = {.val = 0};
    return semctl(semid, 0, IPC_RMID, ignored);
}

int binary_semaphore_initialize(int semid)
{
    unsigned short values[1] = {1};
    union semun argument = {.array = values};
    return semctl(semid, 0, SETALL, argument);
}

static int change(int semid, short delta, short flags)
{
    struct sembuf op = {.sem_num = 0, .sem_op = delta, .sem_flg = flags};
    return semop(semid, &op, 1);
}

int binary_semaphore_wait(int semid)
{
    return change(semid, -1, SEM_UNDO);
}

int binary_semaphore_post(int semid)
{
    return change(semid, 1, SEM_UNDO);
}

int binary_semaphore_value(int semid)
{
    union semun ignored = {.val = 0};
    return semctl(semid, 0, GETVAL, ignored);
}

/* Wait (bounded) until the creator's first semop has set sem_otime. */
static int wait_initialised(int semid)
{
    struct semid_ds ds;
    union semun argument = {.buf = &ds};
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};

    for (int i = 0; i < OPEN_WAIT_TRIES; i++) {
        if (semctl(semid, 0, IPC_STAT, argument) == -1)
            return -1;
        if (ds.sem_otime != 0)
            return 0;
        nanosleep(&pause, NULL);
    }
    errno = ETIMEDOUT;
    return -1;
}

int binary_semaphore_open(key_t key, int *created)
{
    int semid = binary_semaphore_allocation(key, IPC_CREAT | IPC_EXCL | 0600);
    *created = semid != -1;
    if (semid != -1) {
        /* A new set holds 0 (Linux; POSIX leaves it unspecified, so say it).
         * The +1 is a semop, not SETVAL, because only semop sets sem_otime,
         * the sign latecomers wait for. No SEM_UNDO: it stays 1 after we exit. */
        union semun zero = {.val = 0};
        if (semctl(semid, 0, SETVAL, zero) == -1 || change(semid, 1, 0) == -1)
            return -1;
        return semid;
    }
    if (errno != EEXIST)
        return -1;
    semid = binary_semaphore_allocation(key, 0);
    if (semid == -1 || wait_initialised(semid) == -1)
        return -1;
    return semid;
}

int binary_semaphore_remove_key(key_t key)
{
    int semid = semget(key, 0, 0);
    if (semid == -1 || binary_semaphore_deallocate(semid) == -1)
        return -1;
    return semid;
}
