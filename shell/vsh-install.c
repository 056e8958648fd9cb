/*
 * vsh-install — create a domain in one command (virt-install's options, lxc-create's
 * templates): check everything, build the XML, make the root filesystem when asked, define,
 * start and attach the console. Uses only vsh.h.
 *
 * Order of work: every check that needs nothing but the command line and the host runs
 * first, then the ones that need the store (name taken), and only then is anything created.
 * Whatever this run creates (root filesystem, disk images, the definition) is recorded and
 * removed again if a later step fails.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install.h"

#define INSTALL_MEMORY_DEFAULT_MIB 512
#define INSTALL_MEMORY_MIN_MIB 16
#define INSTALL_MEMORY_MAX_MIB (G_GUINT64_CONSTANT(16) * 1024 * 1024)  /* 16 TiB */
#define INSTALL_VCPUS_MAX 4096

typedef struct {
    char *uri;
    char *name;
    char *memory;
    char *vcpus;
    char **filesystems;
    char *init;
    char **init_args;
    char **networks;
    char **disks;
    char *boot;
    gboolean noautoconsole;
    char *autoconsole;
    gboolean print_xml;
    gboolean dry_run;
    gboolean transient;
    gboolean autostart;
    gboolean no_start;
    char *virt_type;
    gboolean container;
    char *template_text;
    gboolean quiet;
    gboolean version;
} install_options;

/* What this run created, for the undo on failure. */
typedef struct {
    char *rootfs;               /* the root filesystem directory, created by us */
    char *rootfs_emptied;       /* an existing empty directory we filled */
    GPtrArray *disk_files;      /* disk images created by us */
    vsh_domain *defined;        /* the domain we defined */
} install_undo;

typedef struct {
    install_options opts;
    install_spec *spec;
    install_template *tmpl;
    char *rootfs_path;          /* where the template goes, NULL without a template */
    install_undo undo;
    vsh_conn *conn;
} install_run;

static void
install_options_clear(install_options *o)
{
    g_free(o->uri);
    g_free(o->name);
    g_free(o->memory);
    g_free(o->vcpus);
    g_strfreev(o->filesystems);
    g_free(o->init);
    g_strfreev(o->init_args);
    g_strfreev(o->networks);
    g_strfreev(o->disks);
    g_free(o->boot);
    g_free(o->autoconsole);
    g_free(o->virt_type);
    g_free(o->template_text);
}

static void
install_run_clear(install_run *run)
{
    install_options_clear(&run->opts);
    install_spec_free(run->spec);
    install_template_free(run->tmpl);
    g_free(run->rootfs_path);
    g_free(run->undo.rootfs);
    g_free(run->undo.rootfs_emptied);
    g_ptr_array_unref(run->undo.disk_files);
    if (run->undo.defined)
        vsh_domain_unref(run->undo.defined);
    if (run->conn)
        vsh_conn_unref(run->conn);
}

/* ---------------------------------------------------------------- options */

