/*
 * supervise.c — the host side of supervised domains (drivers/common/supervise.h): builds
 * the launch description, runs vsh-monitor, and implements the lifecycle and live
 * operations through the monitor's state files and the domain's cgroup.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "error.h"
#include "util/file.h"
#include "drivers/common/monitor.h"
#include "drivers/common/supervise.h"

#define SUPERVISE_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define SUPERVISE_DEFAULT_INIT "/sbin/init"
#define SUPERVISE_DEFAULT_PIDS 4096
#define SUPERVISE_SHUTDOWN_TIMEOUT_MS 10000
#define SUPERVISE_START_TIMEOUT_MS 30000
#define SUPERVISE_STOP_TIMEOUT_MS 10000
#define SUPERVISE_DESTROY_GRACE_MS 2000         /* before destroy stops counting on the monitor */
#define SUPERVISE_ACCOUNTS_MAX (1024 * 1024)
#define SUPERVISE_SPAWN_STACK (64 * 1024)      /* each of monitor_spawn()'s children */
#define SUPERVISE_NETNS_STACK (16 * 1024)      /* netns_maker's child */

const uint64_t vsh_supervise_caps_jail = VSH_SUPERVISE_CAPS_JAIL;

/*
 * The bounding set of @def's init, from the driver's default in *@caps: with libvirt's
 * <features><capabilities>, policy 'allow' starts from every capability and 'deny' from
 * none, and each state given turns one on or off; then vsh's metadata keeps and drops.
 */
static int
caps_adjust(const vsh_domain_def *def, uint64_t *caps, GError **error)
{
    guint i;
    int cap;

    if (def->has_caps && def->caps_policy == VSH_CAPS_POLICY_ALLOW)
        *caps = (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
    else if (def->has_caps && def->caps_policy == VSH_CAPS_POLICY_DENY)
        *caps = 0;
    for (i = 0; i < def->cap_states->len; i++) {
        const vsh_cap_state *cs = &g_array_index(def->cap_states, vsh_cap_state, i);

        if (cs->on)
            *caps |= VSH_CAP_BIT(cs->cap);
        else
            *caps &= ~VSH_CAP_BIT(cs->cap);
    }

    for (i = 0; i < def->vsh.caps_keep->len; i++) {
        const char *name = g_ptr_array_index(def->vsh.caps_keep, i);

        if ((cap = vsh_cap_from_kernel_name(name)) < 0)
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "unknown capability '%s' in domain '%s'", name, def->name);
        *caps |= VSH_CAP_BIT(cap);
    }
    for (i = 0; i < def->vsh.caps_drop->len; i++) {
        const char *name = g_ptr_array_index(def->vsh.caps_drop, i);

        if ((cap = vsh_cap_from_kernel_name(name)) < 0)
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "unknown capability '%s' in domain '%s'", name, def->name);
        *caps &= ~VSH_CAP_BIT(cap);
    }
    return 0;
}

/* ------------------------------------------------------------------ accounts in the rootfs */

/*
 * Reads ROOTFS/etc/NAME with the path resolved inside the root filesystem: the guest owns
 * that tree, so a symlink such as etc/passwd -> /etc/shadow must not lead to the host's.
 * A missing file gives an empty text.
 */
static char *
rootfs_read_etc(const char *rootfs, const char *name, GError **error)
{
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    g_autofree char *rel = g_strdup_printf("etc/%s", name);
    vsh_autoclose int root_fd = -1;
    vsh_autoclose int fd = -1;
    g_autoptr(GString) text = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    if ((root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        vsh_error_set_errno(error, errno, "cannot open root filesystem '%s'", rootfs);
        return NULL;
    }
    if ((fd = (int) syscall(SYS_openat2, root_fd, rel, &how, sizeof(how))) < 0) {
        if (errno == ENOENT)
            return g_strdup("");
        vsh_error_set_errno(error, errno, "cannot open '/%s' in '%s'", rel, rootfs);
        return NULL;
    }
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || text->len + (size_t) n > SUPERVISE_ACCOUNTS_MAX) {
            vsh_error_set_errno(error, n < 0 ? errno : EFBIG, "cannot read '/%s' in '%s'",
                                rel, rootfs);
            return NULL;
        }
        g_string_append_len(text, buf, n);
    }
    return g_string_free(g_steal_pointer(&text), FALSE);
}

/* The fields of the line of @text (passwd/group format) whose field 0 is @name, or whose
 * field 2 (the id) is @name when it is a number. NULL when none. */
static char **
accounts_find(const char *text, const char *name, guint min_fields)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    gsize i;

    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", -1);

        if (g_strv_length(f) < min_fields)
            continue;
        if (g_strcmp0(f[0], name) == 0 || g_strcmp0(f[2], name) == 0)
            return g_steal_pointer(&f);
    }
    return NULL;
}

static bool
parse_id(const char *s, guint32 *ret)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT32 - 1, &v, NULL))
        return false;
    *ret = (guint32) v;
    return true;
}

/* Supplementary groups of @user: every group of /etc/group that lists it, plus @gid. */
static void
accounts_groups(struct vsh_launch *l, const char *group_text, const char *user)
{
    g_auto(GStrv) lines = g_strsplit(group_text, "\n", -1);
    g_autoptr(GArray) gids = g_array_new(FALSE, FALSE, sizeof(gid_t));
    gsize i;

    g_array_append_val(gids, l->gid);
    for (i = 0; user && lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", -1);
        g_auto(GStrv) members = NULL;
        guint32 gid;

        if (g_strv_length(f) < 4 || !parse_id(f[2], &gid) || gid == l->gid)
            continue;
        members = g_strsplit(f[3], ",", -1);
        if (g_strv_contains((const char *const *) members, user))
            g_array_append_val(gids, gid);
    }
    l->n_groups = gids->len;
    l->groups = (gid_t *) g_array_free(g_steal_pointer(&gids), FALSE);
}

/*
 * inituser / initgroup -> uid, gid, groups and HOME. Names are looked up in the root
 * filesystem's own /etc/passwd and /etc/group (the guest's accounts, not the host's);
 * numbers are taken as they are.
 */
static int
resolve_user(const vsh_domain_def *def, const char *rootfs, struct vsh_launch *l,
             char **ret_home, GError **error)
{
    const char *user = def->os.inituser;
    const char *group = def->os.initgroup;
    g_autofree char *passwd = NULL;
    g_autofree char *groups = NULL;
    g_auto(GStrv) pw = NULL;
    g_auto(GStrv) gr = NULL;

    *ret_home = NULL;
    if (!user && !group)
        return 0;
    if (!(passwd = rootfs_read_etc(rootfs, "passwd", error)) ||
        !(groups = rootfs_read_etc(rootfs, "group", error)))
        return -1;
    l->drop_user = 1;
    if (user) {
        pw = accounts_find(passwd, user, 7);
        if (pw) {
            if (!parse_id(pw[2], &l->uid) || !parse_id(pw[3], &l->gid))
                return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                                     "bad entry for user '%s' in '%s/etc/passwd'", user,
                                     rootfs);
            *ret_home = g_strdup(pw[5]);
        } else if (parse_id(user, &l->uid)) {
            l->gid = l->uid;
        } else {
            return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                                 "user '%s' not found in '%s/etc/passwd'", user, rootfs);
        }
    }
    if (group) {
        gr = accounts_find(groups, group, 3);
        if (gr ? !parse_id(gr[2], &l->gid) : !parse_id(group, &l->gid))
            return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                                 "group '%s' not found in '%s/etc/group'", group, rootfs);
    }
    accounts_groups(l, groups, pw ? pw[0] : NULL);
    return 0;
}

/* ------------------------------------------------------------------ the launch */

static char **
build_env(const vsh_supervise_ops *ops, const vsh_domain_def *def, const char *home)
{
    g_autoptr(GPtrArray) env = g_ptr_array_new();
    guint i;

    g_ptr_array_add(env, g_strdup("PATH=" SUPERVISE_DEFAULT_PATH));
    g_ptr_array_add(env, g_strdup_printf("HOME=%s", home && *home ? home : "/"));
    g_ptr_array_add(env, g_strdup("TERM=linux"));
    if (ops->container_env)
        g_ptr_array_add(env, g_strdup("container=vsh"));
    for (i = 0; i < def->os.initenv->len; i++) {
        const vsh_env_var *var = g_ptr_array_index(def->os.initenv, i);

        g_ptr_array_add(env, g_strdup_printf("%s=%s", var->name, var->value ? var->value : ""));
    }
    g_ptr_array_add(env, NULL);
    return (char **) g_ptr_array_free(g_steal_pointer(&env), FALSE);
}

