/*
 * store.c — definitions, live state, locks and reconciliation (DESIGN.md "One store").
 *
 * The status document STATE/NAME.xml of an active domain wraps its live definition:
 *     <domstatus state='1' reason='1' id='3' pid='0' monitor_pid='0'>
 *     <domain type='qemu' id='3'>...</domain>
 *     </domstatus>
 * state and reason use libvirt's numbers (vsh.h). An unsupervised domain is active exactly
 * while this file exists; a supervised one while its monitor also holds STATE/NAME.lock.
 *
 * Two locks, because the monitor holds NAME.lock for the whole life of a domain and so
 * cannot be the lock that serialises operations:
 *   STATE/.store.lock    store-wide; define, undefine and create take it so that names
 *                        and uuids stay unique across every type;
 *   STATE/.domains.lock  per domain; every mutating operation takes it (after the store
 *                        lock when it needs both), with a short timeout. The lock of
 *                        domain NAME is an OFD lock on one byte of this one file, at an
 *                        offset hashed from NAME (vsh_store_op_lock_offset), so that no
 *                        operation has to create a file of its own to be serialised.
 * Domain names have no spaces and the suffixes no dots, so no domain's file can be
 * another's ("a.status" is never the file of "a.st").
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "events.h"
#include "store.h"
#include "util/file.h"
#include "util/xml.h"
#include "xml-reader.h"

static char *
vsh_store_state_file(vsh_conn *conn, const char *name, const char *suffix)
{
    g_autofree char *base = g_strconcat(name, suffix, NULL);

    return g_build_filename(conn->state_dir, base, NULL);
}

static char *
vsh_store_config_file(vsh_conn *conn, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);

    return g_build_filename(conn->domains_dir, base, NULL);
}

/* ---------------------------------------------------------------- locks */

int
vsh_store_lock(vsh_conn *conn, GError **error)
{
    g_autofree char *path = g_build_filename(conn->state_dir, ".store.lock", NULL);
    g_autoptr(GError) err = NULL;
    int fd;

    if ((fd = vsh_file_lock(path, VSH_STORE_LOCK_TIMEOUT_MS, &err)) >= 0)
        return fd;
    if (g_error_matches(err, VSH_ERROR, VSH_ERROR_BUSY))
        return vsh_error_set_code_errno(error, VSH_ERROR_BUSY, EWOULDBLOCK,
                                        "the store '%s' is busy", conn->uri);
    g_propagate_error(error, g_steal_pointer(&err));
    return -1;
}

/*
 * The byte of STATE/.domains.lock that is domain @name's operation lock: FNV-1a of the
 * name, cut to 62 bits so that the offset is a valid, positive off_t. Two names that met
 * on one byte would only wait for each other (a collision serialises, never corrupts);
 * among a few thousand names that happens with odds of about 10^-12.
 */
