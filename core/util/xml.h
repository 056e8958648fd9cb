/*
 * xml.h — the only door to libxml2: safe parsing, XPath and attribute helpers, RelaxNG
 * validation and a small deterministic writer.
 *
 * Every string handed out is a g_strdup'd char * (free with g_free); xmlChar never leaves
 * xml.c. Errors are VSH_ERROR_INVALID_XML and read "FILE:LINE: PATH: problem", where PATH
 * is the element path without indexes ("/domain/devices/filesystem/target").
 */
#ifndef VSH_UTIL_XML_H
#define VSH_UTIL_XML_H

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "util/rng.h"

/* Documents larger than this are refused before libxml2 sees them. */
#define VSH_XML_MAX_SIZE (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)

/*
 * Parses @len bytes of @buf as a standalone document: no network, no DTD, no entity
 * expansion. A DOCTYPE and documents over VSH_XML_MAX_SIZE are refused. Blank text nodes
 * between elements are dropped. @filename (NULL: "<string>") becomes the document URL and
 * names it in errors. Returns a new document, or NULL with @error set to the FIRST problem
 * libxml2 found ("FILE:LINE: column COL: message"), with the line attached.
 */
xmlDoc *vsh_xml_parse(const char *buf, size_t len, const char *filename, GError **error);

/* A schema ready to check documents against. */
typedef struct vsh_xml_schema vsh_xml_schema;

/* A schema for the grammar @grammar (util/rng.h; borrowed, and must outlive the schema),
 * usually one compiled into vsh at build time. Free with vsh_xml_schema_free. */
vsh_xml_schema *vsh_xml_schema_new(const vsh_rng_grammar *grammar);
void vsh_xml_schema_free(vsh_xml_schema *schema);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_xml_schema, vsh_xml_schema_free)

/*
 * Validates @doc against @schema (safe from several threads at once). The document is
 * first checked against an outline of the schema (allowed, required and repeatable child
 * elements and attributes, keywords and patterns of values), which names the offending
 * element and what it expected; then the RELAX NG validator runs. On failure the error
 * names the element path and line of the first problem:
 * "FILE:LINE: /domain/devices/foo: element 'foo' is not allowed here".
 * Returns 0, or -1 with @error set.
 */
int vsh_xml_schema_validate(vsh_xml_schema *schema, xmlDoc *doc, GError **error);

/* ------------------------------------------------------------------ errors */

/* The element path of @node without indexes ("/domain/devices/disk/source"). */
char *vsh_xml_node_path(const xmlNode *node);

/* VSH_ERROR_INVALID_XML "FILE:LINE: PATH: MESSAGE" about @node. Returns -1. */
int vsh_xml_error(GError **error, const xmlNode *node, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* ------------------------------------------------------------------ XPath */

/* A context for @doc with its node at the root element. */
xmlXPathContext *vsh_xpath_context_new(xmlDoc *doc);
/* Lets XPath expressions on @ctxt use @prefix for the namespace @href. */
void vsh_xpath_register_ns(xmlXPathContext *ctxt, const char *prefix, const char *href);

typedef struct {
    xmlXPathContext *ctxt;
    xmlNode *node;
} vsh_xpath_node_save;

void vsh_xpath_node_restore(vsh_xpath_node_save *save);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vsh_xpath_node_save, vsh_xpath_node_restore)

/* Restores ctxt->node when the enclosing scope ends. */
#define VSH_XPATH_NODE_AUTORESTORE(c) \
    g_auto(vsh_xpath_node_save) vsh_xpath_save_ = { (c), (c)->node }; \
    (void) vsh_xpath_save_

/* The string value of @xpath relative to ctxt->node, or NULL when empty or absent. */
char *vsh_xpath_string(const char *xpath, xmlXPathContext *ctxt);
/* The first node matching @xpath, or NULL (borrowed from the document). */
xmlNode *vsh_xpath_node(const char *xpath, xmlXPathContext *ctxt);
/* All nodes matching @xpath in document order: the count, and in @ret_nodes a g_new'd
 * array (g_free it; NULL when there are none). */
int vsh_xpath_nodes(const char *xpath, xmlXPathContext *ctxt, xmlNode ***ret_nodes);

/*
 * What a user's expression @xpath selects in @doc, as text: each node serialised on a line
 * of its own (elements indented, an attribute as ` name="value"`), or with @wrap all of
 * them as children of one <nodes> element; "" when nothing matches. An expression that
 * does not parse, or yields a string, number or boolean instead of nodes, is an
 * VSH_ERROR_INVALID_ARG error naming it.
 */
