/*
 * xml.c — parsing, XPath, RelaxNG and writing, so the rest of vsh never handles xmlChar or
 * libxml2's global error state.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

#include "error.h"
#include "util/xml.h"

/* ------------------------------------------------------------------ parsing */

/* The first error libxml2 reports; later ones are consequences of it. */
typedef struct {
    char *message;
    int line;
    int column;
    const xmlNode *node;
    int code;
    char *str1;
} vsh_xml_first_error;

static void
vsh_xml_first_error_clear(vsh_xml_first_error *first)
{
    g_clear_pointer(&first->message, g_free);
    g_clear_pointer(&first->str1, g_free);
}

static void
vsh_xml_first_error_record(vsh_xml_first_error *first, const xmlError *e)
{
    if (first->message)
        return;
    first->message = g_strdup(e->message ? e->message : "unknown error");
    g_strchomp(first->message);
    first->line = e->line;
    first->column = e->int2;
    first->node = e->node;
    first->code = e->code;
    first->str1 = g_strdup(e->str1);
}

/* sax->serror is called with ctxt->userData, which libxml2 points at the context itself;
 * our record hangs off its _private field. */
static void
vsh_xml_parse_error_cb(void *data, xmlErrorPtr e)
{
    xmlParserCtxt *pctxt = data;

    vsh_xml_first_error_record(pctxt->_private, e);
}

static void
vsh_xml_parser_ctxt_free(xmlParserCtxt *pctxt)
{
    xmlFreeParserCtxt(pctxt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlParserCtxt, vsh_xml_parser_ctxt_free)

static int
vsh_xml_parse_options(void)
{
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_NOBLANKS;

#if LIBXML_VERSION >= 21300
    options |= XML_PARSE_NO_XXE;
#endif
    return options;
}

xmlDoc *
vsh_xml_parse(const char *buf, size_t len, const char *filename, GError **error)
{
    g_autoptr(xmlParserCtxt) pctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    vsh_xml_first_error first = { 0 };

    if (len > VSH_XML_MAX_SIZE) {
        vsh_error_set_xml_line(error, filename, 0,
                               "document is too large (%zu bytes, at most %d)",
                               len, VSH_XML_MAX_SIZE);
        return NULL;
    }
    pctxt = xmlNewParserCtxt();
    if (!pctxt) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "cannot allocate an XML parser");
        return NULL;
    }
    pctxt->_private = &first;
    pctxt->sax->serror = vsh_xml_parse_error_cb;

    /* A NULL buffer of length 0 is an empty document: libxml2 wants a valid pointer. */
    doc = xmlCtxtReadMemory(pctxt, buf ? buf : "", (int) len, filename, NULL,
                            vsh_xml_parse_options());
    if (!doc || !pctxt->wellFormed || first.message) {
        if (first.message)
            vsh_error_set_xml_line(error, filename, first.line,
                                   "malformed XML at column %d: %s", first.column,
                                   first.message);
        else
            vsh_error_set_xml_line(error, filename, 0, "malformed XML document");
        vsh_xml_first_error_clear(&first);
        return NULL;
    }
    if (doc->intSubset) {
        /* Our format needs no DTD, and refusing it removes entity tricks altogether. */
        vsh_error_set_xml_line(error, filename, 0, "a DOCTYPE is not allowed");
        return NULL;
    }
    if (!xmlDocGetRootElement(doc)) {
        vsh_error_set_xml_line(error, filename, 0, "document has no root element");
        return NULL;
    }
    return g_steal_pointer(&doc);
}

/* ------------------------------------------------------------------ errors */

char *
vsh_xml_node_path(const xmlNode *node)
{
    GString *path = g_string_new(NULL);
    const xmlNode *cur;

    for (cur = node; cur && cur->type == XML_ELEMENT_NODE; cur = cur->parent) {
        g_string_prepend(path, (const char *) cur->name);
        if (cur->ns && cur->ns->prefix) {
            g_string_prepend_c(path, ':');
            g_string_prepend(path, (const char *) cur->ns->prefix);
        }
        g_string_prepend_c(path, '/');
    }
    if (path->len == 0)
        g_string_append_c(path, '/');
    return g_string_free(path, FALSE);
}

int
vsh_xml_error(GError **error, const xmlNode *node, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *path = NULL;
    va_list ap;

    if (!error)
        return -1;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    path = vsh_xml_node_path(node);
    return vsh_error_set_xml(error, node, "%s: %s", path, msg);
}

/* ------------------------------------------------------------------ RelaxNG */

struct vsh_xml_schema {
    xmlRelaxNG *rng;
    char *name;
    char *compile_error;        /* why it did not compile, NULL when it did */
};