off_t
vsh_store_op_lock_offset(const char *name)
{
    guint64 h = 14695981039346656037ull;
    const unsigned char *p;

    for (p = (const unsigned char *) name; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return (off_t) (h >> 2);
}

int
vsh_store_lock_domain(vsh_conn *conn, const char *name, GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    int fd;

    if (vsh_domain_name_check(name, error) < 0)
        return -1;
    path = g_build_filename(conn->state_dir, ".domains.lock", NULL);
    if ((fd = vsh_file_lock_byte(path, vsh_store_op_lock_offset(name),
                                 conn->op_lock_timeout_ms, &err)) >= 0)
        return fd;
    if (g_error_matches(err, VSH_ERROR, VSH_ERROR_BUSY))
        return vsh_error_set_code_errno(error, VSH_ERROR_BUSY, EWOULDBLOCK,
                                        "domain '%s' is busy", name);
    g_propagate_error(error, g_steal_pointer(&err));
    return -1;
}

/* ---------------------------------------------------------------- objects */

static void
vsh_domain_paths_fill(vsh_conn *conn, const char *name, vsh_domain_paths *paths)
{
    paths->state_dir = g_strdup(conn->state_dir);
    paths->lock_path = vsh_store_state_file(conn, name, ".lock");
    paths->console_path = vsh_store_state_file(conn, name, ".console");
    paths->pid_path = vsh_store_state_file(conn, name, ".pid");
    paths->exit_path = vsh_store_state_file(conn, name, ".exit");
    paths->events_path = g_build_filename(conn->state_dir, "events", NULL);
    paths->rootfs_dir = g_strdup(conn->rootfs_dir);
    paths->cgroup_partition = g_strdup(conn->cgroup_partition);
    paths->stop_path = vsh_store_state_file(conn, name, ".stop");
    paths->run_path = vsh_store_state_file(conn, name, ".run");
    paths->id_counter_path = g_build_filename(conn->state_dir, ".ids", NULL);
    paths->vnet_counter_path = g_build_filename(conn->state_dir, ".vnets", NULL);
}

static void
vsh_domain_paths_clear(vsh_domain_paths *paths)
{
    g_free(paths->state_dir);
    g_free(paths->lock_path);
    g_free(paths->console_path);
    g_free(paths->pid_path);
    g_free(paths->exit_path);
    g_free(paths->events_path);
    g_free(paths->rootfs_dir);
    g_free(paths->cgroup_partition);
    g_free(paths->stop_path);
    g_free(paths->run_path);
    g_free(paths->id_counter_path);
    g_free(paths->vnet_counter_path);
}

vsh_domain_obj *
vsh_domain_obj_new(vsh_conn *conn, const vsh_driver *driver, vsh_domain_def *def,
                   bool persistent)
{
    vsh_domain_obj *obj = g_new0(vsh_domain_obj, 1);

    obj->driver = driver;
    obj->name = g_strdup(def->name);
    memcpy(obj->uuid, def->uuid, sizeof(obj->uuid));
    if (persistent)
        obj->def = def;
    else
        obj->live = def;
    obj->state = VSH_DOMAIN_SHUTOFF;
    obj->reason = VSH_DOMAIN_SHUTOFF_UNKNOWN;
    obj->id = -1;
    vsh_domain_paths_fill(conn, obj->name, &obj->paths);
    if (driver->priv_new)
        obj->priv = driver->priv_new();
    return obj;
}

void
vsh_domain_obj_free(vsh_domain_obj *obj)
{
    if (!obj)
        return;
    if (obj->priv && obj->driver->priv_free)
        obj->driver->priv_free(obj->priv);
    vsh_domain_def_free(obj->def);
    vsh_domain_def_free(obj->live);
    vsh_domain_paths_clear(&obj->paths);
    g_free(obj->name);
    g_free(obj);
}

/* ---------------------------------------------------------------- reading files */

/* ---------------------------------------------------------------- binary twins */

/*
 * Beside the XML it keeps, the store writes the same definitions in their binary form
 * (conf/domain-bin.c), so that loading a domain needs no XML parser (xml-reader.h):
 *
 *   STATE/NAME.cache    CONFIG/domains/NAME.xml as the parser reads it, valid while that
 *                       file's device, inode, size, mtime and ctime are those recorded
 *   STATE/NAME.status   the status document: state, reason, ids and the live definition
 *
 * Both are runtime files (never synced). A missing, foreign or stale twin only costs a
 * parse of the XML, after which the cache is written again.
 */
#define VSH_TWIN_VERSION 1u

typedef struct {
    char magic[4];              /* "VSHC" */
    guint32 version;
    guint64 dev;
    guint64 ino;
    guint64 size;
    gint64 mtime_sec;
    gint64 mtime_nsec;
    gint64 ctime_sec;
    gint64 ctime_nsec;
} vsh_cache_header;

typedef struct {
    char magic[4];              /* "VSHS" */
    guint32 version;
    gint32 state;
    gint32 reason;
    gint32 id;
    gint32 pid;
    gint32 monitor_pid;
    guint32 reserved;
} vsh_status_header;

static void
vsh_cache_header_fill(vsh_cache_header *h, const struct stat *st)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, "VSHC", 4);
    h->version = VSH_TWIN_VERSION;
    h->dev = st->st_dev;
    h->ino = st->st_ino;
    h->size = (guint64) st->st_size;
    h->mtime_sec = st->st_mtim.tv_sec;
    h->mtime_nsec = st->st_mtim.tv_nsec;
    h->ctime_sec = st->st_ctim.tv_sec;
    h->ctime_nsec = st->st_ctim.tv_nsec;
}

/* Reads a whole twin file; NULL when it is absent or unreadable (a miss, not an error).
 * A read shorter than asked is taken as the end of the file, which it is for a regular
 * file, saving the read that returns 0 on the hot path of `vsh list`; a twin that was
 * nevertheless cut short fails to decode, which is again only a miss. */
static GBytes *
vsh_twin_read(const char *path)
{
    vsh_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
    gsize cap = 4096;
    gsize len = 0;
    guint8 *buf;

    if (fd < 0)
        return NULL;
    buf = g_malloc(cap);
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            g_free(buf);
            return NULL;
        }
        len += (gsize) n;
        if (len < cap)
            break;
        if (cap >= VSH_STORE_MAX_FILE) {
            g_free(buf);
            return NULL;
        }
        cap *= 2;
        buf = g_realloc(buf, cap);
    }
    return g_bytes_new_take(buf, len);
}

