/* msg_types.c -- which message msgrcv's type argument picks out of a queue.
 * Usage:  msg_types [-k keyfile] [-s type,type,...] [msgtyp ...]
 * Shows:  msgrcv(2)'s msgtyp: 0 takes the oldest message of any type; a
 *         positive n the oldest of type n; a negative -n the oldest of the
 *         lowest type <= n (so repeated calls come out by type, oldest first
 *         within a type). For each msgtyp (default: 0 2 -2) the queue is
 *         filled with messages m1, m2, ... of the -s types (default 3,1,2,1,3),
 *         msgrcv(msgtyp, IPC_NOWAIT) is repeated until ENOMSG, and what it
 *         took and what it left are printed.
 * Mirrors: KHU lecture, the msgrcv slide on the type argument. */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#define PROJ_ID 'T' /* ftok's project id of this program */
#define MAX_MSGS 32 /* messages per fill */
#define TEXT_MAX 16 /* "m32" and then some */

struct message {
    long mtype;
    char mtext[TEXT_MAX];
};

static void usage(void)
{
    fprintf(stderr, "usage: msg_types [-k keyfile] [-s type,type,...] [msgtyp ...]\n");
    exit(2);
}

static int parse_long(const char *s, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(s, &end, 10);
    return *s != '\0' && *end == '\0' && errno == 0;
}

/* "3,1,2" into types[]; returns how many, or exits with usage. */
static int parse_types(char *list, long types[])
{
    int n = 0;
    for (char *tok = strtok(list, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (n == MAX_MSGS || !parse_long(tok, &types[n]) || types[n] <= 0)
            usage(); /* mtype must be > 0 */
        n++;
    }
    if (n == 0)
        usage();
    return n;
}

static int queue_id = -1; /* removed at exit, also when err() ends the program */

static void remove_queue(void)
{
    if (queue_id != -1 && msgctl(queue_id, IPC_RMID, NULL) == -1)
        warn("msgctl IPC_RMID queue %d", queue_id);
}

/* The queue is ours alone. One left by a killed run is removed, and said so. */
static int create_queue(const char *keyfile)
{
    key_t key = ftok(keyfile, PROJ_ID);
    if (key == -1) /* else key 0xffffffff: a queue every failed ftok would share */
        err(1, "ftok %s", keyfile);
    int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    if (id == -1 && errno == EEXIST) {
        int old = msgget(key, 0);
        if (old == -1 || msgctl(old, IPC_RMID, NULL) == -1)
            err(1, "key 0x%08x: removing the queue left by an earlier run",
                (unsigned)key);
        warnx("key 0x%08x: removed queue %d left by an earlier run", (unsigned)key, old);
        id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    }
    if (id == -1)
        err(1, "msgget key 0x%08x", (unsigned)key);
    return id;
}

static void fill(int id, const long types[], int n)
{
    struct message msg;
    for (int i = 0; i < n; i++) {
        msg.mtype = types[i];
        int len = snprintf(msg.mtext, sizeof msg.mtext, "m%d", i + 1);
        if (msgsnd(id, &msg, (size_t)len, IPC_NOWAIT) == -1)
            err(1, "msgsnd");
    }
}

/* Receive with msgtyp until ENOMSG, printing "m2(type 1)" for each. */
static void take_all(int id, long msgtyp)
{
    struct message msg;
    ssize_t len;
    int none = 1;

    while ((len = msgrcv(id, &msg, sizeof msg.mtext, msgtyp, IPC_NOWAIT)) != -1) {
        printf(" %.*s(type %ld)", (int)len, msg.mtext, msg.mtype);
        none = 0;
    }
    if (errno != ENOMSG) /* ENOMSG: nothing (more) of that type */
        err(1, "msgrcv msgtyp %ld", msgtyp);
    if (none)
        printf(" (none)");
}

static void show(int id, long msgtyp, const long types[], int n)
{
    fill(id, types, n);
    printf("msgtyp %ld takes:", msgtyp);
    take_all(id, msgtyp);
    printf("; left:");
    take_all(id, 0); /* empties the queue for the next round */
    printf("\n");
}

int main(int argc, char *argv[])
{
    const char *keyfile = ".";
    char default_types[] = "3,1,2,1,3";
    char *type_list = default_types;
    long types[MAX_MSGS], msgtyps[] = {0, 2, -2}, msgtyp;
    int opt;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "k:s:")) != -1) {
        if (opt == 'k')
            keyfile = optarg;
        else if (opt == 's')
            type_list = optarg;
        else
            usage();
    }
    int n = parse_types(type_list, types);
    for (int i = optind; i < argc; i++) /* check them all before creating anything */
        if (!parse_long(argv[i], &msgtyp))
            usage();

    if (atexit(remove_queue) != 0)
        errx(1, "atexit failed");
    int id = queue_id = create_queue(keyfile);
    printf("queue %d filled each time with:", id);
    for (int i = 0; i < n; i++)
        printf(" m%d(type %ld)", i + 1, types[i]);
    printf("\n");
    if (optind == argc)
        for (size_t i = 0; i < sizeof msgtyps / sizeof msgtyps[0]; i++)
            show(id, msgtyps[i], types, n);
    for (int i = optind; i < argc; i++) {
        parse_long(argv[i], &msgtyp);
        show(id, msgtyp, types, n);
    }
    return 0; /* remove_queue runs now */
}
