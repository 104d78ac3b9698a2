/* cow_private.c -- LG's experiment with mmap's third and fourth arguments:
 *                  map a small file with the prot and flags you name, read
 *                  it, write it, and see where the write went.
 * Usage:  cow_private [-r] prot flags
 *         prot:  PROT_READ, PROT_WRITE, PROT_EXEC or PROT_NONE, joined by | or ,
 *         flags: MAP_SHARED or MAP_PRIVATE, with MAP_FIXED or MAP_FILE if you like
 *         -r:    open the file read-only (LG: "the same as the mode with which
 *                the file was opened")
 * Shows:  a MAP_SHARED write reaches the file (msync(2) makes sure it is on
 *         disk); a MAP_PRIVATE write makes this process a copy of the page
 *         (copy-on-write) and never reaches the file; an access the
 *         protection forbids is SIGSEGV, tried in a child so we can say so;
 *         mprotect(2) changes the protection afterwards; MAP_FIXED puts the
 *         mapping at an address we reserved; mmap itself refuses (EACCES) a
 *         shared writable mapping of a file opened read-only, and (EINVAL)
 *         flags without MAP_SHARED or MAP_PRIVATE.
 *         The file is test_file, made here and removed at once (the
 *         descriptor keeps it).
 * Beyond: mmap_access (LG 105 "experiment with the third and the fourth
 *         arguments"; KHU's and ALP's lists of prot and flag values). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS and MAP_FILE are not in POSIX */

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HELLO_STR "hello world"
#define LENGTH (sizeof HELLO_STR - 1)

struct name {
    const char *name;
    int value;
};
static const struct name prot_names[] = {{"PROT_READ", PROT_READ},
                                         {"PROT_WRITE", PROT_WRITE},
                                         {"PROT_EXEC", PROT_EXEC},
                                         {"PROT_NONE", PROT_NONE},
                                         {NULL, 0}};
static const struct name flag_names[] = {{"MAP_SHARED", MAP_SHARED},
                                         {"MAP_PRIVATE", MAP_PRIVATE},
                                         {"MAP_FIXED", MAP_FIXED},
                                         {"MAP_FILE", MAP_FILE},
                                         {NULL, 0}};

static void usage(void)
{
    fprintf(stderr,
            "usage: cow_private [-r] prot flags\n"
            "       (for example: cow_private 'PROT_READ|PROT_WRITE' MAP_PRIVATE)\n");
    exit(2);
}

/* "PROT_READ|PROT_WRITE" -> PROT_READ | PROT_WRITE */
static int parse(const char *text, const struct name *names)
{
    char copy[128];
    int value = 0;
    if (strlen(text) >= sizeof copy)
        usage();
    strcpy(copy, text);
    for (char *word = strtok(copy, "|, "); word != NULL; word = strtok(NULL, "|, ")) {
        const struct name *n = names;
        while (n->name != NULL && strcmp(n->name, word) != 0)
            n++;
        if (n->name == NULL) {
            fprintf(stderr, "cow_private: %s: no such name here\n", word);
            usage();
        }
        value |= n->value;
    }
    return value;
}

static int make_test_file(int read_only)
{
    int fd = open("test_file", O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1)
        err(1, "open test_file");
    if (write(fd, HELLO_STR, LENGTH) != (ssize_t)LENGTH) {
        unlink("test_file");
        err(1, "write test_file");
    }
    /* The slide (LG) says prot should match the open mode: only MAP_SHARED
     * needs that, as -r shows. */
    if (read_only) {
        int ro = open("test_file", O_RDONLY);
        if (ro == -1) {
            unlink("test_file");
            err(1, "open test_file read-only");
        }
        close(fd);
        fd = ro;
    }
    unlink("test_file");
    return fd;
}

/* Read or write one byte of the mapping in a child: a SIGSEGV ends the child,
 * and we report it. Returns "done" or the signal's name. */
static const char *try_in_child(volatile char *map, int write_it)
{
    int status;
    pid_t pid = fork();
    if (pid == -1)
        err(1, "fork");
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL); /* the sanitizers would catch it otherwise */
        signal(SIGBUS, SIG_DFL);
        if (write_it)
            map[0] = 'H';
        else
            (void)map[0];
        _exit(0);
    }
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid");
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : strsignal(WTERMSIG(status));
    return WEXITSTATUS(status) == 0 ? "done" : "the child failed";
}

static void show(const char *what, const char *text)
{
    printf("%-8s \"%.*s\"\n", what, (int)LENGTH, text);
}

int main(int argc, char *argv[])
{
    int opt, read_only = 0;
    while ((opt = getopt(argc, argv, ":r")) != -1) {
        if (opt != 'r')
            usage();
        read_only = 1;
    }
    if (argc - optind != 2)
        usage();
    int prot = parse(argv[optind], prot_names);
    int flags = parse(argv[optind + 1], flag_names);
    int fd = make_test_file(read_only);

    void *addr = NULL;
    if (flags & MAP_FIXED) { /* it replaces whatever is there: reserve a place first */
        addr = mmap(NULL, LENGTH, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (addr == MAP_FAILED)
            err(1, "mmap a place for MAP_FIXED");
        printf("addr = %p, reserved (PROT_NONE)\n", addr);
    }
    char *map = mmap(addr, LENGTH, prot, flags, fd, 0);
    if (map == MAP_FAILED)
        err(1, "mmap(%s, %zu, %s, %s, fd, 0)", addr ? "addr" : "NULL", LENGTH,
            argv[optind], argv[optind + 1]);
    printf("mmap(%s, %zu, %s, %s, fd, 0) = %p\n", addr ? "addr" : "NULL", LENGTH,
           argv[optind], argv[optind + 1], (void *)map);

    const char *result = try_in_child(map, 0);
    if (strcmp(result, "done") == 0)
        show("read:", map);
    else
        printf("read:    %s\n", result);
    result = try_in_child(map, 1);
    if (strcmp(result, "done") == 0)
        map[0] = 'H'; /* allowed: now in this process, for real */
    printf("write:   %s\n", result);

    if (mprotect(map, LENGTH, PROT_READ) == -1)
        err(1, "mprotect");
    printf("mprotect(PROT_READ), then write: %s\n", try_in_child(map, 1));
    show("mapping:", map);
    if (msync(map, LENGTH, MS_SYNC) == -1)
        err(1, "msync");
    char file[LENGTH];
    if (pread(fd, file, LENGTH, 0) != (ssize_t)LENGTH)
        err(1, "pread test_file");
    show("file:", file);
    return 0;
}
