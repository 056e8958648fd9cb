/*
 * domain-conf.c — the <domain> skeleton: type and id, the parse pipeline, and dispatch of
 * each child element to its section file (domain-sections.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "conf/domain-schema.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_tristate, VSH_TRISTATE_LAST, "default", "yes", "no");
VSH_ENUM_IMPL(vsh_domain_type, VSH_DOMAIN_TYPE_LAST, "lxc", "chroot", "qemu");
VSH_ENUM_IMPL(vsh_device_kind, VSH_DEVICE_LAST, "disk", "filesystem", "interface");

vsh_domain_def *
vsh_domain_def_new(void)
{
    vsh_domain_def *def = g_new0(vsh_domain_def, 1);

    def->id = -1;
    vsh_domain_general_init(def);
    vsh_domain_os_init(def);
    def->vcpus = 1;
    def->blkiotune.devices =
        g_ptr_array_new_with_free_func((GDestroyNotify) vsh_blkio_device_def_free);
    def->disks = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_disk_def_free);
    def->filesystems = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_fs_def_free);
    def->interfaces = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_net_def_free);
    def->consoles = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_console_def_free);
    return def;
}

void
vsh_domain_def_free(vsh_domain_def *def)
{
    if (!def)
        return;
    vsh_domain_general_clear(def);
    vsh_domain_tune_clear(def);
    vsh_domain_os_clear(def);
    g_free(def->emulator);
    g_ptr_array_unref(def->disks);
    g_ptr_array_unref(def->filesystems);
    g_ptr_array_unref(def->interfaces);
    g_ptr_array_unref(def->consoles);
    g_free(def);
}

/* ------------------------------------------------------------------ errors */

int
vsh_def_error(GError **error, xmlXPathContext *ctxt, const char *xpath, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autoptr(GString) path = g_string_new(NULL);
    xmlNode *node = NULL;
    const char *p;
    va_list ap;

    if (!error)
        return -1;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* The path shown is the XPath without its [N] selectors; the line says which one. */
    for (p = xpath; *p; p++) {
        if (*p == '[') {
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
            continue;
        }
        g_string_append_c(path, *p);
    }
    /* A missing element is reported at the line of its nearest ancestor. */
    if (ctxt) {
        g_autofree char *xp = g_strdup(xpath);
        char *slash;

        while (!(node = vsh_xpath_node(xp, ctxt)) && (slash = strrchr(xp, '/')) &&
               slash != xp)
            *slash = '\0';
    }
    if (node)
        return vsh_error_set_xml(error, node, "%s: %s", path->str, msg);
    if (ctxt && ctxt->doc)
        return vsh_error_set_xml_line(error, (const char *) ctxt->doc->URL, 0, "%s: %s",
                                      path->str, msg);
    return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "%s: %s", path->str, msg);
}

/* ------------------------------------------------------------------ parse */

static vsh_xml_schema *
vsh_domain_schema_get(void)
{
    static vsh_xml_schema *schema;

    /* Set up once per process from the grammar compiled in at build time. */
    if (g_once_init_enter(&schema)) {
        vsh_xml_schema *compiled = vsh_xml_schema_new(&vsh_domain_grammar);

        g_once_init_leave(&schema, compiled);
    }
    return schema;
}

/* The root must be <domain type='...'> with a known type; checked before the schema so that
 * these two common mistakes get a message of their own. */