static int
install_parse_options(int *argc, char ***argv, install_options *o, GError **error)
{
    const GOptionEntry entries[] = {
        { "connect", 'c', 0, G_OPTION_ARG_STRING, &o->uri, "connect to URI", "URI" },
        { "name", 'n', 0, G_OPTION_ARG_STRING, &o->name, "name of the new domain", "NAME" },
        { "memory", 0, 0, G_OPTION_ARG_STRING, &o->memory, "memory in MiB (default 512)",
          "MIB" },
        { "ram", 'r', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->memory, NULL, NULL },
        { "vcpus", 0, 0, G_OPTION_ARG_STRING, &o->vcpus, "number of virtual cpus", "N" },
        { "vcpu", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->vcpus, NULL, NULL },
        { "filesystem", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->filesystems,
          "host directory SRC mounted at TARGET (default /); repeatable", "SRC[,TARGET]" },
        { "init", 0, 0, G_OPTION_ARG_STRING, &o->init, "program run as init", "PATH" },
        { "init-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->init_args,
          "argument for init; repeatable", "ARG" },
        { "network", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &o->networks,
          "bridge=BR[,mac=MAC] or none; repeatable", "NET" },
        { "disk", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->disks,
          "disk image of a VM, created with size=GiB when missing", "PATH[,size=GIB]" },
        { "boot", 0, 0, G_OPTION_ARG_STRING, &o->boot, "boot devices of a VM", "hd,cdrom,..." },
        { "noautoconsole", 0, 0, G_OPTION_ARG_NONE, &o->noautoconsole,
          "do not attach the console", NULL },
        { "autoconsole", 0, 0, G_OPTION_ARG_STRING, &o->autoconsole,
          "attach the console (text) or not (none)", "text|none" },
        { "print-xml", 0, 0, G_OPTION_ARG_NONE, &o->print_xml,
          "print the domain XML and create nothing", NULL },
        { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run, "check everything, create nothing",
          NULL },
        { "transient", 0, 0, G_OPTION_ARG_NONE, &o->transient,
          "create a transient domain (no definition kept)", NULL },
        { "autostart", 0, 0, G_OPTION_ARG_NONE, &o->autostart, "start it with the host", NULL },
        { "no-start", 0, 0, G_OPTION_ARG_NONE, &o->no_start,
          "define the domain but do not start it (lxc-create's way)", NULL },
        { "virt-type", 0, 0, G_OPTION_ARG_STRING, &o->virt_type, "lxc, chroot or qemu",
          "TYPE" },
        { "type", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->virt_type, NULL, NULL },
        { "container", 0, 0, G_OPTION_ARG_NONE, &o->container, "create a container", NULL },
        { "template", 't', 0, G_OPTION_ARG_STRING, &o->template_text,
          "make the root filesystem: busybox, debian[:SUITE], tar=FILE, oci=DIR, "
          "oci-archive=FILE", "TEMPLATE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "print only errors", NULL },
        { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, "print the version", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- create a domain");

    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx,
        "Creates a chroot jail, container or stub virtual machine, defines it and starts it.");
    if (!g_option_context_parse(ctx, argc, argv, error))
        return -1;
    if (*argc > 1)
        return install_error(error, VSH_ERROR_INVALID_ARG, "unexpected argument '%s'",
                             (*argv)[1]);
    return 0;
}

/* ---------------------------------------------------------------- checks (no store) */

/* DESIGN.md's name rule, checked before the name reaches any path. */
static int
install_check_name(const char *name, GError **error)
{
    size_t i;

    if (!name || !*name)
        return install_error(error, VSH_ERROR_INVALID_ARG, "--name is required");
    for (i = 0; name[i]; i++) {
        if (!g_ascii_isalnum(name[i]) && !strchr("_.-", name[i]))
            break;
    }
    if (name[i] || i > 64 || name[0] == '.' || name[0] == '-')
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid domain name '%s': use 1-64 of A-Z a-z 0-9 _ . - "
                             "not starting with '.' or '-'", name);
    return 0;
}

static int
install_parse_uint(const char *text, guint64 min, guint64 max, guint64 *ret)
{
    guint64 v = 0;

    if (!text || !g_ascii_string_to_unsigned(text, 10, min, max, &v, NULL))
        return -1;
    *ret = v;
    return 0;
}

static int
install_check_sizes(install_run *run, GError **error)
{
    const char *mem = run->opts.memory;
    guint64 mib = INSTALL_MEMORY_DEFAULT_MIB;
    guint64 vcpus = 1;

    /* virt-install also takes "memory=N[,maxmemory=M]"; the first item is what counts */
    if (mem && g_str_has_prefix(mem, "memory="))
        mem += 7;
    if (mem && install_parse_uint(mem, 0, INSTALL_MEMORY_MAX_MIB, &mib) < 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid memory size '%s': expected a number of MiB",
                             run->opts.memory);
    if (mib < INSTALL_MEMORY_MIN_MIB)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "memory of %" G_GUINT64_FORMAT " MiB is below the minimum of "
                             "%d MiB", mib, INSTALL_MEMORY_MIN_MIB);
    if (run->opts.vcpus &&
        install_parse_uint(run->opts.vcpus, 1, INSTALL_VCPUS_MAX, &vcpus) < 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid vcpu count '%s': expected 1-%d", run->opts.vcpus,
                             INSTALL_VCPUS_MAX);
    run->spec->memory_kib = mib * 1024;
    run->spec->vcpus = (unsigned int) vcpus;
    return 0;
}

