/*
 * vsh.h — the public API of libvsh.
 *
 * libvsh manages domains (chroot jails, Linux containers and stub virtual machines)
 * described in libvirt's domain XML format. Every front end (vsh, vsh-install, vshd) and
 * every program linking libvsh uses this header and nothing else.
 *
 * Conventions:
 *  - Handles (vsh_conn, vsh_domain) are opaque and reference counted: _ref/_unref.
 *  - Every fallible function returns a status (-1 on failure, 0 or a count on success) or a
 *    pointer (NULL on failure) and fills GError **error, which is always the last argument.
 *    Errors are in the VSH_ERROR domain with a vsh_error_code; vsh_error_line() and
 *    vsh_error_errno() give the XML line and the errno they carry, if any.
 *  - Strings returned as "char *" belong to the caller (g_free); "const char *" are borrowed
 *    from the handle and live as long as it does.
 *  - The library never prints.
 */
#ifndef VSH_H
#define VSH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <glib.h>

G_BEGIN_DECLS

#ifndef VSH_EXPORT
#define VSH_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

typedef enum {
    VSH_ERROR_INTERNAL = 0,      /* a bug in vsh */
    VSH_ERROR_NO_DOMAIN,         /* no domain with that name, uuid or id */
    VSH_ERROR_INVALID_XML,       /* malformed, schema-invalid or semantically invalid XML */
    VSH_ERROR_INVALID_ARG,       /* a bad name, URI, value or flag */
    VSH_ERROR_OPERATION_INVALID, /* not possible in the domain's current state */
    VSH_ERROR_DOMAIN_EXISTS,     /* name or uuid already used by another domain */
    VSH_ERROR_BUSY,              /* another process holds the domain's lock */
    VSH_ERROR_SYSTEM,            /* a system call failed; vsh_error_errno() has errno */
    VSH_ERROR_UNSUPPORTED,       /* the driver cannot do this */
    VSH_ERROR_NO_CONNECT,        /* bad URI, or its driver is not available here */
    VSH_ERROR_OPERATION_FAILED,  /* the driver tried and failed (e.g. init could not run) */
    VSH_ERROR_READ_ONLY,         /* a mutating call on a read-only connection */
    VSH_ERROR_TIMEOUT,           /* the operation did not finish in time */
    VSH_ERROR_LAST
} vsh_error_code;

VSH_EXPORT GQuark vsh_error_quark(void);
#define VSH_ERROR (vsh_error_quark())

/* The line (1-based) in the XML document an error is about, or 0. */
VSH_EXPORT int vsh_error_line(const GError *err);
/* The errno of the system call that failed, or 0. */
VSH_EXPORT int vsh_error_errno(const GError *err);

/* ------------------------------------------------------------------------------------------ */
/* Version                                                                                    */

/* "0.1.0" */
VSH_EXPORT const char *vsh_version_string(void);
/* major * 1000000 + minor * 1000 + micro, as libvirt's virGetVersion */
VSH_EXPORT unsigned long vsh_version_number(void);

/* ------------------------------------------------------------------------------------------ */
/* Connections                                                                                */

typedef struct vsh_conn vsh_conn;

typedef enum {
    VSH_CONN_READ_ONLY = 1 << 0, /* every mutating call fails with VSH_ERROR_READ_ONLY */
} vsh_conn_flags;

/*
 * Opens a connection. @uri is one of (DESIGN.md):
 *   vsh:///system  lxc:///system  chroot:///system  qemu:///system   (and "X:///" aliases)
 *   vsh:///embed?root=DIR  lxc:///embed?root=DIR ...                  (a store under DIR)
 * NULL means $VSH_DEFAULT_URI, or vsh:///system. The store directories are created when
 * missing (except on a read-only connection).
 * Returns a new connection (vsh_conn_unref), or NULL with @error set (VSH_ERROR_NO_CONNECT
 * for a URI that names no known scheme/path or a driver not built or not usable here).
 */
VSH_EXPORT vsh_conn *vsh_conn_open(const char *uri, unsigned int flags, GError **error);
VSH_EXPORT vsh_conn *vsh_conn_ref(vsh_conn *conn);
VSH_EXPORT void vsh_conn_unref(vsh_conn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_conn, vsh_conn_unref)

/* The canonical URI: "vsh:///system", "lxc:///embed?root=/tmp/x" ("lxc:///" -> lxc:///system) */
VSH_EXPORT const char *vsh_conn_get_uri(vsh_conn *conn);
VSH_EXPORT bool vsh_conn_is_read_only(vsh_conn *conn);
/* The store root for embed URIs, "/" for system URIs. */
VSH_EXPORT const char *vsh_conn_get_root(vsh_conn *conn);
/* Where root filesystems of domains created by templates live: ROOT/rootfs or
 * /var/lib/vsh/rootfs. */