/* Best effort, like every cache: a failure only means the next load parses the XML.
 * @reread: @def is the parser's output, encoded as reading its XML back gives it. */
static void
vsh_twin_write(const char *path, const void *header, size_t header_len,
               const vsh_domain_def *def, bool reread)
{
    g_autoptr(GByteArray) bin = g_byte_array_sized_new(2048);

    g_byte_array_append(bin, header, (guint) header_len);
    if (reread)
        vsh_domain_def_encode_reread(def, bin);
    else
        vsh_domain_def_encode(def, bin);
    (void) vsh_file_write_runtime(path, bin->data, bin->len, 0600, NULL);
}

/* The cache of CONFIG/domains/NAME.xml when it matches @st (the encoded definition
 * starts at sizeof(vsh_cache_header)), else NULL. */
static GBytes *
vsh_store_read_cache_raw(vsh_conn *conn, const char *name, const struct stat *st)
{
    g_autofree char *path = vsh_store_state_file(conn, name, ".cache");
    g_autoptr(GBytes) bytes = vsh_twin_read(path);
    vsh_cache_header want;
    const guint8 *data;
    gsize len;

    if (!bytes)
        return NULL;
    data = g_bytes_get_data(bytes, &len);
    vsh_cache_header_fill(&want, st);
    if (len < sizeof(want) || memcmp(data, &want, sizeof(want)) != 0)
        return NULL;
    return g_steal_pointer(&bytes);
}

/* The cached definition of CONFIG/domains/NAME.xml when it matches @st, else NULL. */
static vsh_domain_def *
vsh_store_read_cache(vsh_conn *conn, const char *name, const struct stat *st)
{
    g_autoptr(GBytes) bytes = vsh_store_read_cache_raw(conn, name, st);
    const guint8 *data;
    gsize len;

    if (!bytes)
        return NULL;
    data = g_bytes_get_data(bytes, &len);
    return vsh_domain_def_decode(data + sizeof(vsh_cache_header),
                                 len - sizeof(vsh_cache_header));
}

/* The type and uuid of domain @name from the head of a fresh cache of its definition,
 * without decoding the rest: 0, or -1 when there is no definition or no fresh cache. */
static int
vsh_store_cached_identity(vsh_conn *conn, const char *name, vsh_domain_type *ret_type,
                          unsigned char ret_uuid[16])
{
    g_autofree char *config = vsh_store_config_file(conn, name);
    g_autoptr(GBytes) bytes = NULL;
    const guint8 *data;
    struct stat sb;
    gsize len;

    if (stat(config, &sb) < 0 || !(bytes = vsh_store_read_cache_raw(conn, name, &sb)))
        return -1;
    data = g_bytes_get_data(bytes, &len);
    return vsh_domain_def_decode_identity(data + sizeof(vsh_cache_header),
                                          len - sizeof(vsh_cache_header), ret_type, ret_uuid);
}

static void
vsh_store_write_cache(vsh_conn *conn, const char *name, const struct stat *st,
                      const vsh_domain_def *def, bool reread)
{
    g_autofree char *path = vsh_store_state_file(conn, name, ".cache");
    vsh_cache_header h;

    if (conn->read_only)
        return;
    vsh_cache_header_fill(&h, st);
    vsh_twin_write(path, &h, sizeof(h), def, reread);
}

/* ---------------------------------------------------------------- reading files */

