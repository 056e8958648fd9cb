/*
 * chroot-driver.c — the chroot driver: hardened chroot jails, supervised exactly like
 * containers (drivers/common/supervise.h). A jail shares the host's PID and network
 * namespaces; everything else is taken away: its own mount, IPC, UTS and cgroup
 * namespaces, a small capability bounding set, no_new_privs, rlimits, its own cgroup.
 */
#include <config.h>

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "error.h"
#include "chroot-priv.h"
#include "drivers/common/supervise.h"

static const vsh_supervise_ops chroot_ops = {
    .kind = VSH_LAUNCH_CHROOT,
    .type_name = "chroot",
    .clone_flags = CHROOT_CLONE_FLAGS,
    .caps_default = VSH_SUPERVISE_CAPS_JAIL,
    .no_new_privs = true,
    .container_env = false,
    .launch_fill = NULL,
};

static int
chroot_def_validate(const vsh_domain_def *def, GError **error)
{
    const vsh_fs_def *root = vsh_domain_def_get_root_fs(def);

    if (def->type != VSH_DOMAIN_TYPE_CHROOT)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "the chroot driver cannot run a '%s' domain",
                             vsh_domain_type_to_string(def->type));
    if (!root || root->type != VSH_FS_TYPE_MOUNT || !root->source)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "chroot domain '%s' needs a root filesystem "
                             "(<filesystem type='mount'> with <target dir='/'/>)", def->name);
    if (!g_path_is_absolute(root->source))
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "the root filesystem '%s' of chroot domain '%s' is not an "
                             "absolute path", root->source, def->name);
    if (def->idmap.uid->len > 0 || def->idmap.gid->len > 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "chroot domain '%s' cannot have an <idmap>: a jail has no user "
                             "namespace", def->name);
    if (def->interfaces->len > 0 || def->privnet == VSH_TRISTATE_YES)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "chroot domain '%s' cannot have network interfaces or "
                             "<privnet/>: a jail shares the host's network", def->name);
    if (def->os.type != VSH_OS_TYPE_EXE)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "chroot domain '%s' needs <os><type>exe</type>", def->name);
    return 0;
}

static int
chroot_probe(GError **error)
{
    if (access("/proc/self/ns/mnt", F_OK) < 0)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "this kernel has no mount namespaces");
    return 1;
}

static void
chroot_validate_host(GArray *checks)
{
    static const char *const namespaces[] = { "ipc", "mnt", "uts", "cgroup" };
    size_t i;

    vsh_host_check_kernel(checks, "chroot", 5, 6,
                          "bind mounts are resolved inside the jail with openat2 "
                          "(Linux 5.6)");
    for (i = 0; i < G_N_ELEMENTS(namespaces); i++)
        vsh_host_check_namespace(checks, "chroot", namespaces[i], VSH_HOST_CHECK_FAIL,
                                 "every jail gets one");
    vsh_host_check_cgroups(checks, "chroot", false);
}

static int
chroot_start(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    return vsh_supervise_start(&chroot_ops, obj, flags, error);
}

static int
chroot_shutdown(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    return vsh_supervise_shutdown(&chroot_ops, obj, flags, error);
}

static int
chroot_destroy(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_destroy(&chroot_ops, obj, error);
}

static int
chroot_reboot(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    (void) flags;               /* no reboot_modes: the core lets none through */
    return vsh_supervise_reboot(&chroot_ops, obj, error);
}

static int
chroot_suspend(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_suspend(&chroot_ops, obj, error);
}

static int
chroot_resume(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_resume(&chroot_ops, obj, error);
}

static void
chroot_cleanup(vsh_domain_obj *obj)
{
    vsh_supervise_cleanup(&chroot_ops, obj);
}

static int
chroot_refresh(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_refresh(&chroot_ops, obj, error);
}

static int
chroot_get_info(vsh_domain_obj *obj, vsh_domain_info *info, GError **error)
{
    return vsh_supervise_get_info(&chroot_ops, obj, info, error);
}

static int
chroot_get_cpu_stats(vsh_domain_obj *obj, vsh_domain_cpu_total *total, GArray *percpu,
                      GError **error)
{
    return vsh_supervise_get_cpu_stats(&chroot_ops, obj, total, percpu, error);
}

static int
chroot_get_memory_stats(vsh_domain_obj *obj, GArray *stats, GError **error)
{
    return vsh_supervise_get_memory_stats(&chroot_ops, obj, stats, error);
}

static int
chroot_set_memory(vsh_domain_obj *obj, guint64 kib, GError **error)
{
    return vsh_supervise_set_memory(&chroot_ops, obj, kib, error);
}

static int
chroot_set_sched(vsh_domain_obj *obj, const vsh_sched_params *params, GError **error)
{
    return vsh_supervise_set_sched(&chroot_ops, obj, params, error);
}

static int
chroot_get_memtune(vsh_domain_obj *obj, vsh_memtune_params *ret_params, GError **error)
{
    return vsh_supervise_get_memtune(&chroot_ops, obj, ret_params, error);
}

static int
chroot_set_blkiotune(vsh_domain_obj *obj, const vsh_blkiotune_params *params, GError **error)
{
    return vsh_supervise_set_blkiotune(&chroot_ops, obj, params, error);
}

static int
chroot_set_memtune(vsh_domain_obj *obj, const vsh_memtune_params *params, GError **error)
{
    return vsh_supervise_set_memtune(&chroot_ops, obj, params, error);
}

static int
chroot_open_console(vsh_domain_obj *obj, unsigned int flags, int *ret_fd, GError **error)
{
    return vsh_supervise_open_console(&chroot_ops, obj, flags, ret_fd, error);
}

static int
chroot_exec(vsh_domain_obj *obj, const char *const *argv, int *ret_status, GError **error)
{
    return vsh_supervise_exec(&chroot_ops, obj, argv, ret_status, error);
}

const vsh_driver vsh_chroot_driver = {
    .name = "chroot",
    .type = VSH_DOMAIN_TYPE_CHROOT,
    .supervised = true,
    .probe = chroot_probe,
    .validate_host = chroot_validate_host,
    .def_validate = chroot_def_validate,
    .start = chroot_start,
    .shutdown = chroot_shutdown,
    .shutdown_modes = VSH_DOMAIN_SHUTDOWN_SIGNAL,
    .destroy = chroot_destroy,
    .reboot = chroot_reboot,
    .suspend = chroot_suspend,
    .resume = chroot_resume,
    .cleanup = chroot_cleanup,
    .refresh = chroot_refresh,
    .get_info = chroot_get_info,
    .get_cpu_stats = chroot_get_cpu_stats,
    .get_memory_stats = chroot_get_memory_stats,
    .get_memtune = chroot_get_memtune,
    .set_memory = chroot_set_memory,
    .set_sched = chroot_set_sched,
    .set_memtune = chroot_set_memtune,
    .set_blkiotune = chroot_set_blkiotune,
    .open_console = chroot_open_console,
    .exec = chroot_exec,
};