static char **
build_argv(const vsh_domain_def *def)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    guint i;

    g_ptr_array_add(argv, g_strdup(def->os.init ? def->os.init : SUPERVISE_DEFAULT_INIT));
    for (i = 0; i < def->os.initargs->len; i++)
        g_ptr_array_add(argv, g_strdup(g_ptr_array_index(def->os.initargs, i)));
    g_ptr_array_add(argv, NULL);
    return (char **) g_ptr_array_free(g_steal_pointer(&argv), FALSE);
}

static void
build_mounts(const vsh_domain_def *def, struct vsh_launch *l)
{
    guint i;

    l->mounts = g_new0(struct vsh_launch_mount, def->filesystems->len + 1);
    for (i = 0; i < def->filesystems->len; i++) {
        const vsh_fs_def *fs = g_ptr_array_index(def->filesystems, i);
        struct vsh_launch_mount *m;

        if (g_strcmp0(fs->target, "/") == 0)
            continue;
        m = &l->mounts[l->n_mounts++];
        m->type = fs->type == VSH_FS_TYPE_RAM ? VSH_LAUNCH_MOUNT_TMPFS : VSH_LAUNCH_MOUNT_BIND;
        m->source = g_strdup(fs->source);
        m->target = g_strdup(fs->target);
        m->readonly = fs->readonly;
        m->usage_kib = fs->usage_kib;
    }
}

/* Defaults first; the metadata's <vsh:rlimit> replace those of the same resource. */
static void
build_rlimits(const vsh_domain_def *def, struct vsh_launch *l)
{
    static const struct vsh_launch_rlimit defaults[] = {
        { RLIMIT_NOFILE, 1024, 65536 },
        { RLIMIT_CORE, 0, RLIM_INFINITY },
    };
    guint n = def->vsh.rlimits ? def->vsh.rlimits->len : 0;
    guint i;
    guint j;

    l->rlimits = g_new0(struct vsh_launch_rlimit, G_N_ELEMENTS(defaults) + n);
    for (i = 0; i < G_N_ELEMENTS(defaults); i++) {
        struct vsh_launch_rlimit r = defaults[i];
        struct rlimit cur;

        /* a default never asks for more than this host allows us (raising a hard limit
         * needs CAP_SYS_RESOURCE); explicit limits from the metadata are applied as given */
        if (getrlimit(r.resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY) {
            r.hard = MIN(r.hard, (unsigned long long) cur.rlim_max);
            r.soft = MIN(r.soft, r.hard);
        }
        l->rlimits[l->n_rlimits++] = r;
    }
    for (i = 0; i < n; i++) {
        const vsh_rlimit_def *r = &g_array_index(def->vsh.rlimits, vsh_rlimit_def, i);
        struct vsh_launch_rlimit *slot = NULL;

        for (j = 0; j < l->n_rlimits && !slot; j++) {
            if (l->rlimits[j].resource == r->resource)
                slot = &l->rlimits[j];
        }
        if (!slot)
            slot = &l->rlimits[l->n_rlimits++];
        *slot = (struct vsh_launch_rlimit) { r->resource, r->soft, r->hard };
    }
}

G_STATIC_ASSERT((int) VSH_BLKIO_FIELD_LAST == (int) VSH_CGROUP_BLKIO_FIELD_LAST);
G_STATIC_ASSERT((int) VSH_BLKIO_READ_BYTES_SEC == (int) VSH_CGROUP_BLKIO_READ_BPS);
G_STATIC_ASSERT(G_N_ELEMENTS(((struct vsh_launch_blkio_device *) 0)->value) ==
                VSH_CGROUP_BLKIO_FIELD_LAST);

/* The device numbers of the block device @path, named in <blkiotune> of domain @name. */
static int
blkio_device_numbers(const char *name, const char *path, unsigned int *ret_major,
                     unsigned int *ret_minor, GError **error)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return vsh_error_set_errno(error, errno, "cannot use '%s' for the I/O tuning of "
                                   "domain '%s'", path, name);
    if (!S_ISBLK(st.st_mode))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "cannot use '%s' for the I/O "
                             "tuning of domain '%s': not a block device", path, name);
    *ret_major = major(st.st_rdev);
    *ret_minor = minor(st.st_rdev);
    return 0;
}

/* <blkiotune> for the monitor: the weight, and each device by its numbers. Only a start
 * needs them: the launches that exec and hot-plug build do not look up the devices. */
static int
build_blkio(const vsh_domain_def *def, struct vsh_launch_limits *lim, GError **error)
{
    const vsh_blkiotune_def *bt = &def->blkiotune;
    guint i;
    int f;

    if (!vsh_blkiotune_is_set(bt))
        return 0;
    lim->blkio = 1;
    lim->blkio_weight = bt->weight;
    lim->blkio_devices = g_new0(struct vsh_launch_blkio_device, bt->devices->len);
    for (i = 0; i < bt->devices->len; i++) {
        const vsh_blkio_device_def *dev = g_ptr_array_index(bt->devices, i);
        struct vsh_launch_blkio_device *d = &lim->blkio_devices[lim->n_blkio_devices++];

        if (blkio_device_numbers(def->name, dev->path, &d->major, &d->minor, error) < 0)
            return -1;
        for (f = 0; f < VSH_BLKIO_FIELD_LAST; f++)
            d->value[f] = dev->value[f];
    }
    return 0;
}

static void
build_limits(const vsh_domain_def *def, struct vsh_launch_limits *lim)
{
    guint64 hard_kib = vsh_domain_def_memory_limit_kib(def);

    lim->memory_hard_bytes = hard_kib >= VSH_MEMORY_UNLIMITED ? 0 : hard_kib * 1024;
    if (def->memtune.soft_limit && def->memtune.soft_limit < VSH_MEMORY_UNLIMITED)
        lim->memory_soft_bytes = def->memtune.soft_limit * 1024;
    if (def->memtune.swap_hard_limit && def->memtune.swap_hard_limit < VSH_MEMORY_UNLIMITED)
        lim->memory_swap_bytes = def->memtune.swap_hard_limit * 1024;
    lim->cpu_shares = def->cputune.has_shares ? def->cputune.shares : 0;
    lim->cpu_period_us = def->cputune.has_period ? def->cputune.period : 0;
    lim->cpu_quota_us = def->cputune.has_quota ? def->cputune.quota : -1;
    /* cpuset.cpus takes the kernel's list syntax, without libvirt's "^" exclusions; a
     * stored definition is valid, so the conversion fails only on a corrupt one, and the
     * kernel then refuses the text as it stands */
    if (def->cpuset && !(lim->cpuset = vsh_cpuset_to_list(def->cpuset)))
        lim->cpuset = g_strdup(def->cpuset);
    lim->pids_max = def->vsh.has_pids_limit ? def->vsh.pids_limit : SUPERVISE_DEFAULT_PIDS;
}

static char *
cgroup_path_of(const vsh_domain_obj *obj)
{
    const char *partition = obj->paths.cgroup_partition;

    return g_strdup_printf("%s/%s", partition && *partition ? partition : "vsh", obj->name);
}

static int
shutdown_timeout_ms(void)
{
    const char *env = getenv("VSH_SHUTDOWN_TIMEOUT_MS");
    guint64 v;

    if (env && g_ascii_string_to_unsigned(env, 10, 1, G_MAXINT, &v, NULL))
        return (int) v;
    return SUPERVISE_SHUTDOWN_TIMEOUT_MS;
}

int
vsh_supervise_launch_build(const vsh_supervise_ops *ops, const vsh_domain_obj *obj,
                           const vsh_domain_def *def, struct vsh_launch *l, GError **error)
{
    const vsh_fs_def *root = vsh_domain_def_get_root_fs(def);
    g_autofree char *home = NULL;
    char uuid[VSH_UUID_STRING_BUFLEN];

    if (!root || !root->source || !g_path_is_absolute(root->source))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "domain '%s' has no absolute root filesystem directory",
                             def->name);
    vsh_uuid_format(def->uuid, uuid);
    l->kind = ops->kind;
    l->name = g_strdup(obj->name);
    l->uuid = g_strdup(uuid);
    l->type_name = g_strdup(ops->type_name);
    l->state_dir = g_strdup(obj->paths.state_dir);
    l->cgroup_path = cgroup_path_of(obj);
    l->cgroup_root = g_strdup(getenv("VSH_CGROUP_ROOT"));
    l->clone_flags = ops->clone_flags;
    l->rootfs = g_strdup(root->source);
    build_mounts(def, l);
    l->argv = build_argv(def);
    l->workdir = g_strdup(def->os.initdir ? def->os.initdir : "/");
    if (resolve_user(def, l->rootfs, l, &home, error) < 0)
        return -1;
    l->envp = build_env(ops, def, home);
    l->caps_keep = ops->caps_default;
    if (caps_adjust(def, &l->caps_keep, error) < 0)
        return -1;
    l->no_new_privs = ops->no_new_privs;
    build_rlimits(def, l);
    build_limits(def, &l->limits);
    l->on_poweroff = def->on_poweroff;
    l->on_reboot = def->on_reboot;
    l->on_crash = def->on_crash;
    l->shutdown_timeout_ms = shutdown_timeout_ms();
    if (ops->launch_fill && ops->launch_fill(obj, def, l, error) < 0)
        return -1;
    return 0;
}