VSH_EXPORT const char *vsh_conn_get_rootfs_dir(vsh_conn *conn);

/* The domain types this connection serves, in registry order ("lxc", "chroot", "qemu").
 * Returns a NULL-terminated array borrowed from the connection. */
VSH_EXPORT const char *const *vsh_conn_get_types(vsh_conn *conn);

/* Host name of the machine. */
VSH_EXPORT char *vsh_conn_get_hostname(vsh_conn *conn, GError **error);

typedef struct {
    char model[32];             /* "x86_64" */
    guint64 memory_kib;         /* total memory */
    unsigned int cpus;          /* online CPUs */
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;       /* per node */
    unsigned int cores;         /* per socket */
    unsigned int threads;       /* per core */
} vsh_node_info;

VSH_EXPORT int vsh_conn_get_node_info(vsh_conn *conn, vsh_node_info *ret_info, GError **error);

/* The capabilities XML: host facts plus one <guest> per usable driver (libvirt's layout). */
VSH_EXPORT char *vsh_conn_get_capabilities(vsh_conn *conn, GError **error);

/* ------------------------------------------------------------------------------------------ */
/* Domains                                                                                    */

typedef struct vsh_domain vsh_domain;

#define VSH_UUID_BUFLEN 16
#define VSH_UUID_STRING_BUFLEN 37

/* Domain states and their reasons: libvirt's numbering, so scripts and tools carry over. */
typedef enum {
    VSH_DOMAIN_NOSTATE = 0,
    VSH_DOMAIN_RUNNING = 1,
    VSH_DOMAIN_BLOCKED = 2,
    VSH_DOMAIN_PAUSED = 3,
    VSH_DOMAIN_SHUTDOWN = 4,    /* being shut down */
    VSH_DOMAIN_SHUTOFF = 5,
    VSH_DOMAIN_CRASHED = 6,
    VSH_DOMAIN_PMSUSPENDED = 7,
    VSH_DOMAIN_STATE_LAST
} vsh_domain_state;

typedef enum {
    VSH_DOMAIN_RUNNING_UNKNOWN = 0,
    VSH_DOMAIN_RUNNING_BOOTED = 1,
    VSH_DOMAIN_RUNNING_UNPAUSED = 5,
    VSH_DOMAIN_RUNNING_REASON_LAST = 12
} vsh_domain_running_reason;

typedef enum {
    VSH_DOMAIN_PAUSED_UNKNOWN = 0,
    VSH_DOMAIN_PAUSED_USER = 1,
    VSH_DOMAIN_PAUSED_STARTING_UP = 11,
    VSH_DOMAIN_PAUSED_REASON_LAST = 15
} vsh_domain_paused_reason;

typedef enum {
    VSH_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VSH_DOMAIN_SHUTDOWN_USER = 1,
    VSH_DOMAIN_SHUTDOWN_REASON_LAST = 2
} vsh_domain_shutdown_reason;

typedef enum {
    VSH_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VSH_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VSH_DOMAIN_SHUTOFF_DESTROYED = 2,
    VSH_DOMAIN_SHUTOFF_CRASHED = 3,
    VSH_DOMAIN_SHUTOFF_FAILED = 6,
    VSH_DOMAIN_SHUTOFF_REASON_LAST = 9
} vsh_domain_shutoff_reason;

/* "running", "paused", "shut off", "no state", "idle", "in shutdown", "crashed",
 * "pmsuspended": the words virsh prints. */
VSH_EXPORT const char *vsh_domain_state_to_string(int state);
/* "booted", "user", "destroyed", "crashed", "shutdown", "unknown" ...; "unknown" for
 * a reason it does not know. */
VSH_EXPORT const char *vsh_domain_state_reason_to_string(int state, int reason);

typedef enum {
    VSH_LIST_ACTIVE = 1 << 0,
    VSH_LIST_INACTIVE = 1 << 1,
    VSH_LIST_PERSISTENT = 1 << 2,
    VSH_LIST_TRANSIENT = 1 << 3,
    VSH_LIST_AUTOSTART = 1 << 4,
    VSH_LIST_NO_AUTOSTART = 1 << 5,
    VSH_LIST_RUNNING = 1 << 6,
    VSH_LIST_PAUSED = 1 << 7,
    VSH_LIST_SHUTOFF = 1 << 8,
    VSH_LIST_OTHER = 1 << 9,    /* any state but running, paused and shut off */
} vsh_list_flags;

