/* posix_sem.c -- a named POSIX semaphore between two unrelated processes.
 * Usage:  posix_sem [-n count] wait /name
 *         posix_sem [-n count] post /name
 *         posix_sem unlink /name
 * Shows:  sem_open(3) with O_CREAT|O_EXCL, mode 0600 and initial value 0:
 *         creation and initialisation are one atomic step, unlike semget
 *         then semctl(SETVAL). "wait" creates the semaphore, says so, waits
 *         count times (default 1) in sem_wait(3), then sem_unlink(3)s it (also
 *         on SIGINT/SIGTERM). "post", from any other process, opens the
 *         existing name (never creating it) and calls sem_post(3) count times.
 *         Start "wait" in one terminal and "post" in another. A name outlives
 *         a waiter killed with SIGKILL; no process can tell it from a live
 *         waiter's, so "wait" refuses an existing name and "unlink" removes it.
 * Mirrors: the modern counterpart of the System V semaphores of sem/. */
#define _POSIX_C_SOURCE 200809L /* sem_open and friends, getopt */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop; /* set by SIGINT/SIGTERM */
static sem_t *volatile waited_on;  /* the waiter's semaphore, for on_signal */

/* sem_post is async-signal-safe: posting here wakes the waiter even when the
 * signal came just before sem_wait, when EINTR alone would not. */
static void on_signal(int sig)
{
    stop = sig;
    if (waited_on != NULL)
        sem_post(waited_on);
}

_Noreturn static void usage(void)
{
    fprintf(stderr, "usage: posix_sem [-n count] wait|post|unlink /name\n");
    exit(2);
}

/* No SA_RESTART: sem_wait returns EINTR so the waiter can unlink the name. */
static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        err(1, "sigaction");
}

/* POSIX names are "/" then at least one character and no other slash. */
static int valid_name(const char *name)
{
    return name[0] == '/' && name[1] != '\0' && strchr(name + 1, '/') == NULL;
}

/* The waiter owns the name: it never takes over one that exists, which may
 * be another waiter's (a second waiter used to, and the first never woke). */
static sem_t *create(const char *name)
{
    sem_t *sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (sem == SEM_FAILED && errno == EEXIST)
        errx(1, "%s already exists: another waiter's, or one a kill -9 left (if so: "
                "posix_sem unlink %s)", name, name);
    if (sem == SEM_FAILED)
        err(1, "sem_open %s", name);
    return sem;
}

static int do_wait(const char *name, long count)
{
    catch_signals(); /* before the name exists: no window without cleanup */
    signal(SIGPIPE, SIG_IGN); /* a reader gone must not leave the name behind */
    sem_t *sem = waited_on = create(name);
    printf("posix_sem: created %s with value 0; waiting for %ld post(s)\n", name, count);
    fflush(stdout);
    long got = 0;
    while (got < count && !stop) {
        if (sem_wait(sem) == 0 && !stop) {
            printf("posix_sem: woken (%ld of %ld)\n", ++got, count);
            fflush(stdout);
        } else if (!stop && errno != EINTR) {
            warn("sem_wait %s", name);
            break;
        }
    }
    waited_on = NULL; /* no more posts from on_signal once it is closed */
    sem_close(sem);
    if (sem_unlink(name) == -1)
        err(1, "sem_unlink %s", name);
    printf("posix_sem: removed %s\n", name);
    fflush(stdout); /* before the error below, which goes to unbuffered stderr */
    if (stop)
        errx(1, "interrupted after %ld of %ld post(s)", got, count);
    return got == count ? 0 : 1;
}

static int do_post(const char *name, long count)
{
    sem_t *sem = sem_open(name, 0); /* no O_CREAT: posting to a new one helps nobody */
    if (sem == SEM_FAILED && errno == ENOENT)
        errx(1, "semaphore %s does not exist: start \"posix_sem wait %s\" first", name,
             name);
    if (sem == SEM_FAILED)
        err(1, "sem_open %s", name);
    for (long i = 0; i < count; i++)
        if (sem_post(sem) == -1)
            err(1, "sem_post %s", name);
    printf("posix_sem: posted %s %ld time(s)\n", name, count);
    sem_close(sem);
    return 0;
}

int main(int argc, char *argv[])
{
    long count = 1;
    int opt;
    char *end;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n')
            usage();
        count = strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || count < 1 || count > 1000000)
            usage();
    }
    if (argc - optind != 2 || !valid_name(argv[optind + 1]))
        usage();
    const char *command = argv[optind], *name = argv[optind + 1];
    if (strcmp(command, "wait") == 0)
        return do_wait(name, count);
    if (strcmp(command, "post") == 0)
        return do_post(name, count);
    if (strcmp(command, "unlink") == 0 && count == 1) {
        if (sem_unlink(name) == -1)
            err(1, "sem_unlink %s", name);
        printf("posix_sem: removed %s\n", name);
        return 0;
    }
    usage();
}
