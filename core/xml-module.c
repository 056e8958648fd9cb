/*
 * xml-module.c — vsh-xml.so, the parsing half of core/conf behind one exported table
 * (xml-reader.h). Everything else in the module is its own copy of the conf code it
 * needs, hidden from every other object of the process.
 */
#include <config.h>

#include <string.h>

#include <libxml/tree.h>

#include "error.h"
#include "xml-reader.h"
#include "util/xml.h"

static int
status_int_attr(xmlNode *node, const char *name, int *ret)
{
    xmlChar *val = xmlGetProp(node, (const xmlChar *) name);
    gint64 n;
    bool ok;

    if (!val)
        return -1;
    ok = g_ascii_string_to_signed((const char *) val, 10, -1, G_MAXINT, &n, NULL);
    xmlFree(val);
    *ret = (int) n;
    return ok ? 0 : -1;
}

/* The live <domain> of a status document, serialised back to text for the conf parser. */
static char *
status_domain_text(xmlNode *root)
{
    xmlNode *child;
    xmlBuffer *buf;
    char *text;

    for (child = root->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && xmlStrEqual(child->name, BAD_CAST "domain"))
            break;
    }
    if (!child)
        return NULL;
    buf = xmlBufferCreate();
    xmlNodeDump(buf, root->doc, child, 0, 0);
    text = g_strdup((const char *) xmlBufferContent(buf));
    xmlBufferFree(buf);
    return text;
}

static int
status_parse(const char *path, const char *buf, size_t len, vsh_status_doc *ret,
             GError **error)
{
    g_autofree char *text = NULL;
    xmlDoc *doc;
    xmlNode *root;
    int bad;

    if (!(doc = vsh_xml_parse(buf, len, path, error)))
        return -1;
    root = xmlDocGetRootElement(doc);
    bad = !root || !xmlStrEqual(root->name, BAD_CAST "domstatus") ||
        status_int_attr(root, "state", &ret->state) < 0 ||
        status_int_attr(root, "reason", &ret->reason) < 0 ||
        status_int_attr(root, "id", &ret->id) < 0 ||
        status_int_attr(root, "pid", &ret->pid) < 0 ||
        status_int_attr(root, "monitor_pid", &ret->monitor_pid) < 0 ||
        !(text = status_domain_text(root));
    xmlFreeDoc(doc);
    if (bad)
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "malformed status file '%s'", path);
    ret->live = vsh_domain_def_parse_string(text, path, VSH_DOMAIN_DEF_PARSE_LIVE |
                                            VSH_DOMAIN_DEF_PARSE_NO_SCHEMA, error);
    return ret->live ? 0 : -1;
}

/* What @expr selects in the document @xml (util/xml.h, vsh_xpath_select). */
static char *
xpath_select(const char *xml, const char *expr, bool wrap, GError **error)
{
    g_autoptr(xmlDoc) doc = vsh_xml_parse(xml, strlen(xml), NULL, error);

    return doc ? vsh_xpath_select(doc, expr, wrap, error) : NULL;
}

extern const vsh_xml_reader vsh_xml_reader_module __attribute__((visibility("default")));
const vsh_xml_reader vsh_xml_reader_module = {
    .abi = VSH_XML_READER_ABI,
    .version = PACKAGE_VERSION,
    .parse_string = vsh_domain_def_parse_string,
    .parse_file = vsh_domain_def_parse_file,
    .validate = vsh_domain_def_validate,
    .parse_status = status_parse,
    .xpath = xpath_select,
    .parse_with_device = vsh_domain_def_parse_with_device,
};
