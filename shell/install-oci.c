/*
 * install-oci.c — unpacking an OCI image layout (image-spec v1) into a root filesystem.
 *
 * index.json -> (image index ->) manifest for this architecture -> config + layers. Every
 * blob is found by its digest and its sha256 is checked before it is parsed or unpacked,
 * so a layout altered after it was written is refused rather than half-used.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install.h"

#define OCI_JSON_MAX (4 * 1024 * 1024)
#define OCI_INDEX_DEPTH 4

static const char *const oci_index_types[] = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    NULL
};

static const char *const oci_layer_types[] = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar",
    NULL
};

install_image_config *
install_image_config_new(void)
{
    install_image_config *c = g_new0(install_image_config, 1);

    c->initargs = g_ptr_array_new_with_free_func(g_free);
    c->initenv = g_ptr_array_new_with_free_func(g_free);
    return c;
}

void
install_image_config_free(install_image_config *c)
{
    if (!c)
        return;
    g_free(c->init);
    g_ptr_array_unref(c->initargs);
    g_ptr_array_unref(c->initenv);
    g_free(c->initdir);
    g_free(c->inituser);
    g_free(c->initgroup);
    g_free(c);
}

const char *
install_oci_arch(void)
{
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#elif defined(__i386__)
    return "386";
#elif defined(__arm__)
    return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return "ppc64le";
#elif defined(__s390x__)
    return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    return "riscv64";
#else
    return "unknown";
#endif
}

static bool
oci_str_in(const char *s, const char *const *list)
{
    for (; s && *list; list++) {
        if (strcmp(s, *list) == 0)
            return true;
    }
    return false;
}

/* "sha256:<64 hex>" -> LAYOUT/blobs/sha256/<hex>. Checking the form here keeps a digest
 * from naming a path outside the layout. */
static char *
oci_blob_path(const char *layout, const char *digest, GError **error)
{
    const char *hex;
    size_t i;

    if (!digest || !g_str_has_prefix(digest, "sha256:")) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s': unsupported digest '%s'", layout,
                      digest ? digest : "(none)");
        return NULL;
    }
    hex = digest + 7;
    for (i = 0; hex[i]; i++) {
        if (!g_ascii_isxdigit(hex[i]) || g_ascii_isupper(hex[i]))
            break;
    }
    if (i != 64 || hex[i]) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s': malformed digest '%s'", layout,
                      digest);
        return NULL;
    }
    return g_build_filename(layout, "blobs", "sha256", hex, NULL);
}

/* The sha256 of the file @path, streamed. */
static char *
oci_file_sha256(const char *path, GError **error)
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    guchar buf[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        install_error_errno(error, errno, "cannot open '%s'", path);
        return NULL;
    }
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            install_error_errno(error, errno, "cannot read '%s'", path);
            close(fd);
            return NULL;
        }
        g_checksum_update(sum, buf, n);
    }
    close(fd);
    return g_strdup(g_checksum_get_string(sum));
}

/* Checks the blob of descriptor @desc (size and digest); returns its path. */
static char *
oci_blob_verified(const char *layout, const install_json *desc, GError **error)
{
    const char *digest = install_json_get_string(desc, "digest");
    const install_json *size = install_json_get(desc, "size");
    g_autofree char *path = oci_blob_path(layout, digest, error);
    g_autofree char *sum = NULL;
    struct stat st;

    if (!path)
        return NULL;
    if (stat(path, &st) < 0) {
        install_error_errno(error, errno, "'%s': missing blob '%s'", layout, digest);
        return NULL;
    }
    if (size && (size->type != INSTALL_JSON_NUMBER || size->number != (double) st.st_size)) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s': blob '%s' has the wrong size",
                      layout, digest);
        return NULL;
    }
    if (!(sum = oci_file_sha256(path, error)))
        return NULL;
    if (strcmp(sum, digest + 7) != 0) {
        install_error(error, VSH_ERROR_INVALID_ARG,
                      "'%s': blob '%s' does not match its digest (sha256:%s)", layout,
                      digest, sum);
        return NULL;
    }
    return g_steal_pointer(&path);
}

