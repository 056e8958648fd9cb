/*
 * lxc-child.c — what a container's init does to itself inside its new namespaces, before
 * vsh-monitor's common steps (rlimits, capabilities, user, exec).
 *
 * Plain libc, and nothing that allocates: this runs in a clone of the monitor. A failure
 * returns -1 with errno set and *ret_step naming the step; the monitor reports it to the
 * caller of `vsh start`.
 *
 * The order is the point of this file:
 *   1. become root of the user namespace (when there is one);
 *   2. make every mount private, so nothing we do propagates to the host;
 *   3. while the host's tree is still reachable, create every mount we will need as a
 *      detached mount (open_tree / fsmount): the bind sources, /proc, /sys, the pty slave
 *      for /dev/console and, in a user namespace, the host's device nodes. proc and sysfs
 *      must be created now: inside a user namespace the kernel refuses them once no fully
 *      visible instance is left in our mount namespace;
 *   4. pivot_root into the root filesystem and detach the old root;
 *   5. attach the detached mounts at guest paths. From here every path is resolved with
 *      the guest's own view, so a symlink in the root filesystem (say /dev -> /etc or
 *      /proc -> /) can only ever point inside the container;
 *   6. the hostname.
 * All of this runs while the monitor creates the cgroup and sets up the network namespace
 * we made first (the veth pairs, lo and the interfaces: lxc_hook_prepare and
 * lxc_hook_net_setup).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drivers/common/mount-api.h"
#include "lxc-priv.h"

/* The device nodes every container gets: name, major, minor. */
static const struct {
    const char *name;
    unsigned int major;
    unsigned int minor;
} lxc_dev_nodes[] = {
    { "null", 1, 3 },
    { "zero", 1, 5 },
    { "full", 1, 7 },
    { "random", 1, 8 },
    { "urandom", 1, 9 },
    { "tty", 5, 0 },
};

#define LXC_N_DEV_NODES (sizeof(lxc_dev_nodes) / sizeof(lxc_dev_nodes[0]))

/* Mounts created before pivot_root, attached after it. -1 = none. */
typedef struct {
    int proc;
    int sys;
    int console;
    int dev_nodes[LXC_N_DEV_NODES];
    int mounts[LXC_MAX_MOUNTS];
} lxc_detached;

/* Step names carrying a path; init is single-threaded. */
static char lxc_step_buf[PATH_MAX + 64];

static const char *
lxc_step(const char *what, const char *path)
{
    snprintf(lxc_step_buf, sizeof(lxc_step_buf), "%s %s", what, path);
    return lxc_step_buf;
}

static void
lxc_close_quietly(int fd)
{
    int saved = errno;

    if (fd >= 0)
        close(fd);
    errno = saved;
}

static void
lxc_detached_init(lxc_detached *d)
{
    size_t i;

    d->proc = d->sys = d->console = -1;
    for (i = 0; i < LXC_N_DEV_NODES; i++)
        d->dev_nodes[i] = -1;
    for (i = 0; i < LXC_MAX_MOUNTS; i++)
        d->mounts[i] = -1;
}

static void
lxc_detached_clear(lxc_detached *d)
{
    size_t i;

    lxc_close_quietly(d->proc);
    lxc_close_quietly(d->sys);
    lxc_close_quietly(d->console);
    for (i = 0; i < LXC_N_DEV_NODES; i++)
        lxc_close_quietly(d->dev_nodes[i]);
    for (i = 0; i < LXC_MAX_MOUNTS; i++)
        lxc_close_quietly(d->mounts[i]);
    lxc_detached_init(d);
}

/* A new detached mount of a fresh @fstype instance with the MOUNT_ATTR_* @attrs. */
static int
lxc_fs_new(const char *fstype, unsigned int attrs)
{
    int fsfd;
    int mfd;

    if ((fsfd = fsopen(fstype, FSOPEN_CLOEXEC)) < 0)
        return -1;
    if (fsconfig(fsfd, FSCONFIG_SET_STRING, "source", fstype, 0) < 0 ||
        fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
        lxc_close_quietly(fsfd);
        return -1;
    }
    mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
    lxc_close_quietly(fsfd);
    return mfd;
}

/* A detached copy of the host tree at @dfd/@path, with the MOUNT_ATTR_* @attrs added. */
static int
lxc_tree_clone(int dfd, const char *path, unsigned int flags, unsigned int attrs)
{
    struct mount_attr attr = { .attr_set = attrs };
    int fd;

    fd = open_tree(dfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | flags);
    if (fd < 0)
        return -1;
    if (attrs &&
        mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
        lxc_close_quietly(fd);
        return -1;
    }
    return fd;
}