/* The driver a URI names ("lxc:///..." -> "lxc"), or NULL for "vsh:" and others. */
static const char *
install_uri_type(const char *uri)
{
    static const char *const types[] = { "lxc", "chroot", "qemu", NULL };
    size_t i;

    if (!uri)
        uri = g_getenv("VSH_DEFAULT_URI");
    for (i = 0; uri && types[i]; i++) {
        size_t n = strlen(types[i]);

        if (strncmp(uri, types[i], n) == 0 && uri[n] == ':')
            return types[i];
    }
    return NULL;
}

static int
install_check_type(install_run *run, GError **error)
{
    install_options *o = &run->opts;
    const char *from_uri = install_uri_type(o->uri);
    const char *type = o->virt_type;

    if (type && strcmp(type, "lxc") != 0 && strcmp(type, "chroot") != 0 &&
        strcmp(type, "qemu") != 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "unknown virtualization type '%s' (lxc, chroot or qemu)", type);
    if (type && from_uri && strcmp(type, from_uri) != 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--virt-type %s conflicts with the connection URI '%s'", type,
                             o->uri ? o->uri : g_getenv("VSH_DEFAULT_URI"));
    if (!type)
        type = from_uri;
    if (!type)
        type = (o->disks || o->boot) && !o->container ? "qemu" : "lxc";
    if (o->container && strcmp(type, "qemu") == 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--container conflicts with --virt-type qemu");
    run->spec->type = g_strdup(type);
    return 0;
}

static int
install_check_console(install_options *o, GError **error)
{
    if (o->autoconsole && strcmp(o->autoconsole, "text") != 0 &&
        strcmp(o->autoconsole, "none") != 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid --autoconsole '%s' (text or none)", o->autoconsole);
    if (o->noautoconsole && o->autoconsole && strcmp(o->autoconsole, "text") == 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--noautoconsole conflicts with --autoconsole text");
    if (o->transient && o->autostart)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--transient conflicts with --autostart");
    if (o->transient && o->no_start)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--transient conflicts with --no-start");
    return 0;
}

static bool
install_dir_is_empty(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);

    return dir && g_dir_read_name(dir) == NULL;
}

/* One --filesystem SRC[,TARGET]. With a template, the root's source may be new or empty:
 * the template fills it. */
static int
install_check_filesystem(install_run *run, const char *arg, GError **error)
{
    const char *comma = strchr(arg, ',');
    g_autofree char *src = comma ? g_strndup(arg, (gsize) (comma - arg)) : g_strdup(arg);
    install_fs *fs;
    guint i;
    bool is_root;

    fs = g_new0(install_fs, 1);
    fs->source = g_canonicalize_filename(src, NULL);
    fs->target = g_strdup(comma ? comma + 1 : "/");
    g_ptr_array_add(run->spec->filesystems, fs);
    if (!*src || fs->target[0] != '/')
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid --filesystem '%s': expected SRC[,/TARGET]", arg);
    for (i = 0; i + 1 < run->spec->filesystems->len; i++) {
        const install_fs *other = g_ptr_array_index(run->spec->filesystems, i);

        if (strcmp(other->target, fs->target) == 0)
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "two filesystems have the target '%s'", fs->target);
    }
    is_root = strcmp(fs->target, "/") == 0;
    if (is_root && run->tmpl) {
        if (g_file_test(fs->source, G_FILE_TEST_EXISTS) && !install_dir_is_empty(fs->source))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "root filesystem directory '%s' is not empty; a template "
                                 "needs a new or empty directory", fs->source);
        run->rootfs_path = g_strdup(fs->source);
        return 0;
    }
    if (!g_file_test(fs->source, G_FILE_TEST_IS_DIR))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             is_root ? "root filesystem directory '%s' does not exist"
                                     : "filesystem source '%s' is not a directory",
                             fs->source);
    return 0;
}