static install_json *
oci_read_json(const char *path, const char *what, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    struct stat st;
    g_autoptr(GError) local = NULL;

    if (stat(path, &st) < 0) {
        install_error_errno(error, errno, "cannot read '%s'", path);
        return NULL;
    }
    if (st.st_size > OCI_JSON_MAX) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s' is too big", path);
        return NULL;
    }
    if (!g_file_get_contents(path, &text, &len, &local)) {
        install_error(error, VSH_ERROR_SYSTEM, "%s", local->message);
        return NULL;
    }
    return install_json_parse(text, len, what, error);
}

static install_json *
oci_read_blob_json(const char *layout, const install_json *desc, GError **error)
{
    g_autofree char *path = oci_blob_verified(layout, desc, error);
    g_autofree char *what = NULL;

    if (!path)
        return NULL;
    what = g_strdup_printf("'%s': blob '%s'", layout, install_json_get_string(desc, "digest"));
    return oci_read_json(path, what, error);
}

/* Does the descriptor's platform fit this machine? No platform: it may. */
static bool
oci_platform_matches(const install_json *desc)
{
    const install_json *platform = install_json_get(desc, "platform");
    const char *arch = install_json_get_string(platform, "architecture");
    const char *os = install_json_get_string(platform, "os");

    if (!platform)
        return true;
    return (!os || strcmp(os, "linux") == 0) && arch &&
        strcmp(arch, install_oci_arch()) == 0;
}

/* The descriptor of an image manifest for this machine in the index @index, following
 * nested indexes. Returns the manifest JSON. */
static install_json *
oci_pick_manifest(const char *layout, const install_json *index, int depth, GError **error)
{
    const install_json *manifests = install_json_get(index, "manifests");
    guint i;

    if (!manifests || manifests->type != INSTALL_JSON_ARRAY || manifests->items->len == 0) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s': the image index lists no manifests",
                      layout);
        return NULL;
    }
    for (i = 0; i < manifests->items->len; i++) {
        const install_json *desc = g_ptr_array_index(manifests->items, i);
        const char *type = install_json_get_string(desc, "mediaType");
        g_autoptr(install_json) doc = NULL;

        if (!oci_platform_matches(desc))
            continue;
        if (!(doc = oci_read_blob_json(layout, desc, error)))
            return NULL;
        if (!oci_str_in(type, oci_index_types) &&
            !oci_str_in(install_json_get_string(doc, "mediaType"), oci_index_types))
            return g_steal_pointer(&doc);
        if (depth >= OCI_INDEX_DEPTH) {
            install_error(error, VSH_ERROR_INVALID_ARG, "'%s': image indexes nest too deeply",
                          layout);
            return NULL;
        }
        return oci_pick_manifest(layout, doc, depth + 1, error);
    }
    install_error(error, VSH_ERROR_INVALID_ARG, "'%s' has no image for linux/%s", layout,
                  install_oci_arch());
    return NULL;
}

static int
oci_unpack_layers(const char *layout, const install_json *manifest, const char *dest,
                  GError **error)
{
    const install_json *layers = install_json_get(manifest, "layers");
    guint i;

    if (!layers || layers->type != INSTALL_JSON_ARRAY)
        return install_error(error, VSH_ERROR_INVALID_ARG, "'%s': the manifest has no layers",
                             layout);
    for (i = 0; i < layers->items->len; i++) {
        const install_json *desc = g_ptr_array_index(layers->items, i);
        const char *type = install_json_get_string(desc, "mediaType");
        g_autofree char *path = NULL;

        if (!oci_str_in(type, oci_layer_types))
            return install_error(error, VSH_ERROR_UNSUPPORTED,
                                 "'%s': layer %u has an unsupported media type '%s'", layout,
                                 i + 1, type ? type : "(none)");
        if (!(path = oci_blob_verified(layout, desc, error)))
            return -1;
        if (install_tar_extract(path, dest, INSTALL_TAR_OCI_WHITEOUTS, error) < 0) {
            g_prefix_error(error, "layer %u: ", i + 1);
            return -1;
        }
    }
    return 0;
}