int
vsh_supervise_save_launch(const vsh_supervise_ops *ops, const vsh_domain_obj *obj,
                          const vsh_domain_def *def, GError **error)
{
    struct vsh_launch l = { 0 };
    g_autofree char *path = g_strdup_printf("%s/%s.launch", obj->paths.state_dir, obj->name);
    /* a leftover starts with '.', as the store's own temporary files do */
    g_autofree char *tmp = g_strdup_printf("%s/.%s.launch.XXXXXX", obj->paths.state_dir,
                                           obj->name);
    int fd = -1;
    int r;

    if ((r = vsh_supervise_launch_build(ops, obj, def, &l, error)) == 0 &&
        (fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600)) < 0)
        r = vsh_error_set_errno(error, errno, "cannot create '%s'", tmp);
    if (r == 0 && vsh_launch_write(fd, &l) < 0)
        r = vsh_error_set_errno(error, errno, "cannot write '%s'", tmp);
    vsh_launch_clear(&l);
    if (fd >= 0 && close(fd) < 0 && r == 0)
        r = vsh_error_set_errno(error, errno, "cannot write '%s'", tmp);
    if (r == 0 && rename(tmp, path) < 0)
        r = vsh_error_set_errno(error, errno, "cannot write '%s'", path);
    if (r < 0 && fd >= 0)
        (void) unlink(tmp);
    return r;
}

/* ------------------------------------------------------------------ the monitor */

/*
 * Which vsh-monitor to run: $VSH_MONITOR wins; otherwise the copy next to the code that
 * is running. When this code was loaded from the build tree (uninstalled libvsh, or a
 * test program linking it statically) that is the build tree's monitor, else the
 * installed one, so a build never runs a stale installed monitor and an installation
 * never runs a build tree's.
 */
char *
vsh_supervise_monitor_path(void)
{
    const char *env = getenv("VSH_MONITOR");

    if (env && *env)
        return g_strdup(env);
    if (vsh_running_from_build_tree())
        return g_build_filename(VSH_BUILD_LIBEXECDIR, "vsh-monitor", NULL);
    return g_build_filename(VSH_LIBEXECDIR, "vsh-monitor", NULL);
}

/* The launch goes to the monitor's stdin through a memfd: no pipe to fill, no SIGPIPE
 * if the monitor dies early. */
static int
launch_to_memfd(const struct vsh_launch *l, GError **error)
{
    vsh_autoclose int fd = memfd_create("vsh-launch", MFD_CLOEXEC);

    if (fd < 0)
        return vsh_error_set_errno(error, errno, "cannot create the launch description");
    if (vsh_launch_write(fd, l) < 0 || lseek(fd, 0, SEEK_SET) < 0)
        return vsh_error_set_errno(error, errno, "cannot write the launch description");
    return vsh_steal_fd(&fd);
}

/* What the two short-lived processes of monitor_spawn() share with their caller. */
typedef struct {
    const char *path;
    char **envp;
    int launch_fd;
    int status_fd;
    int netns_sock;             /* the monitor's end of launch.netns_sock's socket, or -1 */
    int cpu;                    /* the CPU the monitor is to start on, or -1: any */
    char *exec_stack;           /* top of the grandchild's stack */
    int err;                    /* why the grandchild could not exec, 0 when it did */
} spawn_ctx;

/* The two children run on stacks AddressSanitizer knows nothing of: instrumented, their
 * calls to _exit and execv make it print a warning about a stack switch into the
 * caller's stderr. They touch nothing but the shared context, so they go uninstrumented. */
#define SPAWN_NO_ASAN __attribute__((no_sanitize_address))

/* The grandchild: becomes vsh-monitor with the launch on stdin, the status pipe on fd 3
 * and, when there is one, the network namespace's socket on VSH_LAUNCH_NETNS_FD. Copies
 * above those first, so no dup2 can overwrite another's source or be a no-op that keeps
 * close-on-exec. */
static int SPAWN_NO_ASAN
spawn_exec(void *opaque)
{
    spawn_ctx *c = opaque;
    char *const argv[] = { (char *) c->path, NULL };
    int lfd = fcntl(c->launch_fd, F_DUPFD, 10);
    int sfd = fcntl(c->status_fd, F_DUPFD, 10);
    int nfd = c->netns_sock >= 0 ? fcntl(c->netns_sock, F_DUPFD, 10) : -1;

    if (lfd >= 0 && sfd >= 0 && (c->netns_sock < 0 || nfd >= 0) && dup2(lfd, 0) >= 0 &&
        dup2(sfd, 3) >= 0 && (nfd < 0 || dup2(nfd, VSH_LAUNCH_NETNS_FD) >= 0))
        execve(c->path, argv, c->envp);
    c->err = errno;
    _exit(127);
}

/* The intermediate child: starts the grandchild and exits, so that the monitor is
 * reparented (to init, or the nearest subreaper) and is never our zombie. CLONE_VFORK
 * makes it wait until the grandchild has exec'd or failed. */
static int SPAWN_NO_ASAN
spawn_detach(void *opaque)
{
    spawn_ctx *c = opaque;
    cpu_set_t set;
    pid_t pid;

    /* the monitor inherits the mask, and sets its own once started */
    if (c->cpu >= 0) {
        CPU_ZERO(&set);
        CPU_SET(c->cpu, &set);
        (void) sched_setaffinity(0, sizeof(set), &set);
    }
    pid = clone(spawn_exec, c->exec_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, c);

    if (pid < 0) {
        c->err = errno;
        _exit(127);
    }
    if (c->err) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        _exit(127);
    }
    _exit(0);
}

/*
 * The monitor's environment: only what configures a sanitizer's runtime. The monitor reads
 * no variable (the launch carries everything), init gets an environment of its own, and
 * whatever else the caller has costs at every start: the C library's start-up parses
 * LD_LIBRARY_PATH even in a static program, the dynamic loader searches every directory
 * it names, and a long-lived privileged process is better off without LD_PRELOAD and
 * the like anyway.
 */
static char **
monitor_environ(void)
{
    static const char *const keep[] = { "ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS=" };
    GPtrArray *env = g_ptr_array_new();
    char **e;
    size_t i;

    for (e = environ; e && *e; e++) {
        for (i = 0; i < G_N_ELEMENTS(keep); i++) {
            if (g_str_has_prefix(*e, keep[i]))
                g_ptr_array_add(env, g_strdup(*e));
        }
    }
    g_ptr_array_add(env, NULL);
    return (char **) g_ptr_array_free(env, FALSE);
}

/*
 * Runs the monitor as a grandchild (the intermediate child exits at once), so it is
 * never our zombie and belongs to no session of ours (it calls setsid itself). Both
 * children share our memory (clone(CLONE_VM | CLONE_VFORK), what posix_spawn does) on
 * stacks of their own, and we are suspended until the intermediate one exits: a fork of
 * this large process would copy its page tables and then take a copy-on-write fault per
 * page touched, milliseconds before the monitor even runs. Every signal stays blocked
 * meanwhile, so no handler of ours can run on a child's stack; the monitor sets its own
 * mask. The children's stacks are part of our own frame, ours again once they are gone:
 * stacks mapped for them would have to be unmapped, and when a child ran on another CPU
 * the TLB flush of that munmap interrupts that CPU, where the monitor now runs (on our
 * VMs 0.1-0.2 ms, against 13 us when the child stayed on ours). Returns the read end of
 * the monitor's status pipe.
 */