/*
 * Lists the domains of the connection, filtered as libvirt's virConnectListAllDomains does:
 * within each pair (ACTIVE/INACTIVE, PERSISTENT/TRANSIENT, AUTOSTART/NO_AUTOSTART) no flag
 * set means both; among the states (RUNNING, PAUSED, SHUTOFF, OTHER) no flag set means
 * every state, and otherwise a domain must be in one of those set. @type (NULL = every
 * type the connection serves) narrows to one driver. On success *ret_domains is a new GPtrArray of vsh_domain * (its free function unrefs
 * them), sorted by name, and the count is returned.
 */
VSH_EXPORT int vsh_conn_list_domains(vsh_conn *conn, const char *type, unsigned int flags,
                                     GPtrArray **ret_domains, GError **error);

/* Lookups: a new handle (vsh_domain_unref) or NULL with VSH_ERROR_NO_DOMAIN. */
VSH_EXPORT vsh_domain *vsh_domain_lookup_by_name(vsh_conn *conn, const char *name,
                                                 GError **error);
VSH_EXPORT vsh_domain *vsh_domain_lookup_by_uuid_string(vsh_conn *conn, const char *uuid,
                                                        GError **error);
VSH_EXPORT vsh_domain *vsh_domain_lookup_by_id(vsh_conn *conn, int id, GError **error);

/*
 * Defines (or redefines, same name and uuid) a persistent domain from XML. @filename names
 * the document in error messages ("web.xml:4: ..."); NULL means "<string>". Nothing is
 * written when the XML is invalid. A running domain's new definition takes effect at its
 * next start.
 */
VSH_EXPORT vsh_domain *vsh_domain_define_xml(vsh_conn *conn, const char *xml,
                                             const char *filename, GError **error);

typedef enum {
    VSH_DOMAIN_START_PAUSED = 1 << 0,
    /* Destroyed when the process that started it exits, however it exits (libvirt's
     * VIR_DOMAIN_START_AUTODESTROY, whose connection is the process here). The domain's
     * driver must supervise it (VSH_ERROR_UNSUPPORTED otherwise). */
    VSH_DOMAIN_START_AUTODESTROY = 1 << 1,
} vsh_domain_start_flags;

/* Creates and starts a transient domain (no definition is kept once it stops). */
VSH_EXPORT vsh_domain *vsh_domain_create_xml(vsh_conn *conn, const char *xml,
                                             const char *filename, unsigned int flags,
                                             GError **error);

VSH_EXPORT vsh_domain *vsh_domain_ref(vsh_domain *dom);
VSH_EXPORT void vsh_domain_unref(vsh_domain *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_domain, vsh_domain_unref)

VSH_EXPORT const char *vsh_domain_get_name(vsh_domain *dom);
/* "lxc", "chroot" or "qemu" */
VSH_EXPORT const char *vsh_domain_get_type(vsh_domain *dom);
VSH_EXPORT void vsh_domain_get_uuid(vsh_domain *dom, unsigned char ret_uuid[VSH_UUID_BUFLEN]);
VSH_EXPORT void vsh_domain_get_uuid_string(vsh_domain *dom,
                                           char ret_buf[VSH_UUID_STRING_BUFLEN]);
/* The id of a running domain (its init's host PID for jails and containers), or -1, as of
 * the last time this handle looked at the domain: its lookup or listing, and every later
 * call through it that reads or changes the domain (libvirt's handles keep the id the
 * same way). A list sorted by id thus costs no store reads. */
VSH_EXPORT int vsh_domain_get_id(vsh_domain *dom);
/* The <title>, or NULL when there is none. */
VSH_EXPORT char *vsh_domain_get_title(vsh_domain *dom, GError **error);

/* The state and reason now (read from the store). */
VSH_EXPORT int vsh_domain_get_state(vsh_domain *dom, int *ret_state, int *ret_reason,
                                    GError **error);
/* The state and reason as of the same last look as vsh_domain_get_id(), without reading
 * the store: what a listing prints, one read per domain instead of two. */
VSH_EXPORT void vsh_domain_get_last_state(vsh_domain *dom, int *ret_state, int *ret_reason);
/* 1 yes, 0 no, -1 error */
VSH_EXPORT int vsh_domain_is_active(vsh_domain *dom, GError **error);
VSH_EXPORT int vsh_domain_is_persistent(vsh_domain *dom, GError **error);

typedef struct {
    int state;                  /* vsh_domain_state */
    int reason;
    guint64 max_memory_kib;
    guint64 memory_kib;         /* current allocation (or usage where the driver knows it) */
    unsigned int nr_vcpus;
    guint64 cpu_time_ns;
} vsh_domain_info;

