/*
 * xml-reader.c — finds and loads vsh-xml.so (xml-reader.h).
 */
#include <config.h>

#include <dlfcn.h>
#include <string.h>

#include "error.h"
#include "util/file.h"
#include "vsh.h"
#include "xml-reader.h"

/*
 * A statically linked vsh carries the module inside (configure's --enable-static-vsh links
 * core/xml-module.c into it): then this weak reference is its table and nothing is opened.
 * In libvsh.so it stays undefined, and NULL.
 */
extern const vsh_xml_reader vsh_xml_reader_module __attribute__((weak));

static GMutex reader_lock;
static const vsh_xml_reader *reader;

static char *
module_path(void)
{
    const char *env = g_getenv("VSH_XML_MODULE");

    if (env && *env)
        return g_strdup(env);
    if (vsh_running_from_build_tree())
        return g_build_filename(VSH_BUILD_TOPDIR, "core", ".libs", "vsh-xml.so", NULL);
    return g_build_filename(VSH_MODULEDIR, "vsh-xml.so", NULL);
}

static const vsh_xml_reader *
module_load(GError **error)
{
    g_autofree char *path = module_path();
    const vsh_xml_reader *r;
    void *handle;

    /* RTLD_LOCAL: the module's own copies of the conf helpers stay out of everyone's way;
     * RTLD_NODELETE: the pointers we hand out stay valid for the life of the process */
    if (!(handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "cannot load the XML module: %s", dlerror());
        return NULL;
    }
    r = dlsym(handle, VSH_XML_READER_SYMBOL);
    if (!r || r->abi != VSH_XML_READER_ABI || !r->version ||
        strcmp(r->version, PACKAGE_VERSION) != 0) {
        vsh_error_set(error, VSH_ERROR_INTERNAL,
                      "the XML module '%s' does not belong to this vsh (%s)", path,
                      PACKAGE_VERSION);
        dlclose(handle);
        return NULL;
    }
    return r;
}

const vsh_xml_reader *
vsh_xml_reader_get(GError **error)
{
    const vsh_xml_reader *r = g_atomic_pointer_get(&reader);

    if (r)
        return r;
    if (&vsh_xml_reader_module)
        return &vsh_xml_reader_module;
    g_mutex_lock(&reader_lock);
    if (!(r = reader) && (r = module_load(error)))
        g_atomic_pointer_set(&reader, r);
    g_mutex_unlock(&reader_lock);
    return r;
}

vsh_domain_def *
vsh_xml_parse_domain(const char *xml, const char *filename, unsigned int flags,
                     GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->parse_string(xml, filename, flags, error) : NULL;
}

vsh_domain_def *
vsh_xml_parse_domain_file(const char *path, unsigned int flags, GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->parse_file(path, flags, error) : NULL;
}

int
vsh_xml_validate_domain(const vsh_domain_def *def, GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->validate(def, error) : -1;
}

int
vsh_xml_parse_status(const char *path, const char *buf, size_t len, vsh_status_doc *ret,
                     GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->parse_status(path, buf, len, ret, error) : -1;
}

char *
vsh_xml_select(const char *xml, const char *expr, bool wrap, GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->xpath(xml, expr, wrap, error) : NULL;
}

vsh_domain_def *
vsh_xml_parse_with_device(const char *domain_xml, unsigned int flags, const char *device_xml,
                          const char *filename, vsh_device_kind *ret_kind, GError **error)
{
    const vsh_xml_reader *r = vsh_xml_reader_get(error);

    return r ? r->parse_with_device(domain_xml, flags, device_xml, filename, ret_kind, error)
             : NULL;
}

char *
vsh_xml_xpath(const char *xml, const char *xpath, unsigned int flags, GError **error)
{
    if (!xml || !xpath) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "no %s to look in", xml ? "XPath" : "XML");
        return NULL;
    }
    return vsh_xml_select(xml, xpath, (flags & VSH_XML_XPATH_WRAP) != 0, error);
}