/* Appends the strings of the JSON array @arr (from index @from) to @out. */
static int
oci_strings(const install_json *arr, guint from, GPtrArray *out, const char *what,
            GError **error)
{
    guint i;

    if (!arr || arr->type == INSTALL_JSON_NULL)
        return 0;
    if (arr->type != INSTALL_JSON_ARRAY)
        return install_error(error, VSH_ERROR_INVALID_ARG, "image config: %s is not a list",
                             what);
    for (i = from; i < arr->items->len; i++) {
        const install_json *s = g_ptr_array_index(arr->items, i);

        if (s->type != INSTALL_JSON_STRING)
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "image config: %s holds a non-string", what);
        g_ptr_array_add(out, g_strdup(s->string));
    }
    return 0;
}

/* Entrypoint + Cmd -> init and its arguments (Docker's rule: Cmd are the arguments of the
 * Entrypoint when there is one, else Cmd is the whole command). */
static int
oci_config_command(const install_json *cfg, install_image_config *c, GError **error)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    guint i;

    if (oci_strings(install_json_get(cfg, "Entrypoint"), 0, argv, "Entrypoint", error) < 0 ||
        oci_strings(install_json_get(cfg, "Cmd"), 0, argv, "Cmd", error) < 0)
        return -1;
    if (argv->len == 0)
        return 0;
    c->init = g_strdup(g_ptr_array_index(argv, 0));
    for (i = 1; i < argv->len; i++)
        g_ptr_array_add(c->initargs, g_strdup(g_ptr_array_index(argv, i)));
    return 0;
}

static int
oci_config_parse(const install_json *doc, install_image_config *c, GError **error)
{
    const install_json *cfg = install_json_get(doc, "config");
    const char *user = install_json_get_string(cfg, "User");
    const char *dir = install_json_get_string(cfg, "WorkingDir");

    if (oci_config_command(cfg, c, error) < 0 ||
        oci_strings(install_json_get(cfg, "Env"), 0, c->initenv, "Env", error) < 0)
        return -1;
    if (dir && *dir)
        c->initdir = g_strdup(dir);
    if (user && *user) {
        const char *colon = strchr(user, ':');

        c->inituser = colon ? g_strndup(user, (gsize) (colon - user)) : g_strdup(user);
        if (colon && colon[1])
            c->initgroup = g_strdup(colon + 1);
    }
    return 0;
}

int
install_oci_unpack(const char *layout_dir, const char *dest,
                   install_image_config **ret_config, GError **error)
{
    g_autofree char *index_path = g_build_filename(layout_dir, "index.json", NULL);
    g_autoptr(install_json) index = NULL;
    g_autoptr(install_json) manifest = NULL;
    g_autoptr(install_json) config_doc = NULL;
    g_autoptr(install_image_config) config = install_image_config_new();

    if (!(index = oci_read_json(index_path, index_path, error)))
        return -1;
    if (!(manifest = oci_pick_manifest(layout_dir, index, 0, error)))
        return -1;
    if (!install_json_get(manifest, "config"))
        return install_error(error, VSH_ERROR_INVALID_ARG, "'%s': the manifest has no config",
                             layout_dir);
    if (!(config_doc = oci_read_blob_json(layout_dir, install_json_get(manifest, "config"),
                                          error)))
        return -1;
    if (oci_config_parse(config_doc, config, error) < 0)
        return -1;
    if (dest && oci_unpack_layers(layout_dir, manifest, dest, error) < 0)
        return -1;
    *ret_config = g_steal_pointer(&config);
    return 0;
}

char *
install_rootfs_user_gid(const char *root, const char *user)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GString) buf = g_string_new("");
    char chunk[4096];
    ssize_t n;
    int rootfd;
    int fd = -1;
    size_t i;

    if (root && (rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fd = install_openat_in_root(rootfd, "etc/passwd", O_RDONLY, 0);
        close(rootfd);
    }
    if (fd < 0)
        return g_strdup("0");
    while (buf->len < (1 << 20) && (n = read(fd, chunk, sizeof(chunk))) > 0)
        g_string_append_len(buf, chunk, n);
    close(fd);
    lines = g_strsplit(buf->str, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], ":", 5);

        if (g_strv_length(f) >= 4 && (strcmp(f[0], user) == 0 || strcmp(f[2], user) == 0))
            return g_strdup(f[3]);
    }
    return g_strdup("0");
}
