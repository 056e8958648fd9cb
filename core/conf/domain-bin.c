/*
 * domain-bin.c — vsh_domain_def in a compact binary form (domain-conf.h).
 *
 * The store keeps one beside each definition it writes, so that start, destroy and list
 * read a definition without an XML parser (docs/architecture.md, "Definition cache").
 * The layout is a flat sequence of fields in struct order:
 *
 *   u32  little-endian integers;  u64 likewise;  u8 booleans and small enums
 *   str  u32 length + bytes, or the length 0xffffffff for NULL
 *   arrays: u32 count, then the elements
 *
 * after a header of the magic "VSHD" and VSH_DOMAIN_BIN_VERSION. The decoder checks every
 * length against what is left and every enum against its range, so a truncated or foreign
 * blob gives NULL, never a half-built definition: callers then fall back to the XML.
 * Adding a field to vsh_domain_def means adding it here in both directions and bumping
 * the version; tests/unit/test-conf.c round-trips every xml2xml case to catch a miss.
 */
#include <config.h>

#include <string.h>

#include "conf/domain-conf.h"

#define VSH_DOMAIN_BIN_MAGIC "VSHD"
#define VSH_DOMAIN_BIN_VERSION 3u
#define VSH_BIN_NULL_STR 0xffffffffu

/* ------------------------------------------------------------------ writing */

static void
put_u8(GByteArray *out, guint8 v)
{
    g_byte_array_append(out, &v, 1);
}

static void
put_u32(GByteArray *out, guint32 v)
{
    guint8 b[4] = { (guint8) v, (guint8) (v >> 8), (guint8) (v >> 16), (guint8) (v >> 24) };

    g_byte_array_append(out, b, sizeof(b));
}

static void
put_u64(GByteArray *out, guint64 v)
{
    put_u32(out, (guint32) v);
    put_u32(out, (guint32) (v >> 32));
}

static void
put_str(GByteArray *out, const char *s)
{
    size_t len;

    if (!s) {
        put_u32(out, VSH_BIN_NULL_STR);
        return;
    }
    len = strlen(s);
    put_u32(out, (guint32) len);
    g_byte_array_append(out, (const guint8 *) s, (guint) len);
}

static void
put_strv(GByteArray *out, const GPtrArray *v)
{
    guint i;

    put_u32(out, v->len);
    for (i = 0; i < v->len; i++)
        put_str(out, g_ptr_array_index(v, i));
}

static void
put_idmap(GByteArray *out, const GArray *map)
{
    guint i;

    put_u32(out, map->len);
    for (i = 0; i < map->len; i++) {
        const vsh_idmap_entry *e = &g_array_index(map, vsh_idmap_entry, i);

        put_u32(out, e->start);
        put_u32(out, e->target);
        put_u32(out, e->count);
    }
}

static void
put_os(GByteArray *out, const vsh_os_def *os)
{
    guint i;

    put_u8(out, (guint8) os->type);
    put_str(out, os->arch);
    put_str(out, os->machine);
    put_str(out, os->init);
    put_strv(out, os->initargs);
    put_u32(out, os->initenv->len);
    for (i = 0; i < os->initenv->len; i++) {
        const vsh_env_var *var = g_ptr_array_index(os->initenv, i);

        put_str(out, var->name);
        put_str(out, var->value);
    }
    put_str(out, os->initdir);
    put_str(out, os->inituser);
    put_str(out, os->initgroup);
    put_u32(out, os->boot->len);
    for (i = 0; i < os->boot->len; i++)
        put_u8(out, (guint8) g_array_index(os->boot, int, i));
}

static void
put_metadata(GByteArray *out, const vsh_metadata_def *md)
{
    guint i;

    put_u8(out, md->present);
    put_u8(out, md->has_pids_limit);
    put_u64(out, md->pids_limit);
    put_strv(out, md->caps_keep);
    put_strv(out, md->caps_drop);
    put_u8(out, (guint8) md->seccomp);
    put_u32(out, md->rlimits->len);
    for (i = 0; i < md->rlimits->len; i++) {
        const vsh_rlimit_def *r = &g_array_index(md->rlimits, vsh_rlimit_def, i);

        put_u32(out, (guint32) r->resource);
        put_u64(out, r->soft);
        put_u64(out, r->hard);
    }
}

