/*
 * lxc-driver.c — the lxc driver's table: Linux containers from <domain type='lxc'>.
 *
 * The lifecycle is the supervised one shared with chroot jails (drivers/common/
 * supervise.h): a container is a jail with more namespaces, a pivot_root instead of a
 * chroot, its own /dev, /proc and /sys, and veth networking. What is specific to
 * containers is here (definition limits, namespaces, default capabilities, the network
 * part of the launch) and in the monitor hooks of lxc-child.c and lxc-net.c.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "error.h"
#include "util/file.h"
#include "drivers/common/supervise.h"
#include "lxc-priv.h"

/* Every capability this build knows of. */
#define LXC_CAPS_ALL ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

/* What no container keeps unless its metadata asks (<vsh:capability name=... keep='yes'/>):
 * loading modules, setting the clock, raw I/O ports and MAC policy act on the whole host
 * (the set LXC and libvirt drop); syslog, audit control, process accounting, wake alarms,
 * suspend blocking, BPF and perf are host-wide as well. */
#define LXC_CAPS_HOST_WIDE \
    (VSH_CAP_BIT(CAP_SYS_MODULE) | VSH_CAP_BIT(CAP_SYS_TIME) | VSH_CAP_BIT(CAP_SYS_RAWIO) | \
     VSH_CAP_BIT(CAP_MAC_ADMIN) | VSH_CAP_BIT(CAP_MAC_OVERRIDE) | \
     VSH_CAP_BIT(CAP_AUDIT_CONTROL) | VSH_CAP_BIT(CAP_SYSLOG) | VSH_CAP_BIT(CAP_SYS_PACCT) | \
     VSH_CAP_BIT(CAP_WAKE_ALARM) | VSH_CAP_BIT(CAP_BLOCK_SUSPEND) | VSH_CAP_BIT(CAP_BPF) | \
     VSH_CAP_BIT(CAP_PERFMON))

/* Kept only inside a user namespace, where they are the namespace's and not the host's:
 * CAP_SYS_ADMIN (mount, and much more), CAP_MKNOD (a container has no device cgroup
 * policy that would stop it opening the host's disks) and CAP_DAC_READ_SEARCH
 * (open_by_handle_at escapes any root directory). */
#define LXC_CAPS_USERNS_ONLY \
    (VSH_CAP_BIT(CAP_SYS_ADMIN) | VSH_CAP_BIT(CAP_MKNOD) | VSH_CAP_BIT(CAP_DAC_READ_SEARCH))

/* Kept only with a private network: with the host's network it would reconfigure it. */
#define LXC_CAPS_PRIVNET_ONLY (VSH_CAP_BIT(CAP_NET_ADMIN))

#define LXC_CLONE_FLAGS \
    (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)

static int lxc_launch_fill(const vsh_domain_obj *obj, const vsh_domain_def *def,
                           struct vsh_launch *l, GError **error);

const vsh_supervise_ops lxc_ops = {
    .kind = VSH_LAUNCH_LXC,
    .type_name = "lxc",
    .clone_flags = LXC_CLONE_FLAGS,
    .caps_default = LXC_CAPS_ALL & ~(LXC_CAPS_HOST_WIDE | LXC_CAPS_USERNS_ONLY |
                                     LXC_CAPS_PRIVNET_ONLY),
    .no_new_privs = false,
    .container_env = true,
    .launch_fill = lxc_launch_fill,
};

/* ------------------------------------------------------------------ definition limits */

static int
lxc_validate_root(const vsh_domain_def *def, GError **error)
{
    const vsh_fs_def *root = vsh_domain_def_get_root_fs(def);

    if (!root)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "lxc domain '%s' needs a root filesystem "
                             "(<filesystem type='mount'> with <target dir='/'/>)", def->name);
    if (root->type != VSH_FS_TYPE_MOUNT || !root->source)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "the root filesystem of lxc domain '%s' must be "
                             "<filesystem type='mount'> with a <source dir=...>", def->name);
    if (def->filesystems->len > LXC_MAX_MOUNTS + 1)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "lxc domain '%s' has %u filesystems; at most %d are supported",
                             def->name, def->filesystems->len, LXC_MAX_MOUNTS + 1);
    return 0;
}