static int
install_check_network(install_run *run, const char *arg, GError **error)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);
    g_autofree char *path = NULL;
    install_net *net;
    size_t i;

    if (strcmp(arg, "none") == 0) {
        run->spec->network_none = true;
        return 0;
    }
    if (strcmp(run->spec->type, "chroot") == 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "a chroot jail shares the host's network: --network bridge=... "
                             "needs --virt-type lxc");
    if (!g_str_has_prefix(items[0], "bridge=") || !items[0][7])
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "invalid --network '%s': expected bridge=BR[,mac=MAC] or none",
                             arg);
    net = g_new0(install_net, 1);
    net->bridge = g_strdup(items[0] + 7);
    g_ptr_array_add(run->spec->nets, net);
    for (i = 1; items[i]; i++) {
        if (!g_str_has_prefix(items[i], "mac=") || net->mac ||
            !(net->mac = install_mac_normalize(items[i] + 4)))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "invalid --network '%s': bad item '%s'", arg, items[i]);
    }
    if (!net->mac)
        net->mac = install_mac_generate();
    if (strchr(net->bridge, '/') || strcmp(net->bridge, ".") == 0 ||
        strcmp(net->bridge, "..") == 0 || strlen(net->bridge) > 15)
        return install_error(error, VSH_ERROR_INVALID_ARG, "invalid bridge name '%s'",
                             net->bridge);
    path = g_strdup_printf("/sys/class/net/%s/bridge", net->bridge);
    if (!g_file_test(path, G_FILE_TEST_IS_DIR))
        return install_error(error, VSH_ERROR_INVALID_ARG, "bridge '%s' does not exist",
                             net->bridge);
    return 0;
}

static int
install_check_networks(install_run *run, GError **error)
{
    char **n;

    for (n = run->opts.networks; n && *n; n++) {
        if (install_check_network(run, *n, error) < 0)
            return -1;
    }
    if (run->spec->network_none && run->spec->nets->len > 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--network none conflicts with --network bridge=...");
    return 0;
}

/* One --disk PATH[,size=GiB]: it must exist, or come with a size to create it. */
static int
install_check_disk(install_run *run, const char *arg, GError **error)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);
    install_disk *disk = g_new0(install_disk, 1);
    g_autofree char *dir = NULL;
    size_t i;

    disk->path = g_canonicalize_filename(items[0], NULL);
    disk->target_dev = g_strdup_printf("vd%c", 'a' + run->spec->disks->len);
    g_ptr_array_add(run->spec->disks, disk);
    if (!*items[0] || run->spec->disks->len > 26)
        return install_error(error, VSH_ERROR_INVALID_ARG, "invalid --disk '%s'", arg);
    for (i = 1; items[i]; i++) {
        if (!g_str_has_prefix(items[i], "size=") ||
            install_parse_uint(items[i] + 5, 1, 65536, &disk->size_gib) < 0)
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "invalid --disk '%s': bad item '%s' (size=GiB)", arg,
                                 items[i]);
    }
    if (g_file_test(disk->path, G_FILE_TEST_EXISTS)) {
        if (g_file_test(disk->path, G_FILE_TEST_IS_DIR))
            return install_error(error, VSH_ERROR_INVALID_ARG, "disk '%s' is a directory",
                                 disk->path);
        disk->size_gib = 0;     /* existing images are used as they are */
        return 0;
    }
    if (!disk->size_gib)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "disk '%s' does not exist (add size=GiB to create it)",
                             disk->path);
    dir = g_path_get_dirname(disk->path);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "cannot create disk '%s': '%s' is not a directory", disk->path,
                             dir);
    return 0;
}

static int
install_check_boot(install_run *run, GError **error)
{
    static const char *const devs[] = { "hd", "cdrom", "network", "fd", NULL };
    g_auto(GStrv) items = g_strsplit(run->opts.boot ? run->opts.boot : "hd", ",", -1);
    size_t i;

    for (i = 0; items[i]; i++) {
        size_t j;

        for (j = 0; devs[j] && strcmp(devs[j], items[i]) != 0; j++)
            ;
        if (!devs[j])
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "invalid --boot device '%s' (hd, cdrom, network, fd)",
                                 items[i]);
        g_array_append_val(run->spec->boot, devs[j]);
    }
    return 0;
}

/* The options that only make sense for one kind of domain. */
static int
install_check_kind(install_run *run, GError **error)
{
    install_options *o = &run->opts;
    bool vm = strcmp(run->spec->type, "qemu") == 0;

    if (vm && (o->filesystems || o->init || o->init_args || o->template_text))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--%s is for containers and jails, not for virtual machines",
                             o->filesystems ? "filesystem" : o->init ? "init" :
                             o->init_args ? "init-arg" : "template");
    if (!vm && (o->disks || o->boot))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--%s is for virtual machines (--virt-type qemu)",
                             o->disks ? "disk" : "boot");
    if (o->init && o->init[0] != '/')
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "--init '%s' must be an absolute path", o->init);
    if (o->init_args && !o->init)
        return install_error(error, VSH_ERROR_INVALID_ARG, "--init-arg needs --init");
    return 0;
}