/* The pty slave was opened by the monitor, in the mount namespace we were cloned from, and
 * the kernel clones only mounts of our own namespace: clone it again by its path, which
 * resolves in our copy of the host's tree. */
static int
lxc_console_clone(int console_fd)
{
    char link[32];
    char path[PATH_MAX];
    ssize_t n;

    snprintf(link, sizeof(link), "/proc/self/fd/%d", console_fd);
    n = readlink(link, path, sizeof(path) - 1);
    if (n < 0)
        return -1;
    path[n] = '\0';
    return lxc_tree_clone(AT_FDCWD, path, 0, 0);
}

static int
lxc_detach_sys(const struct vsh_launch *l, lxc_detached *d, const char **ret_step)
{
    const unsigned int attrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                               MOUNT_ATTR_NOEXEC;

    /* A fresh sysfs shows the network devices of the mounting task's namespace, and the
     * kernel allows it only from a namespace of our own; with the host network shared
     * the host's /sys is bound instead. Alone, not with the mounts below it (cgroups,
     * debugfs ...), unless the kernel insists on the whole tree because those are locked
     * in a user namespace. */
    if (l->clone_flags & CLONE_NEWNET) {
        d->sys = lxc_fs_new("sysfs", attrs);
    } else {
        d->sys = lxc_tree_clone(AT_FDCWD, "/sys", 0, attrs);
        if (d->sys < 0 && errno == EINVAL)
            d->sys = lxc_tree_clone(AT_FDCWD, "/sys", AT_RECURSIVE, attrs);
    }
    if (d->sys < 0) {
        *ret_step = "mount /sys";
        return -1;
    }
    return 0;
}

/* Step 3: everything that must come from the host's tree, while it is still reachable. */
static int
lxc_detach_all(const struct vsh_launch *l, int console_fd, lxc_detached *d,
               const char **ret_step)
{
    char path[32];
    size_t i;

    if ((d->proc = lxc_fs_new("proc", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                      MOUNT_ATTR_NOEXEC)) < 0) {
        *ret_step = "mount /proc";
        return -1;
    }
    if (lxc_detach_sys(l, d, ret_step) < 0)
        return -1;
    if ((d->console = lxc_console_clone(console_fd)) < 0) {
        *ret_step = "bind the console";
        return -1;
    }
    /* Inside a user namespace mknod is never allowed: bind the host's nodes instead. */
    for (i = 0; (l->clone_flags & CLONE_NEWUSER) && i < LXC_N_DEV_NODES; i++) {
        snprintf(path, sizeof(path), "/dev/%s", lxc_dev_nodes[i].name);
        if ((d->dev_nodes[i] = lxc_tree_clone(AT_FDCWD, path, 0, 0)) < 0) {
            *ret_step = lxc_step("bind", path);
            return -1;
        }
    }
    for (i = 0; i < l->n_mounts; i++) {
        const struct vsh_launch_mount *m = &l->mounts[i];

        if (m->type != VSH_LAUNCH_MOUNT_BIND)
            continue;
        if ((d->mounts[i] = lxc_tree_clone(AT_FDCWD, m->source, AT_RECURSIVE,
                                           m->readonly ? MOUNT_ATTR_RDONLY : 0)) < 0) {
            *ret_step = lxc_step("bind", m->source);
            return -1;
        }
    }
    return 0;
}

/* Step 1. */
static int
lxc_enter_identity(const struct vsh_launch *l, const char **ret_step)
{
    if (l->clone_flags & CLONE_NEWUSER) {
        /* Our host uid is not mapped, so until we switch to the namespace's root every
         * file we create would fail with EOVERFLOW. setgroups may be denied by the
         * namespace's setgroups file; an empty list is then already what we have. */
        if (setgroups(0, NULL) < 0 && errno != EPERM) {
            *ret_step = "setgroups in the user namespace";
            return -1;
        }
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
            *ret_step = "become root of the user namespace";
            return -1;
        }
    }
    return 0;
}

/* Step 4. pivot_root(".", ".") stacks the old root on top of the new one, so the root
 * filesystem needs no spare directory to park it in. */