static int
lxc_validate_ifname(const char *what, const char *name, GError **error)
{
    if (name && (strlen(name) == 0 || strlen(name) >= IFNAMSIZ || strchr(name, '/') ||
                 strchr(name, ' ')))
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "invalid %s name '%s': 1 to %d characters, no '/' or space",
                             what, name, IFNAMSIZ - 1);
    return 0;
}

static int
lxc_validate_interfaces(const vsh_domain_def *def, GError **error)
{
    guint i;

    if (def->interfaces->len > 1000)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "lxc domain '%s' has too many interfaces", def->name);
    for (i = 0; i < def->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(def->interfaces, i);

        if (net->type != VSH_NET_TYPE_BRIDGE && net->type != VSH_NET_TYPE_ETHERNET)
            return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                                 "lxc interfaces must be of type 'bridge' or 'ethernet'");
        if (net->type == VSH_NET_TYPE_BRIDGE && !net->bridge)
            return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                                 "interface %u of domain '%s' needs <source bridge=...>",
                                 i, def->name);
        if (lxc_validate_ifname("bridge", net->bridge, error) < 0 ||
            lxc_validate_ifname("target device", net->target_dev, error) < 0 ||
            lxc_validate_ifname("guest device", net->guest_dev, error) < 0)
            return -1;
    }
    return 0;
}

/* One direction of <idmap>: ranges must not overlap inside or outside, must not wrap, and
 * root inside must be mapped (a container whose root is nobody cannot set itself up). */
static int
lxc_validate_idmap_list(const char *what, GArray *map, GError **error)
{
    gboolean root_mapped = FALSE;
    guint i;
    guint j;

    if (map->len > 340)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "too many <idmap><%s> ranges (the kernel allows 340)", what);
    for (i = 0; i < map->len; i++) {
        const vsh_idmap_entry *a = &g_array_index(map, vsh_idmap_entry, i);

        if (a->count == 0 || (guint64) a->start + a->count > G_MAXUINT32 ||
            (guint64) a->target + a->count > G_MAXUINT32)
            return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                                 "invalid <idmap><%s start='%u' target='%u' count='%u'/>: "
                                 "empty or past the largest id", what, a->start, a->target,
                                 a->count);
        if (a->start == 0)
            root_mapped = TRUE;
        for (j = 0; j < i; j++) {
            const vsh_idmap_entry *b = &g_array_index(map, vsh_idmap_entry, j);

            if ((a->start < b->start + b->count && b->start < a->start + a->count) ||
                (a->target < b->target + b->count && b->target < a->target + a->count))
                return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                                     "<idmap><%s> ranges overlap (start %u and start %u)",
                                     what, b->start, a->start);
        }
    }
    if (!root_mapped)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "<idmap> must map %s 0 (root inside the container)", what);
    return 0;
}

static int
lxc_validate_idmap(const vsh_domain_def *def, GError **error)
{
    if (def->idmap.uid->len == 0 && def->idmap.gid->len == 0)
        return 0;
    if (def->idmap.uid->len == 0 || def->idmap.gid->len == 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "<idmap> needs both <uid> and <gid> mappings");
    if (lxc_validate_idmap_list("uid", def->idmap.uid, error) < 0 ||
        lxc_validate_idmap_list("gid", def->idmap.gid, error) < 0)
        return -1;
    return 0;
}

