/* shm_ctl.c -- what shmctl(2) can do to a segment, one command at a time.
 * Usage:  shm_ctl [keypath]
 * Shows:  shmget(2) creating a one-page segment under ftok(keypath, 'C')
 *         (default: the current directory), and size 0 finding it again;
 *         shmctl(2) IPC_STAT and the fields of Linux's struct shmid_ds;
 *         IPC_SET changing the mode; SHM_LOCK and SHM_UNLOCK (the SHM_LOCKED
 *         bit in the mode); IPC_RMID, after which the key finds nothing.
 * Mirrors: KHU lecture "System Calls for Shared Memory" (shmget, shmctl). */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */
#define _DEFAULT_SOURCE   /* getpagesize() (BSD) and SHM_LOCKED (Linux) */

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
/* The slide (KHU l.338) includes <sys/msg.h> for shmctl: it is <sys/shm.h>. */
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static int shmid = -1; /* remove_segment runs at exit, also after err() */

static void usage(void)
{
    fprintf(stderr, "usage: shm_ctl [keypath]\n");
    exit(2);
}

static key_t key_of(int argc, char *argv[])
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        usage();
    const char *path = argc == 2 ? argv[1] : ".";
    key_t key = ftok(path, 'C');
    if (key == -1)
        err(1, "ftok %s", path);
    return key;
}

static void remove_segment(void)
{
    if (shmid != -1 && shmctl(shmid, IPC_RMID, NULL) == -1)
        warn("shmctl IPC_RMID");
    shmid = -1;
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

/* IPC_STAT, and print what it says after the command 'after'.
 * The slide (KHU l.359-371) shows SVR4's struct shmid_ds: Linux has no
 * shm_amp, shm_lkcnt or shm_cnattch; it keeps a lock in the mode, SHM_LOCKED. */
static struct shmid_ds show(const char *after)
{
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) == -1)
        err(1, "shmctl IPC_STAT");
    printf("%-10s mode %03o%s, size %zu, nattch %lu, cpid %ld, lpid %ld, uid %ld\n",
           after, (unsigned)ds.shm_perm.mode & 0777,
           ds.shm_perm.mode & SHM_LOCKED ? " locked" : "", ds.shm_segsz,
           (unsigned long)ds.shm_nattch, (long)ds.shm_cpid, (long)ds.shm_lpid,
           (long)ds.shm_perm.uid);
    return ds;
}

int main(int argc, char *argv[])
{
    key_t key = key_of(argc, argv);
    hold_signals(SIG_BLOCK);
    if (atexit(remove_segment) != 0)
        errx(1, "atexit failed");
    shmid = shmget(key, getpagesize(), IPC_CREAT | IPC_EXCL | S_IRUSR | S_IWUSR);
    if (shmid == -1 && errno == EEXIST)
        errx(1, "key %#x has a segment already: ipcrm -M %#x", (unsigned)key,
             (unsigned)key);
    if (shmid == -1)
        err(1, "shmget");
    printf("created segment %d with key %#x\n", shmid, (unsigned)key);
    int found = shmget(key, 0, 0); /* size 0: look up, never create */
    if (found == -1)
        err(1, "shmget size 0");
    printf("shmget(key, 0, 0) finds segment %d\n", found);

    struct shmid_ds ds = show("IPC_STAT");
    ds.shm_perm.mode = S_IRUSR | S_IWUSR | S_IRGRP; /* IPC_SET takes uid, gid, mode */
    if (shmctl(shmid, IPC_SET, &ds) == -1)
        err(1, "shmctl IPC_SET");
    show("IPC_SET");
    if (shmctl(shmid, SHM_LOCK, NULL) == -1)
        err(1, "shmctl SHM_LOCK (ulimit -l too small?)");
    show("SHM_LOCK");
    if (shmctl(shmid, SHM_UNLOCK, NULL) == -1)
        err(1, "shmctl SHM_UNLOCK");
    show("SHM_UNLOCK");

    remove_segment();
    if (shmget(key, 0, 0) != -1 || errno != ENOENT)
        errx(1, "the key still finds a segment after IPC_RMID");
    printf("IPC_RMID   the key finds nothing now\n");
    hold_signals(SIG_UNBLOCK);
    return 0;
}