static void
vsh_xml_schema_error_cb(void *data, xmlErrorPtr e)
{
    vsh_xml_first_error_record(data, e);
}

vsh_xml_schema *
vsh_xml_schema_new(const char *rng, const char *name)
{
    vsh_xml_schema *schema = g_new0(vsh_xml_schema, 1);
    vsh_xml_first_error first = { 0 };
    xmlRelaxNGParserCtxt *pctxt;

    schema->name = g_strdup(name);
    pctxt = xmlRelaxNGNewMemParserCtxt(rng, (int) strlen(rng));
    xmlRelaxNGSetParserStructuredErrors(pctxt, vsh_xml_schema_error_cb, &first);
    schema->rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema->rng)
        schema->compile_error = g_strdup_printf("line %d: %s", first.line,
                                                first.message ? first.message : "unknown");
    vsh_xml_first_error_clear(&first);
    return schema;
}

void
vsh_xml_schema_free(vsh_xml_schema *schema)
{
    if (!schema)
        return;
    if (schema->rng)
        xmlRelaxNGFree(schema->rng);
    g_free(schema->name);
    g_free(schema->compile_error);
    g_free(schema);
}

/* True when @node is a child element allowed nowhere in @parent: libxml2 reports such a
 * child as "extra content" or "did not expect element" about the parent or the child. */
static int
vsh_xml_schema_report(const vsh_xml_first_error *first, xmlDoc *doc, GError **error)
{
    const xmlNode *node = first->node;
    const char *filename = (const char *) doc->URL;
    g_autofree char *path = NULL;

    if (!node || node->type != XML_ELEMENT_NODE)
        return vsh_error_set_xml_line(error, filename, first->line, "%s", first->message);
    path = vsh_xml_node_path(node);
    switch (first->code) {
    case XML_RELAXNG_ERR_ELEMWRONG:
    case XML_RELAXNG_ERR_EXTRACONTENT:
    case XML_RELAXNG_ERR_ELEMEXTRANS:
    case XML_RELAXNG_ERR_ELEMNAME:
    case XML_RELAXNG_ERR_ELEMNONS:
    case XML_RELAXNG_ERR_ELEMWRONGNS:
        return vsh_error_set_xml(error, node, "%s: element '%s' is not allowed here", path,
                                 (const char *) node->name);
    case XML_RELAXNG_ERR_INVALIDATTR:
        return vsh_error_set_xml(error, node, "%s: attribute '%s' is not allowed here", path,
                                 first->str1 ? first->str1 : "?");
    case XML_RELAXNG_ERR_NOELEM:
        return vsh_error_set_xml(error, node, "%s: missing element '%s'", path,
                                 first->str1 ? first->str1 : "?");
    default:
        break;
    }
    return vsh_error_set_xml(error, node, "%s: %s", path, first->message);
}

int
vsh_xml_schema_validate(vsh_xml_schema *schema, xmlDoc *doc, GError **error)
{
    vsh_xml_first_error first = { 0 };
    xmlRelaxNGValidCtxt *vctxt;
    int rc;

    if (!schema->rng)
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "schema '%s' does not compile: %s",
                             schema->name, schema->compile_error);
    vctxt = xmlRelaxNGNewValidCtxt(schema->rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, vsh_xml_schema_error_cb, &first);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc != 0) {
        if (first.message)
            vsh_xml_schema_report(&first, doc, error);
        else
            vsh_error_set_xml_line(error, (const char *) doc->URL, 0,
                                   "document does not match schema '%s'", schema->name);
        vsh_xml_first_error_clear(&first);
        return -1;
    }
    vsh_xml_first_error_clear(&first);
    return 0;
}

/* ------------------------------------------------------------------ XPath */

xmlXPathContext *
vsh_xpath_context_new(xmlDoc *doc)
{
    xmlXPathContext *ctxt = xmlXPathNewContext(doc);

    g_assert(ctxt);
    ctxt->node = xmlDocGetRootElement(doc);
    return ctxt;
}

void
vsh_xpath_register_ns(xmlXPathContext *ctxt, const char *prefix, const char *href)
{
    if (xmlXPathRegisterNs(ctxt, (const xmlChar *) prefix, (const xmlChar *) href) < 0)
        g_error("cannot register XML namespace prefix '%s'", prefix);
}

void
vsh_xpath_node_restore(vsh_xpath_node_save *save)
{
    if (save->ctxt)
        save->ctxt->node = save->node;
}

static xmlXPathObject *
vsh_xpath_eval(const char *xpath, xmlXPathContext *ctxt)
{
    return xmlXPathEval((const xmlChar *) xpath, ctxt);
}

