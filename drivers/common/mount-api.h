/*
 * mount-api.h — the kernel's new mount API (open_tree, move_mount, fsopen, fsconfig,
 * fsmount, mount_setattr) whatever the C library.
 *
 * glibc declares these calls in <sys/mount.h> since 2.36. musl, with which vsh-monitor is
 * built when it is installed (docs/architecture.md, "vsh-monitor on musl"), does not: there
 * they are thin syscall(2) wrappers, and the constants and struct mount_attr come from the
 * kernel's own <linux/mount.h>.
 */
#ifndef VSH_DRIVERS_MOUNT_API_H
#define VSH_DRIVERS_MOUNT_API_H

#include <sys/mount.h>

#if defined(__GLIBC__)
#if !__GLIBC_PREREQ(2, 36)
#define VSH_MOUNT_API_WRAPPERS 1
#endif
#else
#define VSH_MOUNT_API_WRAPPERS 1
#endif

#ifdef VSH_MOUNT_API_WRAPPERS
#include <linux/mount.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int
open_tree(int dfd, const char *path, unsigned int flags)
{
    return (int) syscall(SYS_open_tree, dfd, path, flags);
}

static inline int
move_mount(int from_dfd, const char *from_path, int to_dfd, const char *to_path,
           unsigned int flags)
{
    return (int) syscall(SYS_move_mount, from_dfd, from_path, to_dfd, to_path, flags);
}

static inline int
fsopen(const char *fstype, unsigned int flags)
{
    return (int) syscall(SYS_fsopen, fstype, flags);
}

static inline int
fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
    return (int) syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int
fsmount(int fd, unsigned int flags, unsigned int attr_flags)
{
    return (int) syscall(SYS_fsmount, fd, flags, attr_flags);
}

static inline int
mount_setattr(int dfd, const char *path, unsigned int flags, struct mount_attr *attr,
              size_t size)
{
    return (int) syscall(SYS_mount_setattr, dfd, path, flags, attr, size);
}
#endif

#endif /* VSH_DRIVERS_MOUNT_API_H */