static int
monitor_spawn(const char *path, int launch_fd, int netns_sock, int cpu, GError **error)
{
    const size_t stack_size = SUPERVISE_SPAWN_STACK;
    char stacks[2 * SUPERVISE_SPAWN_STACK] __attribute__((aligned(64)));
    vsh_autoclose int rd = -1;
    vsh_autoclose int wr = -1;
    g_auto(GStrv) envp = monitor_environ();
    spawn_ctx c = { .path = path, .envp = envp, .launch_fd = launch_fd,
                    .netns_sock = netns_sock, .cpu = cpu };
    sigset_t all;
    sigset_t old;
    int fds[2];
    pid_t pid;
    int status;
    int err;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return vsh_error_set_errno(error, errno, "cannot create the monitor's status pipe");
    rd = fds[0];
    wr = fds[1];
    c.status_fd = wr;
    /* stacks grow down: each child gets the top of its half */
    c.exec_stack = stacks + 2 * stack_size;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = clone(spawn_detach, stacks + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &c);
    err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0)
        return vsh_error_set_errno(error, err, "cannot fork the monitor");
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (c.err)
        return vsh_error_set_errno(error, c.err, "cannot run '%s'", path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED, "cannot start '%s'", path);
    return vsh_steal_fd(&rd);
}

/* ------------------------------------------------------------------ init's network namespace */

/*
 * Making a network namespace costs the kernel about 0.5 ms, the dearest single step of a
 * container's start, and a start is a chain: we build the launch and spawn the monitor,
 * the monitor starts up and clones init, and init would make the namespace only then
 * (vsh-monitor's child_main), while the other CPU idles. So for a container whose network
 * namespace belongs to no user namespace of its own, a short-lived child of ours makes it
 * on the other CPU while the chain runs, brings its lo up and sends it (SCM_RIGHTS) over a
 * socket that the monitor passes on to init (launch.netns_sock); init enters it with
 * setns(). When nothing was sent, our closing the socket tells init to make its own.
 *
 * The child shares our memory and descriptor table (CLONE_VM | CLONE_FILES), so the
 * namespace's descriptor is in our table when it exits, and it runs on a stack in our
 * frame, as monitor_spawn()'s children do: nothing is mapped or unmapped for it. It makes
 * a few system calls and exits; a failing one sets errno, which it shares with the
 * calling thread, so it reports nothing: init learns from the socket whether it came.
 */
typedef struct {
    pid_t pid;
    int cpu;                    /* ours when it started, where the monitor is to start */
    int fd;                     /* the namespace, once the child has made it */
    int sock[2];                /* [0] ours, [1] the monitor's */
    char stack[SUPERVISE_NETNS_STACK] __attribute__((aligned(64)));
} netns_maker;

/* Brings up lo, which a new network namespace has down. */
static int SPAWN_NO_ASAN
netns_lo_up(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int r = -1;

    if (fd < 0)
        return -1;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        r = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return r;
}

/* The child: makes the namespace, brings lo up (the monitor need not enter it then, for a
 * container without interfaces) and sends it at once, whether or not the monitor runs yet
 * (the socket holds it): we may not be scheduled when init wants it. */
static int SPAWN_NO_ASAN
netns_make(void *opaque)
{
    netns_maker *n = opaque;

    if (unshare(CLONE_NEWNET) == 0 && netns_lo_up() == 0 &&
        (n->fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) >= 0)
        (void) vsh_send_fds(n->sock[0], 'n', &n->fd, 1);
    _exit(0);
}

static void
netns_maker_init(netns_maker *n)
{
    n->pid = -1;
    n->cpu = -1;
    n->fd = -1;
    n->sock[0] = n->sock[1] = -1;
}

/*
 * Starts the child on another CPU than ours, and notes ours: the monitor is to start
 * there (monitor_spawn), while we wait. Left to itself the scheduler put the monitor on
 * the child's CPU as often as not, and each waited for the other. Returns 1 when the
 * monitor gets the socket (init then takes a namespace from it, or makes its own if none
 * comes), 0 when there is none.
 */
static int
netns_maker_start(netns_maker *n)
{
    sigset_t all;
    sigset_t old;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, n->sock) < 0) {
        n->sock[0] = n->sock[1] = -1;
        return 0;
    }
    /* no handler of ours may run on the child's stack */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    n->pid = clone(netns_make, n->stack + sizeof(n->stack), CLONE_VM | CLONE_FILES | SIGCHLD,
                   n);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    n->cpu = n->pid > 0 ? vsh_place_elsewhere(n->pid) : -1;
    return 1;
}

/* Reaps the child (its stack is in our frame: always called before that frame ends) and
 * closes our descriptors; the namespace went to init through the socket, if it was made. */