VSH_EXPORT int vsh_domain_get_info(vsh_domain *dom, vsh_domain_info *ret_info, GError **error);

/* A running domain's cpu time as virsh cpu-stats shows it (libvirt's
 * virDomainGetCPUStats), in ns: the whole, and its user and system parts (-1 when the
 * driver cannot tell them apart). */
typedef struct {
    guint64 cpu_time_ns;
    gint64 user_time_ns;
    gint64 system_time_ns;
} vsh_domain_cpu_total;

/*
 * The cpu time of the running @dom: *ret_total, and, when @ret_percpu is not NULL, a new
 * GArray of guint64 there: the ns it spent on each of the host's possible CPUs, in CPU
 * order, empty when it cannot be split (a cgroup v2 host counts a group as a whole only;
 * a modelled VM). VSH_ERROR_OPERATION_INVALID when the domain is not running.
 */
VSH_EXPORT int vsh_domain_get_cpu_stats(vsh_domain *dom, vsh_domain_cpu_total *ret_total,
                                        GArray **ret_percpu, GError **error);

/* Lifecycle. Transitions are checked in the core; a wrong state gives
 * VSH_ERROR_OPERATION_INVALID ("domain is not running", "domain is already running" ...). */
VSH_EXPORT int vsh_domain_start(vsh_domain *dom, unsigned int flags, GError **error);
VSH_EXPORT int vsh_domain_shutdown(vsh_domain *dom, GError **error);

/* How a shutdown reaches the domain (libvirt's virDomainShutdownFlagValues). */
typedef enum {
    VSH_DOMAIN_SHUTDOWN_DEFAULT = 0,        /* each way the driver has, in its order */
    VSH_DOMAIN_SHUTDOWN_ACPI = 1 << 0,      /* a VM's power button */
    VSH_DOMAIN_SHUTDOWN_AGENT = 1 << 1,     /* a VM's guest agent */
    VSH_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,   /* runlevel 0 through a container's /dev/initctl */
    VSH_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,    /* signals to init (to every process of a jail) */
    VSH_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,  /* a paravirtualised VM's own channel */
} vsh_domain_shutdown_mode;

/*
 * vsh_domain_shutdown() by the ways in @flags, as libvirt's virDomainShutdownFlags: with
 * several, the driver tries them in its order (a container: initctl, then signals) until
 * one reaches the domain. A way the domain's driver does not have is
 * VSH_ERROR_UNSUPPORTED; a container without an initctl pipe, when INITCTL is the only
 * way asked, VSH_ERROR_OPERATION_FAILED. vsh_domain_shutdown() is @flags 0.
 */
VSH_EXPORT int vsh_domain_shutdown_flags(vsh_domain *dom, unsigned int flags, GError **error);
/* "acpi", "agent", "initctl", "signal", "paravirt": the words virsh's --mode takes. */
VSH_EXPORT const char *vsh_domain_shutdown_mode_to_string(unsigned int flag);
VSH_EXPORT int vsh_domain_destroy(vsh_domain *dom, GError **error);
VSH_EXPORT int vsh_domain_reboot(vsh_domain *dom, GError **error);
/*
 * A reboot (libvirt's virDomainReboot, its flags the vsh_domain_shutdown_mode ways).
 * @flags 0 restarts the domain's init at once, as vsh_domain_reboot(). With ways, the
 * domain is asked to reboot itself and the call returns once asked, as libvirt's LXC
 * driver asks a container: runlevel 6 through its /dev/initctl (INITCTL), else SIGINT to
 * its init (SIGNAL), which LXC sends for a reboot and which busybox, sysvinit and systemd
 * take for ctrl-alt-del. Errors as vsh_domain_shutdown_flags().
 */
VSH_EXPORT int vsh_domain_reboot_flags(vsh_domain *dom, unsigned int flags, GError **error);
VSH_EXPORT int vsh_domain_suspend(vsh_domain *dom, GError **error);
VSH_EXPORT int vsh_domain_resume(vsh_domain *dom, GError **error);
/* Removes the persistent definition. A running domain becomes transient (libvirt). */
VSH_EXPORT int vsh_domain_undefine(vsh_domain *dom, GError **error);

typedef enum {
    VSH_DOMAIN_XML_INACTIVE = 1 << 0, /* the persistent definition even when running */
} vsh_domain_xml_flags;

VSH_EXPORT char *vsh_domain_get_xml(vsh_domain *dom, unsigned int flags, GError **error);

