/*
 * cgroup.h — one control group per domain, on cgroup v1, hybrid and pure v2 hosts.
 *
 * Plain libc (no glib): vsh-monitor links it. Every function returns 0 (or a count) on
 * success and -1 with errno set on failure; the library turns errno into a GError.
 *
 * A domain's group is at PATH ("vsh/NAME", the partition being configurable) relative to
 * the root of each hierarchy:
 *   v1 (and hybrid): under each mounted v1 controller among cpu, cpuacct, memory, pids,
 *                    freezer, cpuset, and blkio when asked (co-mounted controllers share
 *                    one directory). The
 *                    cgroup2 mount of a hybrid host is not used: it has no controllers
 *                    that vsh needs.
 *   v2:              under the unified root, with +cpu +memory +pids (+cpuset) enabled in
 *                    cgroup.subtree_control of every ancestor, as far as the host offers
 *                    them.
 */
#ifndef VSH_CORE_CGROUP_H
#define VSH_CORE_CGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VSH_CGROUP_DEFAULT_ROOT "/sys/fs/cgroup"

enum vsh_cgroup_layout {
    VSH_CGROUP_LAYOUT_NONE = 0,     /* no cgroup filesystem under the root */
    VSH_CGROUP_LAYOUT_V1,           /* v1 controllers only */
    VSH_CGROUP_LAYOUT_HYBRID,       /* v1 controllers plus a cgroup2 mount beside them */
    VSH_CGROUP_LAYOUT_V2,           /* the unified hierarchy at the root */
};

enum vsh_cgroup_controller {
    VSH_CGROUP_CPU = 0,
    VSH_CGROUP_CPUACCT,
    VSH_CGROUP_MEMORY,
    VSH_CGROUP_PIDS,
    VSH_CGROUP_FREEZER,
    VSH_CGROUP_CPUSET,
    VSH_CGROUP_BLKIO,               /* v2: io; only for groups opened with_blkio */
    VSH_CGROUP_CONTROLLER_LAST
};

/* What vsh_cgroup_set_blkio_device() sets; the order of conf's vsh_blkio_field. */
enum vsh_cgroup_blkio_field {
    VSH_CGROUP_BLKIO_WEIGHT = 0,
    VSH_CGROUP_BLKIO_READ_IOPS,
    VSH_CGROUP_BLKIO_WRITE_IOPS,
    VSH_CGROUP_BLKIO_READ_BPS,
    VSH_CGROUP_BLKIO_WRITE_BPS,
    VSH_CGROUP_BLKIO_FIELD_LAST
};

struct vsh_cgroup {
    int layout;                                 /* enum vsh_cgroup_layout */
    char *unified;                              /* cgroup2 mount point, or NULL */
    char *v1[VSH_CGROUP_CONTROLLER_LAST];       /* v1 mount of each controller, or NULL */
    char *path;                                 /* the group, relative: "vsh/NAME" */
    int create_files;                           /* tests on plain directory trees: create
                                                 * the files written instead of expecting
                                                 * the kernel's */
    int with_blkio;                             /* the group is (to be) in the v1 blkio
                                                 * hierarchy too, or has io enabled on v2.
                                                 * Set by the caller: a domain with I/O
                                                 * settings; others spare its cost */
};

/*
 * Finds the hierarchies mounted under @root (NULL: $VSH_CGROUP_ROOT, else
 * /sys/fs/cgroup) by reading @mountinfo (NULL: /proc/self/mountinfo) and sets up @cg for
 * the group @path. @cg is overwritten; release it with vsh_cgroup_clear(). ENOENT when no
 * cgroup filesystem is mounted there, EINVAL for a path that is empty, absolute or has
 * "." / ".." components.
 */
int vsh_cgroup_open(struct vsh_cgroup *cg, const char *root, const char *mountinfo,
                    const char *path);
void vsh_cgroup_clear(struct vsh_cgroup *cg);

/* "v1", "hybrid", "v2", "none" */
const char *vsh_cgroup_layout_to_string(int layout);

