/*
 * conn.c — connections: URI parsing, driver selection and the store's directories.
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "internal.h"
#include "util/file.h"

/* The system store (DESIGN.md): fixed paths, as libvirt's are, whatever the prefix. */
#define VSH_SYSTEM_CONFIG_DIR "/etc/vsh"
#define VSH_SYSTEM_STATE_DIR "/run/vsh"
#define VSH_SYSTEM_LIB_DIR "/var/lib/vsh"

static const vsh_driver *const *test_drivers;

void
vsh_conn_test_set_drivers(const vsh_driver *const *drivers)
{
    test_drivers = drivers;
}

typedef struct {
    char *scheme;               /* "vsh", "lxc", "chroot", "qemu" */
    bool embed;
    char *root;                 /* embed only: the decoded, absolute DIR */
} vsh_uri;

static void
vsh_uri_clear(vsh_uri *uri)
{
    g_free(uri->scheme);
    g_free(uri->root);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vsh_uri, vsh_uri_clear)

static const char *const vsh_uri_schemes[] = { "vsh", "lxc", "chroot", "qemu", NULL };

/* Parses "root=DIR" (the only query embed takes) into an absolute, decoded directory. */
static int
vsh_uri_parse_root(const char *uristr, const char *query, char **ret_root, GError **error)
{
    g_autofree char *root = NULL;
    size_t len;

    if (!query || !g_str_has_prefix(query, "root="))
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "URI '%s' needs '?root=DIR' after /embed", uristr);
    if (strchr(query, '&'))
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "URI '%s' takes only the 'root' parameter", uristr);
    if (!(root = g_uri_unescape_string(query + strlen("root="), NULL)))
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "URI '%s' has a malformed percent-escape in its root", uristr);
    if (root[0] != '/')
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "the root '%s' of URI '%s' is not an absolute path", root, uristr);
    /* "/tmp/x/" and "/tmp/x" are the same store, so the canonical URI drops the slash. */
    len = strlen(root);
    while (len > 1 && root[len - 1] == '/')
        root[--len] = '\0';
    *ret_root = g_steal_pointer(&root);
    return 0;
}

/* Splits "SCHEME:///PATH[?QUERY]" per DESIGN.md's URI table. */
static int
vsh_uri_parse(const char *uristr, vsh_uri *ret, GError **error)
{
    const char *sep = strstr(uristr, "://");
    g_autofree char *path = NULL;
    const char *query;

    if (!sep || sep == uristr)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "malformed URI '%s' (expected SCHEME:///PATH)", uristr);
    ret->scheme = g_strndup(uristr, (gsize) (sep - uristr));
    if (strcmp(ret->scheme, "vsh+dbus") == 0)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "cannot connect to '%s': vshd is not running", uristr);
    if (!g_strv_contains(vsh_uri_schemes, ret->scheme))
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "unknown URI scheme '%s' in '%s' (expected vsh, lxc, chroot "
                             "or qemu)", ret->scheme, uristr);
    sep += strlen("://");
    if (*sep == '\0')
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "malformed URI '%s' (expected SCHEME:///PATH)", uristr);
    if (*sep != '/')
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "remote URIs are not supported: '%s'", uristr);
    query = strchr(sep, '?');
    path = query ? g_strndup(sep, (gsize) (query - sep)) : g_strdup(sep);
    if (query)
        query++;
    if (strcmp(path, "/embed") == 0) {
        ret->embed = true;
        return vsh_uri_parse_root(uristr, query, &ret->root, error);
    }
    if (strcmp(path, "/system") != 0 && strcmp(path, "/") != 0)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "unsupported path '%s' in URI '%s' (expected /system or "
                             "/embed?root=DIR)", path, uristr);
    if (query)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "URI '%s' takes no parameters", uristr);
    return 0;
}

static char *
vsh_uri_format(const vsh_uri *uri)
{
    g_autofree char *root = NULL;

    if (!uri->embed)
        return g_strdup_printf("%s:///system", uri->scheme);
    root = g_uri_escape_string(uri->root, "/", FALSE);
    return g_strdup_printf("%s:///embed?root=%s", uri->scheme, root);
}

/* Picks the drivers of @uri's scheme: all usable ones for "vsh", exactly one otherwise. */
static int
vsh_conn_pick_drivers(vsh_conn *conn, const vsh_uri *uri, GError **error)
{
    const vsh_driver *const *all = test_drivers ? test_drivers : vsh_driver_registry();
    bool all_types = strcmp(uri->scheme, "vsh") == 0;
    bool found = false;
    size_t i;

    for (i = 0; all[i]; i++) {
        g_autoptr(GError) why = NULL;
        int usable = 1;

        if (!all_types && strcmp(all[i]->name, uri->scheme) != 0)
            continue;
        found = true;
        if (all[i]->probe)
            usable = all[i]->probe(&why);
        if (usable == 1) {
            g_ptr_array_add(conn->drivers, (gpointer) all[i]);
            continue;
        }
        /* Under "vsh" an unusable driver just drops out; asked for by name, it fails. */
        if (!all_types)
            return vsh_error_set(error, VSH_ERROR_NO_CONNECT, "the %s driver is not usable "
                                 "on this host: %s", all[i]->name,
                                 why ? why->message : "unknown reason");
    }
    if (!all_types && !found)
        return vsh_error_set(error, VSH_ERROR_NO_CONNECT,
                             "the %s driver is not built into this libvsh", uri->scheme);
    conn->types = g_new0(const char *, conn->drivers->len + 1);
    for (i = 0; i < conn->drivers->len; i++)
        conn->types[i] = ((const vsh_driver *) conn->drivers->pdata[i])->name;
    return 0;
}