static vsh_domain_def *
vsh_store_read_config(vsh_conn *conn, const char *name, GError **error)
{
    g_autofree char *path = vsh_store_config_file(conn, name);
    g_autoptr(vsh_domain_def) def = NULL;
    struct stat st;

    if (stat(path, &st) < 0) {
        if (errno == ENOENT)
            return NULL;
        vsh_error_set_errno(error, errno, "cannot read '%s'", path);
        return NULL;
    }
    if (!(def = vsh_store_read_cache(conn, name, &st))) {
        if (!(def = vsh_xml_parse_domain_file(path, VSH_DOMAIN_DEF_PARSE_NO_SCHEMA, error)))
            return NULL;
        vsh_store_write_cache(conn, name, &st, def, false);
    }
    /* A file renamed by hand must not make two domains of one name. */
    if (strcmp(def->name, name) != 0) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "definition '%s' names domain '%s'", path,
                      def->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* STATE/NAME.status: 1 with *ret filled, 0 when it is absent or not ours. */
static int
vsh_store_read_status_twin(vsh_conn *conn, const char *name, vsh_status_doc *ret)
{
    g_autofree char *path = vsh_store_state_file(conn, name, ".status");
    g_autoptr(GBytes) bytes = vsh_twin_read(path);
    vsh_status_header h;
    const guint8 *data;
    gsize len;

    if (!bytes)
        return 0;
    data = g_bytes_get_data(bytes, &len);
    if (len < sizeof(h))
        return 0;
    memcpy(&h, data, sizeof(h));
    if (memcmp(h.magic, "VSHS", 4) != 0 || h.version != VSH_TWIN_VERSION ||
        !(ret->live = vsh_domain_def_decode(data + sizeof(h), len - sizeof(h))))
        return 0;
    ret->state = h.state;
    ret->reason = h.reason;
    ret->id = h.id;
    ret->pid = h.pid;
    ret->monitor_pid = h.monitor_pid;
    return 1;
}

/* Reads the status of domain @name: its binary twin, else STATE/NAME.xml. Returns 1
 * with *ret filled, 0 when the domain is not active. */
static int
vsh_store_read_status(vsh_conn *conn, const char *name, vsh_status_doc *ret,
                      GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *buf = NULL;
    g_autoptr(GError) err = NULL;
    int len;

    if (vsh_store_read_status_twin(conn, name, ret))
        return 1;
    path = vsh_store_state_file(conn, name, ".xml");
    /* the common case, an inactive domain, without building an error to drop */
    if (access(path, F_OK) < 0 && errno == ENOENT)
        return 0;
    if ((len = vsh_file_read_all(path, VSH_STORE_MAX_FILE, &buf, &err)) < 0) {
        if (vsh_error_errno(err) == ENOENT)
            return 0;
        g_propagate_error(error, g_steal_pointer(&err));
        return -1;
    }
    if (vsh_xml_parse_status(path, buf, (size_t) len, ret, error) < 0)
        return -1;
    return 1;
}

/* Reads a one-word reason file (NAME.exit, NAME.shutoff): the reason, or -1 when absent
 * or unreadable. */
static int
vsh_store_read_reason(const char *path)
{
    g_autofree char *buf = NULL;

    if (vsh_file_read_all(path, 64, &buf, NULL) < 0)
        return -1;
    return vsh_domain_shutoff_reason_from_word(g_strstrip(buf));
}

/* "INIT_PID MONITOR_PID\n" from the monitor (drivers/common/launch.h). */
static int
vsh_store_read_pids(vsh_domain_obj *obj, GError **error)
{
    g_autofree char *buf = NULL;
    g_auto(GStrv) f = NULL;
    gint64 pid;
    gint64 mpid;

    if (vsh_file_read_all(obj->paths.pid_path, 64, &buf, error) < 0)
        return -1;
    f = g_strsplit(g_strstrip(buf), " ", 0);
    if (g_strv_length(f) != 2 ||
        !g_ascii_string_to_signed(f[0], 10, 1, G_MAXINT, &pid, NULL) ||
        !g_ascii_string_to_signed(f[1], 10, 1, G_MAXINT, &mpid, NULL))
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "malformed pid file '%s'",
                             obj->paths.pid_path);
    obj->pid = (pid_t) pid;
    obj->monitor_pid = (pid_t) mpid;
    obj->id = (int) pid;
    return 0;
}

/* ---------------------------------------------------------------- loading */

static vsh_domain_obj *
vsh_store_no_domain(const char *name, GError **error)
{
    vsh_error_set(error, VSH_ERROR_NO_DOMAIN, "no domain with matching name '%s'", name);
    return NULL;
}

/* The definition and live state as the files say, without reconciliation. */
static vsh_domain_obj *
vsh_store_load_raw(vsh_conn *conn, const char *name, unsigned int flags, GError **error)
{
    bool scanned = (flags & VSH_STORE_LOAD_SCANNED) != 0;
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(vsh_domain_def) live = NULL;
    g_autoptr(GError) err = NULL;
    vsh_status_doc st = { 0 };
    const vsh_driver *drv;
    vsh_domain_obj *obj;
    int active;

    if (!(def = vsh_store_read_config(conn, name, &err)) && err) {
        g_propagate_error(error, g_steal_pointer(&err));
        return NULL;
    }
    /* a listing's scan saw no status document: the domain was inactive when it looked */
    if (scanned && !(flags & VSH_STORE_SEEN_STATUS))
        active = 0;
    else if ((active = vsh_store_read_status(conn, name, &st, error)) < 0)
        return NULL;
    live = st.live;
    if (!def && !live)
        return vsh_store_no_domain(name, error);
    /* A connection narrowed to one type does not see the others' domains. */
    if (!(drv = vsh_conn_driver_for_type(conn, def ? def->type : live->type)))
        return vsh_store_no_domain(name, error);
    if (def) {
        obj = vsh_domain_obj_new(conn, drv, g_steal_pointer(&def), true);
        obj->live = g_steal_pointer(&live);
    } else {
        obj = vsh_domain_obj_new(conn, drv, g_steal_pointer(&live), false);
    }
    if (active) {
        obj->state = st.state;
        obj->reason = st.reason;
        obj->id = st.id;
        obj->pid = st.pid;
        obj->monitor_pid = st.monitor_pid;
    } else {
        g_autofree char *path = vsh_store_state_file(conn, name, ".shutoff");
        int reason = scanned && !(flags & VSH_STORE_SEEN_SHUTOFF) ?
            -1 : vsh_store_read_reason(path);

        obj->reason = reason < 0 ? VSH_DOMAIN_SHUTOFF_UNKNOWN : reason;
    }
    return obj;
}