static gboolean
install_fs_is_target(gconstpointer fs, gconstpointer target)
{
    return strcmp(((const install_fs *) fs)->target, target) == 0;
}

static int
install_check_devices(install_run *run, GError **error)
{
    install_options *o = &run->opts;
    char **p;

    for (p = o->filesystems; p && *p; p++) {
        if (install_check_filesystem(run, *p, error) < 0)
            return -1;
    }
    if (strcmp(run->spec->type, "qemu") != 0 && !run->tmpl &&
        !g_ptr_array_find_with_equal_func(run->spec->filesystems, "/", install_fs_is_target,
                                          NULL))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "a %s needs a root filesystem: --filesystem DIR or --template "
                             "TEMPLATE", strcmp(run->spec->type, "chroot") == 0 ? "jail"
                                                                                : "container");
    if (install_check_networks(run, error) < 0)
        return -1;
    for (p = o->disks; p && *p; p++) {
        if (install_check_disk(run, *p, error) < 0)
            return -1;
    }
    if (strcmp(run->spec->type, "qemu") == 0)
        return install_check_boot(run, error);
    return 0;
}

/* Every check that needs only the command line and the host. */
static int
install_check_all(install_run *run, GError **error)
{
    install_options *o = &run->opts;
    char **p;

    if (install_check_name(o->name, error) < 0 ||
        install_check_sizes(run, error) < 0 ||
        install_check_type(run, error) < 0 ||
        install_check_console(o, error) < 0 ||
        install_check_kind(run, error) < 0)
        return -1;
    if (o->template_text && !(run->tmpl = install_template_parse(o->template_text, error)))
        return -1;
    if (install_check_devices(run, error) < 0)
        return -1;
    run->spec->name = g_strdup(o->name);
    run->spec->uuid = g_uuid_string_random();
    if (o->init)
        run->spec->init = g_strdup(o->init);
    for (p = o->init_args; p && *p; p++)
        g_ptr_array_add(run->spec->initargs, g_strdup(*p));
    return 0;
}

/* ---------------------------------------------------------------- checks (store) */

/* Names are unique across every type (DESIGN.md), but a connection narrowed to one
 * driver only sees its own domains: look the name up through the whole store. */
static int
install_check_name_free(install_run *run, GError **error)
{
    const char *uri = vsh_conn_get_uri(run->conn);
    const char *colon = strchr(uri, ':');
    g_autofree char *all_uri = g_strconcat("vsh", colon, NULL);
    g_autoptr(vsh_conn) all = vsh_conn_open(all_uri, VSH_CONN_READ_ONLY, NULL);
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) local = NULL;

    dom = vsh_domain_lookup_by_name(all ? all : run->conn, run->spec->name, &local);
    if (dom)
        return install_error(error, VSH_ERROR_DOMAIN_EXISTS,
                             "domain '%s' already exists (type %s)", run->spec->name,
                             vsh_domain_get_type(dom));
    if (!g_error_matches(local, VSH_ERROR, VSH_ERROR_NO_DOMAIN)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return -1;
    }
    return 0;
}

static int
install_check_store(install_run *run, GError **error)
{
    const char *const *types = vsh_conn_get_types(run->conn);

    if (!g_strv_contains(types, run->spec->type))
        return install_error(error, VSH_ERROR_NO_CONNECT,
                             "the connection '%s' cannot create '%s' domains",
                             vsh_conn_get_uri(run->conn), run->spec->type);
    if (install_check_name_free(run, error) < 0)
        return -1;
    if (run->tmpl && !run->rootfs_path) {
        install_fs *fs;

        run->rootfs_path = g_build_filename(vsh_conn_get_rootfs_dir(run->conn),
                                            run->spec->name, NULL);
        if (g_file_test(run->rootfs_path, G_FILE_TEST_EXISTS))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "root filesystem directory '%s' already exists",
                                 run->rootfs_path);
        fs = g_new0(install_fs, 1);
        fs->source = g_strdup(run->rootfs_path);
        fs->target = g_strdup("/");
        g_ptr_array_insert(run->spec->filesystems, 0, fs);
    }
    return 0;
}

/* ---------------------------------------------------------------- creating */

