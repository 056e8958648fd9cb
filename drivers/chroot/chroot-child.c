/*
 * chroot-child.c — the jail's own steps inside vsh-monitor (vsh_chroot_monitor_hooks).
 * Plain libc: linked into vsh-monitor.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "chroot-priv.h"

/* The step names must outlive the child's stack frame: the monitor reports them. */
static char chroot_step[PATH_MAX + 64];

static int
set_step(const char **ret_step, const char *what, const char *path)
{
    (void) snprintf(chroot_step, sizeof(chroot_step), "%s %s", what, path);
    *ret_step = chroot_step;
    return -1;
}

/*
 * Opens the mount target @target inside @rootfs without following any symlink out of
 * the jail (the guest controls its tree), and returns a /proc/self/fd path for it.
 */
static int
open_target(int root_fd, const char *target, char *ret_path, size_t size)
{
    struct open_how how = {
        .flags = O_PATH | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    int fd;

    while (*target == '/')
        target++;
    fd = (int) syscall(SYS_openat2, root_fd, target, &how, sizeof(how));
    if (fd < 0)
        return -1;
    (void) snprintf(ret_path, size, "/proc/self/fd/%d", fd);
    return fd;
}

static int
mount_one(const struct vsh_launch_mount *mnt, const char *target)
{
    char opts[64] = "mode=0755";

    if (mnt->type != VSH_LAUNCH_MOUNT_TMPFS)
        return mount(mnt->source, target, NULL, MS_BIND | MS_REC, NULL);
    if (mnt->usage_kib)
        (void) snprintf(opts, sizeof(opts), "mode=0755,size=%lluk", mnt->usage_kib);
    return mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

static int
bind_one(int root_fd, const struct vsh_launch_mount *mnt, const char **ret_step)
{
    char target[64];
    int fd;
    int r;

    if ((fd = open_target(root_fd, mnt->target, target, sizeof(target))) < 0)
        return set_step(ret_step, "open the mount point", mnt->target);
    r = mount_one(mnt, target);
    close(fd);
    if (r < 0)
        return set_step(ret_step, "mount", mnt->target);
    if (!mnt->readonly)
        return 0;
    /* re-open: the first descriptor names the directory under the new mount, and a
     * remount through it would make the jail's root read-only instead */
    if ((fd = open_target(root_fd, mnt->target, target, sizeof(target))) < 0)
        return set_step(ret_step, "open the mount point", mnt->target);
    r = mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL);
    close(fd);
    return r < 0 ? set_step(ret_step, "make read-only", mnt->target) : 0;
}

static int
chroot_child_setup(const struct vsh_launch *l, int console_fd, const char **ret_step)
{
    size_t i;
    int root_fd;

    (void) console_fd;
    /* the new mount namespace still shares propagation with the host's: cut it, so
     * nothing mounted here shows on the host */
    *ret_step = "make the jail's mounts private";
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return -1;
    if ((root_fd = open(l->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return set_step(ret_step, "open the root filesystem", l->rootfs);
    for (i = 0; i < l->n_mounts; i++) {
        if (bind_one(root_fd, &l->mounts[i], ret_step) < 0) {
            int saved = errno;

            close(root_fd);
            errno = saved;
            return -1;
        }
    }
    close(root_fd);
    /* chdir first: chroot alone would leave the working directory outside the jail */
    if (chdir(l->rootfs) < 0)
        return set_step(ret_step, "change directory to", l->rootfs);
    if (chroot(".") < 0)
        return set_step(ret_step, "chroot to", l->rootfs);
    if (chdir("/") < 0)
        return set_step(ret_step, "change directory to", "/");
    return 0;
}

const struct vsh_monitor_hooks vsh_chroot_monitor_hooks = {
    .child_setup = chroot_child_setup,
};
