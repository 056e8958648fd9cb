/*
 * launch.h — the compact description a driver hands to vsh-monitor, and the files the
 * monitor keeps in the store's state directory.
 *
 * Plain C and libc only: this header and launch.c are linked into vsh-monitor, which must
 * not load glib or libxml2 (DESIGN.md: the monitor stays tiny). The driver's host side
 * (drivers/common/supervise.c) fills a vsh_launch from an already validated
 * vsh_domain_def and writes it to the monitor's stdin with vsh_launch_write(); the monitor
 * reads it with vsh_launch_read().
 *
 * State directory contract (STATE = the store's state dir, NAME = the domain name):
 *   STATE/NAME.lock     flock(LOCK_EX) held by the monitor for as long as it lives
 *   STATE/NAME.console  unix stream socket served by the monitor: console clients
 *   STATE/NAME.pid      "INIT_PID MONITOR_PID\n", rewritten (tmp + rename) at every (re)start
 *   STATE/NAME.stop     written by the library before it stops a domain: one word,
 *                       "shutdown", "destroyed" or "reboot", so the monitor knows why init died
 *   STATE/NAME.exit     written by the monitor when the domain has stopped for good: one
 *                       word, the shut-off reason: "shutdown", "destroyed", "crashed", "failed"
 *   STATE/events        append-only event log, one line per event (O_APPEND, one write(2)):
 *                       "TIMESTAMP_US EVENT DETAIL TYPE UUID NAME\n"
 *                       TIMESTAMP_US: wall-clock microseconds; EVENT, DETAIL: the numbers of
 *                       vsh_event_type and its detail (vsh.h); TYPE: "lxc"/"chroot"/"qemu".
 */
#ifndef VSH_DRIVERS_COMMON_LAUNCH_H
#define VSH_DRIVERS_COMMON_LAUNCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum vsh_launch_kind {
    VSH_LAUNCH_CHROOT = 0,      /* chroot jail: host pid and net namespaces */
    VSH_LAUNCH_LXC = 1,         /* container: new namespaces, pivot_root */
};

enum vsh_launch_mount_type {
    VSH_LAUNCH_MOUNT_BIND = 0,  /* bind mount of a host directory */
    VSH_LAUNCH_MOUNT_TMPFS = 1, /* tmpfs of usage_kib KiB (0 = default size) */
};

struct vsh_launch_mount {
    int type;                   /* enum vsh_launch_mount_type */
    char *source;               /* host path (bind) */
    char *target;               /* path inside the domain, absolute, never "/" */
    int readonly;
    unsigned long long usage_kib;
};

struct vsh_launch_idmap {
    unsigned int start;         /* first id inside */
    unsigned int target;        /* first id outside */
    unsigned int count;
};

struct vsh_launch_ip {
    int family;                 /* AF_INET or AF_INET6 */
    char *address;
    unsigned int prefix;
};

struct vsh_launch_route {
    int family;
    char *dest;                 /* "0.0.0.0" / "::" for default */
    unsigned int prefix;
    char *gateway;
};

enum vsh_launch_net_type {
    VSH_LAUNCH_NET_BRIDGE = 0,  /* veth, host end attached to bridge */
    VSH_LAUNCH_NET_ETHERNET = 1,/* veth, host end left unattached */
};

struct vsh_launch_net {
    int type;                   /* enum vsh_launch_net_type */
    char *bridge;               /* bridge name (type bridge) */
    char *host_dev;             /* host-side veth name (always set: from <target dev> or
                                 * generated "vsh<N>-<idx>" by the driver, <= 15 chars) */
    char *guest_dev;            /* name inside ("eth0", "eth1" ... by default) */
    char *mac;                  /* "52:54:00:xx:xx:xx" for the guest end */
    size_t n_ips;
    struct vsh_launch_ip *ips;
    size_t n_routes;
    struct vsh_launch_route *routes;
};

struct vsh_launch_rlimit {
    int resource;               /* RLIMIT_* */
    unsigned long long soft;    /* RLIM_INFINITY for unlimited */
    unsigned long long hard;
};

/* One block device's I/O settings (<blkiotune><device>): the device's numbers and a
 * value per enum vsh_cgroup_blkio_field, 0 for none. */
struct vsh_launch_blkio_device {
    unsigned int major;
    unsigned int minor;
    unsigned long long value[5];
};

/* cgroup limits; a field of 0 (or -1 for quota, NULL for cpuset) leaves the default */
struct vsh_launch_limits {
    unsigned long long memory_hard_bytes;
    unsigned long long memory_soft_bytes;
    unsigned long long memory_swap_bytes;   /* memory + swap, as libvirt's swap_hard_limit */
    unsigned long long cpu_shares;          /* cgroup v1 scale (2..262144); v2: converted */
    unsigned long long cpu_period_us;
    long long cpu_quota_us;                 /* -1 = unlimited */
    char *cpuset;                           /* "0-1" */
    unsigned long long pids_max;
    int blkio;                              /* 1: the group gets the blkio controller */
    unsigned int blkio_weight;
    size_t n_blkio_devices;
    struct vsh_launch_blkio_device *blkio_devices;
};