static int
vsh_domain_def_parse_root(vsh_domain_def *def, xmlNode *root, unsigned int flags,
                          GError **error)
{
    g_autofree char *type = NULL;
    int value;

    if (strcmp(vsh_xml_node_name(root), "domain") != 0)
        return vsh_xml_error(error, root, "expected root element 'domain', not '%s'",
                             vsh_xml_node_name(root));
    if (root->ns)
        return vsh_xml_error(error, root, "root element 'domain' must not be in a "
                             "namespace ('%s')", (const char *) root->ns->href);
    if (!(type = vsh_xml_prop(root, "type")))
        return vsh_xml_error(error, root, "missing attribute 'type'");
    if ((value = vsh_domain_type_from_string(type)) < 0)
        return vsh_xml_error(error, root, "unknown domain type '%s' "
                             "(expected 'lxc', 'chroot' or 'qemu')", type);
    def->type = value;
    if (flags & VSH_DOMAIN_DEF_PARSE_LIVE) {
        unsigned int id = 0;
        int rc;

        if ((rc = vsh_xml_prop_uint(root, "id", 0, &id, error)) < 0)
            return -1;
        if (rc > 0 && id > G_MAXINT)
            return vsh_xml_error(error, root, "id %u is too large", id);
        def->id = rc > 0 ? (int) id : -1;
    }
    return 0;
}

typedef void *(*vsh_device_parse_func)(xmlNode *node, xmlXPathContext *ctxt,
                                       unsigned int flags, GError **error);

static void *
vsh_disk_parse_any(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags, GError **error)
{
    return vsh_disk_def_parse_xml(node, ctxt, error);
}

static void *
vsh_fs_parse_any(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags, GError **error)
{
    return vsh_fs_def_parse_xml(node, ctxt, error);
}

static void *
vsh_net_parse_any(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags, GError **error)
{
    return vsh_net_def_parse_xml(node, ctxt, flags, error);
}

static void *
vsh_console_parse_any(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags,
                      GError **error)
{
    return vsh_console_def_parse_xml(node, ctxt, flags, error);
}

/* Parses every element @xpath selects with @parse, in document order, into @list. */
static int
vsh_domain_devices_parse_kind(xmlXPathContext *ctxt, const char *xpath,
                              vsh_device_parse_func parse, unsigned int flags, GPtrArray *list,
                              GError **error)
{
    g_autofree xmlNode **nodes = NULL;
    int n = vsh_xpath_nodes(xpath, ctxt, &nodes);
    int i;

    for (i = 0; i < n; i++) {
        void *dev = parse(nodes[i], ctxt, flags, error);

        if (!dev)
            return -1;
        g_ptr_array_add(list, dev);
    }
    return 0;
}

static int
vsh_domain_devices_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, unsigned int flags,
                             GError **error)
{
    def->emulator = vsh_xpath_string("string(./devices/emulator)", ctxt);
    if (vsh_domain_devices_parse_kind(ctxt, "./devices/disk", vsh_disk_parse_any, flags,
                                      def->disks, error) < 0 ||
        vsh_domain_devices_parse_kind(ctxt, "./devices/filesystem", vsh_fs_parse_any, flags,
                                      def->filesystems, error) < 0 ||
        vsh_domain_devices_parse_kind(ctxt, "./devices/interface", vsh_net_parse_any, flags,
                                      def->interfaces, error) < 0 ||
        vsh_domain_devices_parse_kind(ctxt, "./devices/console", vsh_console_parse_any, flags,
                                      def->consoles, error) < 0)
        return -1;
    return 0;
}

static int
vsh_domain_def_validate_internal(const vsh_domain_def *def, xmlXPathContext *ctxt,
                                 GError **error)
{
    if (def->emulator && (def->emulator[0] != '/' || def->emulator[1] == '\0'))
        return vsh_def_error(error, ctxt, "/domain/devices/emulator",
                             "emulator '%s' must be an absolute path", def->emulator);
    if (vsh_domain_general_validate(def, ctxt, error) < 0 ||
        vsh_domain_tune_validate(def, ctxt, error) < 0 ||
        vsh_domain_os_validate(def, ctxt, error) < 0 ||
        vsh_domain_disk_validate(def, ctxt, error) < 0 ||
        vsh_domain_fs_validate(def, ctxt, error) < 0 ||
        vsh_domain_net_validate(def, ctxt, error) < 0 ||
        vsh_domain_console_validate(def, ctxt, error) < 0)
        return -1;
    return 0;
}