static int
lxc_def_validate(const vsh_domain_def *def, GError **error)
{
    if (def->type != VSH_DOMAIN_TYPE_LXC)
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "domain '%s' is not of type lxc",
                             def->name);
    if (def->os.type != VSH_OS_TYPE_EXE)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "lxc domain '%s' needs <os><type>exe</type></os>", def->name);
    if (def->disks->len > 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "lxc domains cannot have <disk> devices; use <filesystem>");
    if (lxc_validate_root(def, error) < 0 ||
        lxc_validate_interfaces(def, error) < 0 ||
        lxc_validate_idmap(def, error) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ the launch */

/* Whether the metadata names @cap (CAP_SYS_ADMIN or sys_admin) in @list. */
static gboolean
lxc_caps_list_has(const GPtrArray *list, const char *cap)
{
    guint i;

    for (i = 0; list && i < list->len; i++) {
        const char *name = g_ptr_array_index(list, i);

        if (g_ascii_strcasecmp(name, cap) == 0 ||
            (g_ascii_strncasecmp(cap, "CAP_", 4) == 0 &&
             g_ascii_strcasecmp(name, cap + 4) == 0))
            return TRUE;
    }
    return FALSE;
}

/* Whether <features><capabilities> turns @cap off. */
static gboolean
lxc_caps_turned_off(const vsh_domain_def *def, int cap)
{
    guint i;

    for (i = 0; i < def->cap_states->len; i++) {
        const vsh_cap_state *cs = &g_array_index(def->cap_states, vsh_cap_state, i);

        if (cs->cap == cap)
            return !cs->on;
    }
    return FALSE;
}

/* Adds the namespace-dependent capabilities to the default set, unless libvirt's
 * <capabilities> or the metadata turn them off. Policies 'allow' and 'deny' replace the
 * default set, this part of it included. */
static void
lxc_caps_adjust(const vsh_domain_def *def, struct vsh_launch *l)
{
    static const struct {
        int cap;
        const char *name;
        int needs_ns;
    } extra[] = {
        { CAP_SYS_ADMIN, "CAP_SYS_ADMIN", CLONE_NEWUSER },
        { CAP_MKNOD, "CAP_MKNOD", CLONE_NEWUSER },
        { CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH", CLONE_NEWUSER },
        { CAP_NET_ADMIN, "CAP_NET_ADMIN", CLONE_NEWNET },
    };
    size_t i;

    if (def->has_caps && def->caps_policy != VSH_CAPS_POLICY_DEFAULT)
        return;
    for (i = 0; i < G_N_ELEMENTS(extra); i++) {
        if ((l->clone_flags & extra[i].needs_ns) &&
            !lxc_caps_turned_off(def, extra[i].cap) &&
            !lxc_caps_list_has(def->vsh.caps_drop, extra[i].name))
            l->caps_keep |= VSH_CAP_BIT(extra[i].cap);
    }
}

static void
lxc_launch_fill_idmap(GArray *src, size_t *ret_n, struct vsh_launch_idmap **ret_maps)
{
    guint i;

    *ret_n = src->len;
    *ret_maps = g_new0(struct vsh_launch_idmap, src->len ? src->len : 1);
    for (i = 0; i < src->len; i++) {
        const vsh_idmap_entry *e = &g_array_index(src, vsh_idmap_entry, i);

        (*ret_maps)[i].start = e->start;
        (*ret_maps)[i].target = e->target;
        (*ret_maps)[i].count = e->count;
    }
}

static void
lxc_launch_fill_net_ips(const vsh_net_def *net, struct vsh_launch_net *out)
{
    guint i;

    out->n_ips = net->ips->len;
    out->ips = g_new0(struct vsh_launch_ip, net->ips->len ? net->ips->len : 1);
    for (i = 0; i < net->ips->len; i++) {
        const vsh_net_ip_def *ip = g_ptr_array_index(net->ips, i);

        out->ips[i].family = ip->family;
        out->ips[i].address = g_strdup(ip->address);
        out->ips[i].prefix = ip->prefix;
    }
    out->n_routes = net->routes->len;
    out->routes = g_new0(struct vsh_launch_route, net->routes->len ? net->routes->len : 1);
    for (i = 0; i < net->routes->len; i++) {
        const vsh_net_route_def *route = g_ptr_array_index(net->routes, i);

        out->routes[i].family = route->family;
        out->routes[i].dest = g_strdup(route->address);
        out->routes[i].prefix = route->prefix;
        out->routes[i].gateway = g_strdup(route->gateway);
    }
}

/* The host-side name of interface @idx: its <target dev>, or the generated one. */
static char *
lxc_host_dev(const vsh_domain_def *def, guint idx, GError **error)
{
    const vsh_net_def *net = g_ptr_array_index(def->interfaces, idx);
    char uuid[VSH_UUID_STRING_BUFLEN];
    char name[IFNAMSIZ];

    if (net->target_dev)
        return g_strdup(net->target_dev);
    vsh_uuid_format(def->uuid, uuid);
    if (lxc_net_host_dev_name(uuid, idx, name) < 0) {
        vsh_error_set_errno(error, errno, "cannot name host interface %u", idx);
        return NULL;
    }
    return g_strdup(name);
}

/* What the monitor (or a hot-plug) needs of @net, but its two names. */
static void
lxc_launch_fill_net(const vsh_net_def *net, struct vsh_launch_net *out)
{
    out->type = net->type == VSH_NET_TYPE_BRIDGE ? VSH_LAUNCH_NET_BRIDGE
                                                 : VSH_LAUNCH_NET_ETHERNET;
    out->bridge = g_strdup(net->bridge);
    out->mac = g_strdup(net->mac);
    lxc_launch_fill_net_ips(net, out);
}

static int
lxc_launch_fill_nets(const vsh_domain_def *def, struct vsh_launch *l, GError **error)
{
    guint i;

    l->n_nets = def->interfaces->len;
    l->nets = g_new0(struct vsh_launch_net, def->interfaces->len ? def->interfaces->len : 1);
    for (i = 0; i < def->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(def->interfaces, i);
        struct vsh_launch_net *out = &l->nets[i];

        lxc_launch_fill_net(net, out);
        if (!(out->host_dev = lxc_host_dev(def, i, error)))
            return -1;
        out->guest_dev = net->guest_dev ? g_strdup(net->guest_dev)
                                        : g_strdup_printf("eth%u", i);
    }
    return 0;
}

static int
lxc_launch_fill(const vsh_domain_obj *obj, const vsh_domain_def *def, struct vsh_launch *l,
                GError **error)
{
    /* libvirt's rule: a private network with <privnet/> or any interface; otherwise the
     * container shares the host's. */
    if (def->privnet == VSH_TRISTATE_YES || def->interfaces->len > 0)
        l->clone_flags |= CLONE_NEWNET;
    if (def->idmap.uid->len > 0) {
        l->clone_flags |= CLONE_NEWUSER;
        lxc_launch_fill_idmap(def->idmap.uid, &l->n_uid_maps, &l->uid_maps);
        lxc_launch_fill_idmap(def->idmap.gid, &l->n_gid_maps, &l->gid_maps);
        /* A process entering the namespace later (vsh exec) keeps its host ids, unmapped
         * there, so it would act as the host's root on the container's files: always
         * switch to root of the namespace, as init itself does. */
        if (!l->drop_user) {
            l->drop_user = 1;
            l->uid = 0;
            l->gid = 0;
        }
    }
    g_free(l->hostname);
    l->hostname = g_strdup(def->name);
    lxc_caps_adjust(def, l);
    return lxc_launch_fill_nets(def, l, error);
}

/* ------------------------------------------------------------------ entry points */

static int
lxc_probe(GError **error)
{
    static const char *const namespaces[] = { "pid", "mnt", "uts", "ipc", "net", "cgroup" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(namespaces); i++) {
        g_autofree char *path = g_strdup_printf("/proc/self/ns/%s", namespaces[i]);

        if (access(path, F_OK) < 0)
            return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                                 "this kernel has no %s namespaces", namespaces[i]);
    }
    return 1;
}

/* Whether a veth pair can be made, in a network namespace of a child of ours that takes
 * it along when it exits: 0, or the errno that stopped it. */
static int
lxc_probe_veth(void)
{
    pid_t pid = fork();
    int status;

    if (pid < 0)
        return errno;
    if (pid == 0) {
        if (unshare(CLONE_NEWNET) < 0 || lxc_net_probe_veth() < 0)
            _exit(errno > 0 && errno < 256 ? errno : EIO);
        _exit(0);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return errno;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

static void
lxc_validate_host(GArray *checks)
{
    static const char *const namespaces[] = { "ipc", "mnt", "pid", "uts", "net", "cgroup" };
    size_t i;
    int err;

    vsh_host_check_kernel(checks, "lxc", 5, 12,
                          "containers are mounted with open_tree, fsmount and mount_setattr "
                          "(Linux 5.12)");
    for (i = 0; i < G_N_ELEMENTS(namespaces); i++)
        vsh_host_check_namespace(checks, "lxc", namespaces[i], VSH_HOST_CHECK_FAIL,
                                 "every container gets one");
    vsh_host_check_namespace(checks, "lxc", "user", VSH_HOST_CHECK_WARN,
                             "needed by containers with <idmap>");
    vsh_host_check_cgroups(checks, "lxc", false);
    if ((err = lxc_probe_veth()) != 0)
        vsh_host_check_add(checks, "lxc", VSH_HOST_CHECK_WARN, "for veth device support",
                           "cannot create a veth pair (%s): needed by containers with "
                           "<interface>", g_strerror(err));
    else
        vsh_host_check_add(checks, "lxc", VSH_HOST_CHECK_PASS, "for veth device support",
                           NULL);
}

/* A missing bridge is the most likely mistake; say so plainly before anything starts. */
static int
lxc_check_bridges(const vsh_domain_def *def, GError **error)
{
    guint i;

    for (i = 0; i < def->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(def->interfaces, i);

        if (net->type == VSH_NET_TYPE_BRIDGE && if_nametoindex(net->bridge) == 0)
            return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                                 "bridge '%s' of domain '%s' does not exist", net->bridge,
                                 def->name);
    }
    return 0;
}

/* The live definition shows the host-side names, as libvirt's does. */
static void
lxc_live_record_host_devs(vsh_domain_def *live)
{
    guint i;

    for (i = 0; i < live->interfaces->len; i++) {
        vsh_net_def *net = g_ptr_array_index(live->interfaces, i);

        if (!net->target_dev)
            net->target_dev = lxc_host_dev(live, i, NULL);
    }
}

static int
lxc_start(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    if (lxc_check_bridges(obj->live, error) < 0)
        return -1;
    if (vsh_supervise_start(&lxc_ops, obj, flags, error) < 0)
        return -1;
    lxc_live_record_host_devs(obj->live);
    return 0;
}

static int
lxc_shutdown(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    return vsh_supervise_shutdown(&lxc_ops, obj, flags, error);
}

/* The monitor removes the host ends it made; those of interfaces plugged in since would
 * go with the container's network namespace, which the kernel tears down a little later:
 * removed here, so that nothing of the container is left when destroy returns. They are
 * in the monitor's network namespace, which need not be ours and is held open across the
 * monitor's exit: a name in ours may be another interface altogether. */
static int
lxc_destroy(vsh_domain_obj *obj, GError **error)
{
    vsh_autoclose int host_ns = -1;
    guint i;

    if (obj->live && obj->live->interfaces->len > 0 && obj->monitor_pid > 0) {
        g_autofree char *path = g_strdup_printf("/proc/%d/ns/net", (int) obj->monitor_pid);

        host_ns = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (vsh_supervise_destroy(&lxc_ops, obj, error) < 0)
        return -1;
    for (i = 0; host_ns >= 0 && i < obj->live->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(obj->live->interfaces, i);

        if (net->target_dev)
            (void) lxc_net_link_delete_ns(host_ns, net->target_dev);
    }
    return 0;
}

static int
lxc_reboot(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    if (flags)
        return vsh_supervise_reboot_request(&lxc_ops, obj, flags, error);
    return vsh_supervise_reboot(&lxc_ops, obj, error);
}

static int
lxc_suspend(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_suspend(&lxc_ops, obj, error);
}

static int
lxc_resume(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_resume(&lxc_ops, obj, error);
}

/* Whether @name is a host-end name generated for the domain @def ("vsh" + the first 8
 * hex digits of its uuid + "-" + a number), which no other interface can have. */
static bool
lxc_host_dev_is_own(const vsh_domain_def *def, const char *name)
{
    char uuid[VSH_UUID_STRING_BUFLEN];
    char prefix[IFNAMSIZ];
    size_t len;

    vsh_uuid_format(def->uuid, uuid);
    if (lxc_net_host_dev_name(uuid, 0, prefix) < 0)
        return false;
    len = strlen(prefix) - 1;   /* without the 0 */
    if (strncmp(name, prefix, len) != 0 || !name[len])
        return false;
    return strspn(name + len, "0123456789") == strlen(name + len);
}

/* After a crash of the monitor: the generic leftovers, then host ends of veth pairs the
 * kernel has not removed yet (it does once the container's network namespace is gone).
 * Which network namespace the monitor made them in is not known any more, so only names
 * generated for this domain are deleted from ours: a name the definition gave may be
 * another interface here. */
static void
lxc_cleanup(vsh_domain_obj *obj)
{
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    guint i;

    vsh_supervise_cleanup(&lxc_ops, obj);
    for (i = 0; def && i < def->interfaces->len; i++) {
        g_autofree char *name = lxc_host_dev(def, i, NULL);

        if (name && lxc_host_dev_is_own(def, name))
            (void) lxc_net_link_delete(name);
    }
}

/* ------------------------------------------------------------------ devices */

/* The host-side name of a new interface, the last of @live's, that names none: the first
 * generated name that no other interface of the container has. */
static char *
lxc_hotplug_host_dev(const vsh_domain_def *live, GError **error)
{
    char uuid[VSH_UUID_STRING_BUFLEN];
    char name[IFNAMSIZ];
    guint idx;
    guint i;

    vsh_uuid_format(live->uuid, uuid);
    for (idx = 0; lxc_net_host_dev_name(uuid, idx, name) == 0; idx++) {
        bool taken = false;

        for (i = 0; i + 1 < live->interfaces->len && !taken; i++) {
            const vsh_net_def *net = g_ptr_array_index(live->interfaces, i);

            taken = g_strcmp0(net->target_dev, name) == 0;
        }
        if (!taken)
            return g_strdup(name);
    }
    vsh_error_set(error, VSH_ERROR_OPERATION_FAILED, "no name left for a host interface of "
                  "container '%s'", live->name);
    return NULL;
}

static int
lxc_device_not_live(const vsh_domain_obj *obj, vsh_device_kind kind, const char *how,
                    GError **error)
{
    return vsh_error_set(error, VSH_ERROR_UNSUPPORTED,
                         "a %s cannot be %s running container '%s': change its definition "
                         "(--config), the container has it from its next start",
                         vsh_device_kind_to_string(kind), how, obj->name);
}

/* A new interface, hot-plugged as libvirt's LXC driver does: a veth pair whose peer is
 * moved into the container's network namespace, set up there as at start. */
static int
lxc_attach_device(vsh_domain_obj *obj, vsh_domain_def *live, vsh_device_kind kind,
                  GError **error)
{
    struct vsh_launch l = { 0 };
    vsh_net_def *net;
    char guest[IFNAMSIZ];
    char step[96];
    int saved;
    int r;

    if (kind != VSH_DEVICE_INTERFACE)
        return lxc_device_not_live(obj, kind, "attached to", error);
    net = g_ptr_array_index(live->interfaces, live->interfaces->len - 1);
    /* Its network is the one its monitor is in, the host's: nothing of the container's
     * own to plug into. */
    if (lxc_net_same_netns(obj->pid, obj->monitor_pid))
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "container '%s' shares the host's network: an interface can only "
                             "be added to its definition (--config), for its next start",
                             obj->name);
    if (!net->target_dev && !(net->target_dev = lxc_hotplug_host_dev(live, error)))
        return -1;
    l.n_nets = 1;
    l.nets = g_new0(struct vsh_launch_net, 1);
    lxc_launch_fill_net(net, &l.nets[0]);
    l.nets[0].host_dev = g_strdup(net->target_dev);
    l.nets[0].guest_dev = g_strdup(net->guest_dev);
    r = lxc_net_hotplug(obj->monitor_pid, obj->pid, &l.nets[0], guest, step);
    saved = errno;
    vsh_launch_clear(&l);
    if (r < 0)
        return vsh_error_set_errno(error, saved, "cannot attach interface %s to container "
                                   "'%s': %s", net->mac, obj->name, step);
    /* The live definition says where it went. */
    if (!net->guest_dev)
        net->guest_dev = g_strdup(guest);
    /* A reboot's init gets it too; an interface that would not is taken out again. */
    if (vsh_supervise_save_launch(&lxc_ops, obj, live, error) < 0) {
        (void) lxc_net_link_delete_in(obj->monitor_pid, net->target_dev);
        return -1;
    }
    return 0;
}

/* Deleting the host end deletes the pair, the container's end with it. */
static int
lxc_detach_device(vsh_domain_obj *obj, vsh_device_kind kind, gconstpointer dev,
                  GError **error)
{
    const vsh_net_def *net = dev;

    g_autoptr(vsh_domain_def) after = NULL;
    int saved;
    guint i;

    if (kind != VSH_DEVICE_INTERFACE)
        return lxc_device_not_live(obj, kind, "detached from", error);
    /* What a reboot's init gets first, so that an interface taken out is never back. */
    after = vsh_domain_def_copy(obj->live);
    for (i = 0; i < obj->live->interfaces->len; i++) {
        if (g_ptr_array_index(obj->live->interfaces, i) == dev)
            g_ptr_array_remove_index(after->interfaces, i);
    }
    if (vsh_supervise_save_launch(&lxc_ops, obj, after, error) < 0)
        return -1;
    if (net->target_dev && lxc_net_link_delete_in(obj->monitor_pid, net->target_dev) < 0) {
        saved = errno;
        (void) vsh_supervise_save_launch(&lxc_ops, obj, obj->live, NULL);
        return vsh_error_set_errno(error, saved, "cannot remove interface '%s' of container "
                                   "'%s'", net->target_dev, obj->name);
    }
    return 0;
}

static int
lxc_refresh(vsh_domain_obj *obj, GError **error)
{
    return vsh_supervise_refresh(&lxc_ops, obj, error);
}

static int
lxc_get_info(vsh_domain_obj *obj, vsh_domain_info *info, GError **error)
{
    return vsh_supervise_get_info(&lxc_ops, obj, info, error);
}

static int
lxc_get_cpu_stats(vsh_domain_obj *obj, vsh_domain_cpu_total *total, GArray *percpu,
                   GError **error)
{
    return vsh_supervise_get_cpu_stats(&lxc_ops, obj, total, percpu, error);
}

static int
lxc_get_memory_stats(vsh_domain_obj *obj, GArray *stats, GError **error)
{
    return vsh_supervise_get_memory_stats(&lxc_ops, obj, stats, error);
}

/* The counters of the host end of the veth pair, swapped: what the host end received, the
 * container sent. The host end lives in the network namespace the container was started
 * from, which is its monitor's, whatever namespace this vsh runs in. */
static int
lxc_get_interface_stats(vsh_domain_obj *obj, const vsh_net_def *net,
                        vsh_domain_interface_stats *ret_stats, GError **error)
{
    struct rtnl_link_stats64 st;

    if (lxc_net_link_stats(obj->monitor_pid, net->target_dev, &st) < 0)
        return vsh_error_set_errno(error, errno, "cannot read the counters of interface '%s'",
                                   net->target_dev);
    ret_stats->rx_bytes = (gint64) st.tx_bytes;
    ret_stats->rx_packets = (gint64) st.tx_packets;
    ret_stats->rx_errs = (gint64) st.tx_errors;
    ret_stats->rx_drop = (gint64) st.tx_dropped;
    ret_stats->tx_bytes = (gint64) st.rx_bytes;
    ret_stats->tx_packets = (gint64) st.rx_packets;
    ret_stats->tx_errs = (gint64) st.rx_errors;
    ret_stats->tx_drop = (gint64) st.rx_dropped;
    return 0;
}

static int
lxc_set_memory(vsh_domain_obj *obj, guint64 kib, GError **error)
{
    return vsh_supervise_set_memory(&lxc_ops, obj, kib, error);
}

static int
lxc_set_sched(vsh_domain_obj *obj, const vsh_sched_params *params, GError **error)
{
    return vsh_supervise_set_sched(&lxc_ops, obj, params, error);
}

static int
lxc_get_memtune(vsh_domain_obj *obj, vsh_memtune_params *ret_params, GError **error)
{
    return vsh_supervise_get_memtune(&lxc_ops, obj, ret_params, error);
}

static int
lxc_set_blkiotune(vsh_domain_obj *obj, const vsh_blkiotune_params *params, GError **error)
{
    return vsh_supervise_set_blkiotune(&lxc_ops, obj, params, error);
}

static int
lxc_set_memtune(vsh_domain_obj *obj, const vsh_memtune_params *params, GError **error)
{
    return vsh_supervise_set_memtune(&lxc_ops, obj, params, error);
}

static int
lxc_open_console(vsh_domain_obj *obj, unsigned int flags, int *ret_fd, GError **error)
{
    return vsh_supervise_open_console(&lxc_ops, obj, flags, ret_fd, error);
}

static int
lxc_exec(vsh_domain_obj *obj, const char *const *argv, int *ret_status, GError **error)
{
    return lxc_domain_exec(&lxc_ops, obj, argv, ret_status, error);
}

const vsh_driver vsh_lxc_driver = {
    .name = "lxc",
    .type = VSH_DOMAIN_TYPE_LXC,
    .supervised = true,
    .probe = lxc_probe,
    .validate_host = lxc_validate_host,
    .def_validate = lxc_def_validate,
    .start = lxc_start,
    .shutdown = lxc_shutdown,
    .shutdown_modes = VSH_DOMAIN_SHUTDOWN_INITCTL | VSH_DOMAIN_SHUTDOWN_SIGNAL,
    .destroy = lxc_destroy,
    .reboot = lxc_reboot,
    .reboot_modes = VSH_DOMAIN_SHUTDOWN_INITCTL | VSH_DOMAIN_SHUTDOWN_SIGNAL,
    .suspend = lxc_suspend,
    .resume = lxc_resume,
    .cleanup = lxc_cleanup,
    .refresh = lxc_refresh,
    .get_info = lxc_get_info,
    .get_cpu_stats = lxc_get_cpu_stats,
    .get_memory_stats = lxc_get_memory_stats,
    .get_memtune = lxc_get_memtune,
    .get_interface_stats = lxc_get_interface_stats,
    .set_memory = lxc_set_memory,
    .set_sched = lxc_set_sched,
    .set_memtune = lxc_set_memtune,
    .set_blkiotune = lxc_set_blkiotune,
    .attach_device = lxc_attach_device,
    .detach_device = lxc_detach_device,
    .open_console = lxc_open_console,
    .exec = lxc_exec,
};
