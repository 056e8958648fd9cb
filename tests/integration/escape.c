/*
 * escape.c — run inside a jail (static, copied into the test rootfs); tries the classic
 * ways out of a chroot jail and reports each as one line, "blocked NAME: why" or
 * "ESCAPED NAME: how". Exits with the number of escapes, so 0 means the jail held.
 *
 *   escape all MARKER HOSTPID    every attempt as the jail's root; MARKER is a path that
 *                                exists only on the host, HOSTPID a host process
 *   escape setuid                as an unprivileged user: try to get root back
 *   escape alloc MIB             allocate and touch MIB MiB (the memory limit must stop it)
 *   escape forkloop N            try to have N processes at once (the pids limit must stop it)
 *   escape spin MS               use MS milliseconds of CPU time, then exit 0
 *   escape counter FILE          write an increasing number to FILE every 10 ms, forever
 *   escape daemon FILE           double-fork a daemon that runs "counter FILE"; return at once
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int escapes;

static void
report(int escaped, const char *name, const char *detail)
{
    printf("%s %s: %s\n", escaped ? "ESCAPED" : "blocked", name, detail);
    fflush(stdout);
    escapes += escaped;
}

/* After a successful chroot, climb out with "cd .." and look for the host's marker. */
static void
try_chroot_breakout(const char *marker)
{
    int i;

    (void) mkdir("/tmp/breakout", 0755);
    if (chroot("/tmp/breakout") < 0) {
        report(0, "chroot-in-chroot", strerror(errno));
        return;
    }
    for (i = 0; i < 256; i++)
        (void) chdir("..");
    (void) chroot(".");
    report(access(marker, F_OK) == 0, "chroot-in-chroot",
           access(marker, F_OK) == 0 ? "reached the host's files" : "chroot allowed, but "
                                                                      "still inside");
}

/* Any directory descriptor inherited from outside would lead out with fchdir. */
static void
try_inherited_fds(const char *marker)
{
    char found[128] = "";
    int fd;
    int i;

    for (fd = 3; fd < 4096; fd++) {
        if (fcntl(fd, F_GETFD) < 0)
            continue;
        snprintf(found, sizeof(found), "descriptor %d was inherited", fd);
        if (fchdir(fd) == 0) {
            for (i = 0; i < 256; i++)
                (void) chdir("..");
            if (chroot(".") == 0 && access(marker, F_OK) == 0) {
                report(1, "fchdir", "reached the host's files through an inherited fd");
                return;
            }
        }
    }
    report(found[0] != '\0', "fchdir", found[0] ? found : "no inherited descriptors");
}

/* /proc/PID/root of a host process is the host's root, if the jail may look at it. */
static void
try_proc_root(const char *name, pid_t host, const char *marker)
{
    char path[4096];

    snprintf(path, sizeof(path), "/proc/%d/root%s", (int) host, marker);
    if (access(path, F_OK) == 0) {
        report(1, name, "reached the host's files through /proc/PID/root");
        return;
    }
    report(0, name, strerror(errno));
}

static void
try_mknod(void)
{
    if (mknod("/tmp/disk", S_IFBLK | 0600, makedev(8, 0)) == 0) {
        (void) unlink("/tmp/disk");
        report(1, "mknod", "created a block device node");
        return;
    }
    report(0, "mknod", strerror(errno));
}

static void
try_mount(void)
{
    (void) mkdir("/tmp/mnt", 0755);
    if (mount("none", "/tmp/mnt", "tmpfs", 0, NULL) == 0) {
        (void) umount("/tmp/mnt");
        report(1, "mount", "mounted a tmpfs");
        return;
    }
    report(0, "mount", strerror(errno));
}

static void
try_ptrace(pid_t host)
{
    if (ptrace(PTRACE_ATTACH, host, NULL, NULL) == 0) {
        (void) ptrace(PTRACE_DETACH, host, NULL, NULL);
        report(1, "ptrace", "attached to a host process");
        return;
    }
    report(0, "ptrace", strerror(errno));
}

