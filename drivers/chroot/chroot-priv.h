/*
 * chroot-priv.h — shared between the chroot driver's files.
 *
 * A jail is a supervised domain (drivers/common/supervise.h) that shares the host's PID
 * and network namespaces. It gets its own mount namespace (so the bind mounts declared in
 * its XML never touch the host's mount table), IPC and UTS namespaces, and a cgroup
 * namespace; its root is entered with chdir + chroot + chdir("/").
 */
#ifndef VSH_DRIVERS_CHROOT_PRIV_H
#define VSH_DRIVERS_CHROOT_PRIV_H

#include <sched.h>

#include "drivers/common/launch.h"

#define CHROOT_CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

#endif /* VSH_DRIVERS_CHROOT_PRIV_H */