/* 1 when the host has @ctrl for domain groups (v1 mount, or listed in the v2 root's
 * cgroup.controllers; freezer is always there on v2), else 0. */
int vsh_cgroup_has_controller(const struct vsh_cgroup *cg, int ctrl);

/* Creates the group (and missing ancestors) in every hierarchy; an existing group is
 * reused. v1 cpuset groups get cpuset.cpus/mems copied from their parent; v2 ancestors get
 * the controllers enabled. */
int vsh_cgroup_create(const struct vsh_cgroup *cg);
/* Moves @pid (a whole process) into the group in every hierarchy. */
int vsh_cgroup_attach(const struct vsh_cgroup *cg, pid_t pid);
/* Moves the calling thread into the group in every hierarchy. The caller must be the only
 * thread of its process (a child just forked or cloned), which then moves as a whole.
 * Cheaper than vsh_cgroup_attach on v1 (see cgroup.c). */
int vsh_cgroup_attach_self(const struct vsh_cgroup *cg);
/* Opens, into @fds (room for @max), the file of each hierarchy through which a task joins
 * the group (v1 `tasks`, v2 `cgroup.procs`), for a process that will no longer see the
 * cgroup tree when it joins (a container's init after pivot_root; see vsh-monitor).
 * Returns how many, or -1 with errno set (E2BIG: more than @max) and none left open. */
int vsh_cgroup_open_join_fds(const struct vsh_cgroup *cg, int *fds, size_t max);
/* Writes "0" into each of @fds (from vsh_cgroup_open_join_fds): the calling thread, which
 * must be its process's only one, joins the group as with vsh_cgroup_attach_self.
 * Allocates nothing. */
int vsh_cgroup_join_fds(const int *fds, size_t n);
/* Removes the group in every hierarchy (blkio's too, whatever with_blkio says), retrying
 * briefly while exiting tasks leave it; a group that does not exist counts as removed.
 * Ancestors are kept. */
int vsh_cgroup_remove(const struct vsh_cgroup *cg);
/* 1 when the group's directory exists for @ctrl (v1: in its hierarchy; v2: the group),
 * else 0: whether a domain has a blkio group that a live change made. */
int vsh_cgroup_group_exists(const struct vsh_cgroup *cg, int ctrl);
/* v1: moves every process of the group into its group of @ctrl's hierarchy (created
 * already), again until a pass finds none left behind, so that a child forked meanwhile
 * follows. Nothing to do on v2. */
int vsh_cgroup_adopt(const struct vsh_cgroup *cg, int ctrl);

/* Limits. Sizes in bytes; 0 means "no limit" ("max" / -1 written). */
int vsh_cgroup_set_memory_hard(const struct vsh_cgroup *cg, unsigned long long bytes);
/* v1 memory.soft_limit_in_bytes; v2 memory.high, the throttling limit, which is what
 * libvirt maps the soft limit to as well. */
int vsh_cgroup_set_memory_soft(const struct vsh_cgroup *cg, unsigned long long bytes);
/* @swap_bytes is memory + swap (libvirt's swap_hard_limit); @hard_bytes the memory limit
 * it goes with. v1: memory.memsw.limit_in_bytes (ENOTSUP without swap accounting);
 * v2: memory.swap.max = swap - hard (EINVAL when swap < hard). */
int vsh_cgroup_set_memory_swap(const struct vsh_cgroup *cg, unsigned long long hard_bytes,
                               unsigned long long swap_bytes);
/* v1 cpu.shares; v2 cpu.weight = clamp(shares * 100 / 1024, 1, 10000) (systemd's rule). */
int vsh_cgroup_set_cpu_shares(const struct vsh_cgroup *cg, unsigned long long shares);
/* @period_us 0 keeps the current period; @quota_us -1 = unlimited. v1 cfs_period_us and
 * cfs_quota_us; v2 cpu.max "QUOTA|max PERIOD". */
int vsh_cgroup_set_cpu_bandwidth(const struct vsh_cgroup *cg, unsigned long long period_us,
                                 long long quota_us);