static void
check_hardening(void)
{
    report(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1, "no_new_privs",
           prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? "set" : "NOT set");
    report(prctl(PR_CAPBSET_READ, 18 /* CAP_SYS_CHROOT */, 0, 0, 0) != 0, "cap_sys_chroot",
           "bounding set checked");
    report(prctl(PR_CAPBSET_READ, 21 /* CAP_SYS_ADMIN */, 0, 0, 0) != 0, "cap_sys_admin",
           "bounding set checked");
}

static void
try_setuid(void)
{
    if (getuid() == 0) {
        report(1, "setuid", "running as root, expected an unprivileged user");
        return;
    }
    if (setuid(0) == 0 || seteuid(0) == 0) {
        report(1, "setuid", "became root again");
        return;
    }
    report(0, "setuid", strerror(errno));
}

static int
alloc(long mib)
{
    long i;

    for (i = 0; i < mib; i++) {
        char *p = malloc(1 << 20);

        if (!p) {
            printf("allocation failed after %ld MiB\n", i);
            return 1;
        }
        memset(p, 1, 1 << 20);
    }
    printf("allocated %ld MiB\n", mib);
    return 0;
}

static void
reap_all(pid_t *pids, int n)
{
    int i;

    for (i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    for (i = 0; i < n; i++)
        waitpid(pids[i], NULL, 0);
}

static int
forkloop(int n)
{
    static pid_t pids[4096];
    int i;

    if (n > 4096)
        n = 4096;
    for (i = 0; i < n; i++) {
        pid_t pid = fork();

        if (pid < 0) {
            printf("fork failed after %d processes: %s\n", i, strerror(errno));
            fflush(stdout);
            reap_all(pids, i);
            return 1;
        }
        if (pid == 0) {
            pause();
            _exit(0);
        }
        pids[i] = pid;
    }
    printf("forked %d processes\n", n);
    fflush(stdout);
    reap_all(pids, n);
    return 0;
}

static void __attribute__((noreturn))
counter(const char *file)
{
    struct timespec ts = { 0, 10000000 };
    unsigned long n = 0;

    for (;;) {
        FILE *f = fopen(file, "w");

        if (f) {
            fprintf(f, "%lu\n", n++);
            fclose(f);
        }
        nanosleep(&ts, NULL);
    }
}

/* Busy until the process has used @ms milliseconds of CPU time (its own clock, so a
 * loaded host only makes it take longer). */
static int
spin(long ms)
{
    struct timespec ts;
    volatile unsigned long n = 0;

    do {
        for (int i = 0; i < 100000; i++)
            n++;
        if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
            return 1;
    } while (ts.tv_sec * 1000L + ts.tv_nsec / 1000000L < ms);
    return 0;
}

static int
daemonize(const char *file)
{
    pid_t pid = fork();

    if (pid != 0)
        return pid < 0;
    setsid();
    if (fork() != 0)
        _exit(0);
    counter(file);
}

int
main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "all") == 0) {
        check_hardening();
        try_inherited_fds(argv[2]);
        try_mknod();
        try_mount();
        try_ptrace((pid_t) atoi(argv[3]));
        try_proc_root("proc-root-of-host-process", (pid_t) atoi(argv[3]), argv[2]);
        try_proc_root("proc-root-of-pid-1", 1, argv[2]);
        try_chroot_breakout(argv[2]);
        return escapes;
    }
    if (argc == 2 && strcmp(argv[1], "setuid") == 0) {
        try_setuid();
        return escapes;
    }
    if (argc == 3 && strcmp(argv[1], "alloc") == 0)
        return alloc(atol(argv[2]));
    if (argc == 3 && strcmp(argv[1], "forkloop") == 0)
        return forkloop(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "spin") == 0)
        return spin(atol(argv[2]));
    if (argc == 3 && strcmp(argv[1], "counter") == 0)
        counter(argv[2]);
    if (argc == 3 && strcmp(argv[1], "daemon") == 0)
        return daemonize(argv[2]);
    fprintf(stderr, "usage: escape all MARKER HOSTPID | setuid | alloc MIB | forkloop N | "
                    "spin MS | counter FILE | daemon FILE\n");
    return 100;
}