typedef enum {
    VSH_XML_XPATH_WRAP = 1 << 0,    /* every node as a child of one <nodes> element */
} vsh_xml_xpath_flags;

/*
 * What the XPath expression @xpath selects in the XML document @xml (a definition from
 * vsh_domain_get_xml(), the capabilities ...), as virsh's --xpath prints it: each node
 * serialised on a line of its own (an attribute as ` name="value"`), or with
 * VSH_XML_XPATH_WRAP all of them inside one <nodes> element; "" when nothing matches.
 * Returns a new string, or NULL with VSH_ERROR_INVALID_XML (@xml does not parse) or
 * VSH_ERROR_INVALID_ARG (@xpath does not parse, or yields a value instead of nodes).
 */
VSH_EXPORT char *vsh_xml_xpath(const char *xml, const char *xpath, unsigned int flags,
                               GError **error);

VSH_EXPORT int vsh_domain_get_autostart(vsh_domain *dom, bool *ret_autostart, GError **error);
VSH_EXPORT int vsh_domain_set_autostart(vsh_domain *dom, bool autostart, GError **error);

/* Where a change applies (libvirt's virDomainModificationImpact). CURRENT is LIVE for a
 * running domain and CONFIG for an inactive one. */
typedef enum {
    VSH_DOMAIN_AFFECT_CURRENT = 0,
    VSH_DOMAIN_AFFECT_LIVE = 1 << 0,
    VSH_DOMAIN_AFFECT_CONFIG = 1 << 1,
} vsh_domain_modification_impact;

VSH_EXPORT int vsh_domain_set_memory(vsh_domain *dom, guint64 kib, unsigned int flags,
                                     GError **error);
VSH_EXPORT int vsh_domain_set_max_memory(vsh_domain *dom, guint64 kib, unsigned int flags,
                                         GError **error);
VSH_EXPORT int vsh_domain_set_vcpus(vsh_domain *dom, unsigned int nvcpus, unsigned int flags,
                                    GError **error);

/* A domain's free text (libvirt's virDomainMetadataType). */
typedef enum {
    VSH_DOMAIN_METADATA_DESCRIPTION = 0,    /* <description> */
    VSH_DOMAIN_METADATA_TITLE = 1,          /* <title>: one line */
} vsh_domain_metadata_type;

/*
 * The <description> or <title> (@type) of the definition @flags names: LIVE or CONFIG,
 * one of them; CURRENT is the live definition of an active domain, else the persistent
 * one. Returns a new string, or NULL: with @error set on failure, left unset when the
 * domain has none.
 */
VSH_EXPORT char *vsh_domain_get_metadata(vsh_domain *dom, int type, unsigned int flags,
                                         GError **error);
/* Sets it to @text, or removes it when @text is NULL or empty, in the definitions @flags
 * names (as vsh_domain_set_memory: nothing changes unless both can). A title with a line
 * break is VSH_ERROR_INVALID_ARG. */
VSH_EXPORT int vsh_domain_set_metadata(vsh_domain *dom, int type, const char *text,
                                       unsigned int flags, GError **error);

/*
 * Adds the device @xml describes (one <interface>, <filesystem> or <disk> element, as in a
 * domain's <devices>; libvirt's virDomainAttachDeviceFlags) to the definitions @flags
 * names, as vsh_domain_set_memory: checked in both before either changes. @filename names
 * @xml in errors (NULL: "<string>"). A running domain gets the device live where its
 * driver can: a container a new interface, hot-plugged into its network namespace. Fails
 * with VSH_ERROR_INVALID_XML for a bad element (with its line) or a definition it would
 * make invalid, VSH_ERROR_UNSUPPORTED when the driver cannot add it live.
 */
VSH_EXPORT int vsh_domain_attach_device(vsh_domain *dom, const char *xml, const char *filename,
                                        unsigned int flags, GError **error);
/*
 * Removes the device @xml describes from the definitions @flags names (libvirt's
 * virDomainDetachDeviceFlags), and from the running domain where it applies live. An
 * interface is found by what @xml gives of its type, MAC address, bridge and target
 * device; a filesystem by its target directory; a disk by its target device.
 * VSH_ERROR_INVALID_ARG when nothing, or more than one interface, matches.
 */
VSH_EXPORT int vsh_domain_detach_device(vsh_domain *dom, const char *xml, const char *filename,
                                        unsigned int flags, GError **error);

/* cpu scheduler parameters (virsh schedinfo). A has_ field false means "absent/unchanged". */
typedef struct {
    bool has_cpu_shares;
    guint64 cpu_shares;
    bool has_vcpu_period;
    guint64 vcpu_period;        /* microseconds */
    bool has_vcpu_quota;
    gint64 vcpu_quota;          /* microseconds, -1 = unlimited */
} vsh_sched_params;