/*
 * The monitor of @obj is gone. When the caller holds the operation lock, finish the
 * domain for good (the driver's leftovers, the state files, the Crashed event unless the
 * monitor logged why it stopped); otherwise only report it shut off. Returns 0, or -1
 * with VSH_ERROR_NO_DOMAIN when a transient domain vanished.
 */
static int
vsh_store_reconcile(vsh_conn *conn, vsh_domain_obj *obj, bool locked, GError **error)
{
    int reason;

    if (!locked) {
        reason = vsh_store_read_reason(obj->paths.exit_path);
        obj->state = VSH_DOMAIN_SHUTOFF;
        obj->reason = reason < 0 ? VSH_DOMAIN_SHUTOFF_CRASHED : reason;
        obj->id = -1;
        obj->pid = obj->monitor_pid = 0;
        return 0;
    }
    if (obj->driver->cleanup)
        obj->driver->cleanup(obj);
    vsh_store_stopped(conn, obj, VSH_DOMAIN_SHUTOFF_CRASHED);
    if (!obj->def) {
        vsh_store_no_domain(obj->name, error);
        return -1;
    }
    return 0;
}

/* A supervised active domain whose monitor holds its lock: the monitor's pids. */
static int
vsh_store_load_monitor(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    if (vsh_store_read_pids(obj, error) < 0)
        return -1;
    if (flags & VSH_STORE_LOAD_NO_REFRESH)
        return 0;
    return obj->driver->refresh ? obj->driver->refresh(obj, error) : 0;
}

vsh_domain_obj *
vsh_store_load(vsh_conn *conn, const char *name, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    g_autoptr(GError) err = NULL;
    vsh_autoclose int lock_fd = -1;
    int locked;

    if (vsh_domain_name_check(name, error) < 0)
        return NULL;
    if (!(obj = vsh_store_load_raw(conn, name, flags, error)))
        return NULL;
    if (!obj->live || !obj->driver->supervised)
        return g_steal_pointer(&obj);
    if ((locked = vsh_file_is_locked(obj->paths.lock_path, error)) < 0)
        return NULL;
    if (locked)
        return vsh_store_load_monitor(obj, flags, error) < 0 ? NULL : g_steal_pointer(&obj);
    /* Reconciliation changes the store: a read-only connection only reports. Exactly one
     * process finalises a dead domain, the one holding its operation lock; take it, then
     * look again, since another process may have finished the domain meanwhile. */
    if (conn->read_only || (flags & VSH_STORE_LOAD_LOCKED))
        return vsh_store_reconcile(conn, obj, !conn->read_only, error) < 0 ?
            NULL : g_steal_pointer(&obj);
    if ((lock_fd = vsh_store_lock_domain(conn, name, &err)) < 0) {
        if (!g_error_matches(err, VSH_ERROR, VSH_ERROR_BUSY)) {
            g_propagate_error(error, g_steal_pointer(&err));
            return NULL;
        }
        /* The process at work on the domain will finish it; a look (a list) must not
         * fail because of that, so report what the files say. */
        return vsh_store_reconcile(conn, obj, false, error) < 0 ? NULL : g_steal_pointer(&obj);
    }
    g_clear_pointer(&obj, vsh_domain_obj_free);
    return vsh_store_load(conn, name, flags | VSH_STORE_LOAD_LOCKED, error);
}

/* ---------------------------------------------------------------- listing */

/* Adds to @names (name -> load flags) every domain that has a file "NAME.xml" in @path,
 * and remembers which of its state files exist when @state. */
