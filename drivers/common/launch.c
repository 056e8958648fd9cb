/*
 * launch.c — serialisation of struct vsh_launch (drivers/common/launch.h).
 *
 * The format is text, one item per line, so a launch can be read in a debugger or a test:
 *     vsh-launch 1
 *     name =web-01
 *     argv =/sbin/init
 *     mount 0 1 0 =/proc =/proc
 *     ...
 *     end
 * A line is a key and space-separated fields. A number is decimal (signed only where the
 * field is). A string field is "~" for NULL or "=" followed by the string with every byte
 * outside 0x21..0x7e and every backslash written as \xHH, so a field never holds a space or
 * a newline. List items (argv, env, group, mount, ...) are repeated lines in order; "ip"
 * and "route" lines belong to the last "net". The reader rejects anything else: unknown
 * keys, a wrong number of fields, bad numbers or escapes, a NUL byte, a missing header or
 * "end", data after "end", more than LAUNCH_MAX_SIZE bytes.
 *
 * Plain libc: linked into vsh-monitor.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"

#define LAUNCH_MAGIC "vsh-launch 1"
#define LAUNCH_MAX_SIZE (1024 * 1024)
#define LAUNCH_MAX_FIELDS 7
#define LAUNCH_MAX_ITEMS 4096

/* ------------------------------------------------------------------ writing */

typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    int failed;
} launch_buf;