int vsh_cgroup_set_cpuset(const struct vsh_cgroup *cg, const char *cpus);
int vsh_cgroup_set_pids_max(const struct vsh_cgroup *cg, unsigned long long max);

/* I/O (the blkio controller, v2 io). ENOTSUP when the host has no such file: weights
 * need a scheduler that has them (BFQ, v1's CFQ).
 * The group's weight, 100..1000: v1 blkio.bfq.weight or blkio.weight, v2 io.bfq.weight or
 * io.weight ("default N"). */
int vsh_cgroup_set_blkio_weight(const struct vsh_cgroup *cg, unsigned int weight);
/* One setting of block device @major:@minor; 0 removes it. Weights as above, per device;
 * limits: v1 blkio.throttle.{read,write}_{iops,bps}_device, v2 io.max (riops= ... "max"). */
int vsh_cgroup_set_blkio_device(const struct vsh_cgroup *cg, unsigned int major,
                                unsigned int minor, int field, unsigned long long value);

/* v2 weight for v1 shares (exposed for tests). */
unsigned long long vsh_cgroup_shares_to_weight(unsigned long long shares);

/* Usage: cpu time in ns (cpuacct.usage / cpu.stat usage_usec), memory in use in bytes
 * (memory.usage_in_bytes / memory.current), and one key of memory.stat. */
int vsh_cgroup_get_cpu_time(const struct vsh_cgroup *cg, unsigned long long *ret_ns);
/* The user and system parts of it in ns: cpu.stat user_usec and system_usec (v2),
 * cpuacct.stat user and system, in USER_HZ ticks (v1). */
int vsh_cgroup_get_cpu_times(const struct vsh_cgroup *cg, unsigned long long *ret_user_ns,
                             unsigned long long *ret_system_ns);
/* The cpu time of each possible CPU in ns (v1 cpuacct.usage_percpu), malloc'ed in
 * *ret_ns. Returns the count, or -1: ENOTSUP on v2, whose cpu.stat counts the group as a
 * whole only. */
int vsh_cgroup_get_cpu_time_percpu(const struct vsh_cgroup *cg, unsigned long long **ret_ns);
int vsh_cgroup_get_memory_usage(const struct vsh_cgroup *cg, unsigned long long *ret_bytes);
int vsh_cgroup_get_memory_stat(const struct vsh_cgroup *cg, const char *key,
                               unsigned long long *ret_value);
/* The memory limits in force, in bytes, 0 for none: the memory limit, the soft limit and
 * memory + swap, read from the files the setters above write (memsw is 0 on a v1 host
 * without swap accounting). */
int vsh_cgroup_get_memory_limits(const struct vsh_cgroup *cg, unsigned long long *ret_hard,
                                 unsigned long long *ret_soft, unsigned long long *ret_swap);

/* Freezes the group and waits until the kernel reports it frozen (v1 freezer.state
 * FROZEN, v2 cgroup.events "frozen 1"); ETIMEDOUT after @timeout_ms. Thaw does not wait. */
int vsh_cgroup_freeze(const struct vsh_cgroup *cg, int timeout_ms);
int vsh_cgroup_thaw(const struct vsh_cgroup *cg);
/* 1 frozen, 0 not, -1 error */
int vsh_cgroup_is_frozen(const struct vsh_cgroup *cg);

/* The pids of the group's processes (cgroup.procs), malloc'ed in *ret_pids. Returns the
 * count. A group that does not exist has none. */
int vsh_cgroup_get_pids(const struct vsh_cgroup *cg, pid_t **ret_pids);
/* Sends @sig to every process of the group once. Returns the number signalled. */
int vsh_cgroup_signal_all(const struct vsh_cgroup *cg, int sig);
/* Kills every process of the group, including those forked while it runs: v2 cgroup.kill
 * when the kernel has it, else freeze, SIGKILL each pid, thaw, repeated until the group is
 * empty. ETIMEDOUT when processes remain after @timeout_ms. */
int vsh_cgroup_kill_all(const struct vsh_cgroup *cg, int timeout_ms);

#endif /* VSH_CORE_CGROUP_H */