/* Fills every field with the effective value (defaults included: shares 1024, period
 * 100000, quota -1). */
VSH_EXPORT int vsh_domain_get_sched_params(vsh_domain *dom, unsigned int flags,
                                           vsh_sched_params *ret_params, GError **error);
VSH_EXPORT int vsh_domain_set_sched_params(vsh_domain *dom, const vsh_sched_params *params,
                                           unsigned int flags, GError **error);

#define VSH_MEMORY_UNLIMITED G_GUINT64_CONSTANT(9007199254740991) /* libvirt's value */

/* memory tuning (virsh memtune), KiB; VSH_MEMORY_UNLIMITED when not limited. */
typedef struct {
    bool has_hard_limit;
    guint64 hard_limit;
    bool has_soft_limit;
    guint64 soft_limit;
    bool has_swap_hard_limit;
    guint64 swap_hard_limit;
} vsh_memtune_params;

VSH_EXPORT int vsh_domain_get_memtune(vsh_domain *dom, unsigned int flags,
                                      vsh_memtune_params *ret_params, GError **error);
VSH_EXPORT int vsh_domain_set_memtune(vsh_domain *dom, const vsh_memtune_params *params,
                                      unsigned int flags, GError **error);

/* I/O tuning (virsh blkiotune, <blkiotune>): the domain's weight and, per block device, a
 * weight and limits, in libvirt's order. */
typedef enum {
    VSH_BLKIO_DEVICE_WEIGHT = 0,            /* 100..1000 */
    VSH_BLKIO_DEVICE_READ_IOPS_SEC,
    VSH_BLKIO_DEVICE_WRITE_IOPS_SEC,
    VSH_BLKIO_DEVICE_READ_BYTES_SEC,
    VSH_BLKIO_DEVICE_WRITE_BYTES_SEC,
    VSH_BLKIO_DEVICE_FIELD_LAST
} vsh_blkio_device_field;

#define VSH_BLKIO_WEIGHT_LOWEST 100
#define VSH_BLKIO_WEIGHT_HIGHEST 1000

typedef struct {
    char *path;                                 /* the block device, "/dev/sda" */
    guint64 value[VSH_BLKIO_DEVICE_FIELD_LAST]; /* 0: not set */
    unsigned int given;                         /* when setting: the fields to change,
                                                 * (1 << field) each; a value of 0 removes
                                                 * the setting */
} vsh_blkio_device;

typedef struct {
    bool has_weight;                            /* setting: change the weight */
    unsigned int weight;                        /* 0 when there is none */
    GPtrArray *devices;                         /* of vsh_blkio_device * (NULL: none) */
} vsh_blkiotune_params;

/* Frees one device entry (path and all), for the free function of @devices. */
VSH_EXPORT void vsh_blkio_device_free(vsh_blkio_device *dev);
/* Frees what @params holds (its devices) and zeroes it. */
VSH_EXPORT void vsh_blkiotune_params_clear(vsh_blkiotune_params *params);
/* The settings of the definition @flags selects (vsh_domain_modification_impact: the running
 * domain's, or its persistent definition's); fills *@ret_params, which the caller clears. */
VSH_EXPORT int vsh_domain_get_blkiotune(vsh_domain *dom, unsigned int flags,
                                        vsh_blkiotune_params *ret_params, GError **error);
/* Changes the weight and the given fields of the given devices; a device left with nothing
 * set is dropped. Live changes need a block device at each path. */
VSH_EXPORT int vsh_domain_set_blkiotune(vsh_domain *dom, const vsh_blkiotune_params *params,
                                        unsigned int flags, GError **error);

/* A named statistic: "cpu.time", "balloon.current", "actual", "rss" ... A statistic whose
 * value is text ("net.0.name") has @string set and @value 0. */
typedef struct {
    char *name;
    guint64 value;
    char *string;               /* NULL for a number. Last, so that the members before it
                                 * keep their offsets */
} vsh_stat;

/* Memory statistics as virsh dommemstat prints them ("actual", "rss", ...): a GArray of
 * vsh_stat whose clear function frees the names and strings. */
VSH_EXPORT int vsh_domain_get_memory_stats(vsh_domain *dom, GArray **ret_stats,
                                           GError **error);