static void
buf_add(launch_buf *b, const char *s, size_t n)
{
    char *nb;
    size_t ncap;

    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        ncap = b->cap ? b->cap : 1024;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        if (!(nb = realloc(b->buf, ncap))) {
            b->failed = 1;
            return;
        }
        b->buf = nb;
        b->cap = ncap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void
buf_key(launch_buf *b, const char *key)
{
    buf_add(b, key, strlen(key));
}

static void
buf_end(launch_buf *b)
{
    buf_add(b, "\n", 1);
}

static void
buf_digits(launch_buf *b, const char *sign, unsigned long long v)
{
    char tmp[24];
    size_t i = sizeof(tmp);

    do {
        tmp[--i] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    buf_add(b, sign, strlen(sign));
    buf_add(b, tmp + i, sizeof(tmp) - i);
}

static void
buf_num(launch_buf *b, unsigned long long v)
{
    buf_digits(b, " ", v);
}

static void
buf_snum(launch_buf *b, long long v)
{
    /* the magnitude of LLONG_MIN does not fit a long long: negate as unsigned */
    if (v < 0)
        buf_digits(b, " -", 0ULL - (unsigned long long) v);
    else
        buf_digits(b, " ", (unsigned long long) v);
}

static void
buf_s(launch_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p;
    char esc[4] = { '\\', 'x', 0, 0 };

    if (!s) {
        buf_add(b, " ~", 2);
        return;
    }
    buf_add(b, " =", 2);
    for (p = (const unsigned char *) s; *p; p++) {
        if (*p > 0x20 && *p < 0x7f && *p != '\\') {
            buf_add(b, (const char *) p, 1);
        } else {
            esc[2] = hex[*p >> 4];
            esc[3] = hex[*p & 15];
            buf_add(b, esc, 4);
        }
    }
}

static void
line_s(launch_buf *b, const char *key, const char *s)
{
    buf_key(b, key);
    buf_s(b, s);
    buf_end(b);
}

static void
line_n(launch_buf *b, const char *key, unsigned long long v)
{
    buf_key(b, key);
    buf_num(b, v);
    buf_end(b);
}

static void
line_strv(launch_buf *b, const char *key, char *const *v)
{
    for (; v && *v; v++)
        line_s(b, key, *v);
}

static void
write_idmaps(launch_buf *b, const char *key, const struct vsh_launch_idmap *m, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        buf_key(b, key);
        buf_num(b, m[i].start);
        buf_num(b, m[i].target);
        buf_num(b, m[i].count);
        buf_end(b);
    }
}

static void
write_net(launch_buf *b, const struct vsh_launch_net *net)
{
    size_t i;

    buf_key(b, "net");
    buf_num(b, (unsigned int) net->type);
    buf_s(b, net->bridge);
    buf_s(b, net->host_dev);
    buf_s(b, net->guest_dev);
    buf_s(b, net->mac);
    buf_end(b);
    for (i = 0; i < net->n_ips; i++) {
        buf_key(b, "ip");
        buf_num(b, (unsigned int) net->ips[i].family);
        buf_num(b, net->ips[i].prefix);
        buf_s(b, net->ips[i].address);
        buf_end(b);
    }
    for (i = 0; i < net->n_routes; i++) {
        buf_key(b, "route");
        buf_num(b, (unsigned int) net->routes[i].family);
        buf_num(b, net->routes[i].prefix);
        buf_s(b, net->routes[i].dest);
        buf_s(b, net->routes[i].gateway);
        buf_end(b);
    }
}

static void
write_limits(launch_buf *b, const struct vsh_launch_limits *lim)
{
    size_t i;
    int f;

    line_n(b, "mem_hard", lim->memory_hard_bytes);
    line_n(b, "mem_soft", lim->memory_soft_bytes);
    line_n(b, "mem_swap", lim->memory_swap_bytes);
    line_n(b, "cpu_shares", lim->cpu_shares);
    line_n(b, "cpu_period", lim->cpu_period_us);
    buf_key(b, "cpu_quota");
    buf_snum(b, lim->cpu_quota_us);
    buf_end(b);
    line_s(b, "cpuset", lim->cpuset);
    line_n(b, "pids_max", lim->pids_max);
    if (!lim->blkio)
        return;
    line_n(b, "blkio", 1);
    line_n(b, "blkio_weight", lim->blkio_weight);
    for (i = 0; i < lim->n_blkio_devices; i++) {
        const struct vsh_launch_blkio_device *d = &lim->blkio_devices[i];

        buf_key(b, "blkio_device");
        buf_num(b, d->major);
        buf_num(b, d->minor);
        for (f = 0; f < 5; f++)
            buf_num(b, d->value[f]);
        buf_end(b);
    }
}

static void
write_body(launch_buf *b, const struct vsh_launch *l)
{
    size_t i;

    buf_key(b, LAUNCH_MAGIC);
    buf_end(b);
    line_n(b, "kind", (unsigned int) l->kind);
    line_s(b, "name", l->name);
    line_s(b, "uuid", l->uuid);
    line_s(b, "type", l->type_name);
    line_s(b, "state_dir", l->state_dir);
    line_s(b, "cgroup_path", l->cgroup_path);
    line_s(b, "cgroup_root", l->cgroup_root);
    line_n(b, "clone_flags", (unsigned int) l->clone_flags);
    line_s(b, "rootfs", l->rootfs);
    line_s(b, "hostname", l->hostname);
    for (i = 0; i < l->n_mounts; i++) {
        buf_key(b, "mount");
        buf_num(b, (unsigned int) l->mounts[i].type);
        buf_num(b, l->mounts[i].readonly ? 1 : 0);
        buf_num(b, l->mounts[i].usage_kib);
        buf_s(b, l->mounts[i].source);
        buf_s(b, l->mounts[i].target);
        buf_end(b);
    }
    line_strv(b, "argv", l->argv);
    line_strv(b, "env", l->envp);
    line_s(b, "workdir", l->workdir);
    line_n(b, "drop_user", l->drop_user ? 1 : 0);
    line_n(b, "uid", l->uid);
    line_n(b, "gid", l->gid);
    for (i = 0; i < l->n_groups; i++)
        line_n(b, "group", l->groups[i]);
    write_idmaps(b, "uidmap", l->uid_maps, l->n_uid_maps);
    write_idmaps(b, "gidmap", l->gid_maps, l->n_gid_maps);
    line_n(b, "caps_keep", l->caps_keep);
    line_n(b, "no_new_privs", l->no_new_privs ? 1 : 0);
    for (i = 0; i < l->n_rlimits; i++) {
        buf_key(b, "rlimit");
        buf_num(b, (unsigned int) l->rlimits[i].resource);
        buf_num(b, l->rlimits[i].soft);
        buf_num(b, l->rlimits[i].hard);
        buf_end(b);
    }
    write_limits(b, &l->limits);
    for (i = 0; i < l->n_nets; i++)
        write_net(b, &l->nets[i]);
    line_n(b, "on_poweroff", (unsigned int) l->on_poweroff);
    line_n(b, "on_reboot", (unsigned int) l->on_reboot);
    line_n(b, "on_crash", (unsigned int) l->on_crash);
    line_n(b, "start_paused", l->start_paused ? 1 : 0);
    line_n(b, "owner_pid", (unsigned int) l->owner_pid);
    line_n(b, "shutdown_timeout_ms", (unsigned int) l->shutdown_timeout_ms);
    if (l->netns_sock)
        line_n(b, "netns_sock", 1);
    buf_key(b, "end");
    buf_end(b);
}

int
vsh_launch_write(int fd, const struct vsh_launch *l)
{
    launch_buf b = { 0 };
    size_t off = 0;
    ssize_t n;
    int saved;

    write_body(&b, l);
    if (b.failed) {
        free(b.buf);
        errno = ENOMEM;
        return -1;
    }
    while (off < b.len) {
        n = write(fd, b.buf + off, b.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            saved = errno;
            free(b.buf);
            errno = saved;
            return -1;
        }
        off += (size_t) n;
    }
    free(b.buf);
    return 0;
}

/* ------------------------------------------------------------------ reading */

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A string field into a new string (NULL for "~"). */
static int
parse_s(const char *f, char **ret)
{
    size_t len = strlen(f);
    char *out;
    size_t i;
    size_t o = 0;
    int hi;
    int lo;

    *ret = NULL;
    if (strcmp(f, "~") == 0)
        return 0;
    if (f[0] != '=')
        return -1;
    if (!(out = malloc(len)))
        return -1;
    for (i = 1; i < len; i++) {
        if (f[i] != '\\') {
            out[o++] = f[i];
            continue;
        }
        if (i + 3 >= len || f[i + 1] != 'x' || (hi = hex_value(f[i + 2])) < 0 ||
            (lo = hex_value(f[i + 3])) < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return -1;
        }
        out[o++] = (char) (hi << 4 | lo);
        i += 3;
    }
    out[o] = '\0';
    *ret = out;
    return 0;
}

static int
parse_u(const char *f, unsigned long long max, unsigned long long *ret)
{
    unsigned long long v = 0;
    const char *p;

    if (!*f || (f[0] == '0' && f[1]))
        return -1;
    for (p = f; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (v > (ULLONG_MAX - (unsigned long long) (*p - '0')) / 10)
            return -1;
        v = v * 10 + (unsigned long long) (*p - '0');
    }
    if (v > max)
        return -1;
    *ret = v;
    return 0;
}

static int
parse_int(const char *f, int *ret)
{
    unsigned long long v;

    if (parse_u(f, INT_MAX, &v) < 0)
        return -1;
    *ret = (int) v;
    return 0;
}

static int
parse_uint(const char *f, unsigned int *ret)
{
    unsigned long long v;

    if (parse_u(f, UINT_MAX, &v) < 0)
        return -1;
    *ret = (unsigned int) v;
    return 0;
}

static int
parse_ll(const char *f, long long *ret)
{
    unsigned long long v;

    if (f[0] == '-') {
        if (parse_u(f + 1, (unsigned long long) LLONG_MAX + 1, &v) < 0 || v == 0)
            return -1;
        *ret = v == (unsigned long long) LLONG_MAX + 1 ? LLONG_MIN : -(long long) v;
        return 0;
    }
    if (parse_u(f, LLONG_MAX, &v) < 0)
        return -1;
    *ret = (long long) v;
    return 0;
}

/* Replaces *dst (a scalar string field) with the parsed field. */
static int
set_s(const char *f, char **dst)
{
    char *s;

    if (parse_s(f, &s) < 0)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

/* Grows an array of @size-byte items by one zeroed item; returns it, or NULL. */
static void *
array_push(void **array, size_t *n, size_t size)
{
    char *na;

    if (*n >= LAUNCH_MAX_ITEMS)
        return NULL;
    if (!(na = realloc(*array, (*n + 1) * size)))
        return NULL;
    *array = na;
    memset(na + *n * size, 0, size);
    return na + (*n)++ * size;
}

static int
strv_push(char ***v, const char *f)
{
    size_t n = 0;
    char **nv;
    char *s;

    while (*v && (*v)[n])
        n++;
    if (n >= LAUNCH_MAX_ITEMS || parse_s(f, &s) < 0 || !s)
        return -1;
    if (!(nv = realloc(*v, (n + 2) * sizeof(char *)))) {
        free(s);
        return -1;
    }
    nv[n] = s;
    nv[n + 1] = NULL;
    *v = nv;
    return 0;
}

typedef enum {
    K_KIND, K_NAME, K_UUID, K_TYPE, K_STATE_DIR, K_CGROUP_PATH, K_CGROUP_ROOT, K_CLONE_FLAGS,
    K_ROOTFS, K_HOSTNAME, K_MOUNT, K_ARGV, K_ENV, K_WORKDIR, K_DROP_USER, K_UID, K_GID,
    K_GROUP, K_UIDMAP, K_GIDMAP, K_CAPS_KEEP, K_NO_NEW_PRIVS, K_RLIMIT, K_MEM_HARD,
    K_MEM_SOFT, K_MEM_SWAP, K_CPU_SHARES, K_CPU_PERIOD, K_CPU_QUOTA, K_CPUSET, K_PIDS_MAX,
    K_NET, K_IP, K_ROUTE, K_ON_POWEROFF, K_ON_REBOOT, K_ON_CRASH, K_START_PAUSED,
    K_SHUTDOWN_TIMEOUT, K_OWNER_PID, K_BLKIO, K_BLKIO_WEIGHT, K_BLKIO_DEVICE, K_NETNS_SOCK,
} launch_key;

static const struct {
    const char *name;
    launch_key key;
    int nfields;
} launch_keys[] = {
    { "kind", K_KIND, 1 }, { "name", K_NAME, 1 }, { "uuid", K_UUID, 1 },
    { "type", K_TYPE, 1 }, { "state_dir", K_STATE_DIR, 1 },
    { "cgroup_path", K_CGROUP_PATH, 1 }, { "cgroup_root", K_CGROUP_ROOT, 1 },
    { "clone_flags", K_CLONE_FLAGS, 1 }, { "rootfs", K_ROOTFS, 1 },
    { "hostname", K_HOSTNAME, 1 }, { "mount", K_MOUNT, 5 }, { "argv", K_ARGV, 1 },
    { "env", K_ENV, 1 }, { "workdir", K_WORKDIR, 1 }, { "drop_user", K_DROP_USER, 1 },
    { "uid", K_UID, 1 }, { "gid", K_GID, 1 }, { "group", K_GROUP, 1 },
    { "uidmap", K_UIDMAP, 3 }, { "gidmap", K_GIDMAP, 3 }, { "caps_keep", K_CAPS_KEEP, 1 },
    { "no_new_privs", K_NO_NEW_PRIVS, 1 }, { "rlimit", K_RLIMIT, 3 },
    { "mem_hard", K_MEM_HARD, 1 }, { "mem_soft", K_MEM_SOFT, 1 },
    { "mem_swap", K_MEM_SWAP, 1 }, { "cpu_shares", K_CPU_SHARES, 1 },
    { "cpu_period", K_CPU_PERIOD, 1 }, { "cpu_quota", K_CPU_QUOTA, 1 },
    { "cpuset", K_CPUSET, 1 }, { "pids_max", K_PIDS_MAX, 1 }, { "net", K_NET, 5 },
    { "ip", K_IP, 3 }, { "route", K_ROUTE, 4 }, { "on_poweroff", K_ON_POWEROFF, 1 },
    { "on_reboot", K_ON_REBOOT, 1 }, { "on_crash", K_ON_CRASH, 1 },
    { "start_paused", K_START_PAUSED, 1 }, { "shutdown_timeout_ms", K_SHUTDOWN_TIMEOUT, 1 },
    { "owner_pid", K_OWNER_PID, 1 }, { "blkio", K_BLKIO, 1 },
    { "blkio_weight", K_BLKIO_WEIGHT, 1 }, { "blkio_device", K_BLKIO_DEVICE, 7 },
    { "netns_sock", K_NETNS_SOCK, 1 },
};

static int
read_bool(const char *f, int *ret)
{
    unsigned long long v;

    if (parse_u(f, 1, &v) < 0)
        return -1;
    *ret = (int) v;
    return 0;
}

static int
read_mount(struct vsh_launch *l, char **f)
{
    struct vsh_launch_mount *m;
    unsigned long long type;

    if (!(m = array_push((void **) &l->mounts, &l->n_mounts, sizeof(*m))))
        return -1;
    if (parse_u(f[0], VSH_LAUNCH_MOUNT_TMPFS, &type) < 0 || read_bool(f[1], &m->readonly) < 0 ||
        parse_u(f[2], ULLONG_MAX, &m->usage_kib) < 0 || parse_s(f[3], &m->source) < 0 ||
        parse_s(f[4], &m->target) < 0)
        return -1;
    m->type = (int) type;
    if (!m->target || (type == VSH_LAUNCH_MOUNT_BIND && !m->source))
        return -1;
    return 0;
}

static int
read_idmap(struct vsh_launch_idmap **maps, size_t *n, char **f)
{
    struct vsh_launch_idmap *m;

    if (!(m = array_push((void **) maps, n, sizeof(*m))))
        return -1;
    if (parse_uint(f[0], &m->start) < 0 || parse_uint(f[1], &m->target) < 0 ||
        parse_uint(f[2], &m->count) < 0)
        return -1;
    return 0;
}

static int
read_rlimit(struct vsh_launch *l, char **f)
{
    struct vsh_launch_rlimit *r;

    if (!(r = array_push((void **) &l->rlimits, &l->n_rlimits, sizeof(*r))))
        return -1;
    if (parse_int(f[0], &r->resource) < 0 || parse_u(f[1], ULLONG_MAX, &r->soft) < 0 ||
        parse_u(f[2], ULLONG_MAX, &r->hard) < 0)
        return -1;
    return 0;
}

static int
read_blkio_device(struct vsh_launch *l, char **f)
{
    struct vsh_launch_blkio_device *d;
    int i;

    if (!(d = array_push((void **) &l->limits.blkio_devices, &l->limits.n_blkio_devices,
                         sizeof(*d))))
        return -1;
    if (parse_uint(f[0], &d->major) < 0 || parse_uint(f[1], &d->minor) < 0)
        return -1;
    for (i = 0; i < 5; i++) {
        if (parse_u(f[2 + i], ULLONG_MAX, &d->value[i]) < 0)
            return -1;
    }
    return 0;
}

static int
read_net(struct vsh_launch *l, char **f)
{
    struct vsh_launch_net *n;
    unsigned long long type;

    if (!(n = array_push((void **) &l->nets, &l->n_nets, sizeof(*n))))
        return -1;
    if (parse_u(f[0], VSH_LAUNCH_NET_ETHERNET, &type) < 0 || parse_s(f[1], &n->bridge) < 0 ||
        parse_s(f[2], &n->host_dev) < 0 || parse_s(f[3], &n->guest_dev) < 0 ||
        parse_s(f[4], &n->mac) < 0)
        return -1;
    n->type = (int) type;
    return n->host_dev ? 0 : -1;
}

static int
read_ip(struct vsh_launch *l, char **f)
{
    struct vsh_launch_net *n;
    struct vsh_launch_ip *ip;

    if (l->n_nets == 0)
        return -1;
    n = &l->nets[l->n_nets - 1];
    if (!(ip = array_push((void **) &n->ips, &n->n_ips, sizeof(*ip))))
        return -1;
    if (parse_int(f[0], &ip->family) < 0 || parse_uint(f[1], &ip->prefix) < 0 ||
        parse_s(f[2], &ip->address) < 0)
        return -1;
    return ip->address ? 0 : -1;
}

static int
read_route(struct vsh_launch *l, char **f)
{
    struct vsh_launch_net *n;
    struct vsh_launch_route *r;

    if (l->n_nets == 0)
        return -1;
    n = &l->nets[l->n_nets - 1];
    if (!(r = array_push((void **) &n->routes, &n->n_routes, sizeof(*r))))
        return -1;
    if (parse_int(f[0], &r->family) < 0 || parse_uint(f[1], &r->prefix) < 0 ||
        parse_s(f[2], &r->dest) < 0 || parse_s(f[3], &r->gateway) < 0)
        return -1;
    return r->dest ? 0 : -1;
}

static int
read_number_item(struct vsh_launch *l, launch_key key, const char *f)
{
    unsigned long long v;
    gid_t *g;

    switch (key) {
    case K_UID:
        return parse_uint(f, &l->uid);
    case K_GID:
        return parse_uint(f, &l->gid);
    case K_GROUP:
        if (!(g = array_push((void **) &l->groups, &l->n_groups, sizeof(*g))))
            return -1;
        return parse_uint(f, g);
    case K_CAPS_KEEP:
        if (parse_u(f, ULLONG_MAX, &v) < 0)
            return -1;
        l->caps_keep = v;
        return 0;
    case K_KIND:
        return parse_u(f, VSH_LAUNCH_LXC, &v) < 0 ? -1 : (l->kind = (int) v, 0);
    case K_CLONE_FLAGS:
        return parse_u(f, UINT_MAX, &v) < 0 ? -1 : (l->clone_flags = (int) v, 0);
    case K_MEM_HARD:
        return parse_u(f, ULLONG_MAX, &l->limits.memory_hard_bytes);
    case K_MEM_SOFT:
        return parse_u(f, ULLONG_MAX, &l->limits.memory_soft_bytes);
    case K_MEM_SWAP:
        return parse_u(f, ULLONG_MAX, &l->limits.memory_swap_bytes);
    case K_CPU_SHARES:
        return parse_u(f, ULLONG_MAX, &l->limits.cpu_shares);
    case K_CPU_PERIOD:
        return parse_u(f, ULLONG_MAX, &l->limits.cpu_period_us);
    case K_CPU_QUOTA:
        return parse_ll(f, &l->limits.cpu_quota_us);
    case K_PIDS_MAX:
        return parse_u(f, ULLONG_MAX, &l->limits.pids_max);
    case K_ON_POWEROFF:
        return parse_int(f, &l->on_poweroff);
    case K_ON_REBOOT:
        return parse_int(f, &l->on_reboot);
    case K_ON_CRASH:
        return parse_int(f, &l->on_crash);
    case K_SHUTDOWN_TIMEOUT:
        return parse_int(f, &l->shutdown_timeout_ms);
    case K_OWNER_PID:
        return parse_int(f, &l->owner_pid);
    case K_BLKIO:
        return read_bool(f, &l->limits.blkio);
    case K_BLKIO_WEIGHT:
        return parse_uint(f, &l->limits.blkio_weight);
    case K_DROP_USER:
        return read_bool(f, &l->drop_user);
    case K_NO_NEW_PRIVS:
        return read_bool(f, &l->no_new_privs);
    case K_START_PAUSED:
        return read_bool(f, &l->start_paused);
    case K_NETNS_SOCK:
        return read_bool(f, &l->netns_sock);
    default:
        return -1;
    }
}

static int
read_item(struct vsh_launch *l, launch_key key, char **f)
{
    switch (key) {
    case K_NAME: return set_s(f[0], &l->name);
    case K_UUID: return set_s(f[0], &l->uuid);
    case K_TYPE: return set_s(f[0], &l->type_name);
    case K_STATE_DIR: return set_s(f[0], &l->state_dir);
    case K_CGROUP_PATH: return set_s(f[0], &l->cgroup_path);
    case K_CGROUP_ROOT: return set_s(f[0], &l->cgroup_root);
    case K_ROOTFS: return set_s(f[0], &l->rootfs);
    case K_HOSTNAME: return set_s(f[0], &l->hostname);
    case K_WORKDIR: return set_s(f[0], &l->workdir);
    case K_CPUSET: return set_s(f[0], &l->limits.cpuset);
    case K_ARGV: return strv_push(&l->argv, f[0]);
    case K_ENV: return strv_push(&l->envp, f[0]);
    case K_MOUNT: return read_mount(l, f);
    case K_UIDMAP: return read_idmap(&l->uid_maps, &l->n_uid_maps, f);
    case K_GIDMAP: return read_idmap(&l->gid_maps, &l->n_gid_maps, f);
    case K_RLIMIT: return read_rlimit(l, f);
    case K_BLKIO_DEVICE: return read_blkio_device(l, f);
    case K_NET: return read_net(l, f);
    case K_IP: return read_ip(l, f);
    case K_ROUTE: return read_route(l, f);
    default: return read_number_item(l, key, f[0]);
    }
}

/* Splits @line (modified in place) at single spaces and hands it to read_item. */
static int
read_line(struct vsh_launch *l, char *line)
{
    char *f[LAUNCH_MAX_FIELDS + 1];
    int n = 0;
    char *p = line;
    size_t i;

    for (;;) {
        char *sp = strchr(p, ' ');

        if (n > LAUNCH_MAX_FIELDS)
            return -1;
        f[n++] = p;
        if (!sp)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    for (i = 0; i < (size_t) n; i++) {
        if (!*f[i])
            return -1;
    }
    for (i = 0; i < sizeof(launch_keys) / sizeof(launch_keys[0]); i++) {
        if (strcmp(launch_keys[i].name, f[0]) == 0) {
            if (n - 1 != launch_keys[i].nfields)
                return -1;
            return read_item(l, launch_keys[i].key, f + 1);
        }
    }
    return -1;
}

/*
 * Reads all of @fd, NUL-terminated, into @small when it fits, else into a malloc'ed buffer
 * (*ret_buf is then not @small). The monitor's C library unmaps a freed 4 KiB block, and
 * that munmap flushes the TLB: a launch is usually well under 8 KiB and read on the stack.
 */
static int
read_all(int fd, char *small, size_t small_size, char **ret_buf, size_t *ret_len)
{
    size_t cap = small_size;
    size_t len = 0;
    char *buf = small;
    char *nb;
    ssize_t n;
    int saved;

    for (;;) {
        if (len + 1 >= cap) {
            if (cap > LAUNCH_MAX_SIZE) {
                errno = EINVAL;
                goto fail;
            }
            if (!(nb = buf == small ? malloc(cap * 2) : realloc(buf, cap * 2))) {
                errno = ENOMEM;
                goto fail;
            }
            if (buf == small)
                memcpy(nb, small, len);
            buf = nb;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        len += (size_t) n;
    }
    buf[len] = '\0';
    *ret_buf = buf;
    *ret_len = len;
    return 0;

fail:
    saved = errno;
    if (buf != small)
        free(buf);
    errno = saved;
    return -1;
}

/* The whole document: magic line, items, "end", nothing after. */
static int
read_document(struct vsh_launch *l, char *buf, size_t len)
{
    char *line = buf;
    char *nl;
    int first = 1;

    if (memchr(buf, '\0', len))
        return -1;
    while ((nl = strchr(line, '\n'))) {
        *nl = '\0';
        if (first) {
            if (strcmp(line, LAUNCH_MAGIC) != 0)
                return -1;
            first = 0;
        } else if (strcmp(line, "end") == 0) {
            return nl + 1 == buf + len ? 0 : -1;
        } else if (read_line(l, line) < 0) {
            return -1;
        }
        line = nl + 1;
    }
    return -1;
}

int
vsh_launch_read(int fd, struct vsh_launch *ret)
{
    char small[8192];
    char *buf = NULL;
    size_t len = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    ret->limits.cpu_quota_us = -1;
    if (read_all(fd, small, sizeof(small), &buf, &len) < 0)
        return -1;
    r = read_document(ret, buf, len);
    if (buf != small)
        free(buf);
    /* the monitor relies on these being present */
    if (r == 0 && (!ret->name || !ret->state_dir || !ret->argv || !ret->argv[0] ||
                   !ret->cgroup_path))
        r = -1;
    if (r < 0) {
        vsh_launch_clear(ret);
        errno = EINVAL;
        return -1;
    }
    return 0;
}

static void
strv_free(char **v)
{
    size_t i;

    for (i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static void
net_clear(struct vsh_launch_net *n)
{
    size_t i;

    free(n->bridge);
    free(n->host_dev);
    free(n->guest_dev);
    free(n->mac);
    for (i = 0; i < n->n_ips; i++)
        free(n->ips[i].address);
    free(n->ips);
    for (i = 0; i < n->n_routes; i++) {
        free(n->routes[i].dest);
        free(n->routes[i].gateway);
    }
    free(n->routes);
}

void
vsh_launch_clear(struct vsh_launch *l)
{
    size_t i;

    if (!l)
        return;
    free(l->name);
    free(l->uuid);
    free(l->type_name);
    free(l->state_dir);
    free(l->cgroup_path);
    free(l->cgroup_root);
    free(l->rootfs);
    free(l->hostname);
    for (i = 0; i < l->n_mounts; i++) {
        free(l->mounts[i].source);
        free(l->mounts[i].target);
    }
    free(l->mounts);
    strv_free(l->argv);
    strv_free(l->envp);
    free(l->workdir);
    free(l->groups);
    free(l->uid_maps);
    free(l->gid_maps);
    free(l->rlimits);
    free(l->limits.cpuset);
    free(l->limits.blkio_devices);
    for (i = 0; i < l->n_nets; i++)
        net_clear(&l->nets[i]);
    free(l->nets);
    memset(l, 0, sizeof(*l));
}
