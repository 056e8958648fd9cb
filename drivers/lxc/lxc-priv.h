/*
 * lxc-priv.h — what the files of the lxc driver share with each other.
 *
 * Two halves with different rules:
 *  - lxc-net.c and lxc-child.c are plain libc. They are linked into vsh-monitor
 *    (drivers/libvshsup.la) and run in the monitor or in the container's init before it
 *    execs, where no glib may be used. Failures are "-1 with errno set" plus a step name.
 *  - lxc-driver.c and lxc-exec.c are the library side (glib, GError).
 * Nothing outside drivers/lxc/ includes this header: the rest of the tree sees only
 * vsh_lxc_driver and vsh_lxc_monitor_hooks.
 */
#ifndef VSH_DRIVERS_LXC_PRIV_H
#define VSH_DRIVERS_LXC_PRIV_H

#include <limits.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "drivers/common/launch.h"

/* The most <filesystem> elements besides "/" a container may have: init keeps one
 * descriptor per bind mount across pivot_root, in a fixed array (it must not allocate). */
#define LXC_MAX_MOUNTS 64

/* ------------------------------------------------------------------ lxc-net.c (libc) */

/*
 * The host-side name of interface @idx of a domain whose uuid string is @uuid when its
 * definition gives no <target dev>: "vsh" + the first 8 hex digits of the uuid + "-" +
 * @idx, at most 15 characters, so that it is stable across restarts and the library can
 * find and remove it after a crash. Writes it to @buf (IFNAMSIZ bytes). Returns 0, or -1
 * with errno ERANGE when @idx is too large to fit.
 */
int lxc_net_host_dev_name(const char *uuid, size_t idx, char buf[IFNAMSIZ]);

/*
 * In the host's network namespace: creates one veth pair per l->nets[i], the host end
 * host_dev, the peer in the network namespace @netns_fd under a temporary name derived
 * from the monitor's pid; attaches the host end of a bridge interface to its bridge and
 * brings it up. On failure removes the pairs it made and returns -1 with errno set and
 * *ret_step naming what failed.
 */
int lxc_net_prepare(const struct vsh_launch *l, int netns_fd, const char **ret_step);

/* In a network namespace of the caller's own (host-validate's throw-away one): creates a
 * veth pair, which the namespace takes with it. 0, or -1 with errno set. */
int lxc_net_probe_veth(void);

/* Inside the container's network namespace (the monitor, entered): brings lo up. */
int lxc_net_setup_lo(const char **ret_step);

/*
 * Inside the container's network namespace, with the peers lxc_net_prepare() made there: for
 * every interface renames the peer end to its guest_dev, sets its MAC, brings it up and
 * adds its addresses and routes (in that order, so that a route through a gateway finds
 * its subnet).
 */
int lxc_net_setup_guest(const struct vsh_launch *l, const char **ret_step);

/* In the monitor: deletes the host ends that lxc_net_prepare() created and that are still
 * present (deleting one end removes the pair); never an interface it did not create. */
void lxc_net_teardown(const struct vsh_launch *l);

/* In the monitor, before a reboot's lxc_net_prepare(): deletes the host end of every
 * interface of @l still present, the last init's, plugged in by the library while it ran
 * (its network namespace would take them along only in the kernel's own time). */
void lxc_net_reclaim(const struct vsh_launch *l);

/* The 64-bit counters of the link named @name in the network namespace of process
 * @netns_pid (0: the caller's), as the link itself counts them (rx is what it received).
 * Returns 0, or -1 with errno set (ENODEV: no such link). */
int lxc_net_link_stats(pid_t netns_pid, const char *name, struct rtnl_link_stats64 *ret_stats);

/* Deletes the link named @name if present. Returns 0 (also when it was absent), or -1 with
 * errno set. */
int lxc_net_link_delete(const char *name);
/* The same in the network namespace of process @netns_pid (0: the caller's), or in the
 * one @ns_fd refers to. */
int lxc_net_link_delete_in(pid_t netns_pid, const char *name);
int lxc_net_link_delete_ns(int ns_fd, const char *name);

/*
 * Adds interface @net to the running container whose init is @init_pid: the pair made in
 * the network namespace of @host_pid (the container's monitor, where its other host ends
 * are) and wired as at start, the peer moved into the container and set up there as
 * lxc_net_setup_guest() does, named @net->guest_dev or, when NULL, the first free ethN.
 * Writes the guest end's name to @ret_guest. Returns 0, or -1 with errno set and @ret_step
 * naming what failed; nothing is left then. The caller never changes namespace.
 */
int lxc_net_hotplug(pid_t host_pid, pid_t init_pid, const struct vsh_launch_net *net,
                    char ret_guest[IFNAMSIZ], char ret_step[96]);

/* Whether processes @a and @b are in one network namespace. */
bool lxc_net_same_netns(pid_t a, pid_t b);

/* ------------------------------------------------------------------ lxc-child.c (libc) */

/* The child_setup hook: see vsh_monitor_hooks in launch.h. */
int lxc_child_setup(const struct vsh_launch *l, int console_fd, const char **ret_step);

/* ------------------------------------------------------------------ lxc-driver.c (glib) */

/* Declared with incomplete types so that the plain-libc files can include this header. */
struct vsh_supervise_ops;
struct vsh_domain_obj;
struct _GError;

/* The container kind as the supervise API sees it (namespaces, default capabilities and
 * the network, idmap and hostname parts of the launch). Exposed for the unit tests. */
extern const struct vsh_supervise_ops lxc_ops;

/* ------------------------------------------------------------------ lxc-exec.c (glib) */

/*
 * Runs @argv inside the running container @obj (driver.h's exec contract): its cgroup,
 * every namespace of its init (the user namespace first), init's root and working
 * directory, the container's capability bounding set, the caller's stdio. Stores the exit
 * status (0-255, or 128+signal) in *ret_status. Returns 0, or -1 with @error set.
 */
int lxc_domain_exec(const struct vsh_supervise_ops *ops, struct vsh_domain_obj *obj,
                    const char *const *argv, int *ret_status, struct _GError **error);

#endif /* VSH_DRIVERS_LXC_PRIV_H */