/* All statistics as virsh domstats prints them ("state.state", "cpu.time", "balloon.current",
 * "vcpu.current" ...), in that order; an active domain adds "net.count" and, per
 * interface I, "net.I.name" (a string: the host-side device) and the counters of
 * vsh_domain_get_interface_stats() as "net.I.rx.bytes", "net.I.rx.pkts", "net.I.rx.errs",
 * "net.I.rx.drop" and the same for tx. Counters the driver cannot read are left out. */
VSH_EXPORT int vsh_domain_get_stats(vsh_domain *dom, GArray **ret_stats, GError **error);

/* One check of vsh_host_validate(), as virt-host-validate prints it. */
typedef enum {
    VSH_HOST_CHECK_PASS = 0,
    VSH_HOST_CHECK_WARN,        /* only some definitions need it */
    VSH_HOST_CHECK_FAIL,        /* no domain of that type can run */
} vsh_host_check_result;

typedef struct {
    char *type;                 /* the driver: "lxc", "chroot" */
    char *what;                 /* "for namespace pid", "for cgroup 'memory' controller
                                 * support" */
    vsh_host_check_result result;
    char *hint;                 /* what is missing and what needs it; NULL on PASS */
} vsh_host_check;

/* Checks that this host can run domains of @type (NULL: of every driver built in that
 * runs something on the host): kernel version, namespaces, cgroup controllers, devices.
 * A GArray of vsh_host_check whose clear function frees the strings; returns how many
 * failed. Needs no connection: nothing is created outside a throw-away namespace. */
VSH_EXPORT int vsh_host_validate(const char *type, GArray **ret_checks, GError **error);

/* A network interface of a domain, as virsh domiflist shows it. */
typedef struct {
    char *type;                 /* "bridge", "ethernet" */
    char *source;               /* the bridge it is attached to; NULL when none */
    char *target;               /* the host-side device: in the live definition of a
                                 * running domain, or when the XML names it; else NULL */
    char *guest;                /* the name inside (<guest dev>); NULL when not given */
    char *model;                /* <model type>; NULL when absent */
    char *mac;                  /* "52:54:00:..." */
} vsh_domain_interface;

/* The interfaces of the running domain, or of its definition when it is inactive or with
 * VSH_DOMAIN_XML_INACTIVE: a GArray of vsh_domain_interface, in the XML's order, whose
 * clear function frees the strings. Returns how many. */
VSH_EXPORT int vsh_domain_get_interfaces(vsh_domain *dom, unsigned int flags,
                                         GArray **ret_ifaces, GError **error);

/* The traffic counters of one interface (libvirt's virDomainInterfaceStatsStruct), seen from
 * inside the domain: rx is what the domain received. -1 when the driver cannot know. */
typedef struct {
    gint64 rx_bytes;
    gint64 rx_packets;
    gint64 rx_errs;
    gint64 rx_drop;
    gint64 tx_bytes;
    gint64 tx_packets;
    gint64 tx_errs;
    gint64 tx_drop;
} vsh_domain_interface_stats;

/* The counters of the interface @device of the active domain, as virsh domifstat prints
 * them. @device is the interface's host-side device (its target in
 * vsh_domain_get_interfaces()) or its MAC address. Fails with VSH_ERROR_OPERATION_INVALID
 * when the domain is not active, VSH_ERROR_INVALID_ARG when no interface (or more than
 * one, for a MAC) matches, VSH_ERROR_UNSUPPORTED when the driver cannot count. */
VSH_EXPORT int vsh_domain_get_interface_stats(vsh_domain *dom, const char *device,
                                              vsh_domain_interface_stats *ret_stats,
                                              GError **error);

typedef enum {
    VSH_DOMAIN_CONSOLE_FORCE = 1 << 0, /* take the console over from another client */
} vsh_domain_console_flags;

/* Connects to the console of a running domain. *ret_fd is a bidirectional stream
 * (the caller relays it to its terminal and closes it). */
VSH_EXPORT int vsh_domain_open_console(vsh_domain *dom, unsigned int flags, int *ret_fd,
                                       GError **error);

/* Runs argv inside the running domain (its namespaces, root, cgroup and user) with the
 * caller's stdin/stdout/stderr, waits for it, and stores its exit status (0-255, or
 * 128+signal) in *ret_status. */
VSH_EXPORT int vsh_domain_exec(vsh_domain *dom, const char *const *argv, int *ret_status,
                               GError **error);

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle events                                                                           */

/* libvirt's virDomainEventType and detail numbering */
typedef enum {
    VSH_EVENT_DEFINED = 0,
    VSH_EVENT_UNDEFINED = 1,
    VSH_EVENT_STARTED = 2,
    VSH_EVENT_SUSPENDED = 3,
    VSH_EVENT_RESUMED = 4,
    VSH_EVENT_STOPPED = 5,
    VSH_EVENT_SHUTDOWN = 6,
    VSH_EVENT_PMSUSPENDED = 7,
    VSH_EVENT_CRASHED = 8,
    VSH_EVENT_LAST
} vsh_event_type;

