/* binary_sem.h -- a binary System V semaphore, after ALP listings 5.2 to 5.4.
 * The set holds one semaphore: 1 = free, 0 = taken. Every function returns
 * what the system call returned (-1 with errno set on failure), so that the
 * caller reports the error in its own words. Build: link binary_sem.c. */
#ifndef BINARY_SEM_H
#define BINARY_SEM_H

#include <sys/types.h>

/* semctl's fourth argument: the program must declare it (SUSv4 says so;
 * glibc's <sys/sem.h> does not), as ALP does. */
union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* ALP 5.2: get (or create, with IPC_CREAT in sem_flags) a one-semaphore set. */
int binary_semaphore_allocation(key_t key, int sem_flags);
/* ALP 5.2: remove the set now; processes blocked on it get EIDRM. */
int binary_semaphore_deallocate(int semid);
/* ALP 5.3: set the value to 1 with SETALL. Not atomic with the semget
 * that created the set: see binary_semaphore_open for the safe way. */
int binary_semaphore_initialize(int semid);
/* ALP 5.4: take it (wait until it is 1, make it 0) and give it back.
 * SEM_UNDO: the kernel undoes our changes if we die holding it. */
int binary_semaphore_wait(int semid);
int binary_semaphore_post(int semid);

/* The race-free way for unrelated processes to share one set (Stevens,
 * UNP vol. 2, 11.2): whoever creates it (IPC_CREAT|IPC_EXCL, mode 0600)
 * initialises it with a semop, which sets sem_otime; whoever finds it
 * already there waits until sem_otime is not 0 before using it. *created
 * says which happened. Fails with ETIMEDOUT if the set stays uninitialised. */
int binary_semaphore_open(key_t key, int *created);
/* The current value (GETVAL). */
int binary_semaphore_value(int semid);
/* Remove the set that key names, if there is one (left by a killed run):
 * returns its id, or -1 (errno ENOENT when there was none). */
int binary_semaphore_remove_key(key_t key);

#endif