static int
lxc_pivot(const struct vsh_launch *l, const char **ret_step)
{
    if (mount(l->rootfs, l->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
        *ret_step = lxc_step("bind the root filesystem", l->rootfs);
        return -1;
    }
    if (chdir(l->rootfs) < 0) {
        *ret_step = lxc_step("chdir to", l->rootfs);
        return -1;
    }
    if (syscall(SYS_pivot_root, ".", ".") < 0) {
        *ret_step = "pivot_root";
        return -1;
    }
    if (umount2(".", MNT_DETACH) < 0) {
        *ret_step = "detach the old root";
        return -1;
    }
    if (chdir("/") < 0) {
        *ret_step = "chdir to /";
        return -1;
    }
    return 0;
}

/* mkdir -p in the guest's view (after pivot_root). */
static int
lxc_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    char *p;

    if (strlen(path) >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(buf, path);
    for (p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* An empty file to bind a file over; EEXIST is fine. */
static int
lxc_touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

    if (fd < 0)
        return errno == EEXIST ? 0 : -1;
    close(fd);
    return 0;
}

static int
lxc_attach_at(int *mfd, const char *target)
{
    int ret = move_mount(*mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);

    lxc_close_quietly(*mfd);
    *mfd = -1;
    return ret;
}

/* A read-only bind of @path over itself; a path this kernel lacks is skipped. */
static int
lxc_bind_readonly(const char *path)
{
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

    if (access(path, F_OK) < 0)
        return errno == ENOENT ? 0 : -1;
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
        return -1;
    /* mount_setattr changes only the read-only flag; a MS_REMOUNT would have to repeat
     * every flag the kernel locked for a user namespace or fail with EPERM. */
    return mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof(attr));
}

static int
lxc_setup_proc_sys(lxc_detached *d, const char **ret_step)
{
    static const char *const proc_ro[] = {
        "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus",
    };
    size_t i;

    if (lxc_mkdir_p("/proc", 0555) < 0 || lxc_attach_at(&d->proc, "/proc") < 0) {
        *ret_step = "mount /proc";
        return -1;
    }
    for (i = 0; i < sizeof(proc_ro) / sizeof(proc_ro[0]); i++) {
        if (lxc_bind_readonly(proc_ro[i]) < 0) {
            *ret_step = lxc_step("make read-only", proc_ro[i]);
            return -1;
        }
    }
    if (lxc_mkdir_p("/sys", 0555) < 0 || lxc_attach_at(&d->sys, "/sys") < 0) {
        *ret_step = "mount /sys";
        return -1;
    }
    return 0;
}

static int
lxc_setup_dev_nodes(const struct vsh_launch *l, lxc_detached *d, const char **ret_step)
{
    char path[32];
    size_t i;

    for (i = 0; i < LXC_N_DEV_NODES; i++) {
        snprintf(path, sizeof(path), "/dev/%s", lxc_dev_nodes[i].name);
        if (l->clone_flags & CLONE_NEWUSER) {
            if (lxc_touch(path) < 0 || lxc_attach_at(&d->dev_nodes[i], path) < 0) {
                *ret_step = lxc_step("bind", path);
                return -1;
            }
            continue;
        }
        if (mknod(path, S_IFCHR | 0666,
                  makedev(lxc_dev_nodes[i].major, lxc_dev_nodes[i].minor)) < 0 ||
            chmod(path, 0666) < 0) {
            *ret_step = lxc_step("mknod", path);
            return -1;
        }
    }
    return 0;
}

static int
lxc_setup_dev_links(const char **ret_step)
{
    static const char *const links[][2] = {
        { "pts/ptmx", "/dev/ptmx" },
        { "/proc/self/fd", "/dev/fd" },
        { "/proc/self/fd/0", "/dev/stdin" },
        { "/proc/self/fd/1", "/dev/stdout" },
        { "/proc/self/fd/2", "/dev/stderr" },
    };
    size_t i;

    for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        if (symlink(links[i][0], links[i][1]) < 0) {
            *ret_step = lxc_step("symlink", links[i][1]);
            return -1;
        }
    }
    return 0;
}

static int
lxc_setup_dev(const struct vsh_launch *l, lxc_detached *d, const char **ret_step)
{
    if (lxc_mkdir_p("/dev", 0755) < 0 ||
        mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME,
              "mode=755,size=65536k") < 0) {
        *ret_step = "mount /dev";
        return -1;
    }
    if (lxc_setup_dev_nodes(l, d, ret_step) < 0)
        return -1;
    /* A private devpts instance: the container's ptys are not the host's, and opening
     * /dev/ptmx inside allocates from it. */
    if (mkdir("/dev/pts", 0755) < 0 ||
        mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
              "newinstance,ptmxmode=0666,mode=0620") < 0) {
        *ret_step = "mount /dev/pts";
        return -1;
    }
    if (lxc_setup_dev_links(ret_step) < 0)
        return -1;
    if (lxc_touch("/dev/console") < 0 || lxc_attach_at(&d->console, "/dev/console") < 0) {
        *ret_step = "bind /dev/console";
        return -1;
    }
    if (mkdir("/dev/shm", 01777) < 0 ||
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=1777,size=65536k") < 0) {
        *ret_step = "mount /dev/shm";
        return -1;
    }
    return 0;
}