/* NAME=VALUE with NAME an identifier (what libvirt's <initenv> accepts). */
static bool
install_env_is_valid(const char *var)
{
    size_t i;

    if (!g_ascii_isalpha(var[0]) && var[0] != '_')
        return false;
    for (i = 1; var[i] && var[i] != '='; i++) {
        if (!g_ascii_isalnum(var[i]) && var[i] != '_')
            return false;
    }
    return var[i] == '=';
}

/* The image config fills what the command line left open. */
static int
install_apply_config(install_run *run, const install_image_config *config, GError **error)
{
    install_spec *spec = run->spec;
    guint i;

    if (!spec->init) {
        if (!config->init)
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "the image names no command (Entrypoint or Cmd): give --init");
        spec->init = g_strdup(config->init);
        for (i = 0; i < config->initargs->len; i++)
            g_ptr_array_add(spec->initargs, g_strdup(g_ptr_array_index(config->initargs, i)));
    }
    for (i = 0; i < config->initenv->len; i++) {
        const char *var = g_ptr_array_index(config->initenv, i);

        if (!install_env_is_valid(var)) {
            g_printerr("warning: ignoring the image's environment entry '%s'\n", var);
            continue;
        }
        g_ptr_array_add(spec->initenv, g_strdup(var));
    }
    /* "/" is the default, and libvirt's schema wants a real directory there */
    if (config->initdir && strcmp(config->initdir, "/") != 0)
        spec->initdir = g_strdup(config->initdir);
    /* libvirt sets the user and the group together; an image's bare user gets its
     * primary group from the unpacked root (not there yet for --print-xml) */
    if (config->inituser) {
        bool unpacked = run->undo.rootfs || run->undo.rootfs_emptied;

        spec->inituser = g_strdup(config->inituser);
        spec->initgroup = config->initgroup
            ? g_strdup(config->initgroup)
            : install_rootfs_user_gid(unpacked ? run->rootfs_path : NULL, config->inituser);
    }
    return 0;
}

/* Runs the template into the root filesystem directory (made here unless it is an existing
 * empty one), or, when nothing may be created, only reads what it says about init. */
static int
install_make_rootfs(install_run *run, bool create, GError **error)
{
    g_autoptr(install_image_config) config = NULL;
    g_autofree char *parent = NULL;

    if (!run->tmpl) {
        if (strcmp(run->spec->type, "qemu") != 0 && !run->spec->init)
            run->spec->init = g_strdup("/sbin/init");
        return 0;
    }
    if (create) {
        parent = g_path_get_dirname(run->rootfs_path);
        if (g_mkdir_with_parents(parent, 0755) < 0)
            return install_error_errno(error, errno, "cannot create '%s'", parent);
        if (mkdir(run->rootfs_path, 0755) == 0)
            run->undo.rootfs = g_strdup(run->rootfs_path);
        else if (errno == EEXIST)
            run->undo.rootfs_emptied = g_strdup(run->rootfs_path);
        else
            return install_error_errno(error, errno, "cannot create '%s'", run->rootfs_path);
    }
    if (install_template_run(run->tmpl, create ? run->rootfs_path : NULL, run->opts.quiet,
                             &config, error) < 0)
        return -1;
    return install_apply_config(run, config, error);
}

static int
install_make_disks(install_run *run, GError **error)
{
    guint i;

    for (i = 0; i < run->spec->disks->len; i++) {
        const install_disk *d = g_ptr_array_index(run->spec->disks, i);
        int fd;

        if (!d->size_gib)
            continue;
        fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return install_error_errno(error, errno, "cannot create disk '%s'", d->path);
        g_ptr_array_add(run->undo.disk_files, g_strdup(d->path));
        /* sparse: the blocks are allocated when the guest writes them */
        if (ftruncate(fd, (off_t) (d->size_gib << 30)) < 0) {
            int saved = errno;

            close(fd);
            return install_error_errno(error, saved, "cannot size disk '%s'", d->path);
        }
        close(fd);
    }
    return 0;
}

static void
install_undo_all(install_run *run)
{
    g_autoptr(GError) ignored = NULL;
    guint i;

    if (run->undo.defined) {
        (void) vsh_domain_undefine(run->undo.defined, NULL);
        g_clear_pointer(&run->undo.defined, vsh_domain_unref);
    }
    for (i = 0; i < run->undo.disk_files->len; i++)
        (void) unlink(g_ptr_array_index(run->undo.disk_files, i));
    if (run->undo.rootfs)
        (void) install_remove_tree(run->undo.rootfs, &ignored);
    if (run->undo.rootfs_emptied) {
        int fd = open(run->undo.rootfs_emptied, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd >= 0) {
            (void) install_empty_dir(fd);
            close(fd);
        }
    }
}