static vsh_domain_def *
vsh_domain_def_parse_doc(xmlDoc *doc, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_def) def = vsh_domain_def_new();
    g_autoptr(xmlXPathContext) ctxt = NULL;
    xmlNode *root = xmlDocGetRootElement(doc);

    if (vsh_domain_def_parse_root(def, root, flags, error) < 0)
        return NULL;
    if (!(flags & VSH_DOMAIN_DEF_PARSE_NO_SCHEMA) &&
        vsh_xml_schema_validate(vsh_domain_schema_get(), doc, error) < 0)
        return NULL;
    ctxt = vsh_xpath_context_new(doc);
    vsh_xpath_register_ns(ctxt, "vsh", VSH_METADATA_NS);
    if (vsh_domain_general_parse_xml(def, ctxt, error) < 0 ||
        vsh_domain_tune_parse_xml(def, ctxt, error) < 0 ||
        vsh_domain_os_parse_xml(def, ctxt, error) < 0 ||
        vsh_domain_devices_parse_xml(def, ctxt, flags, error) < 0)
        return NULL;
    if (vsh_domain_def_post_parse(def, error) < 0)
        return NULL;
    if (!(flags & VSH_DOMAIN_DEF_PARSE_NO_VALIDATE) &&
        vsh_domain_def_validate_internal(def, ctxt, error) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

vsh_domain_def *
vsh_domain_def_parse_string(const char *xml, const char *filename, unsigned int flags,
                            GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;

    g_return_val_if_fail(xml != NULL, NULL);
    if (!(doc = vsh_xml_parse(xml, strlen(xml), filename, error)))
        return NULL;
    return vsh_domain_def_parse_doc(doc, flags, error);
}

/* The element <devices> of @root, made (last, which the schema allows) when it has none. */
static xmlNode *
vsh_domain_devices_node(xmlNode *root)
{
    xmlNode *child;

    for (child = root->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && !child->ns &&
            xmlStrEqual(child->name, BAD_CAST "devices"))
            return child;
    }
    return xmlNewChild(root, NULL, BAD_CAST "devices", NULL);
}

vsh_domain_def *
vsh_domain_def_parse_with_device(const char *domain_xml, unsigned int flags,
                                 const char *device_xml, const char *filename,
                                 vsh_device_kind *ret_kind, GError **error)
{
    g_autoptr(xmlDoc) dev = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    xmlNode *node;
    xmlNode *copy;
    int kind;

    g_return_val_if_fail(domain_xml != NULL && device_xml != NULL, NULL);
    if (!(dev = vsh_xml_parse(device_xml, strlen(device_xml), filename, error)))
        return NULL;
    node = xmlDocGetRootElement(dev);
    if (node->ns || (kind = vsh_device_kind_from_string(vsh_xml_node_name(node))) < 0) {
        vsh_xml_error(error, node, "unsupported device '%s' (expected 'interface', "
                      "'filesystem' or 'disk')", vsh_xml_node_name(node));
        return NULL;
    }
    /* The definition takes the device file's name, so that what is said of the device
     * names its file and, the copy keeping each element's line, its line there. The rest
     * of the document was valid before. */
    if (!(doc = vsh_xml_parse(domain_xml, strlen(domain_xml), filename, error)))
        return NULL;
    if (!(copy = xmlDocCopyNode(node, doc, 1))) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "cannot copy the device element");
        return NULL;
    }
    xmlAddChild(vsh_domain_devices_node(xmlDocGetRootElement(doc)), copy);
    *ret_kind = (vsh_device_kind) kind;
    return vsh_domain_def_parse_doc(doc, flags, error);
}

GPtrArray *
vsh_domain_def_devices(const vsh_domain_def *def, vsh_device_kind kind)
{
    switch (kind) {
    case VSH_DEVICE_DISK:
        return def->disks;
    case VSH_DEVICE_FILESYSTEM:
        return def->filesystems;
    case VSH_DEVICE_INTERFACE:
    case VSH_DEVICE_LAST:
        break;
    }
    return def->interfaces;
}

/* Reads at most VSH_XML_MAX_SIZE + 1 bytes: enough for the parser to refuse a file that is
 * too large without reading all of it. */