static void
put_net(GByteArray *out, const vsh_net_def *net, bool reread)
{
    guint i;

    put_u8(out, (guint8) net->type);
    put_str(out, net->bridge);
    put_str(out, net->mac);
    /* once written, a generated MAC reads back as a given one */
    put_u8(out, net->mac_generated && !reread);
    put_str(out, net->target_dev);
    put_str(out, net->guest_dev);
    put_str(out, net->model);
    put_u32(out, net->ips->len);
    for (i = 0; i < net->ips->len; i++) {
        const vsh_net_ip_def *ip = g_ptr_array_index(net->ips, i);

        put_str(out, ip->address);
        put_u32(out, (guint32) ip->family);
        put_u32(out, ip->prefix);
        put_str(out, ip->peer);
    }
    put_u32(out, net->routes->len);
    for (i = 0; i < net->routes->len; i++) {
        const vsh_net_route_def *rt = g_ptr_array_index(net->routes, i);

        put_str(out, rt->address);
        put_u32(out, (guint32) rt->family);
        put_u32(out, rt->prefix);
        put_str(out, rt->gateway);
    }
}

static void
encode_def(const vsh_domain_def *def, GByteArray *out, bool reread)
{
    guint i;

    g_byte_array_append(out, (const guint8 *) VSH_DOMAIN_BIN_MAGIC, 4);
    put_u32(out, VSH_DOMAIN_BIN_VERSION);

    put_u8(out, (guint8) def->type);
    put_u32(out, (guint32) def->id);
    put_str(out, def->name);
    g_byte_array_append(out, def->uuid, sizeof(def->uuid));
    put_str(out, def->title);
    put_str(out, def->description);
    put_str(out, def->metadata_other);
    put_metadata(out, &def->vsh);
    put_u8(out, (guint8) def->on_poweroff);
    put_u8(out, (guint8) def->on_reboot);
    put_u8(out, (guint8) def->on_crash);
    put_u8(out, def->has_on_poweroff);
    put_u8(out, def->has_on_reboot);
    put_u8(out, def->has_on_crash);
    put_u8(out, (guint8) def->privnet);
    put_u8(out, def->has_caps);
    put_u8(out, (guint8) def->caps_policy);
    put_u32(out, def->cap_states->len);
    for (i = 0; i < def->cap_states->len; i++) {
        const vsh_cap_state *cs = &g_array_index(def->cap_states, vsh_cap_state, i);

        put_u8(out, (guint8) cs->cap);
        put_u8(out, cs->on);
    }

    put_u64(out, def->max_memory_kib);
    put_u64(out, def->cur_memory_kib);
    /* the XML always has <currentMemory> */
    put_u8(out, def->has_cur_memory || reread);
    put_u32(out, def->vcpus);
    put_u32(out, def->vcpus_current);
    put_str(out, def->cpuset);
    put_u8(out, def->cputune.has_shares);
    put_u64(out, def->cputune.shares);
    put_u8(out, def->cputune.has_period);
    put_u64(out, def->cputune.period);
    put_u8(out, def->cputune.has_quota);
    put_u64(out, (guint64) def->cputune.quota);
    put_u64(out, def->memtune.hard_limit);
    put_u64(out, def->memtune.soft_limit);
    put_u64(out, def->memtune.swap_hard_limit);
    put_u32(out, def->blkiotune.weight);
    put_u32(out, def->blkiotune.devices->len);
    for (i = 0; i < def->blkiotune.devices->len; i++) {
        const vsh_blkio_device_def *dev = g_ptr_array_index(def->blkiotune.devices, i);
        int field;

        put_str(out, dev->path);
        for (field = 0; field < VSH_BLKIO_FIELD_LAST; field++)
            put_u64(out, dev->value[field]);
    }

    put_os(out, &def->os);
    put_idmap(out, def->idmap.uid);
    put_idmap(out, def->idmap.gid);

    put_str(out, def->emulator);
    put_u32(out, def->disks->len);
    for (i = 0; i < def->disks->len; i++) {
        const vsh_disk_def *disk = g_ptr_array_index(def->disks, i);

        put_u8(out, (guint8) disk->type);
        put_u8(out, (guint8) disk->device);
        put_str(out, disk->driver_name);
        put_str(out, disk->driver_type);
        put_str(out, disk->source);
        put_str(out, disk->target_dev);
        put_str(out, disk->target_bus);
        put_u8(out, disk->readonly);
    }
    put_u32(out, def->filesystems->len);
    for (i = 0; i < def->filesystems->len; i++) {
        const vsh_fs_def *fs = g_ptr_array_index(def->filesystems, i);

        put_u8(out, (guint8) fs->type);
        put_u8(out, (guint8) fs->accessmode);
        put_str(out, fs->source);
        put_u64(out, fs->usage_kib);
        put_str(out, fs->target);
        put_u8(out, fs->readonly);
    }
    put_u32(out, def->interfaces->len);
    for (i = 0; i < def->interfaces->len; i++)
        put_net(out, g_ptr_array_index(def->interfaces, i), reread);
    put_u32(out, def->consoles->len);
    for (i = 0; i < def->consoles->len; i++) {
        const vsh_console_def *con = g_ptr_array_index(def->consoles, i);

        put_u8(out, (guint8) con->type);
        put_str(out, con->target_type);
        put_u32(out, (guint32) con->target_port);
        put_str(out, con->source_path);
    }
}