static void
vsh_store_scan_dir(const char *path, GHashTable *names, bool state)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *entry;

    /* A missing directory (read-only connection to a fresh store) lists nothing. */
    if (!dir)
        return;
    while ((entry = g_dir_read_name(dir))) {
        const char *dot = strrchr(entry, '.');
        unsigned int seen = 0;
        g_autofree char *name = NULL;
        gpointer old;

        if (!dot)
            continue;
        if (strcmp(dot, ".xml") == 0)
            seen = state ? VSH_STORE_SEEN_STATUS : 0;
        else if (state && strcmp(dot, ".status") == 0)
            seen = VSH_STORE_SEEN_STATUS;
        else if (state && strcmp(dot, ".shutoff") == 0)
            seen = VSH_STORE_SEEN_SHUTOFF;
        else
            continue;
        name = g_strndup(entry, (gsize) (dot - entry));
        /* Temporary files start with '.', which no valid name does. */
        if (!vsh_domain_name_is_valid(name))
            continue;
        if (g_hash_table_lookup_extended(names, name, NULL, &old)) {
            seen |= GPOINTER_TO_UINT(old);
            if (strcmp(dot, ".xml") == 0)
                seen &= ~VSH_STORE_SEEN_ORPHAN;
            g_hash_table_insert(names, g_steal_pointer(&name), GUINT_TO_POINTER(seen));
        }
        else if (!state || strcmp(dot, ".xml") == 0)
            /* a domain is a definition or a status document, not a reason file alone */
            g_hash_table_insert(names, g_steal_pointer(&name), GUINT_TO_POINTER(seen));
        else
            g_hash_table_insert(names, g_steal_pointer(&name),
                                GUINT_TO_POINTER(seen | VSH_STORE_SEEN_ORPHAN));
    }
}

static gint
vsh_store_entry_cmp(gconstpointer a, gconstpointer b)
{
    const vsh_store_entry *ea = *(vsh_store_entry *const *) a;
    const vsh_store_entry *eb = *(vsh_store_entry *const *) b;

    return strcmp(ea->name, eb->name);
}

static void
vsh_store_entry_free(vsh_store_entry *e)
{
    g_free(e->name);
    g_free(e);
}

GPtrArray *
vsh_store_list(vsh_conn *conn, GError **error)
{
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *ret = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_store_entry_free);
    GHashTableIter iter;
    gpointer key;
    gpointer value;

    (void) error;
    vsh_store_scan_dir(conn->domains_dir, names, false);
    vsh_store_scan_dir(conn->state_dir, names, true);
    g_hash_table_iter_init(&iter, names);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        unsigned int seen = GPOINTER_TO_UINT(value);
        vsh_store_entry *e;

        if (seen & VSH_STORE_SEEN_ORPHAN)
            continue;
        e = g_new0(vsh_store_entry, 1);
        g_hash_table_iter_steal(&iter);
        e->name = key;
        e->seen = seen;
        g_ptr_array_add(ret, e);
    }
    g_ptr_array_sort(ret, vsh_store_entry_cmp);
    return ret;
}

GPtrArray *
vsh_store_list_names(vsh_conn *conn, GError **error)
{
    g_autoptr(GPtrArray) entries = vsh_store_list(conn, error);
    GPtrArray *ret = g_ptr_array_new_full(entries->len, g_free);
    guint i;

    for (i = 0; i < entries->len; i++) {
        vsh_store_entry *e = entries->pdata[i];

        g_ptr_array_add(ret, g_steal_pointer(&e->name));
    }
    return ret;
}

int
vsh_store_peek(vsh_conn *conn, const char *name, unsigned char ret_uuid[16],
               vsh_domain_type *ret_type, GError **error)
{
    return vsh_store_peek_scanned(conn, name, 0, ret_uuid, ret_type, error);
}

int
vsh_store_peek_scanned(vsh_conn *conn, const char *name, unsigned int flags,
                       unsigned char ret_uuid[16], vsh_domain_type *ret_type, GError **error)
{
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(GError) err = NULL;
    vsh_status_doc st = { 0 };
    int active;

    if (vsh_domain_name_check(name, error) < 0)
        return -1;
    if (vsh_store_cached_identity(conn, name, ret_type, ret_uuid) == 0)
        return 1;
    if (!(def = vsh_store_read_config(conn, name, &err)) && err) {
        g_propagate_error(error, g_steal_pointer(&err));
        return -1;
    }
    if (!def) {
        if ((flags & VSH_STORE_LOAD_SCANNED) && !(flags & VSH_STORE_SEEN_STATUS))
            return 0;
        if ((active = vsh_store_read_status(conn, name, &st, error)) <= 0)
            return active;
        def = st.live;
    }
    memcpy(ret_uuid, def->uuid, 16);
    *ret_type = def->type;
    return 1;
}