char *
vsh_xpath_string(const char *xpath, xmlXPathContext *ctxt)
{
    xmlXPathObject *obj = vsh_xpath_eval(xpath, ctxt);
    char *ret = NULL;

    if (obj && obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
        ret = g_strdup((const char *) obj->stringval);
    xmlXPathFreeObject(obj);
    return ret;
}

xmlNode *
vsh_xpath_node(const char *xpath, xmlXPathContext *ctxt)
{
    xmlXPathObject *obj = vsh_xpath_eval(xpath, ctxt);
    xmlNode *ret = NULL;

    if (obj && obj->type == XPATH_NODESET && obj->nodesetval &&
        obj->nodesetval->nodeNr > 0)
        ret = obj->nodesetval->nodeTab[0];
    xmlXPathFreeObject(obj);
    return ret;
}

int
vsh_xpath_nodes(const char *xpath, xmlXPathContext *ctxt, xmlNode ***ret_nodes)
{
    xmlXPathObject *obj = vsh_xpath_eval(xpath, ctxt);
    int n = 0;

    *ret_nodes = NULL;
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval &&
        obj->nodesetval->nodeNr > 0) {
        n = obj->nodesetval->nodeNr;
        *ret_nodes = g_new(xmlNode *, n);
        memcpy(*ret_nodes, obj->nodesetval->nodeTab, sizeof(xmlNode *) * n);
    }
    xmlXPathFreeObject(obj);
    return n;
}

/* ------------------------------------------------------------------ nodes and attributes */

const char *
vsh_xml_node_name(const xmlNode *node)
{
    return (const char *) node->name;
}

bool
vsh_xml_node_in_ns(const xmlNode *node, const char *ns_href)
{
    if (node->type != XML_ELEMENT_NODE)
        return false;
    if (!ns_href)
        return node->ns == NULL;
    return node->ns && node->ns->href && strcmp((const char *) node->ns->href, ns_href) == 0;
}

char *
vsh_xml_prop(const xmlNode *node, const char *name)
{
    xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *) name);
    char *ret;

    if (!value)
        return NULL;
    ret = g_strdup((const char *) value);
    xmlFree(value);
    return ret;
}

char *
vsh_xml_content(const xmlNode *node)
{
    xmlChar *value = xmlNodeGetContent(node);
    char *ret = g_strdup(value ? (const char *) value : "");

    xmlFree(value);
    return ret;
}

