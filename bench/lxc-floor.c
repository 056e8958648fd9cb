/*
 * lxc-floor — the least a container start can cost on this machine, for bench/lxc-lifecycle.
 *
 * Usage: lxc-floor ROOTFS CGROUP_DIR N
 * Runs N times: make the cgroup CGROUP_DIR with a 64 MiB memory limit, clone a child into
 * new PID, mount, UTS, IPC and network namespaces; the child moves itself into the cgroup
 * (the cheapest way the kernel offers: "0" into a v1 tasks file takes no global lock),
 * makes its cgroup namespace there, pivot_roots into ROOTFS (the old root detached) and
 * execs /bin/true; reap it. That is what vsh's init does. Prints
 * the time of each run in microseconds, from before mkdir to the reap; the cgroup is
 * removed after the clock stops. CGROUP_DIR is a directory in a v1 memory hierarchy or a
 * v2 hierarchy whose parent delegates memory; its parent must exist. Exits 1 with a
 * message naming the failed step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLONE_ALL_NS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
                      CLONE_NEWNET | CLONE_NEWCGROUP)

typedef struct {
    const char *rootfs;
    const char *cgroup;
    const char *join;   /* the file of @cgroup that takes "0" to move the writer there */
} child_args;

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int
write_file(const char *dir, const char *name, const char *value)
{
    char path[4096];
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
        return -1;
    n = write(fd, value, strlen(value));
    close(fd);
    return n == (ssize_t) strlen(value) ? 0 : -1;
}

static int
child_main(void *opaque)
{
    const child_args *a = opaque;

    if (write_file(a->cgroup, a->join, "0") < 0)
        _exit(120);
    /* the group joined is the new cgroup namespace's root, as vsh's init has it */
    if (unshare(CLONE_NEWCGROUP) < 0)
        _exit(123);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount(a->rootfs, a->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0 ||
        chdir(a->rootfs) < 0 ||
        syscall(SYS_pivot_root, ".", ".") < 0 ||
        umount2(".", MNT_DETACH) < 0 ||
        chdir("/") < 0)
        _exit(121);
    execl("/bin/true", "true", (char *) NULL);
    _exit(122);
}

static int
fail(const char *what)
{
    fprintf(stderr, "lxc-floor: %s: %s\n", what, strerror(errno));
    return 1;
}

static int
run_once(const char *rootfs, const char *cgroup, int v2, long long *ret_us)
{
    struct timespec t0;
    struct timespec t1;
    child_args a = { rootfs, cgroup, v2 ? "cgroup.procs" : "tasks" };
    int status;
    pid_t pid;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mkdir(cgroup, 0755) < 0)
        return fail("mkdir of the cgroup");
    if (write_file(cgroup, v2 ? "memory.max" : "memory.limit_in_bytes", "67108864") < 0)
        return fail("memory limit");
    pid = clone(child_main, child_stack + sizeof(child_stack),
                (CLONE_ALL_NS & ~CLONE_NEWCGROUP) | SIGCHLD, &a);
    if (pid < 0)
        return fail("clone");
    if (waitpid(pid, &status, 0) < 0)
        return fail("waitpid");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rmdir(cgroup) < 0)
        return fail("rmdir of the cgroup");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "lxc-floor: the child failed (status %#x)\n", status);
        return 1;
    }
    *ret_us = (long long) (t1.tv_sec - t0.tv_sec) * 1000000LL +
              (t1.tv_nsec - t0.tv_nsec) / 1000;
    return 0;
}

int
main(int argc, char **argv)
{
    struct stat st;
    char parent[4096];
    char *slash;
    int v2;
    int n;
    int i;

    if (argc != 4 || (n = atoi(argv[3])) < 1) {
        fprintf(stderr, "usage: lxc-floor ROOTFS CGROUP_DIR N\n");
        return 2;
    }
    snprintf(parent, sizeof(parent), "%s", argv[2]);
    if ((slash = strrchr(parent, '/')) != NULL)
        *slash = '\0';
    /* A v2 group has cgroup.controllers; a v1 memory group has memory.limit_in_bytes. */
    snprintf(parent + strlen(parent), sizeof(parent) - strlen(parent), "/cgroup.controllers");
    v2 = stat(parent, &st) == 0;
    for (i = 0; i < n; i++) {
        long long us;

        if (run_once(argv[1], argv[2], v2, &us) != 0)
            return 1;
        printf("%lld\n", us);
    }
    return 0;
}