static void
netns_maker_finish(netns_maker *n)
{
    if (n->pid > 0) {
        while (waitpid(n->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        n->pid = -1;
    }
    /* the child's descriptor of the namespace is in our table (CLONE_FILES) */
    vsh_autoclose_fd(&n->fd);
    vsh_autoclose_fd(&n->sock[0]);
    vsh_autoclose_fd(&n->sock[1]);
}

/* "ok INIT MONITOR PTY" or "error ERRNO MESSAGE", read until the monitor closes it. */
static int
monitor_read_report(int fd, GString *report, GError **error)
{
    struct pollfd pfd = { fd, POLLIN, 0 };
    gint64 deadline = g_get_monotonic_time() + SUPERVISE_START_TIMEOUT_MS * 1000LL;
    char buf[512];
    ssize_t n;

    for (;;) {
        int left = (int) ((deadline - g_get_monotonic_time()) / 1000);

        if (left <= 0)
            return vsh_error_set(error, VSH_ERROR_TIMEOUT,
                                 "vsh-monitor did not report within %d s",
                                 SUPERVISE_START_TIMEOUT_MS / 1000);
        if (poll(&pfd, 1, left) < 0 && errno != EINTR)
            return vsh_error_set_errno(error, errno, "cannot wait for vsh-monitor");
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return vsh_error_set_errno(error, errno, "cannot read vsh-monitor's report");
        if (n == 0 || report->len > 4096)
            return 0;
        g_string_append_len(report, buf, n);
    }
}

static void
set_console_path(vsh_domain_obj *obj, const char *pty)
{
    vsh_console_def *console;

    if (!obj->live || obj->live->consoles->len == 0)
        return;
    console = g_ptr_array_index(obj->live->consoles, 0);
    g_free(console->source_path);
    console->source_path = g_strdup(pty);
}

static int
monitor_parse_report(vsh_domain_obj *obj, const char *report, GError **error)
{
    g_auto(GStrv) f = g_strsplit(report, " ", 4);
    guint64 init;
    guint64 mon;
    guint64 err;

    if (g_strv_length(f) >= 3 && strcmp(f[0], "error") == 0 &&
        g_ascii_string_to_unsigned(f[1], 10, 0, 4095, &err, NULL)) {
        g_strchomp(f[2]);
        if (f[3])
            g_strchomp(f[3]);
        return vsh_error_set_code_errno(error, err == EWOULDBLOCK ? VSH_ERROR_BUSY
                                                                  : VSH_ERROR_OPERATION_FAILED,
                                        (int) err, "%s%s%s", f[2], f[3] ? " " : "",
                                        f[3] ? f[3] : "");
    }
    if (g_strv_length(f) != 4 || strcmp(f[0], "ok") != 0 ||
        !g_ascii_string_to_unsigned(f[1], 10, 1, G_MAXINT, &init, NULL) ||
        !g_ascii_string_to_unsigned(f[2], 10, 1, G_MAXINT, &mon, NULL))
        return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                             "vsh-monitor of domain '%s' exited without starting it",
                             obj->name);
    obj->pid = (pid_t) init;
    obj->id = (int) init;
    obj->monitor_pid = (pid_t) mon;
    set_console_path(obj, g_strchomp(f[3]));
    return 0;
}

int
vsh_supervise_start(const vsh_supervise_ops *ops, vsh_domain_obj *obj, unsigned int flags,
                    GError **error)
{
    struct vsh_launch l = { 0 };
    g_autofree char *monitor = vsh_supervise_monitor_path();
    g_autoptr(GString) report = g_string_new(NULL);
    vsh_autoclose int launch_fd = -1;
    vsh_autoclose int status_fd = -1;
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    netns_maker netns;
    int r;

    g_return_val_if_fail(def != NULL, -1);
    netns_maker_init(&netns);
    if ((r = vsh_supervise_launch_build(ops, obj, def, &l, error)) == 0)
        r = build_blkio(def, &l.limits, error);
    l.start_paused = (flags & VSH_DOMAIN_START_PAUSED) != 0;
    l.owner_pid = (flags & VSH_DOMAIN_START_AUTODESTROY) ? (int) getpid() : 0;
    /* a user namespace's network namespace must be made inside it, by init */
    if (r == 0 && (l.clone_flags & CLONE_NEWNET) && !(l.clone_flags & CLONE_NEWUSER))
        l.netns_sock = netns_maker_start(&netns);
    if (r == 0)
        launch_fd = launch_to_memfd(&l, error);
    vsh_launch_clear(&l);
    if (r == 0 && launch_fd >= 0)
        status_fd = monitor_spawn(monitor, launch_fd, netns.sock[1], netns.cpu, error);
    netns_maker_finish(&netns);
    if (status_fd < 0)
        return -1;
    if (monitor_read_report(status_fd, report, error) < 0)
        return -1;
    if (monitor_parse_report(obj, report->str, error) < 0)
        return -1;
    obj->state = (flags & VSH_DOMAIN_START_PAUSED) ? VSH_DOMAIN_PAUSED : VSH_DOMAIN_RUNNING;
    obj->reason = (flags & VSH_DOMAIN_START_PAUSED) ? VSH_DOMAIN_PAUSED_USER
                                                    : VSH_DOMAIN_RUNNING_BOOTED;
    return 0;
}

/* ------------------------------------------------------------------ running domains */

static char *
state_path(const vsh_domain_obj *obj, const char *suffix)
{
    return g_strdup_printf("%s/%s%s", obj->paths.state_dir, obj->name, suffix);
}

/* Opens the domain's cgroup, with the error the library reports. */
static int
open_cgroup(const vsh_domain_obj *obj, struct vsh_cgroup *cg, GError **error)
{
    g_autofree char *path = cgroup_path_of(obj);

    if (vsh_cgroup_open(cg, NULL, NULL, path) < 0)
        return vsh_error_set_errno(error, errno, "cannot find the cgroup of domain '%s'",
                                   obj->name);
    return 0;
}

/* Reads STATE/NAME.pid: "INIT_PID MONITOR_PID". */
static int
read_pid_file(const vsh_domain_obj *obj, pid_t *ret_init, pid_t *ret_monitor)
{
    g_autofree char *path = obj->paths.pid_path ? g_strdup(obj->paths.pid_path)
                                                : state_path(obj, ".pid");
    g_autofree char *text = NULL;
    g_auto(GStrv) f = NULL;
    guint64 a;
    guint64 b;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    f = g_strsplit(g_strstrip(text), " ", 3);
    if (g_strv_length(f) != 2 || !g_ascii_string_to_unsigned(f[0], 10, 1, G_MAXINT, &a, NULL) ||
        !g_ascii_string_to_unsigned(f[1], 10, 1, G_MAXINT, &b, NULL))
        return -1;
    *ret_init = (pid_t) a;
    *ret_monitor = (pid_t) b;
    return 0;
}

/* A pidfd turns readable the moment its process exits: no sleeps, no polling. Returns 1
 * when it did within @timeout_ms. */
static int
pidfd_wait(int pidfd, int timeout_ms)
{
    struct pollfd pfd = { pidfd, POLLIN, 0 };
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;
    int r;

    for (;;) {
        int left = (int) ((deadline - g_get_monotonic_time()) / 1000);

        r = poll(&pfd, 1, left > 0 ? left : 0);
        if (r >= 0 || errno != EINTR)
            return r > 0;
    }
}

/*
 * Waits until the monitor has exited: through a pidfd, then the lock (released by the
 * monitor's exit) confirms it. A monitor we cannot watch by pid is waited for through its
 * lock.
 */
static int
wait_monitor_exit(const vsh_domain_obj *obj, pid_t monitor, GError **error)
{
    vsh_autoclose int pidfd = -1;
    vsh_autoclose int lock = -1;

    if (monitor > 0 && (pidfd = (int) syscall(SYS_pidfd_open, monitor, 0)) >= 0)
        (void) pidfd_wait(pidfd, SUPERVISE_STOP_TIMEOUT_MS);
    if ((lock = vsh_file_lock(obj->paths.lock_path, SUPERVISE_STOP_TIMEOUT_MS, error)) < 0) {
        g_clear_error(error);
        return vsh_error_set(error, VSH_ERROR_TIMEOUT,
                             "the monitor of domain '%s' did not exit", obj->name);
    }
    return 0;
}

static void
set_shutoff(vsh_domain_obj *obj, int reason)
{
    obj->state = VSH_DOMAIN_SHUTOFF;
    obj->reason = reason;
    obj->id = -1;
    obj->pid = 0;
    obj->monitor_pid = 0;
}

/*
 * SIGTERM asks the monitor to destroy the domain: it kills init (in a PID namespace the
 * kernel then kills every other process of it at once), kills what is left in the cgroup,
 * removes it and exits, releasing the lock. Returns 1 when the monitor exited within
 * SUPERVISE_DESTROY_GRACE_MS.
 */
static int
monitor_terminate(pid_t monitor)
{
    vsh_autoclose int pidfd = -1;

    /* the pidfd names the process we signal and then watch, whatever happens to its pid */
    if (monitor <= 0 || (pidfd = (int) syscall(SYS_pidfd_open, monitor, 0)) < 0 ||
        syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0)
        return 0;
    return pidfd_wait(pidfd, SUPERVISE_DESTROY_GRACE_MS);
}

int
vsh_supervise_destroy(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error)
{
    struct vsh_cgroup cg;
    pid_t init = obj->pid;
    pid_t monitor = obj->monitor_pid;

    (void) ops;
    /* the store read the pid file when it loaded @obj; only a gap is filled here */
    if (monitor <= 0)
        (void) read_pid_file(obj, &init, &monitor);
    if (monitor_terminate(monitor)) {
        if (wait_monitor_exit(obj, 0, error) < 0)
            return -1;
        set_shutoff(obj, VSH_DOMAIN_SHUTOFF_DESTROYED);
        return 0;
    }
    /* A monitor that is gone or does not act (stopped, stuck): kill every process of the
     * domain through the cgroup ourselves, whatever it forked, and wait for the monitor
     * to see init die, find "destroyed" and clean up. */
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    if (vsh_cgroup_kill_all(&cg, SUPERVISE_STOP_TIMEOUT_MS) < 0 && errno != ENOENT) {
        int err = errno;

        vsh_cgroup_clear(&cg);
        return vsh_error_set_errno(error, err, "cannot kill the processes of domain '%s'",
                                   obj->name);
    }
    vsh_cgroup_clear(&cg);
    if (wait_monitor_exit(obj, monitor, error) < 0)
        return -1;
    set_shutoff(obj, VSH_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

/* sysvinit's request on /dev/initctl (its initreq.h): 384 bytes, the init's byte order */
#define INITCTL_MAGIC 0x03091969
#define INITCTL_CMD_RUNLEVEL 1

typedef struct {
    int magic;
    int cmd;
    int runlevel;
    int sleeptime;
    char data[368];
} initctl_request;

G_STATIC_ASSERT(sizeof(initctl_request) == 384);

/*
 * Asks the container's init for @runlevel through its /dev/initctl, as sysvinit and
 * systemd (systemd-initctl, /dev/initctl -> /run/initctl) take it. The path is resolved
 * inside init's root, so a link in there cannot lead out, and the file is opened for
 * writing only once it is known to be a FIFO (opening a device could do something);
 * O_NONBLOCK makes the open fail with ENXIO when nobody reads it. Returns 1 when the
 * request went out, 0 when it could not (the reason in *ret_errno).
 */
static int
initctl_set_runlevel(pid_t init, char runlevel, int *ret_errno)
{
    struct open_how how = {
        .flags = O_PATH | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    initctl_request req = { INITCTL_MAGIC, INITCTL_CMD_RUNLEVEL, runlevel, 0, { 0 } };
    g_autofree char *root = g_strdup_printf("/proc/%d/root", (int) init);
    char reopen[64];
    vsh_autoclose int root_fd = -1;
    vsh_autoclose int path_fd = -1;
    vsh_autoclose int fd = -1;
    struct stat st;

    if ((root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
        (path_fd = (int) syscall(SYS_openat2, root_fd, "dev/initctl", &how,
                                 sizeof(how))) < 0 ||
        fstat(path_fd, &st) < 0) {
        *ret_errno = errno;
        return 0;
    }
    if (!S_ISFIFO(st.st_mode)) {
        *ret_errno = EINVAL;
        return 0;
    }
    (void) snprintf(reopen, sizeof(reopen), "/proc/self/fd/%d", path_fd);
    if ((fd = open(reopen, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
        *ret_errno = errno;
        return 0;
    }
    /* one write below PIPE_BUF: it goes in whole or not at all */
    if (write(fd, &req, sizeof(req)) != (ssize_t) sizeof(req)) {
        *ret_errno = errno ? errno : EIO;
        return 0;
    }
    return 1;
}

/*
 * Asks @init for @runlevel through its /dev/initctl when @initctl: 1 when it was asked, 0
 * when the caller is to send its signals instead (@signals), -1 with @error set when the
 * pipe was the only way and there is none.
 */
static int
ask_init(pid_t init, char runlevel, bool initctl, bool signals, GError **error)
{
    int err = 0;

    if (initctl && initctl_set_runlevel(init, runlevel, &err) == 1)
        return 1;
    if (!signals)
        return vsh_error_set_code_errno(error, VSH_ERROR_OPERATION_FAILED, err,
                                        "the container has no initctl pipe to ask "
                                        "(/dev/initctl): %s", g_strerror(err));
    return 0;
}

/*
 * A jail has no init that stops the rest: every process gets SIGTERM (VSH_DOMAIN_SHUTDOWN
 * SIGNAL, its only way). A container is asked as libvirt asks one: runlevel 0 through
 * /dev/initctl when it has one (INITCTL), else signals to init (SIGNAL); by default both,
 * in that order.
 */
int
vsh_supervise_shutdown(const vsh_supervise_ops *ops, vsh_domain_obj *obj, unsigned int flags,
                       GError **error)
{
    struct vsh_cgroup cg;
    pid_t init = obj->pid;
    pid_t monitor = obj->monitor_pid;
    bool initctl = !flags || (flags & VSH_DOMAIN_SHUTDOWN_INITCTL);
    bool signals = !flags || (flags & VSH_DOMAIN_SHUTDOWN_SIGNAL);

    /* the store read the pid file when it loaded @obj; only a gap is filled here */
    if (monitor <= 0)
        (void) read_pid_file(obj, &init, &monitor);
    if (ops->kind == VSH_LAUNCH_CHROOT) {
        if (open_cgroup(obj, &cg, error) < 0)
            return -1;
        (void) vsh_cgroup_signal_all(&cg, SIGTERM);
        vsh_cgroup_clear(&cg);
    } else if (init > 0) {
        int asked = ask_init(init, '0', initctl, signals, error);

        if (asked < 0)
            return -1;
        if (asked)
            signals = false;
        /* SIGTERM for busybox init and scripts, SIGPWR as lxc-stop sends for systemd; an
         * init in a PID namespace only gets the signals it has a handler for */
        if (signals && kill(init, SIGTERM) < 0 && errno != ESRCH)
            return vsh_error_set_errno(error, errno, "cannot signal init of domain '%s'",
                                       obj->name);
        if (signals)
            (void) kill(init, SIGPWR);
    }
    /* the monitor kills what is left after the shutdown timeout */
    if (monitor > 0)
        (void) kill(monitor, SIGUSR1);
    return 0;
}

int
vsh_supervise_reboot_request(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                             unsigned int flags, GError **error)
{
    pid_t init = obj->pid;
    pid_t monitor = obj->monitor_pid;
    int asked;

    (void) ops;
    if (init <= 0)
        (void) read_pid_file(obj, &init, &monitor);
    if (init <= 0)
        return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                             "cannot find the init of domain '%s'", obj->name);
    if ((asked = ask_init(init, '6', flags & VSH_DOMAIN_SHUTDOWN_INITCTL,
                          flags & VSH_DOMAIN_SHUTDOWN_SIGNAL, error)) != 0)
        return asked > 0 ? 0 : -1;
    if (kill(init, SIGINT) < 0)
        return vsh_error_set_errno(error, errno, "cannot signal init of domain '%s'",
                                   obj->name);
    return 0;
}

int
vsh_supervise_reboot(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error)
{
    struct vsh_cgroup cg;
    pid_t init = obj->pid;
    pid_t monitor = obj->monitor_pid;
    pid_t new_init = 0;
    gint64 deadline = g_get_monotonic_time() + SUPERVISE_STOP_TIMEOUT_MS * 1000LL;

    (void) ops;
    /* the store read the pid file when it loaded @obj; only a gap is filled here */
    if (monitor <= 0)
        (void) read_pid_file(obj, &init, &monitor);
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    /* one frozen round of SIGKILL, not a loop: the monitor starts a fresh init in the
     * same cgroup as soon as this one is gone (and kills any leftover first) */
    (void) vsh_cgroup_freeze(&cg, 1000);
    (void) vsh_cgroup_signal_all(&cg, SIGKILL);
    (void) vsh_cgroup_thaw(&cg);
    vsh_cgroup_clear(&cg);
    while (g_get_monotonic_time() < deadline) {
        if (read_pid_file(obj, &new_init, &monitor) == 0 && new_init != init) {
            obj->pid = new_init;
            obj->id = (int) new_init;
            obj->monitor_pid = monitor;
            obj->state = VSH_DOMAIN_RUNNING;
            obj->reason = VSH_DOMAIN_RUNNING_BOOTED;
            return 0;
        }
        g_usleep(500);
    }
    return vsh_error_set(error, VSH_ERROR_TIMEOUT, "domain '%s' did not restart",
                         obj->name);
}

int
vsh_supervise_suspend(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error)
{
    struct vsh_cgroup cg;
    int r;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    r = vsh_cgroup_freeze(&cg, SUPERVISE_STOP_TIMEOUT_MS);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno, "cannot freeze domain '%s'", obj->name);
    obj->state = VSH_DOMAIN_PAUSED;
    obj->reason = VSH_DOMAIN_PAUSED_USER;
    return 0;
}

int
vsh_supervise_resume(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error)
{
    struct vsh_cgroup cg;
    int r;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    r = vsh_cgroup_thaw(&cg);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno, "cannot thaw domain '%s'", obj->name);
    obj->state = VSH_DOMAIN_RUNNING;
    obj->reason = VSH_DOMAIN_RUNNING_UNPAUSED;
    return 0;
}

void
vsh_supervise_cleanup(const vsh_supervise_ops *ops, vsh_domain_obj *obj)
{
    struct vsh_cgroup cg;
    g_autofree char *console = state_path(obj, ".console");
    g_autofree char *pid = state_path(obj, ".pid");
    g_autofree char *stop = state_path(obj, ".stop");
    g_autofree char *launch = state_path(obj, ".launch");

    (void) ops;
    /* the monitor died: nothing may outlive it (a jail's processes have no PID namespace
     * that would die with init) */
    if (open_cgroup(obj, &cg, NULL) == 0) {
        (void) vsh_cgroup_thaw(&cg);
        (void) vsh_cgroup_kill_all(&cg, SUPERVISE_STOP_TIMEOUT_MS);
        (void) vsh_cgroup_remove(&cg);
        vsh_cgroup_clear(&cg);
    }
    (void) unlink(console);
    (void) unlink(pid);
    (void) unlink(stop);
    /* the next start's monitor must not take a reboot's interfaces from this run */
    (void) unlink(launch);
    set_shutoff(obj, VSH_DOMAIN_SHUTOFF_CRASHED);
}

int
vsh_supervise_refresh(const vsh_supervise_ops *ops, vsh_domain_obj *obj, GError **error)
{
    struct vsh_cgroup cg;
    pid_t init;
    pid_t monitor;

    (void) ops;
    (void) error;
    /* the store has read the pid file already when it loaded @obj */
    if (obj->monitor_pid <= 0 && read_pid_file(obj, &init, &monitor) == 0) {
        obj->pid = init;
        obj->id = (int) init;
        obj->monitor_pid = monitor;
    }
    /* a domain frozen by another process shows as paused */
    if (open_cgroup(obj, &cg, NULL) == 0) {
        int frozen = vsh_cgroup_is_frozen(&cg);

        if (frozen == 1 && obj->state == VSH_DOMAIN_RUNNING) {
            obj->state = VSH_DOMAIN_PAUSED;
            obj->reason = VSH_DOMAIN_PAUSED_USER;
        } else if (frozen == 0 && obj->state == VSH_DOMAIN_PAUSED) {
            obj->state = VSH_DOMAIN_RUNNING;
            obj->reason = VSH_DOMAIN_RUNNING_UNPAUSED;
        }
        vsh_cgroup_clear(&cg);
    }
    return 0;
}

int
vsh_supervise_get_info(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                       vsh_domain_info *info, GError **error)
{
    struct vsh_cgroup cg;
    unsigned long long ns = 0;
    unsigned long long bytes = 0;
    int r;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    r = vsh_cgroup_get_cpu_time(&cg, &ns);
    if (r == 0)
        r = vsh_cgroup_get_memory_usage(&cg, &bytes);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno, "cannot read the usage of domain '%s'",
                                   obj->name);
    info->cpu_time_ns = ns;
    info->memory_kib = bytes / 1024;
    return 0;
}

int
vsh_supervise_get_cpu_stats(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                            vsh_domain_cpu_total *total, GArray *percpu, GError **error)
{
    struct vsh_cgroup cg;
    unsigned long long ns = 0;
    unsigned long long user = 0;
    unsigned long long sys = 0;
    unsigned long long *cpus = NULL;
    int n;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    if (vsh_cgroup_get_cpu_time(&cg, &ns) < 0) {
        vsh_cgroup_clear(&cg);
        return vsh_error_set_errno(error, errno, "cannot read the cpu time of domain '%s'",
                                   obj->name);
    }
    total->cpu_time_ns = ns;
    if (vsh_cgroup_get_cpu_times(&cg, &user, &sys) == 0) {
        total->user_time_ns = (gint64) user;
        total->system_time_ns = (gint64) sys;
    }
    /* per CPU where the host counts it so (cgroup v1); none otherwise */
    G_STATIC_ASSERT(sizeof(*cpus) == sizeof(guint64));
    if ((n = vsh_cgroup_get_cpu_time_percpu(&cg, &cpus)) > 0)
        g_array_append_vals(percpu, cpus, (guint) n);
    free(cpus);
    vsh_cgroup_clear(&cg);
    return 0;
}

static void
stat_add(GArray *stats, const char *name, guint64 value)
{
    vsh_stat st = { .name = g_strdup(name), .value = value };

    g_array_append_val(stats, st);
}

int
vsh_supervise_get_memory_stats(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                               GArray *stats, GError **error)
{
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    struct vsh_cgroup cg;
    unsigned long long usage = 0;
    unsigned long long v;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    if (vsh_cgroup_get_memory_usage(&cg, &usage) < 0) {
        int err = errno;

        vsh_cgroup_clear(&cg);
        return vsh_error_set_errno(error, err, "cannot read the memory of domain '%s'",
                                   obj->name);
    }
    /* virsh's names: the allocation, then what is resident */
    stat_add(stats, "actual", def ? def->cur_memory_kib : 0);
    if (vsh_cgroup_get_memory_stat(&cg, "total_swap", &v) == 0 ||
        vsh_cgroup_get_memory_stat(&cg, "swap", &v) == 0)
        stat_add(stats, "swap_in", v / 1024);
    stat_add(stats, "rss", usage / 1024);
    vsh_cgroup_clear(&cg);
    return 0;
}

int
vsh_supervise_set_memory(const vsh_supervise_ops *ops, vsh_domain_obj *obj, guint64 kib,
                         GError **error)
{
    struct vsh_cgroup cg;
    int r;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    r = vsh_cgroup_set_memory_hard(&cg, kib >= VSH_MEMORY_UNLIMITED ? 0 : kib * 1024);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno, "cannot set the memory of domain '%s'",
                                   obj->name);
    return 0;
}

int
vsh_supervise_set_sched(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                        const vsh_sched_params *params, GError **error)
{
    struct vsh_cgroup cg;
    int r = 0;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    if (params->has_cpu_shares)
        r = vsh_cgroup_set_cpu_shares(&cg, params->cpu_shares);
    if (r == 0 && (params->has_vcpu_period || params->has_vcpu_quota))
        r = vsh_cgroup_set_cpu_bandwidth(&cg, params->has_vcpu_period ? params->vcpu_period : 0,
                                         params->has_vcpu_quota ? params->vcpu_quota : -1);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno,
                                   "cannot set the scheduler parameters of domain '%s'",
                                   obj->name);
    return 0;
}

static unsigned long long
kib_to_limit(guint64 kib)
{
    return kib >= VSH_MEMORY_UNLIMITED ? 0 : kib * 1024;
}

/* One device's numbers per change of @params, resolved before anything changes. */
static int
blkio_resolve(const vsh_domain_obj *obj, const vsh_blkiotune_params *params,
              GArray *numbers, GError **error)
{
    guint i;

    for (i = 0; params->devices && i < params->devices->len; i++) {
        const vsh_blkio_device *dev = g_ptr_array_index(params->devices, i);
        unsigned int mm[2];

        if (blkio_device_numbers(obj->name, dev->path, &mm[0], &mm[1], error) < 0)
            return -1;
        g_array_append_vals(numbers, mm, 2);
    }
    return 0;
}

/* Makes the changes of @params in @cg (@numbers: each device's, from blkio_resolve). On
 * failure, errno is the kernel's and *@ret_what says what failed. */
static int
blkio_apply(const struct vsh_cgroup *cg, const vsh_blkiotune_params *params,
            const GArray *numbers, char **ret_what)
{
    guint i;
    int f;

    /* a domain started without I/O settings joins the blkio hierarchy now, all of it */
    *ret_what = g_strdup("create a blkio cgroup");
    if (vsh_cgroup_create(cg) < 0 || vsh_cgroup_adopt(cg, VSH_CGROUP_BLKIO) < 0)
        return -1;
    g_free(*ret_what);
    *ret_what = g_strdup("set the I/O weight");
    if (params->has_weight && vsh_cgroup_set_blkio_weight(cg, params->weight) < 0)
        return -1;
    for (i = 0; params->devices && i < params->devices->len; i++) {
        const vsh_blkio_device *dev = g_ptr_array_index(params->devices, i);

        g_free(*ret_what);
        *ret_what = g_strdup_printf("set the I/O tuning of '%s'", dev->path);
        for (f = 0; f < VSH_BLKIO_DEVICE_FIELD_LAST; f++) {
            if ((dev->given & (1u << f)) &&
                vsh_cgroup_set_blkio_device(cg, g_array_index(numbers, unsigned int, 2 * i),
                                            g_array_index(numbers, unsigned int, 2 * i + 1),
                                            f, dev->value[f]) < 0)
                return -1;
        }
    }
    return 0;
}

int
vsh_supervise_set_blkiotune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                            const vsh_blkiotune_params *params, GError **error)
{
    g_autoptr(GArray) numbers = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    g_autofree char *what = NULL;
    struct vsh_cgroup cg;
    int err;

    (void) ops;
    if (blkio_resolve(obj, params, numbers, error) < 0 || open_cgroup(obj, &cg, error) < 0)
        return -1;
    cg.with_blkio = 1;
    if (blkio_apply(&cg, params, numbers, &what) < 0) {
        err = errno;
        vsh_cgroup_clear(&cg);
        return vsh_error_set_errno(error, err, "cannot %s for domain '%s'", what, obj->name);
    }
    vsh_cgroup_clear(&cg);
    return 0;
}

