/*
 * domain-fs.c — <filesystem>: bind mounts of host directories (type 'mount') and tmpfs
 * (type 'ram'). The one with target '/' is the root of a container or jail.
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_fs_type, VSH_FS_TYPE_LAST, "mount", "ram");
VSH_ENUM_IMPL(vsh_fs_access, VSH_FS_ACCESS_LAST, "default", "passthrough", "mapped", "squash");

void
vsh_fs_def_free(vsh_fs_def *fs)
{
    if (!fs)
        return;
    g_free(fs->source);
    g_free(fs->target);
    g_free(fs);
}

/* One <source> element serves both types; each type has its own attributes. */
static int
vsh_fs_source_parse_xml(vsh_fs_def *fs, xmlNode *source, GError **error)
{
    g_autofree char *usage = vsh_xml_prop(source, "usage");
    const char *ram_only[] = { "usage", "units" };
    size_t i;

    if (fs->type == VSH_FS_TYPE_MOUNT) {
        for (i = 0; i < G_N_ELEMENTS(ram_only); i++) {
            if (xmlHasProp(source, (const xmlChar *) ram_only[i]))
                return vsh_xml_error(error, source, "attribute '%s' needs filesystem "
                                     "type 'ram'", ram_only[i]);
        }
        fs->source = vsh_xml_prop(source, "dir");
        return 0;
    }
    if (xmlHasProp(source, (const xmlChar *) "dir"))
        return vsh_xml_error(error, source, "attribute 'dir' needs filesystem type 'mount'");
    if (!usage)
        return vsh_xml_error(error, source, "missing attribute 'usage'");
    return vsh_xml_memory_parse(source, usage, "units", &fs->usage_kib, error);
}

vsh_fs_def *
vsh_fs_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, GError **error)
{
    g_autoptr(vsh_fs_def) fs = g_new0(vsh_fs_def, 1);
    VSH_XPATH_NODE_AUTORESTORE(ctxt);
    xmlNode *source;
    xmlNode *target;
    int type = VSH_FS_TYPE_MOUNT;
    int access = VSH_FS_ACCESS_DEFAULT;

    ctxt->node = node;
    /* libvirt's default type is 'mount'. */
    if (vsh_xml_prop_enum(node, "type", vsh_fs_type_from_string, 0, &type, error) < 0 ||
        vsh_xml_prop_enum(node, "accessmode", vsh_fs_access_from_string, 0, &access,
                          error) < 0)
        return NULL;
    fs->type = type;
    fs->accessmode = access;
    if ((source = vsh_xpath_node("./source", ctxt)) &&
        vsh_fs_source_parse_xml(fs, source, error) < 0)
        return NULL;
    if ((target = vsh_xpath_node("./target", ctxt)))
        fs->target = vsh_xml_prop(target, "dir");
    fs->readonly = vsh_xpath_node("./readonly", ctxt) != NULL;
    return g_steal_pointer(&fs);
}

void
vsh_fs_def_format(const vsh_fs_def *fs, vsh_xml_writer *w)
{
    vsh_xml_writer_open(w, "filesystem");
    vsh_xml_writer_attr(w, "type", vsh_fs_type_to_string(fs->type));
    if (fs->accessmode != VSH_FS_ACCESS_DEFAULT)
        vsh_xml_writer_attr(w, "accessmode", vsh_fs_access_to_string(fs->accessmode));
    vsh_xml_writer_children(w);
    if (fs->type == VSH_FS_TYPE_MOUNT && fs->source) {
        vsh_xml_writer_open(w, "source");
        vsh_xml_writer_attr(w, "dir", fs->source);
        vsh_xml_writer_close(w);
    } else if (fs->type == VSH_FS_TYPE_RAM) {
        /* libvirt's schema wants a usage for ram; 0 means "no limit". */
        vsh_xml_writer_open(w, "source");
        vsh_xml_writer_attr_printf(w, "usage", "%" G_GUINT64_FORMAT, fs->usage_kib);
        vsh_xml_writer_attr(w, "units", "KiB");
        vsh_xml_writer_close(w);
    }
    if (fs->target) {
        vsh_xml_writer_open(w, "target");
        vsh_xml_writer_attr(w, "dir", fs->target);
        vsh_xml_writer_close(w);
    }
    if (fs->readonly) {
        vsh_xml_writer_open(w, "readonly");
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_end(w, "filesystem");
}

/* Two mounts on one target would hide each other; "/x/" and "/x" are the same target. */
static bool
vsh_fs_target_equal(const char *a, const char *b)
{
    g_autofree char *ca = g_canonicalize_filename(a, "/");
    g_autofree char *cb = g_canonicalize_filename(b, "/");

    return strcmp(ca, cb) == 0;
}

static int
vsh_fs_validate_one(const vsh_domain_def *def, guint idx, xmlXPathContext *ctxt,
                    GError **error)
{
    const vsh_fs_def *fs = g_ptr_array_index(def->filesystems, idx);
    g_autofree char *xp = g_strdup_printf("/domain/devices/filesystem[%u]", idx + 1);
    g_autofree char *xp_target = g_strdup_printf("%s/target", xp);
    g_autofree char *xp_source = g_strdup_printf("%s/source", xp);
    guint j;

    if (fs->type == VSH_FS_TYPE_MOUNT && !fs->source)
        return vsh_def_error(error, ctxt, xp, "filesystem of type 'mount' needs "
                             "<source dir='...'/>");
    if (fs->type == VSH_FS_TYPE_MOUNT && def->type != VSH_DOMAIN_TYPE_QEMU &&
        fs->source[0] != '/')
        return vsh_def_error(error, ctxt, xp_source, "source directory '%s' must be an "
                             "absolute path", fs->source);
    if (!fs->target || !*fs->target)
        return vsh_def_error(error, ctxt, xp, "filesystem needs <target dir='...'/>");
    /* For a VM the target is a mount tag the guest uses; for a container it is a path. */
    if (def->type != VSH_DOMAIN_TYPE_QEMU && fs->target[0] != '/')
        return vsh_def_error(error, ctxt, xp_target, "target '%s' must be an absolute path",
                             fs->target);
    for (j = 0; j < idx; j++) {
        const vsh_fs_def *other = g_ptr_array_index(def->filesystems, j);

        if (other->target && vsh_fs_target_equal(other->target, fs->target))
            return vsh_def_error(error, ctxt, xp_target, "duplicate filesystem target '%s'",
                                 fs->target);
    }
    return 0;
}

int
vsh_domain_fs_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    guint i;

    for (i = 0; i < def->filesystems->len; i++) {
        if (vsh_fs_validate_one(def, i, ctxt, error) < 0)
            return -1;
    }
    if (def->type != VSH_DOMAIN_TYPE_QEMU && !vsh_domain_def_get_root_fs(def))
        return vsh_def_error(error, ctxt, "/domain/devices",
                             "a domain of type '%s' needs a root filesystem "
                             "(<filesystem> with <target dir='/'/>)",
                             vsh_domain_type_to_string(def->type));
    return 0;
}