void
vsh_domain_def_encode(const vsh_domain_def *def, GByteArray *out)
{
    encode_def(def, out, false);
}

void
vsh_domain_def_encode_reread(const vsh_domain_def *def, GByteArray *out)
{
    encode_def(def, out, true);
}

/* ------------------------------------------------------------------ reading */

typedef struct {
    const guint8 *p;
    gsize left;
    bool bad;                   /* set by the first short or invalid read; sticky */
} bin_reader;

static const guint8 *
get_bytes(bin_reader *r, gsize n)
{
    const guint8 *p = r->p;

    if (r->bad || r->left < n) {
        r->bad = true;
        return NULL;
    }
    r->p += n;
    r->left -= n;
    return p;
}

static guint32
get_u32(bin_reader *r)
{
    const guint8 *b = get_bytes(r, 4);

    if (!b)
        return 0;
    return (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 | (guint32) b[3] << 24;
}

static guint64
get_u64(bin_reader *r)
{
    guint64 lo = get_u32(r);

    return lo | (guint64) get_u32(r) << 32;
}

static guint8
get_u8(bin_reader *r)
{
    const guint8 *b = get_bytes(r, 1);

    return b ? b[0] : 0;
}

static bool
get_bool(bin_reader *r)
{
    guint8 v = get_u8(r);

    if (v > 1)
        r->bad = true;
    return v == 1;
}

/* An enum stored as u8, checked against its range. */
static int
get_enum(bin_reader *r, int last)
{
    int v = get_u8(r);

    if (v >= last) {
        r->bad = true;
        return 0;
    }
    return v;
}

static char *
get_str(bin_reader *r)
{
    guint32 len = get_u32(r);
    const guint8 *b;

    if (r->bad || len == VSH_BIN_NULL_STR)
        return NULL;
    if (!(b = get_bytes(r, len)))
        return NULL;
    if (memchr(b, '\0', len)) {
        r->bad = true;
        return NULL;
    }
    return g_strndup((const char *) b, len);
}

/* An element count: each element takes at least @min_size bytes, so a count larger than
 * what is left is refused before anything is allocated for it. */
static guint32
get_count(bin_reader *r, gsize min_size)
{
    guint32 n = get_u32(r);

    if (!r->bad && (gsize) n > r->left / min_size)
        r->bad = true;
    return r->bad ? 0 : n;
}

static void
get_strv(bin_reader *r, GPtrArray *v)
{
    guint32 n = get_count(r, 4);
    guint32 i;

    for (i = 0; i < n && !r->bad; i++) {
        char *s = get_str(r);

        if (!s) {
            r->bad = true;
            return;
        }
        g_ptr_array_add(v, s);
    }
}

static void
get_idmap(bin_reader *r, GArray *map)
{
    guint32 n = get_count(r, 12);
    guint32 i;

    for (i = 0; i < n && !r->bad; i++) {
        vsh_idmap_entry e;

        e.start = get_u32(r);
        e.target = get_u32(r);
        e.count = get_u32(r);
        g_array_append_val(map, e);
    }
}

static void
get_blkio_devices(bin_reader *r, GPtrArray *devices)
{
    guint32 n = get_count(r, 4 + 8 * VSH_BLKIO_FIELD_LAST);
    guint32 i;
    int field;

    for (i = 0; i < n && !r->bad; i++) {
        vsh_blkio_device_def *dev = g_new0(vsh_blkio_device_def, 1);

        g_ptr_array_add(devices, dev);
        if (!(dev->path = get_str(r))) {
            r->bad = true;
            return;
        }
        for (field = 0; field < VSH_BLKIO_FIELD_LAST; field++)
            dev->value[field] = get_u64(r);
    }
}

static void
get_cap_states(bin_reader *r, GArray *states)
{
    guint32 n = get_count(r, 2);
    guint32 i;

    for (i = 0; i < n && !r->bad; i++) {
        vsh_cap_state cs;

        cs.cap = get_u8(r);
        cs.on = get_bool(r);
        if (!vsh_cap_to_string(cs.cap))
            r->bad = true;
        g_array_append_val(states, cs);
    }
}

static void
get_os(bin_reader *r, vsh_os_def *os)
{
    guint32 n;
    guint32 i;

    os->type = get_enum(r, VSH_OS_TYPE_LAST);
    os->arch = get_str(r);
    os->machine = get_str(r);
    os->init = get_str(r);
    get_strv(r, os->initargs);
    n = get_count(r, 8);
    for (i = 0; i < n && !r->bad; i++) {
        vsh_env_var *var = g_new0(vsh_env_var, 1);

        var->name = get_str(r);
        var->value = get_str(r);
        g_ptr_array_add(os->initenv, var);
        if (!var->name || !var->value)
            r->bad = true;
    }
    os->initdir = get_str(r);
    os->inituser = get_str(r);
    os->initgroup = get_str(r);
    n = get_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        int dev = get_enum(r, VSH_BOOT_LAST);

        g_array_append_val(os->boot, dev);
    }
}

