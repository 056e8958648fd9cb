/*
 * driver.h — the driver vtable and the domain object drivers work on.
 *
 * A driver is a directory under drivers/ exporting one `const vsh_driver` table; it is
 * registered with one line in core/driver-registry.c. A NULL entry means "unsupported":
 * the core answers VSH_ERROR_UNSUPPORTED and never calls it.
 *
 * The core decides every lifecycle transition before calling a driver (core/domain.c), takes
 * the per-domain operation lock, and writes the store after the driver returns. Drivers
 * never parse XML, never touch the store's files (except those the store hands them by
 * path in vsh_domain_obj), and never print.
 */
#ifndef VSH_CORE_DRIVER_H
#define VSH_CORE_DRIVER_H

#include <sys/types.h>

#include "vsh.h"
#include "conf/domain-conf.h"

typedef struct vsh_driver vsh_driver;
typedef struct vsh_domain_obj vsh_domain_obj;

/* The paths a driver may use for one domain. Everything lives in the store's state
 * directory; the monitor of a supervised domain uses the same names (see
 * drivers/common/launch.h). */
typedef struct {
    char *state_dir;            /* STORE/state (or /run/vsh) */
    char *lock_path;            /* STATE/NAME.lock: held by the monitor while it lives */
    char *console_path;         /* STATE/NAME.console: the monitor's console socket */
    char *pid_path;             /* STATE/NAME.pid: init's host pid, written by the monitor */
    char *exit_path;            /* STATE/NAME.exit: why the domain stopped, by the monitor */
    char *events_path;          /* STATE/events: the event log */
    char *rootfs_dir;           /* STORE/rootfs (or /var/lib/vsh/rootfs) */
    char *cgroup_partition;     /* "vsh" unless VSH_CGROUP_PARTITION says otherwise */
    char *stop_path;            /* STATE/NAME.stop: why the library stops the domain; the
                                 * core writes it before shutdown/destroy/reboot of a
                                 * supervised domain */
    char *run_path;             /* STATE/NAME.run: the driver's own runtime data for an
                                 * active domain (format up to the driver); the core
                                 * removes it when the domain stops */
    char *id_counter_path;      /* STATE/.ids: the store's id counter, for drivers that
                                 * number their domains themselves (qemu-stub) */
    char *vnet_counter_path;    /* STATE/.vnets: how many vnetN device names the store has
                                 * handed out, for drivers that name them (qemu-stub) */
} vsh_domain_paths;

struct vsh_domain_obj {
    const vsh_driver *driver;
    char *name;
    unsigned char uuid[16];
    vsh_domain_def *def;        /* the persistent definition, NULL for a transient domain */
    vsh_domain_def *live;       /* the live definition while active, else NULL. Before
                                 * start() the core sets it to a copy of def; drivers update
                                 * it (actual memory, vcpus, console path). */
    int state;                  /* vsh_domain_state */
    int reason;
    int id;                     /* -1 when inactive */
    pid_t pid;                  /* init's host pid (supervised drivers), 0 otherwise */
    pid_t monitor_pid;          /* the monitor's pid (supervised drivers), 0 otherwise */
    vsh_domain_paths paths;
    void *priv;                 /* the driver's own data (priv_new/priv_free) */
};

/* Memory statistics and stats records are GArrays of vsh_stat (vsh.h). */

struct vsh_driver {
    const char *name;           /* "lxc", "chroot", "qemu": the <domain type=...> it serves */
    vsh_domain_type type;

    /* A supervised domain has a vsh-monitor holding paths.lock_path while it runs; the
     * core treats "state file present, lock free" as "the monitor died". Unsupervised
     * (qemu-stub) domains are running exactly while their state file exists. */
    bool supervised;

    /* 1 usable on this host, 0 not here (with a reason in *error), -1 error. NULL = 1. */
    int (*probe)(GError **error);
    /* vsh host-validate: appends a vsh_host_check per thing the driver needs from the
     * host (vsh_host_check_add). NULL = the driver needs nothing. */
    void (*validate_host)(GArray *checks);
    /* Driver limits on a parsed definition (e.g. lxc needs a root filesystem). */
    int (*def_validate)(const vsh_domain_def *def, GError **error);

    void *(*priv_new)(void);
    void (*priv_free)(void *priv);