static char *
vsh_domain_def_read_file(const char *path, size_t *ret_len, GError **error)
{
    g_autofree char *buf = g_malloc(VSH_XML_MAX_SIZE + 2);
    size_t len = 0;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        vsh_error_set_errno(error, errno, "cannot read '%s'", path);
        return NULL;
    }
    while (len < VSH_XML_MAX_SIZE + 1) {
        ssize_t n = read(fd, buf + len, VSH_XML_MAX_SIZE + 1 - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vsh_error_set_errno(error, errno, "cannot read '%s'", path);
            (void) close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t) n;
    }
    (void) close(fd);
    buf[len] = '\0';
    *ret_len = len;
    return g_steal_pointer(&buf);
}

vsh_domain_def *
vsh_domain_def_parse_file(const char *path, unsigned int flags, GError **error)
{
    g_autofree char *buf = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    size_t len = 0;

    if (!(buf = vsh_domain_def_read_file(path, &len, error)))
        return NULL;
    if (!(doc = vsh_xml_parse(buf, len, path, error)))
        return NULL;
    return vsh_domain_def_parse_doc(doc, flags, error);
}

int
vsh_domain_def_post_parse(vsh_domain_def *def, GError **error)
{
    if (vsh_domain_general_post_parse(def, error) < 0 ||
        vsh_domain_tune_post_parse(def, error) < 0 ||
        vsh_domain_net_post_parse(def, error) < 0)
        return -1;
    return 0;
}

int
vsh_domain_def_validate(const vsh_domain_def *def, GError **error)
{
    return vsh_domain_def_validate_internal(def, NULL, error);
}

/* ------------------------------------------------------------------ format */

static void
vsh_domain_devices_format(const vsh_domain_def *def, unsigned int flags, vsh_xml_writer *w)
{
    guint i;

    if (!def->emulator && def->disks->len == 0 && def->filesystems->len == 0 &&
        def->interfaces->len == 0 && def->consoles->len == 0)
        return;
    vsh_xml_writer_open(w, "devices");
    vsh_xml_writer_children(w);
    vsh_xml_writer_text_element(w, "emulator", def->emulator);
    for (i = 0; i < def->disks->len; i++)
        vsh_disk_def_format(g_ptr_array_index(def->disks, i), w);
    for (i = 0; i < def->filesystems->len; i++)
        vsh_fs_def_format(g_ptr_array_index(def->filesystems, i), w);
    for (i = 0; i < def->interfaces->len; i++)
        vsh_net_def_format(g_ptr_array_index(def->interfaces, i), w);
    for (i = 0; i < def->consoles->len; i++)
        vsh_console_def_format(g_ptr_array_index(def->consoles, i), flags, w);
    vsh_xml_writer_end(w, "devices");
}

char *
vsh_domain_def_format(const vsh_domain_def *def, unsigned int flags)
{
    vsh_xml_writer w;

    vsh_xml_writer_init(&w);
    vsh_xml_writer_open(&w, "domain");
    vsh_xml_writer_attr(&w, "type", vsh_domain_type_to_string(def->type));
    if ((flags & VSH_DOMAIN_DEF_FORMAT_LIVE) && def->id >= 0)
        vsh_xml_writer_attr_printf(&w, "id", "%d", def->id);
    vsh_xml_writer_children(&w);
    vsh_domain_general_format_head(def, &w);
    vsh_domain_tune_format(def, &w);
    vsh_domain_os_format(def, &w);
    vsh_domain_general_format_tail(def, &w);
    vsh_domain_devices_format(def, flags, &w);
    vsh_xml_writer_end(&w, "domain");
    return vsh_xml_writer_finish(&w);
}

const vsh_fs_def *
vsh_domain_def_get_root_fs(const vsh_domain_def *def)
{
    guint i;

    for (i = 0; i < def->filesystems->len; i++) {
        const vsh_fs_def *fs = g_ptr_array_index(def->filesystems, i);

        if (fs->target && strcmp(fs->target, "/") == 0)
            return fs;
    }
    return NULL;
}