int
vsh_supervise_set_memtune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                          const vsh_memtune_params *params, GError **error)
{
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    struct vsh_cgroup cg;
    guint64 hard = params->has_hard_limit ? params->hard_limit
                   : def ? vsh_domain_def_memory_limit_kib(def) : 0;
    int r = 0;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    /* memory+swap must never be below memory: raise swap first, lower it last */
    if (params->has_swap_hard_limit)
        r = vsh_cgroup_set_memory_swap(&cg, kib_to_limit(hard),
                                       kib_to_limit(params->swap_hard_limit));
    if (r == 0 && params->has_hard_limit)
        r = vsh_cgroup_set_memory_hard(&cg, kib_to_limit(params->hard_limit));
    if (r == 0 && params->has_soft_limit)
        r = vsh_cgroup_set_memory_soft(&cg, kib_to_limit(params->soft_limit));
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno, "cannot set the memory tuning of domain '%s'",
                                   obj->name);
    return 0;
}

static guint64
limit_to_kib(unsigned long long bytes)
{
    return bytes ? (bytes + 1023) / 1024 : VSH_MEMORY_UNLIMITED;
}

int
vsh_supervise_get_memtune(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                          vsh_memtune_params *ret_params, GError **error)
{
    struct vsh_cgroup cg;
    unsigned long long hard;
    unsigned long long soft;
    unsigned long long swap;
    int r;

    (void) ops;
    if (open_cgroup(obj, &cg, error) < 0)
        return -1;
    r = vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap);
    vsh_cgroup_clear(&cg);
    if (r < 0)
        return vsh_error_set_errno(error, errno,
                                   "cannot read the memory limits of domain '%s'", obj->name);
    ret_params->has_hard_limit = ret_params->has_soft_limit = true;
    ret_params->has_swap_hard_limit = true;
    ret_params->hard_limit = limit_to_kib(hard);
    ret_params->soft_limit = limit_to_kib(soft);
    ret_params->swap_hard_limit = limit_to_kib(swap);
    return 0;
}