    /* Starts obj->live. On success sets obj->id, obj->pid, obj->monitor_pid, obj->state
     * and obj->reason (RUNNING/BOOTED, or PAUSED/USER with VSH_DOMAIN_START_PAUSED). On
     * failure leaves nothing behind. */
    int (*start)(vsh_domain_obj *obj, unsigned int flags, GError **error);
    /* Asks the domain to stop; returns once asked (the domain may still be running). A
     * driver whose domains stop at once sets obj->state to SHUTOFF/SHUTDOWN. @flags: 0
     * or VSH_DOMAIN_SHUTDOWN_* ways among shutdown_modes (the core checks). */
    int (*shutdown)(vsh_domain_obj *obj, unsigned int flags, GError **error);
    /* The VSH_DOMAIN_SHUTDOWN_* ways shutdown takes. */
    unsigned int shutdown_modes;
    /* Stops the domain now; returns when nothing of it is left running. */
    int (*destroy)(vsh_domain_obj *obj, GError **error);
    /* Restarts the domain's init; obj->id/pid may change. With @flags (VSH_DOMAIN_SHUTDOWN_*
     * ways among reboot_modes, the core checks) the domain is asked to reboot itself
     * instead, and the call returns once asked. */
    int (*reboot)(vsh_domain_obj *obj, unsigned int flags, GError **error);
    /* The ways reboot takes. */
    unsigned int reboot_modes;
    int (*suspend)(vsh_domain_obj *obj, GError **error);
    int (*resume)(vsh_domain_obj *obj, GError **error);
    /* Removes what a dead domain left (cgroup, veth, sockets) after its monitor died. */
    void (*cleanup)(vsh_domain_obj *obj);
    /* Re-reads what the driver knows of a running domain (id/pid after a reboot). Called
     * by the core when it loads a live domain; may be NULL. */
    int (*refresh)(vsh_domain_obj *obj, GError **error);

    /* Live data: cpu time and memory in use; NULL = the core's values from the def. */
    int (*get_info)(vsh_domain_obj *obj, vsh_domain_info *info, GError **error);
    int (*get_memory_stats)(vsh_domain_obj *obj, GArray *stats, GError **error);
    /* The cpu time of a running domain (vsh_domain_get_cpu_stats): *total, preset to the
     * user and system parts unknown (-1), and the ns of each CPU appended to @percpu (a
     * GArray of guint64) when the driver can split it. NULL = the total from get_info. */
    int (*get_cpu_stats)(vsh_domain_obj *obj, vsh_domain_cpu_total *total, GArray *percpu,
                         GError **error);
    /* The memory limits in force on a running domain (VSH_MEMORY_UNLIMITED for none),
     * which setmem changes too; NULL = the core reports obj->live's <memtune>. */
    int (*get_memtune)(vsh_domain_obj *obj, vsh_memtune_params *ret_params, GError **error);
    /* The counters of @net, an interface of obj->live; *ret_stats comes preset to -1
     * (unknown) for every counter. NULL = the driver cannot count. */
    int (*get_interface_stats)(vsh_domain_obj *obj, const vsh_net_def *net,
                               vsh_domain_interface_stats *ret_stats, GError **error);

    /* Live changes (the core updates obj->live and the state file afterwards). */
    int (*set_memory)(vsh_domain_obj *obj, guint64 kib, GError **error);
    int (*set_vcpus)(vsh_domain_obj *obj, unsigned int nvcpus, GError **error);
    int (*set_sched)(vsh_domain_obj *obj, const vsh_sched_params *params, GError **error);
    int (*set_memtune)(vsh_domain_obj *obj, const vsh_memtune_params *params, GError **error);
    /* the changes of @params (vsh_domain_set_blkiotune), made to the running domain */
    int (*set_blkiotune)(vsh_domain_obj *obj, const vsh_blkiotune_params *params,
                         GError **error);

    /* Device changes on the running domain. attach_device sets up the last device of
     * @kind in @live, obj->live with that device added, and completes it with what the
     * driver chose (host-side names); detach_device removes @dev, a device of obj->live.
     * The core then saves the new live definition. NULL = the driver cannot. */
    int (*attach_device)(vsh_domain_obj *obj, vsh_domain_def *live, vsh_device_kind kind,
                         GError **error);
    int (*detach_device)(vsh_domain_obj *obj, vsh_device_kind kind, gconstpointer dev,
                         GError **error);

    int (*open_console)(vsh_domain_obj *obj, unsigned int flags, int *ret_fd, GError **error);
    int (*exec)(vsh_domain_obj *obj, const char *const *argv, int *ret_status,
                GError **error);
};

/* core/host.c: appends one check to @checks; @hint (printf-style) only when it did not
 * pass. */
void vsh_host_check_add(GArray *checks, const char *type, vsh_host_check_result result,
                        const char *what, const char *hint_fmt, ...) G_GNUC_PRINTF(5, 6);
/* Common checks: Linux >= @major.@minor; the namespace @ns in /proc/self/ns (@why says
 * what needs it); each cgroup controller a supervised domain uses. */
void vsh_host_check_kernel(GArray *checks, const char *type, int major, int minor,
                           const char *why);
void vsh_host_check_namespace(GArray *checks, const char *type, const char *ns,
                              vsh_host_check_result if_missing, const char *why);
/* Each cgroup controller vsh uses, FAIL or WARN as the driver says. */
void vsh_host_check_cgroups(GArray *checks, const char *type, bool cpuset_required);

/* core/driver-registry.c: the drivers built into this libvsh, in order. */
const vsh_driver *const *vsh_driver_registry(void);
const vsh_driver *vsh_driver_lookup(const char *name);
const vsh_driver *vsh_driver_for_type(vsh_domain_type type);

#endif /* VSH_CORE_DRIVER_H */