struct vsh_launch {
    int kind;                   /* enum vsh_launch_kind */
    char *name;
    char *uuid;                 /* "xxxxxxxx-..." */
    char *type_name;            /* "lxc" / "chroot": for the event log */
    char *state_dir;            /* see the file contract above */
    char *cgroup_path;          /* relative to each hierarchy's root: "vsh/NAME" */
    char *cgroup_root;          /* the cgroupfs mount to use, normally "/sys/fs/cgroup"
                                 * (tests point it at a fake tree) */
    int clone_flags;            /* CLONE_NEWPID | CLONE_NEWNS | ... for init */
    char *rootfs;               /* host path of the root filesystem */
    char *hostname;             /* lxc: the domain name */
    size_t n_mounts;
    struct vsh_launch_mount *mounts;

    char **argv;                /* init and its arguments, NULL-terminated */
    char **envp;                /* init's environment, NULL-terminated (complete: the
                                 * driver adds PATH, HOME, TERM, container=vsh) */
    char *workdir;              /* "/" unless <initdir> */
    int drop_user;              /* 1: setgroups/setgid/setuid to the ids below */
    uid_t uid;
    gid_t gid;
    size_t n_groups;
    gid_t *groups;

    size_t n_uid_maps;
    struct vsh_launch_idmap *uid_maps;
    size_t n_gid_maps;
    struct vsh_launch_idmap *gid_maps;

    uint64_t caps_keep;         /* capability bounding set to keep (bit N = capability N) */
    int no_new_privs;           /* PR_SET_NO_NEW_PRIVS before exec (jails: always) */
    size_t n_rlimits;
    struct vsh_launch_rlimit *rlimits;
    struct vsh_launch_limits limits;

    size_t n_nets;
    struct vsh_launch_net *nets;

    int on_poweroff;            /* vsh_lifecycle_action values (domain-conf.h) */
    int on_reboot;
    int on_crash;
    int start_paused;           /* freeze the cgroup before init runs its first instruction */
    int owner_pid;              /* destroy the domain when this process exits (0: never) */
    int shutdown_timeout_ms;    /* after a shutdown request, kill everything after this */
    /* The caller makes init's network namespace while the monitor starts, and sends it
     * (SCM_RIGHTS) over the socket on VSH_LAUNCH_NETNS_FD, or closes the socket without
     * (init then makes its own). Never saved with NAME.launch: it is one start's. */
    int netns_sock;
};

/* Where the monitor finds the socket of netns_sock. */
#define VSH_LAUNCH_NETNS_FD 4

/*
 * The kind-specific steps vsh-monitor calls; everything else (lock, pty, cgroup, clone,
 * uid/gid maps, rlimits, capabilities, user drop, exec, reaping) is the monitor's own,
 * shared by every kind. Each step returns 0, or -1 with errno set and *ret_step naming
 * what failed ("mount /proc", "pivot_root") so the caller of `vsh start` gets the exact
 * error. NULL entries are skipped.
 */
struct vsh_monitor_hooks {
    /* In the monitor, in the host's namespaces, when the domain has a network namespace of
     * its own, once the child made it (@netns_fd names it), while the child sets itself
     * up: e.g. create veth pairs with their peers in it. */
    int (*prepare)(const struct vsh_launch *l, int netns_fd, const char **ret_step);
    /* In the monitor after clone, with the child's pid, while the child sets itself up:
     * what must be done to the child from outside (e.g. give it the console in a user
     * namespace). */
    int (*attach)(const struct vsh_launch *l, pid_t child, const char **ret_step);
    /* Right after prepare, inside the domain's network namespace (e.g. bring up lo and
     * configure the guest ends of the veth pairs). The monitor returns to its own network
     * namespace afterwards. */
    int (*net_setup)(const struct vsh_launch *l, const char **ret_step);
    /* In the child, with @console_fd the pty slave, in a user namespace once the monitor
     * wrote its id maps: mounts, switching root, hostname. Runs while the monitor runs
     * attach and net_setup and creates the cgroup; then the child joins the cgroup and
     * the network namespace and takes the common last steps (rlimits, capabilities, the
     * user drop, exec). */
    int (*child_setup)(const struct vsh_launch *l, int console_fd, const char **ret_step);
    /* In the monitor after the domain stopped for good: remove host-side leftovers. */
    void (*teardown)(const struct vsh_launch *l);
    /* In the monitor before it starts a fresh init in place (a reboot), after teardown,
     * with the launch the new init gets: remove what the last init's devices still hold
     * on the host under the names @l's will take (interfaces plugged in by the library,
     * which the monitor did not make and teardown leaves to the kernel). */
    void (*reclaim)(const struct vsh_launch *l);
};

extern const struct vsh_monitor_hooks vsh_lxc_monitor_hooks;    /* drivers/lxc/ */
extern const struct vsh_monitor_hooks vsh_chroot_monitor_hooks; /* drivers/chroot/ */

/* Serialise @l to @fd (a pipe to the monitor). Returns 0, or -1 with errno set. */
int vsh_launch_write(int fd, const struct vsh_launch *l);
/* Read what vsh_launch_write wrote, until EOF. Returns 0, or -1 with errno set
 * (EINVAL: malformed). The strings and arrays are malloc'ed; vsh_launch_clear frees them. */
int vsh_launch_read(int fd, struct vsh_launch *ret);
void vsh_launch_clear(struct vsh_launch *l);

#endif /* VSH_DRIVERS_COMMON_LAUNCH_H */