/* The <filesystem> mounts other than "/": binds made in step 3, tmpfs made now. */
static int
lxc_setup_mounts(const struct vsh_launch *l, lxc_detached *d, const char **ret_step)
{
    char opts[64];
    size_t i;

    for (i = 0; i < l->n_mounts; i++) {
        const struct vsh_launch_mount *m = &l->mounts[i];

        if (lxc_mkdir_p(m->target, 0755) < 0) {
            *ret_step = lxc_step("create mount point", m->target);
            return -1;
        }
        if (m->type == VSH_LAUNCH_MOUNT_BIND) {
            if (lxc_attach_at(&d->mounts[i], m->target) < 0) {
                *ret_step = lxc_step("bind mount on", m->target);
                return -1;
            }
            continue;
        }
        if (m->usage_kib)
            snprintf(opts, sizeof(opts), "mode=755,size=%lluk", m->usage_kib);
        else
            snprintf(opts, sizeof(opts), "mode=755");
        if (mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV |
                  (m->readonly ? MS_RDONLY : 0), opts) < 0) {
            *ret_step = lxc_step("mount tmpfs on", m->target);
            return -1;
        }
    }
    return 0;
}

static int
lxc_child_setup_steps(const struct vsh_launch *l, int console_fd, lxc_detached *d,
                      const char **ret_step)
{
    if (l->n_mounts > LXC_MAX_MOUNTS) {
        errno = E2BIG;
        *ret_step = "too many filesystems";
        return -1;
    }
    if (lxc_enter_identity(l, ret_step) < 0)
        return -1;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        *ret_step = "make / private";
        return -1;
    }
    if (lxc_detach_all(l, console_fd, d, ret_step) < 0 ||
        lxc_pivot(l, ret_step) < 0 ||
        lxc_setup_proc_sys(d, ret_step) < 0 ||
        lxc_setup_dev(l, d, ret_step) < 0 ||
        lxc_setup_mounts(l, d, ret_step) < 0)
        return -1;
    if (l->hostname && sethostname(l->hostname, strlen(l->hostname)) < 0) {
        *ret_step = "set the hostname";
        return -1;
    }
    return 0;
}

int
lxc_child_setup(const struct vsh_launch *l, int console_fd, const char **ret_step)
{
    lxc_detached d;
    int ret;

    lxc_detached_init(&d);
    ret = lxc_child_setup_steps(l, console_fd, &d, ret_step);
    lxc_detached_clear(&d);
    return ret;
}

static int
lxc_hook_prepare(const struct vsh_launch *l, int netns_fd, const char **ret_step)
{
    return lxc_net_prepare(l, netns_fd, ret_step);
}

/* The host id that id 0 inside maps to, or -1. */
static long
lxc_mapped_root(const struct vsh_launch_idmap *maps, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (maps[i].start == 0 && maps[i].count > 0)
            return (long) maps[i].target;
    }
    return -1;
}

/* In a user namespace the console pty would stay the host root's, which is nobody inside:
 * init could use the descriptors it inherits but nothing inside could open /dev/console.
 * Give it to the container's root, as LXC does. The monitor finds the slave among the
 * child's descriptors (the only pty it holds at this point). */
static int
lxc_console_chown(const struct vsh_launch *l, pid_t child, const char **ret_step)
{
    long uid = lxc_mapped_root(l->uid_maps, l->n_uid_maps);
    long gid = lxc_mapped_root(l->gid_maps, l->n_gid_maps);
    char link[64];
    char target[64];
    int fd;

    if (!(l->clone_flags & CLONE_NEWUSER) || uid < 0 || gid < 0)
        return 0;
    for (fd = 0; fd < 1024; fd++) {
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int) child, fd);
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0)
            continue;
        target[n] = '\0';
        if (strncmp(target, "/dev/pts/", 9) != 0)
            continue;
        if (chown(link, (uid_t) uid, (gid_t) gid) < 0) {
            *ret_step = "give the console to the container's root";
            return -1;
        }
        return 0;
    }
    return 0;
}

/* In the container's network namespace, from the monitor: lo up, then the interfaces. */
static int
lxc_hook_net_setup(const struct vsh_launch *l, const char **ret_step)
{
    if (lxc_net_setup_lo(ret_step) < 0)
        return -1;
    return l->n_nets > 0 ? lxc_net_setup_guest(l, ret_step) : 0;
}

static void
lxc_hook_teardown(const struct vsh_launch *l)
{
    lxc_net_teardown(l);
}

static void
lxc_hook_reclaim(const struct vsh_launch *l)
{
    lxc_net_reclaim(l);
}

const struct vsh_monitor_hooks vsh_lxc_monitor_hooks = {
    .prepare = lxc_hook_prepare,
    .attach = lxc_console_chown,
    .net_setup = lxc_hook_net_setup,
    .child_setup = lxc_child_setup,
    .teardown = lxc_hook_teardown,
    .reclaim = lxc_hook_reclaim,
};