bool
vsh_str_to_uint64(const char *str, guint64 *ret_value)
{
    guint64 value;
    char *end = NULL;

    if (!str || !g_ascii_isdigit(str[0]))
        return false;
    errno = 0;
    value = g_ascii_strtoull(str, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *ret_value = value;
    return true;
}

bool
vsh_str_to_int64(const char *str, gint64 *ret_value)
{
    gint64 value;
    char *end = NULL;

    if (!str || !(g_ascii_isdigit(str[0]) || (str[0] == '-' && g_ascii_isdigit(str[1]))))
        return false;
    errno = 0;
    value = g_ascii_strtoll(str, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *ret_value = value;
    return true;
}

/* The attribute's raw value, or 0/-1 for absent (optional/required). */
static int
vsh_xml_prop_get(const xmlNode *node, const char *name, unsigned int flags, char **ret_str,
                 GError **error)
{
    *ret_str = vsh_xml_prop(node, name);
    if (*ret_str)
        return 1;
    if (flags & VSH_XML_PROP_REQUIRED)
        return vsh_xml_error(error, node, "missing attribute '%s'", name);
    return 0;
}

int
vsh_xml_prop_enum(const xmlNode *node, const char *name, int (*from_string)(const char *),
                  unsigned int flags, int *ret_value, GError **error)
{
    g_autofree char *str = NULL;
    int rc = vsh_xml_prop_get(node, name, flags, &str, error);
    int value;

    if (rc <= 0)
        return rc;
    if ((value = from_string(str)) < 0)
        return vsh_xml_error(error, node, "invalid value '%s' for attribute '%s'", str, name);
    *ret_value = value;
    return 1;
}

int
vsh_xml_prop_uint64(const xmlNode *node, const char *name, unsigned int flags,
                    guint64 *ret_value, GError **error)
{
    g_autofree char *str = NULL;
    int rc = vsh_xml_prop_get(node, name, flags, &str, error);
    guint64 value;

    if (rc <= 0)
        return rc;
    if (!vsh_str_to_uint64(str, &value))
        return vsh_xml_error(error, node, "invalid number '%s' for attribute '%s'", str, name);
    if (value == 0 && (flags & VSH_XML_PROP_NONZERO))
        return vsh_xml_error(error, node, "attribute '%s' must not be zero", name);
    *ret_value = value;
    return 1;
}

int
vsh_xml_prop_uint(const xmlNode *node, const char *name, unsigned int flags,
                  unsigned int *ret_value, GError **error)
{
    guint64 value = 0;
    int rc = vsh_xml_prop_uint64(node, name, flags, &value, error);

    if (rc <= 0)
        return rc;
    if (value > G_MAXUINT)
        return vsh_xml_error(error, node, "value %" G_GUINT64_FORMAT " of attribute '%s' "
                             "is too large", value, name);
    *ret_value = (unsigned int) value;
    return 1;
}

int
vsh_xml_prop_bool(const xmlNode *node, const char *name, unsigned int flags,
                  bool *ret_value, GError **error)
{
    g_autofree char *str = NULL;
    int rc = vsh_xml_prop_get(node, name, flags, &str, error);

    if (rc <= 0)
        return rc;
    if (strcmp(str, "yes") == 0)
        *ret_value = true;
    else if (strcmp(str, "no") == 0)
        *ret_value = false;
    else
        return vsh_xml_error(error, node, "invalid value '%s' for attribute '%s' "
                             "(expected 'yes' or 'no')", str, name);
    return 1;
}

char *
vsh_xml_node_dump(const xmlNode *node, int level)
{
    g_autoptr(xmlDoc) doc = xmlNewDoc((const xmlChar *) "1.0");
    xmlBuffer *buf = xmlBufferCreate();
    xmlNode *copy;
    char *ret;

    /* Copying into a fresh document declares on the copy every namespace it uses that
     * was declared on an ancestor, so the text stands on its own. */
    copy = xmlDocCopyNode((xmlNode *) node, doc, 1);
    xmlDocSetRootElement(doc, copy);
    xmlReconciliateNs(doc, copy);
    xmlNodeDump(buf, doc, copy, level, 1);
    ret = g_strdup((const char *) xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

/* ------------------------------------------------------------------ writer */

void
vsh_xml_writer_init(vsh_xml_writer *w)
{
    w->buf = g_string_new(NULL);
    w->level = 0;
}

char *
vsh_xml_writer_finish(vsh_xml_writer *w)
{
    char *ret = g_string_free(w->buf, FALSE);

    w->buf = NULL;
    w->level = 0;
    return ret;
}

static void
vsh_xml_writer_escape(vsh_xml_writer *w, const char *text)
{
    const char *p;

    for (p = text; *p; p++) {
        switch (*p) {
        case '<': g_string_append(w->buf, "&lt;"); break;
        case '>': g_string_append(w->buf, "&gt;"); break;
        case '&': g_string_append(w->buf, "&amp;"); break;
        case '\'': g_string_append(w->buf, "&apos;"); break;
        case '"': g_string_append(w->buf, "&quot;"); break;
        default: g_string_append_c(w->buf, *p); break;
        }
    }
}

static void
vsh_xml_writer_indent(vsh_xml_writer *w)
{
    int i;

    for (i = 0; i < w->level; i++)
        g_string_append(w->buf, "  ");
}

void
vsh_xml_writer_open(vsh_xml_writer *w, const char *name)
{
    vsh_xml_writer_indent(w);
    g_string_append_c(w->buf, '<');
    g_string_append(w->buf, name);
}

void
vsh_xml_writer_attr(vsh_xml_writer *w, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(w->buf, " %s='", name);
    vsh_xml_writer_escape(w, value);
    g_string_append_c(w->buf, '\'');
}

void
vsh_xml_writer_attr_printf(vsh_xml_writer *w, const char *name, const char *fmt, ...)
{
    g_autofree char *value = NULL;
    va_list ap;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vsh_xml_writer_attr(w, name, value);
}

void
vsh_xml_writer_close(vsh_xml_writer *w)
{
    g_string_append(w->buf, "/>\n");
}

void
vsh_xml_writer_text_close(vsh_xml_writer *w, const char *name, const char *text)
{
    g_string_append_c(w->buf, '>');
    vsh_xml_writer_escape(w, text);
    g_string_append_printf(w->buf, "</%s>\n", name);
}

void
vsh_xml_writer_children(vsh_xml_writer *w)
{
    g_string_append(w->buf, ">\n");
    w->level++;
}

void
vsh_xml_writer_end(vsh_xml_writer *w, const char *name)
{
    w->level--;
    vsh_xml_writer_indent(w);
    g_string_append_printf(w->buf, "</%s>\n", name);
}

void
vsh_xml_writer_text_element(vsh_xml_writer *w, const char *name, const char *text)
{
    if (!text)
        return;
    vsh_xml_writer_open(w, name);
    vsh_xml_writer_text_close(w, name, text);
}

void
vsh_xml_writer_raw(vsh_xml_writer *w, const char *text)
{
    g_string_append(w->buf, text);
}

int
vsh_xml_writer_level(const vsh_xml_writer *w)
{
    return w->level;
}