int
vsh_supervise_open_console(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                           unsigned int flags, int *ret_fd, GError **error)
{
    g_autofree char *path = obj->paths.console_path ? g_strdup(obj->paths.console_path)
                                                    : state_path(obj, ".console");
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    vsh_autoclose int fd = -1;
    char hello = (flags & VSH_DOMAIN_CONSOLE_FORCE) ? '1' : '0';
    char answer = 0;

    (void) ops;
    if (strlen(path) >= sizeof(addr.sun_path))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "console path '%s' is too long",
                             path);
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0)
        return vsh_error_set_errno(error, errno, "cannot connect to the console of domain '%s'",
                                   obj->name);
    if (send(fd, &hello, 1, MSG_NOSIGNAL) != 1 || recv(fd, &answer, 1, 0) != 1)
        return vsh_error_set_errno(error, errno ? errno : EPIPE,
                                   "cannot attach to the console of domain '%s'", obj->name);
    if (answer != 'o')
        return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                             "the console of domain '%s' is in use by another session "
                             "(use --force to take it over)", obj->name);
    *ret_fd = vsh_steal_fd(&fd);
    return 0;
}

/* ------------------------------------------------------------------ exec */

typedef struct {
    int fds[7];                 /* namespace descriptors, in the order of exec_namespaces */
    int root_fd;                /* /proc/INIT/root */
} exec_handles;