static void
get_metadata(bin_reader *r, vsh_metadata_def *md)
{
    guint32 n;
    guint32 i;

    md->present = get_bool(r);
    md->has_pids_limit = get_bool(r);
    md->pids_limit = get_u64(r);
    get_strv(r, md->caps_keep);
    get_strv(r, md->caps_drop);
    md->seccomp = get_enum(r, VSH_TRISTATE_LAST);
    n = get_count(r, 20);
    for (i = 0; i < n && !r->bad; i++) {
        vsh_rlimit_def rl;

        rl.resource = (int) get_u32(r);
        rl.soft = get_u64(r);
        rl.hard = get_u64(r);
        g_array_append_val(md->rlimits, rl);
    }
}

static vsh_net_def *
get_net(bin_reader *r)
{
    vsh_net_def *net = vsh_net_def_new();
    guint32 n;
    guint32 i;

    net->type = get_enum(r, VSH_NET_TYPE_LAST);
    net->bridge = get_str(r);
    net->mac = get_str(r);
    net->mac_generated = get_bool(r);
    net->target_dev = get_str(r);
    net->guest_dev = get_str(r);
    net->model = get_str(r);
    n = get_count(r, 16);
    for (i = 0; i < n && !r->bad; i++) {
        vsh_net_ip_def *ip = g_new0(vsh_net_ip_def, 1);

        g_ptr_array_add(net->ips, ip);
        ip->address = get_str(r);
        ip->family = (int) get_u32(r);
        ip->prefix = get_u32(r);
        ip->peer = get_str(r);
    }
    n = get_count(r, 16);
    for (i = 0; i < n && !r->bad; i++) {
        vsh_net_route_def *rt = g_new0(vsh_net_route_def, 1);

        g_ptr_array_add(net->routes, rt);
        rt->address = get_str(r);
        rt->family = (int) get_u32(r);
        rt->prefix = get_u32(r);
        rt->gateway = get_str(r);
    }
    return net;
}