static void
vsh_conn_set_dirs(vsh_conn *conn, const vsh_uri *uri)
{
    const char *partition = g_getenv("VSH_CGROUP_PARTITION");

    if (uri->embed) {
        conn->root = g_strdup(uri->root);
        conn->config_dir = g_build_filename(uri->root, "config", NULL);
        conn->state_dir = g_build_filename(uri->root, "state", NULL);
        conn->images_dir = g_build_filename(uri->root, "images", NULL);
        conn->rootfs_dir = g_build_filename(uri->root, "rootfs", NULL);
    } else {
        conn->root = g_strdup("/");
        conn->config_dir = g_strdup(VSH_SYSTEM_CONFIG_DIR);
        conn->state_dir = g_strdup(VSH_SYSTEM_STATE_DIR);
        conn->images_dir = g_build_filename(VSH_SYSTEM_LIB_DIR, "images", NULL);
        conn->rootfs_dir = g_build_filename(VSH_SYSTEM_LIB_DIR, "rootfs", NULL);
    }
    conn->domains_dir = g_build_filename(conn->config_dir, "domains", NULL);
    conn->autostart_dir = g_build_filename(conn->config_dir, "autostart", NULL);
    conn->cgroup_partition = g_strdup(partition && *partition ? partition : "vsh");
}

static int
vsh_conn_make_dirs(vsh_conn *conn, GError **error)
{
    const char *dirs[] = { conn->domains_dir, conn->autostart_dir, conn->images_dir,
                           conn->rootfs_dir };
    size_t i;

    /* The state dir holds sockets and locks of running domains: private to root. */
    if (vsh_mkdir_p(conn->state_dir, 0700, error) < 0)
        return -1;
    for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (vsh_mkdir_p(dirs[i], 0755, error) < 0)
            return -1;
    }
    return 0;
}

static void
vsh_conn_free(vsh_conn *conn)
{
    g_free(conn->uri);
    g_free(conn->root);
    g_free(conn->config_dir);
    g_free(conn->domains_dir);
    g_free(conn->autostart_dir);
    g_free(conn->state_dir);
    g_free(conn->images_dir);
    g_free(conn->rootfs_dir);
    g_free(conn->cgroup_partition);
    if (conn->drivers)
        g_ptr_array_unref(conn->drivers);
    g_free(conn->types);
    g_free(conn);
}

static const char *
vsh_conn_default_uri(void)
{
    const char *env = g_getenv("VSH_DEFAULT_URI");

    return env && *env ? env : "vsh:///system";
}

vsh_conn *
vsh_conn_open(const char *uri, unsigned int flags, GError **error)
{
    g_auto(vsh_uri) parsed = { 0 };
    vsh_conn *conn;

    if (!uri)
        uri = vsh_conn_default_uri();
    if (flags & ~(unsigned int) VSH_CONN_READ_ONLY) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported flags 0x%x", flags);
        return NULL;
    }
    if (vsh_uri_parse(uri, &parsed, error) < 0)
        return NULL;
    conn = g_new0(vsh_conn, 1);
    conn->refs = 1;
    conn->read_only = flags & VSH_CONN_READ_ONLY;
    conn->op_lock_timeout_ms = VSH_OP_LOCK_TIMEOUT_MS;
    conn->uri = vsh_uri_format(&parsed);
    conn->drivers = g_ptr_array_new();
    vsh_conn_set_dirs(conn, &parsed);
    if (vsh_conn_pick_drivers(conn, &parsed, error) < 0 ||
        (!conn->read_only && vsh_conn_make_dirs(conn, error) < 0)) {
        vsh_conn_free(conn);
        return NULL;
    }
    return conn;
}

vsh_conn *
vsh_conn_ref(vsh_conn *conn)
{
    g_return_val_if_fail(conn, NULL);
    g_atomic_int_inc(&conn->refs);
    return conn;
}

void
vsh_conn_unref(vsh_conn *conn)
{
    if (conn && g_atomic_int_dec_and_test(&conn->refs))
        vsh_conn_free(conn);
}

const char *
vsh_conn_get_uri(vsh_conn *conn)
{
    return conn->uri;
}

bool
vsh_conn_is_read_only(vsh_conn *conn)
{
    return conn->read_only;
}

const char *
vsh_conn_get_root(vsh_conn *conn)
{
    return conn->root;
}

const char *
vsh_conn_get_rootfs_dir(vsh_conn *conn)
{
    return conn->rootfs_dir;
}

const char *const *
vsh_conn_get_types(vsh_conn *conn)
{
    return conn->types;
}

const vsh_driver *
vsh_conn_driver_for_type(vsh_conn *conn, vsh_domain_type type)
{
    guint i;

    for (i = 0; i < conn->drivers->len; i++) {
        const vsh_driver *drv = conn->drivers->pdata[i];

        if (drv->type == type)
            return drv;
    }
    return NULL;
}

int
vsh_conn_check_writable(vsh_conn *conn, GError **error)
{
    if (conn->read_only)
        return vsh_error_set(error, VSH_ERROR_READ_ONLY,
                             "the connection '%s' is read-only", conn->uri);
    return 0;
}

void
vsh_conn_set_op_lock_timeout(vsh_conn *conn, int timeout_ms)
{
    conn->op_lock_timeout_ms = timeout_ms;
}