int
vsh_store_peek_inactive(vsh_conn *conn, const vsh_store_entry *e, vsh_domain_type *ret_type,
                        unsigned char ret_uuid[16], int *ret_reason)
{
    int reason = -1;

    if ((e->seen & VSH_STORE_SEEN_STATUS) ||
        vsh_store_cached_identity(conn, e->name, ret_type, ret_uuid) < 0)
        return 0;
    if (e->seen & VSH_STORE_SEEN_SHUTOFF) {
        g_autofree char *path = vsh_store_state_file(conn, e->name, ".shutoff");

        reason = vsh_store_read_reason(path);
    }
    *ret_reason = reason < 0 ? VSH_DOMAIN_SHUTOFF_UNKNOWN : reason;
    return 1;
}

/* ---------------------------------------------------------------- writing */

int
vsh_store_save_config(vsh_conn *conn, const vsh_domain_def *def, bool from_parser,
                      GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *cache = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(vsh_domain_def) stored = NULL;
    struct stat st;

    if (vsh_domain_name_check(def->name, error) < 0)
        return -1;
    path = vsh_store_config_file(conn, def->name);
    cache = vsh_store_state_file(conn, def->name, ".cache");
    xml = vsh_domain_def_format(def, 0);
    (void) unlink(cache);
    if (vsh_file_write_atomic(path, xml, 0600, error) < 0)
        return -1;
    /* The cache holds what the next load would parse from the file, not @def itself:
     * the XML does not carry everything a definition in memory does. The parser's own
     * output is encoded as it reads back; anything else is read back. */
    if (stat(path, &st) < 0)
        return 0;
    if (from_parser)
        vsh_store_write_cache(conn, def->name, &st, def, true);
    else if ((stored = vsh_xml_parse_domain(xml, path, VSH_DOMAIN_DEF_PARSE_NO_SCHEMA, NULL)))
        vsh_store_write_cache(conn, def->name, &st, stored, false);
    return 0;
}

int
vsh_store_delete_config(vsh_conn *conn, const char *name, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *shutoff = NULL;
    g_autofree char *cache = NULL;

    if (vsh_domain_name_check(name, error) < 0)
        return -1;
    if (vsh_store_set_autostart(conn, name, false, error) < 0)
        return -1;
    path = vsh_store_config_file(conn, name);
    shutoff = vsh_store_state_file(conn, name, ".shutoff");
    cache = vsh_store_state_file(conn, name, ".cache");
    if (vsh_file_remove(path, error) < 0)
        return -1;
    (void) vsh_file_remove(shutoff, NULL);
    (void) vsh_file_remove(cache, NULL);
    return 0;
}

int
vsh_store_save_status(vsh_conn *conn, const vsh_domain_obj *obj, GError **error)
{
    g_autofree char *path = vsh_store_state_file(conn, obj->name, ".xml");
    g_autofree char *twin = vsh_store_state_file(conn, obj->name, ".status");
    g_autoptr(GString) doc = g_string_new(NULL);
    g_autoptr(GByteArray) bin = g_byte_array_sized_new(2048);
    g_autofree char *xml = NULL;
    vsh_status_header h = { .magic = "VSHS", .version = VSH_TWIN_VERSION };

    g_return_val_if_fail(obj->live, -1);
    obj->live->id = obj->id;
    h.state = obj->state;
    h.reason = obj->reason;
    h.id = obj->id;
    h.pid = (gint32) obj->pid;
    h.monitor_pid = (gint32) obj->monitor_pid;
    g_byte_array_append(bin, (const guint8 *) &h, sizeof(h));
    vsh_domain_def_encode(obj->live, bin);
    xml = vsh_domain_def_format(obj->live, VSH_DOMAIN_DEF_FORMAT_LIVE);
    g_string_append_printf(doc, "<domstatus state='%d' reason='%d' id='%d' pid='%d' "
                           "monitor_pid='%d'>\n", obj->state, obj->reason, obj->id,
                           (int) obj->pid, (int) obj->monitor_pid);
    g_string_append(doc, xml);
    g_string_append(doc, "</domstatus>\n");
    /* The twin first: readers take it over the XML, so it is never the older one. */
    if (vsh_file_write_runtime(twin, bin->data, bin->len, 0600, error) < 0)
        return -1;
    return vsh_file_write_runtime(path, doc->str, doc->len, 0600, error);
}

int
vsh_store_prepare_start(vsh_conn *conn, vsh_domain_obj *obj, GError **error)
{
    g_autofree char *shutoff = vsh_store_state_file(conn, obj->name, ".shutoff");

    if (vsh_file_remove(obj->paths.exit_path, error) < 0 ||
        vsh_file_remove(obj->paths.stop_path, error) < 0 ||
        vsh_file_remove(obj->paths.run_path, error) < 0 ||
        vsh_file_remove(obj->paths.pid_path, error) < 0)
        return -1;
    return vsh_file_remove(shutoff, error);
}