vsh_domain_def *
vsh_domain_def_decode(const guint8 *buf, gsize len)
{
    g_autoptr(vsh_domain_def) def = vsh_domain_def_new();
    bin_reader r = { buf, len, false };
    const guint8 *magic = get_bytes(&r, 4);
    const guint8 *uuid;
    guint32 n;
    guint32 i;

    if (!magic || memcmp(magic, VSH_DOMAIN_BIN_MAGIC, 4) != 0 ||
        get_u32(&r) != VSH_DOMAIN_BIN_VERSION)
        return NULL;

    def->type = get_enum(&r, VSH_DOMAIN_TYPE_LAST);
    def->id = (int) get_u32(&r);
    def->name = get_str(&r);
    if ((uuid = get_bytes(&r, sizeof(def->uuid))))
        memcpy(def->uuid, uuid, sizeof(def->uuid));
    def->title = get_str(&r);
    def->description = get_str(&r);
    def->metadata_other = get_str(&r);
    get_metadata(&r, &def->vsh);
    def->on_poweroff = get_enum(&r, VSH_LIFECYCLE_LAST);
    def->on_reboot = get_enum(&r, VSH_LIFECYCLE_LAST);
    def->on_crash = get_enum(&r, VSH_LIFECYCLE_LAST);
    def->has_on_poweroff = get_bool(&r);
    def->has_on_reboot = get_bool(&r);
    def->has_on_crash = get_bool(&r);
    def->privnet = get_enum(&r, VSH_TRISTATE_LAST);
    def->has_caps = get_bool(&r);
    def->caps_policy = get_enum(&r, VSH_CAPS_POLICY_LAST);
    get_cap_states(&r, def->cap_states);

    def->max_memory_kib = get_u64(&r);
    def->cur_memory_kib = get_u64(&r);
    def->has_cur_memory = get_bool(&r);
    def->vcpus = get_u32(&r);
    def->vcpus_current = get_u32(&r);
    def->cpuset = get_str(&r);
    def->cputune.has_shares = get_bool(&r);
    def->cputune.shares = get_u64(&r);
    def->cputune.has_period = get_bool(&r);
    def->cputune.period = get_u64(&r);
    def->cputune.has_quota = get_bool(&r);
    def->cputune.quota = (gint64) get_u64(&r);
    def->memtune.hard_limit = get_u64(&r);
    def->memtune.soft_limit = get_u64(&r);
    def->memtune.swap_hard_limit = get_u64(&r);
    def->blkiotune.weight = get_u32(&r);
    get_blkio_devices(&r, def->blkiotune.devices);

    get_os(&r, &def->os);
    get_idmap(&r, def->idmap.uid);
    get_idmap(&r, def->idmap.gid);

    def->emulator = get_str(&r);
    n = get_count(&r, 23);
    for (i = 0; i < n && !r.bad; i++) {
        vsh_disk_def *disk = g_new0(vsh_disk_def, 1);

        g_ptr_array_add(def->disks, disk);
        disk->type = get_enum(&r, VSH_DISK_TYPE_LAST);
        disk->device = get_enum(&r, VSH_DISK_DEVICE_LAST);
        disk->driver_name = get_str(&r);
        disk->driver_type = get_str(&r);
        disk->source = get_str(&r);
        disk->target_dev = get_str(&r);
        disk->target_bus = get_str(&r);
        disk->readonly = get_bool(&r);
    }
    n = get_count(&r, 19);
    for (i = 0; i < n && !r.bad; i++) {
        vsh_fs_def *fs = g_new0(vsh_fs_def, 1);

        g_ptr_array_add(def->filesystems, fs);
        fs->type = get_enum(&r, VSH_FS_TYPE_LAST);
        fs->accessmode = get_enum(&r, VSH_FS_ACCESS_LAST);
        fs->source = get_str(&r);
        fs->usage_kib = get_u64(&r);
        fs->target = get_str(&r);
        fs->readonly = get_bool(&r);
    }
    n = get_count(&r, 30);
    for (i = 0; i < n && !r.bad; i++)
        g_ptr_array_add(def->interfaces, get_net(&r));
    n = get_count(&r, 13);
    for (i = 0; i < n && !r.bad; i++) {
        vsh_console_def *con = g_new0(vsh_console_def, 1);

        g_ptr_array_add(def->consoles, con);
        con->type = get_enum(&r, VSH_CONSOLE_TYPE_LAST);
        con->target_type = get_str(&r);
        con->target_port = (int) get_u32(&r);
        con->source_path = get_str(&r);
    }

    /* a definition always has a name; anything after the last field is foreign */
    if (r.bad || r.left != 0 || !def->name)
        return NULL;
    return g_steal_pointer(&def);
}

int
vsh_domain_def_decode_identity(const guint8 *buf, gsize len, vsh_domain_type *ret_type,
                               unsigned char ret_uuid[16])
{
    bin_reader r = { buf, len, false };
    const guint8 *magic = get_bytes(&r, 4);
    const guint8 *uuid;
    g_autofree char *name = NULL;
    int type;

    if (!magic || memcmp(magic, VSH_DOMAIN_BIN_MAGIC, 4) != 0 ||
        get_u32(&r) != VSH_DOMAIN_BIN_VERSION)
        return -1;
    /* the first fields of the layout, in vsh_domain_def_encode's order */
    type = get_enum(&r, VSH_DOMAIN_TYPE_LAST);
    (void) get_u32(&r);
    name = get_str(&r);
    uuid = get_bytes(&r, 16);
    if (r.bad || !name || !uuid)
        return -1;
    *ret_type = type;
    memcpy(ret_uuid, uuid, 16);
    return 0;
}

/* A deep copy, through the binary form: exact by construction (see above). */
vsh_domain_def *
vsh_domain_def_copy(const vsh_domain_def *def)
{
    g_autoptr(GByteArray) bin = g_byte_array_sized_new(1024);
    vsh_domain_def *copy;

    vsh_domain_def_encode(def, bin);
    /* Our own encoding always decodes; anything else is a bug in one of the two. */
    if (!(copy = vsh_domain_def_decode(bin->data, bin->len)))
        g_error("cannot copy the definition of domain '%s'", def->name);
    return copy;
}