static vsh_domain *
install_define_and_start(install_run *run, const char *xml, GError **error)
{
    g_autoptr(vsh_domain) dom = NULL;

    if (run->opts.transient)
        return vsh_domain_create_xml(run->conn, xml, NULL, 0, error);
    if (!(dom = vsh_domain_define_xml(run->conn, xml, NULL, error)))
        return NULL;
    run->undo.defined = vsh_domain_ref(dom);
    if (run->opts.autostart && vsh_domain_set_autostart(dom, true, error) < 0)
        return NULL;
    if (!run->opts.no_start && vsh_domain_start(dom, 0, error) < 0)
        return NULL;
    /* from here on the domain is the user's: a console problem does not undo it */
    g_clear_pointer(&run->undo.defined, vsh_domain_unref);
    return g_steal_pointer(&dom);
}

static void
install_attach_console(install_run *run, vsh_domain *dom)
{
    g_autoptr(GError) err = NULL;
    int fd = -1;

    if (run->opts.noautoconsole ||
        (run->opts.autoconsole && strcmp(run->opts.autoconsole, "none") == 0))
        return;
    if (vsh_domain_open_console(dom, 0, &fd, &err) < 0) {
        g_printerr("warning: cannot attach the console: %s\n", err->message);
        return;
    }
    if (!run->opts.quiet) {
        printf("Connected to domain '%s'\nEscape character is ^] (Ctrl + ])\n",
               run->spec->name);
        fflush(stdout);
    }
    if (install_console_relay(fd, &err) < 0)
        g_printerr("warning: console: %s\n", err->message);
    close(fd);
}

static int
install_main(install_run *run, GError **error)
{
    install_options *o = &run->opts;
    bool create = !o->print_xml && !o->dry_run;
    g_autofree char *xml = NULL;
    g_autoptr(vsh_domain) dom = NULL;

    if (install_check_all(run, error) < 0)
        return -1;
    if (!(run->conn = vsh_conn_open(o->uri, create ? 0 : VSH_CONN_READ_ONLY, error)))
        return -1;
    if (install_check_store(run, error) < 0 || install_make_rootfs(run, create, error) < 0)
        return -1;
    xml = install_xml_build(run->spec);
    if (o->print_xml) {
        fputs(xml, stdout);
        return 0;
    }
    if (o->dry_run) {
        if (!o->quiet)
            printf("Dry run completed successfully\n");
        return 0;
    }
    if (install_check_interrupt(error) < 0 || install_make_disks(run, error) < 0 ||
        !(dom = install_define_and_start(run, xml, error)))
        return -1;
    if (!o->quiet) {
        printf(o->transient ? "Domain '%s' created and started (transient)\n" :
               o->no_start ? "Domain '%s' defined\n" : "Domain '%s' defined and started\n",
               run->spec->name);
        fflush(stdout);
    }
    if (!o->no_start)
        install_attach_console(run, dom);
    return 0;
}

static void
install_on_signal(int sig)
{
    install_interrupted = sig;
}

/* An interrupted run must still undo what it created: the signal only sets a flag, and
 * the slow steps (debootstrap, unpacking) fail at the next check. */
static void
install_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = install_on_signal;
    sigemptyset(&sa.sa_mask);
    (void) sigaction(SIGINT, &sa, NULL);
    (void) sigaction(SIGTERM, &sa, NULL);
    (void) sigaction(SIGHUP, &sa, NULL);
}

int
main(int argc, char **argv)
{
    install_run run = { 0 };
    g_autoptr(GError) error = NULL;
    int rc;

    setlocale(LC_ALL, "");
    install_catch_signals();
    run.spec = install_spec_new();
    run.undo.disk_files = g_ptr_array_new_with_free_func(g_free);
    rc = install_parse_options(&argc, &argv, &run.opts, &error);
    if (rc == 0 && run.opts.version) {
        printf("vsh-install %s\n", vsh_version_string());
    } else if (rc == 0) {
        rc = install_main(&run, &error);
        if (rc < 0)
            install_undo_all(&run);
    }
    if (rc < 0)
        g_printerr("error: %s\n", error->message);
    install_run_clear(&run);
    return rc < 0 ? 1 : 0;
}