/* details used by vsh (libvirt's values) */
enum {
    VSH_EVENT_DEFINED_ADDED = 0,
    VSH_EVENT_DEFINED_UPDATED = 1,
    VSH_EVENT_UNDEFINED_REMOVED = 0,
    VSH_EVENT_STARTED_BOOTED = 0,
    VSH_EVENT_SUSPENDED_PAUSED = 0,
    VSH_EVENT_RESUMED_UNPAUSED = 0,
    VSH_EVENT_STOPPED_SHUTDOWN = 0,
    VSH_EVENT_STOPPED_DESTROYED = 1,
    VSH_EVENT_STOPPED_CRASHED = 2,
    VSH_EVENT_STOPPED_FAILED = 5,
    VSH_EVENT_SHUTDOWN_FINISHED = 0,
};

typedef struct {
    char *domain;               /* name */
    char uuid[VSH_UUID_STRING_BUFLEN];
    char *type;                 /* "lxc" ... */
    int event;                  /* vsh_event_type */
    int detail;
    gint64 timestamp_us;        /* wall clock, microseconds since the epoch */
} vsh_event;

VSH_EXPORT void vsh_event_free(vsh_event *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_event, vsh_event_free)

/* "Defined", "Started", "Stopped" ... and "Added", "Booted", "Destroyed" ...: virsh's words */
VSH_EXPORT const char *vsh_event_type_to_string(int event);
VSH_EXPORT const char *vsh_event_detail_to_string(int event, int detail);

typedef struct vsh_event_stream vsh_event_stream;

/* Opens a stream of the lifecycle events that happen from now on, for every domain of the
 * connection (of its types). */
VSH_EXPORT vsh_event_stream *vsh_event_stream_open(vsh_conn *conn, GError **error);
VSH_EXPORT void vsh_event_stream_free(vsh_event_stream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_event_stream, vsh_event_stream_free)
/* A descriptor that polls readable when events may be pending (for poll/GSource). */
VSH_EXPORT int vsh_event_stream_get_fd(vsh_event_stream *stream);
/* Non-blocking: 1 with *ret_event set, 0 when nothing is pending, -1 on error. */
VSH_EXPORT int vsh_event_stream_next(vsh_event_stream *stream, vsh_event **ret_event,
                                     GError **error);

/* ------------------------------------------------------------------------------------------ */
/* Cloning                                                                                    */

typedef enum {
    VSH_DOMAIN_CLONE_FORCE = 1 << 0, /* copy a running domain (its root filesystem as it is) */
} vsh_domain_clone_flags;

/*
 * Defines a new persistent domain @new_name from @dom (virt-clone, lxc-copy): the same
 * definition with a new name, a new uuid and new MAC addresses (host-side interface names
 * are dropped so the driver picks fresh ones). The root filesystem directory (the
 * <filesystem> with target '/') is copied to vsh_conn_get_rootfs_dir()/NEW_NAME, by reflink
 * (FICLONE) where the file system can, else by a copy that keeps modes, owners, hard and
 * symbolic links, device nodes, holes, extended attributes and times; other file systems
 * mounted below it are not entered. Writable file-backed disks are copied next to their
 * originals as NEW_NAME-TARGET.EXT. Other <filesystem> sources are shared, not copied.
 * A running @dom is refused (VSH_ERROR_OPERATION_INVALID) unless VSH_DOMAIN_CLONE_FORCE.
 * Fails with VSH_ERROR_DOMAIN_EXISTS when @new_name is taken (any type). On failure nothing
 * of the new domain is left (copied files are removed).
 * Returns a handle on the new, shut-off domain (vsh_domain_unref), or NULL with @error set.
 */
VSH_EXPORT vsh_domain *vsh_domain_clone(vsh_domain *dom, const char *new_name,
                                        unsigned int flags, GError **error);

/* ------------------------------------------------------------------------------------------ */
/* Autostart                                                                                  */

/*
 * Starts every persistent domain of the connection that is marked autostart and not running,
 * as a host does when it boots. Every such domain is tried, in name order. Returns the
 * number started, or -1 with @error describing the first one that failed
 * ("domain 'x': ...") once the others have been tried.
 */
VSH_EXPORT int vsh_conn_start_autostart_domains(vsh_conn *conn, GError **error);

G_END_DECLS

#endif /* VSH_H */