char *vsh_xpath_select(xmlDoc *doc, const char *xpath, bool wrap, GError **error);

/* ------------------------------------------------------------------ nodes and attributes */

typedef enum {
    VSH_XML_PROP_OPTIONAL = 0,
    VSH_XML_PROP_REQUIRED = 1 << 0,   /* absent is an error naming the attribute */
    VSH_XML_PROP_NONZERO = 1 << 1,    /* numbers: 0 is an error */
} vsh_xml_prop_flags;

/* The element's name (borrowed). */
const char *vsh_xml_node_name(const xmlNode *node);
/* True when @node is an element in namespace @ns_href (NULL: no namespace). */
bool vsh_xml_node_in_ns(const xmlNode *node, const char *ns_href);
/* The value of attribute @name (no namespace), or NULL. */
char *vsh_xml_prop(const xmlNode *node, const char *name);
/* The text content of @node (never NULL for an element). */
char *vsh_xml_content(const xmlNode *node);

/* Attribute helpers: 1 found (*ret_value set), 0 absent (*ret_value untouched), -1 error
 * (bad value, or absent and required). */
int vsh_xml_prop_enum(const xmlNode *node, const char *name, int (*from_string)(const char *),
                      unsigned int flags, int *ret_value, GError **error);
int vsh_xml_prop_uint(const xmlNode *node, const char *name, unsigned int flags,
                      unsigned int *ret_value, GError **error);
int vsh_xml_prop_uint64(const xmlNode *node, const char *name, unsigned int flags,
                        guint64 *ret_value, GError **error);
/* yes/no attribute. */
int vsh_xml_prop_bool(const xmlNode *node, const char *name, unsigned int flags,
                      bool *ret_value, GError **error);

/* A decimal unsigned number with nothing around it (no sign, no spaces). */
bool vsh_str_to_uint64(const char *str, guint64 *ret_value);
bool vsh_str_to_int64(const char *str, gint64 *ret_value);

/* @node and all it contains serialised as indented XML, namespaces declared on it, ready to
 * be placed at nesting @level (2 spaces each): continuation lines carry the indentation,
 * the first line does not. */
char *vsh_xml_node_dump(const xmlNode *node, int level);

/* ------------------------------------------------------------------ writer */

/* Builds XML text with 2-space indentation and attributes in the order they are added:
 *   vsh_xml_writer_open(w, "target"); vsh_xml_writer_attr(w, "dir", "/");
 *   vsh_xml_writer_close(w);                       ->  <target dir='/'/>
 *   vsh_xml_writer_open(w, "name"); vsh_xml_writer_text_close(w, "name", "web");
 *                                                  ->  <name>web</name>
 *   vsh_xml_writer_open(w, "os"); vsh_xml_writer_children(w); ... vsh_xml_writer_end(w, "os");
 */
typedef struct {
    GString *buf;
    int level;
} vsh_xml_writer;

void vsh_xml_writer_init(vsh_xml_writer *w);
/* Hands the text out (g_free) and resets the writer. */
char *vsh_xml_writer_finish(vsh_xml_writer *w);
void vsh_xml_writer_open(vsh_xml_writer *w, const char *name);
/* Adds name='value' (escaped); nothing when @value is NULL. */
void vsh_xml_writer_attr(vsh_xml_writer *w, const char *name, const char *value);
void vsh_xml_writer_attr_printf(vsh_xml_writer *w, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* "/>" and a newline. */
void vsh_xml_writer_close(vsh_xml_writer *w);
/* ">TEXT</NAME>" and a newline. */
void vsh_xml_writer_text_close(vsh_xml_writer *w, const char *name, const char *text);
/* ">" and a newline; children follow one level deeper. */
void vsh_xml_writer_children(vsh_xml_writer *w);
/* "</NAME>" one level up, and a newline. */
void vsh_xml_writer_end(vsh_xml_writer *w, const char *name);
/* <NAME>TEXT</NAME> on one line; nothing when @text is NULL. */
void vsh_xml_writer_text_element(vsh_xml_writer *w, const char *name, const char *text);
/* Appends @text as it is (already indented XML, e.g. verbatim metadata). */
void vsh_xml_writer_raw(vsh_xml_writer *w, const char *text);
/* The current nesting level (2 spaces each). */
int vsh_xml_writer_level(const vsh_xml_writer *w);

#endif /* VSH_UTIL_XML_H */