/* The user namespace comes first: it owns the others and gives the rights to join them.
 * The PID namespace comes last; it applies to the children forked afterwards. */
static const struct {
    int flag;
    const char *name;
} exec_namespaces[] = {
    { CLONE_NEWUSER, "user" }, { CLONE_NEWNS, "mnt" }, { CLONE_NEWUTS, "uts" },
    { CLONE_NEWIPC, "ipc" }, { CLONE_NEWNET, "net" }, { CLONE_NEWCGROUP, "cgroup" },
    { CLONE_NEWPID, "pid" },
};

static void
exec_handles_clear(exec_handles *h)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(h->fds); i++)
        vsh_autoclose_fd(&h->fds[i]);
    vsh_autoclose_fd(&h->root_fd);
}

static int
exec_handles_open(pid_t init, int clone_flags, exec_handles *h, GError **error)
{
    g_autofree char *root = g_strdup_printf("/proc/%d/root", (int) init);
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(h->fds); i++) {
        g_autofree char *path = NULL;

        h->fds[i] = -1;
        if (!(clone_flags & exec_namespaces[i].flag))
            continue;
        path = g_strdup_printf("/proc/%d/ns/%s", (int) init, exec_namespaces[i].name);
        if ((h->fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            return vsh_error_set_errno(error, errno, "cannot open '%s'", path);
    }
    if ((h->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", root);
    return 0;
}

/* The status of a waited-for child as a shell reports it. */
static int
exit_code(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

/* In the first child: join the domain, then fork the process that runs the command. */
static void __attribute__((noreturn))
exec_child(const struct vsh_launch *l, const struct vsh_cgroup *cg, const exec_handles *h,
           int errfd)
{
    size_t i;
    pid_t pid;
    int status;

    if (vsh_cgroup_attach_self(cg) < 0)
        vsh_child_fail(errfd, "join the domain's cgroup", errno);
    for (i = 0; i < G_N_ELEMENTS(h->fds); i++) {
        char step[64];

        if (h->fds[i] < 0 || setns(h->fds[i], exec_namespaces[i].flag) == 0)
            continue;
        (void) snprintf(step, sizeof(step), "enter the %s namespace", exec_namespaces[i].name);
        vsh_child_fail(errfd, step, errno);
    }
    /* init's root, whether it got there by pivot_root or chroot */
    if (fchdir(h->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
        vsh_child_fail(errfd, "enter the domain's root", errno);
    if ((pid = fork()) < 0)
        vsh_child_fail(errfd, "fork the command", errno);
    if (pid == 0)
        vsh_child_exec(l, errfd, SIGKILL);
    close(errfd);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            _exit(255);
    }
    _exit(exit_code(status));
}

static int
exec_run(vsh_domain_obj *obj, const struct vsh_launch *l, const struct vsh_cgroup *cg,
         const exec_handles *h, int *ret_status, GError **error)
{
    struct vsh_child_error cerr;
    vsh_autoclose int rd = -1;
    vsh_autoclose int wr = -1;
    int fds[2];
    pid_t pid;
    int status;
    int r;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return vsh_error_set_errno(error, errno, "cannot create a pipe");
    rd = fds[0];
    wr = fds[1];
    if ((pid = fork()) < 0)
        return vsh_error_set_errno(error, errno, "cannot fork");
    if (pid == 0)
        exec_child(l, cg, h, wr);
    vsh_autoclose_fd(&wr);
    r = vsh_child_read_error(rd, &cerr);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (r > 0)
        return vsh_error_set_code_errno(error, VSH_ERROR_OPERATION_FAILED, cerr.err,
                                        "cannot %s in domain '%s': %s", cerr.step,
                                        obj->name, g_strerror(cerr.err));
    *ret_status = exit_code(status);
    return 0;
}

/* The PATH of init's environment (the launch always has one). */
static const char *
exec_path_var(const struct vsh_launch *l)
{
    size_t i;

    for (i = 0; l->envp && l->envp[i]; i++) {
        if (g_str_has_prefix(l->envp[i], "PATH="))
            return l->envp[i] + 5;
    }
    return SUPERVISE_DEFAULT_PATH;
}

/* Whether @path names an executable regular file inside the root @root_fd, resolved as
 * the domain resolves it: its symlinks stay inside its root. */
static bool
exec_is_executable(int root_fd, const char *path)
{
    struct open_how how = {
        .flags = O_PATH | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    vsh_autoclose int fd = (int) syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
    struct stat st;

    return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* A bare command name is looked up in init's PATH inside the domain's root (as seen by
 * init, /proc/INIT/root), as a shell inside would: the exec itself runs exactly the path
 * it is given. Replaces l->argv[0] with the path found. */
static int
exec_resolve(vsh_domain_obj *obj, pid_t init, struct vsh_launch *l, GError **error)
{
    g_autofree char *root = g_strdup_printf("/proc/%d/root", (int) init);
    g_auto(GStrv) dirs = g_strsplit(exec_path_var(l), ":", -1);
    vsh_autoclose int root_fd = -1;
    size_t i;

    if (strchr(l->argv[0], '/'))
        return 0;
    if ((root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return vsh_error_set_errno(error, errno, "cannot open the root of domain '%s'",
                                   obj->name);
    for (i = 0; dirs[i]; i++) {
        g_autofree char *path = NULL;

        if (dirs[i][0] != '/')
            continue;
        path = g_build_filename(dirs[i], l->argv[0], NULL);
        if (exec_is_executable(root_fd, path)) {
            g_free(l->argv[0]);
            l->argv[0] = g_steal_pointer(&path);
            return 0;
        }
    }
    return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                         "command '%s' not found in the PATH of domain '%s' (%s)",
                         l->argv[0], obj->name, exec_path_var(l));
}

int
vsh_supervise_exec(const vsh_supervise_ops *ops, vsh_domain_obj *obj,
                   const char *const *argv, int *ret_status, GError **error)
{
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    struct vsh_launch l = { 0 };
    struct vsh_cgroup cg = { 0 };
    exec_handles h = { .root_fd = -1 };
    pid_t init = obj->pid;
    pid_t monitor = obj->monitor_pid;
    int r = -1;

    if (!argv || !argv[0] || !argv[0][0])
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "no command given to run in domain '%s'", obj->name);
    /* the store read the pid file when it loaded @obj; only a gap is filled here */
    if (monitor <= 0)
        (void) read_pid_file(obj, &init, &monitor);
    if (vsh_supervise_launch_build(ops, obj, def, &l, error) < 0)
        goto out;
    /* the command replaces init's argv; everything else is init's */
    g_strfreev(l.argv);
    l.argv = g_strdupv((char **) argv);
    if (open_cgroup(obj, &cg, error) < 0)
        goto out;
    /* a domain with I/O settings, or once given some live, has a group in the blkio
     * hierarchy too, which the command joins */
    cg.with_blkio = vsh_cgroup_group_exists(&cg, VSH_CGROUP_BLKIO);
    /* a command joining a frozen group would hang, frozen, until someone resumed it */
    if (vsh_cgroup_is_frozen(&cg) == 1) {
        vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                      "domain '%s' is paused: resume it to run commands in it",
                      obj->name);
        goto out;
    }
    if (exec_resolve(obj, init, &l, error) < 0 ||
        exec_handles_open(init, l.clone_flags, &h, error) < 0)
        goto out;
    r = exec_run(obj, &l, &cg, &h, ret_status, error);

out:
    exec_handles_clear(&h);
    vsh_cgroup_clear(&cg);
    vsh_launch_clear(&l);
    return r;
}