int
vsh_store_write_stop(vsh_conn *conn, vsh_domain_obj *obj, const char *word, GError **error)
{
    g_autofree char *line = g_strconcat(word, "\n", NULL);

    (void) conn;
    return vsh_file_write_runtime(obj->paths.stop_path, line, strlen(line), 0600, error);
}

void
vsh_store_clear_stop(vsh_conn *conn, vsh_domain_obj *obj)
{
    (void) conn;
    (void) unlink(obj->paths.stop_path);
}

static int
vsh_store_stop_detail(int reason)
{
    switch (reason) {
    case VSH_DOMAIN_SHUTOFF_DESTROYED:
        return VSH_EVENT_STOPPED_DESTROYED;
    case VSH_DOMAIN_SHUTOFF_CRASHED:
        return VSH_EVENT_STOPPED_CRASHED;
    case VSH_DOMAIN_SHUTOFF_FAILED:
        return VSH_EVENT_STOPPED_FAILED;
    default:
        return VSH_EVENT_STOPPED_SHUTDOWN;
    }
}

void
vsh_store_stopped(vsh_conn *conn, vsh_domain_obj *obj, int reason)
{
    g_autofree char *status = vsh_store_state_file(conn, obj->name, ".xml");
    g_autofree char *twin = vsh_store_state_file(conn, obj->name, ".status");
    int exit_reason = -1;

    if (obj->driver->supervised)
        exit_reason = vsh_store_read_reason(obj->paths.exit_path);
    if (exit_reason >= 0)
        reason = exit_reason;   /* the monitor logged its own Stopped event */
    else
        vsh_event_emit(obj, VSH_EVENT_STOPPED, vsh_store_stop_detail(reason));
    /* The reason first: whoever sees the domain inactive must also see why. Failures to
     * remove leftovers are dropped: the domain has stopped whatever the files say, and
     * the next start removes them again. */
    vsh_store_set_shutoff_reason(conn, obj, reason);
    (void) vsh_file_remove(twin, NULL);
    (void) vsh_file_remove(status, NULL);
    (void) vsh_file_remove(obj->paths.pid_path, NULL);
    (void) vsh_file_remove(obj->paths.exit_path, NULL);
    (void) vsh_file_remove(obj->paths.stop_path, NULL);
    (void) vsh_file_remove(obj->paths.run_path, NULL);
    if (obj->driver->supervised)
        (void) vsh_file_remove(obj->paths.console_path, NULL);
    if (obj->def)
        g_clear_pointer(&obj->live, vsh_domain_def_free);
    obj->state = VSH_DOMAIN_SHUTOFF;
    obj->reason = reason;
    obj->id = -1;
    obj->pid = obj->monitor_pid = 0;
}

void
vsh_store_set_shutoff_reason(vsh_conn *conn, vsh_domain_obj *obj, int reason)
{
    g_autofree char *shutoff = vsh_store_state_file(conn, obj->name, ".shutoff");
    g_autofree char *word = NULL;

    obj->reason = reason;
    if (!obj->def)
        return;
    word = g_strconcat(vsh_domain_shutoff_reason_to_word(reason), "\n", NULL);
    (void) vsh_file_write_runtime(shutoff, word, strlen(word), 0600, NULL);
}

/* ---------------------------------------------------------------- autostart */

int
vsh_store_get_autostart(vsh_conn *conn, const char *name, bool *ret_autostart,
                        GError **error)
{
    g_autofree char *link = NULL;

    if (vsh_domain_name_check(name, error) < 0)
        return -1;
    link = g_build_filename(conn->autostart_dir, name, NULL);
    *ret_autostart = vsh_file_exists(link);
    return 0;
}

int
vsh_store_set_autostart(vsh_conn *conn, const char *name, bool autostart, GError **error)
{
    g_autofree char *link = NULL;
    g_autofree char *target = NULL;

    if (vsh_domain_name_check(name, error) < 0)
        return -1;
    link = g_build_filename(conn->autostart_dir, name, NULL);
    if (!autostart)
        return vsh_file_remove(link, error);
    /* Relative, so that a store moved as a whole (embed roots) keeps its links. */
    target = g_strconcat("../domains/", name, ".xml", NULL);
    if (symlink(target, link) < 0 && errno != EEXIST)
        return vsh_error_set_errno(error, errno, "cannot create '%s'", link);
    return 0;
}
