/*
 * supervise.h — the host side shared by the supervised drivers (lxc, chroot).
 *
 * A supervised domain runs under its own vsh-monitor (drivers/common/vsh-monitor.c). This
 * module turns a validated vsh_domain_def into a struct vsh_launch, starts the monitor,
 * waits for its report, and implements every lifecycle and live operation by talking to
 * the monitor's files (drivers/common/launch.h) and to the domain's cgroup
 * (core/cgroup.h). A driver is a thin table over these functions: it passes a
 * vsh_supervise_ops describing its kind (namespaces, default capabilities, the
 * kind-specific parts of the launch).
 *
 * Every function takes the domain object the core hands the driver (obj->paths, obj->live)
 * and fails with @error set; none prints.
 */
#ifndef VSH_DRIVERS_COMMON_SUPERVISE_H
#define VSH_DRIVERS_COMMON_SUPERVISE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/capability.h>

#include "driver.h"
#include "drivers/common/launch.h"

/* Bit N of a capability mask is capability N (linux/capability.h numbering). */
#define VSH_CAP_BIT(cap) (UINT64_C(1) << (cap))

/* The bounding set a jail keeps by default: what a service running as root in a chroot
 * needs (chown, dac_override, fowner, fsetid, kill, setgid, setuid, net_bind_service,
 * audit_write). Never sys_chroot, sys_admin, mknod, sys_module, sys_ptrace, sys_rawio,
 * net_admin, nor dac_read_search (open_by_handle_at reaches files outside any root). */
#define VSH_SUPERVISE_CAPS_JAIL \
    (VSH_CAP_BIT(CAP_CHOWN) | VSH_CAP_BIT(CAP_DAC_OVERRIDE) | VSH_CAP_BIT(CAP_FOWNER) | \
     VSH_CAP_BIT(CAP_FSETID) | VSH_CAP_BIT(CAP_KILL) | VSH_CAP_BIT(CAP_SETGID) | \
     VSH_CAP_BIT(CAP_SETUID) | VSH_CAP_BIT(CAP_NET_BIND_SERVICE) | VSH_CAP_BIT(CAP_AUDIT_WRITE))
extern const uint64_t vsh_supervise_caps_jail;  /* the same, as a value */

typedef struct vsh_supervise_ops vsh_supervise_ops;

struct vsh_supervise_ops {
    int kind;                   /* enum vsh_launch_kind */
    const char *type_name;      /* "lxc" / "chroot": the event log's TYPE */
    int clone_flags;            /* namespaces every domain of this kind gets */
    uint64_t caps_default;      /* bounding set kept when the metadata says nothing */
    bool no_new_privs;          /* PR_SET_NO_NEW_PRIVS before exec of init */
    bool container_env;         /* add container=vsh to init's environment */

    /* Optional: fills the kind-specific parts of @l after the generic ones (argv, envp,
     * user, caps, rlimits, limits, cgroup, rootfs, the <filesystem> mounts other than
     * "/" as l->mounts) are set: e.g. more clone flags (CLONE_NEWNET for privnet), the
     * hostname, nets, id maps. Strings must be malloc-compatible (g_strdup is), because
     * vsh_launch_clear() frees them with free(). Returns 0, or -1 with @error set. */
    int (*launch_fill)(const vsh_domain_obj *obj, const vsh_domain_def *def,
                       struct vsh_launch *l, GError **error);
};

/*
 * Builds the launch description of @def for @obj (the generic parts plus ops->launch_fill).
 * @l must be zeroed; on failure it may be partly filled: vsh_launch_clear() it either way.
 * Exposed for tests and for the drivers' exec paths.
 */
int vsh_supervise_launch_build(const vsh_supervise_ops *ops, const vsh_domain_obj *obj,
                               const vsh_domain_def *def, struct vsh_launch *l,
                               GError **error);

/*
 * Writes the launch description of @def, the running @obj's new live definition, to
 * STATE/NAME.launch, where the monitor takes the network interfaces of the next init it
 * starts in place (a reboot) from: so an interface plugged in or out since the start is
 * there after a reboot, or not, as the live definition says. Returns 0, or -1 with @error
 * set.
 */
int vsh_supervise_save_launch(const vsh_supervise_ops *ops, const vsh_domain_obj *obj,
                              const vsh_domain_def *def, GError **error);

/*
 * The path of the vsh-monitor binary: $VSH_MONITOR when set, else the build tree's copy
 * (VSH_BUILD_LIBEXECDIR) when the running libvsh is the uninstalled one, else
 * VSH_LIBEXECDIR/vsh-monitor. Returns a new string.
 */
char *vsh_supervise_monitor_path(void);

/* The driver entry points: the driver.h contracts, for the kind described by @ops. */
int vsh_supervise_start(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                        unsigned int flags, GError **error);
int vsh_supervise_shutdown(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                           unsigned int flags, GError **error);
int vsh_supervise_destroy(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                          GError **error);
/* Asks the container's init to reboot itself, the ways @flags gives: runlevel 6 through
 * its /dev/initctl (INITCTL), else SIGINT (SIGNAL). */
int vsh_supervise_reboot_request(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                                 unsigned int flags, GError **error);
int vsh_supervise_reboot(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error);
int vsh_supervise_suspend(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                          GError **error);
int vsh_supervise_resume(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error);
void vsh_supervise_cleanup(const vsh_supervise_ops *ops, vsh_domain_obj *obj);
int vsh_supervise_refresh(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error);
int vsh_supervise_get_cpu_stats(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                                vsh_domain_cpu_total *total, GArray *percpu,
                                GError **error);
int vsh_supervise_get_info(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                           vsh_domain_info *info, GError **error);
int vsh_supervise_get_memory_stats(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                                   GArray *stats, GError **error);
int vsh_supervise_set_memory(const vsh_supervise_ops *ops, vsh_domain_obj *obj, guint64 kib,
                             GError **error);
int vsh_supervise_set_sched(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                            const vsh_sched_params *params, GError **error);
int vsh_supervise_get_memtune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                              vsh_memtune_params *ret_params, GError **error);
int vsh_supervise_set_blkiotune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                                const vsh_blkiotune_params *params, GError **error);
int vsh_supervise_set_memtune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                              const vsh_memtune_params *params, GError **error);
int vsh_supervise_open_console(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                               unsigned int flags, int *ret_fd, GError **error);

/*
 * Runs @argv inside the running domain: a child joins the domain's cgroup, enters every
 * namespace named in the launch's clone flags through /proc/INIT/ns/ (user first), takes
 * init's root (/proc/INIT/root), forks again (so a new PID namespace applies), and the
 * grandchild applies the domain's rlimits, capability bounding set, user and
 * no_new_privs, changes to the init's working directory and execs with init's
 * environment. stdin/stdout/stderr are the caller's. *ret_status is the exit status
 * (0-255, or 128+signal); a setup failure is an error naming the step.
 */
int vsh_supervise_exec(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                       const char *const *argv, int *ret_status, GError **error);

#endif /* VSH_DRIVERS_COMMON_SUPERVISE_H */
