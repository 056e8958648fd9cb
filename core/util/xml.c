/*
 * xml.c — parsing, XPath, schema checks and writing, so the rest of vsh never handles
 * xmlChar or libxml2's global error state.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

#include "error.h"
#include "util/rng.h"
#include "util/xml.h"

/* ------------------------------------------------------------------ parsing */

/* The first error libxml2 reports; later ones are consequences of it. */
typedef struct {
    char *message;
    int line;
    int column;
} vsh_xml_first_error;

static void
vsh_xml_first_error_clear(vsh_xml_first_error *first)
{
    g_clear_pointer(&first->message, g_free);
}

static void
vsh_xml_first_error_record(vsh_xml_first_error *first, const xmlError *e)
{
    if (first->message)
        return;
    first->message = g_strdup(e->message ? e->message : "unknown error");
    g_strchomp(first->message);
    /* Some libxml2 messages carry a second line ("Bytes: 0xFF ..."); errors are one line. */
    g_strdelimit(first->message, "\n\r", ' ');
    first->line = e->line;
    first->column = e->int2;
}

/* sax->serror is called with ctxt->userData, which libxml2 points at the context itself;
 * our record hangs off its _private field. Warnings (a relative namespace URI ...) do not
 * make a document unusable, so only errors count. */
static void
vsh_xml_parse_error_cb(void *data, xmlErrorPtr e)
{
    xmlParserCtxt *pctxt = data;

    if (e->level >= XML_ERR_ERROR)
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

/* libxml2 sets up its global tables on first use; doing that once up front keeps two threads
 * of vshd from racing to do it. */
static void
vsh_xml_init(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        xmlInitParser();
        g_once_init_leave(&done, 1);
    }
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
    vsh_xml_init();
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
    /* libxml2 stores the name URI-escaped ("my%20dir/web.xml"); errors show it as given. */
    xmlFree((xmlChar *) doc->URL);
    doc->URL = filename ? xmlStrdup((const xmlChar *) filename) : NULL;
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

/* ------------------------------------------------------------------ schema outline */

/*
 * A RELAX NG validator stops at the first event the pattern cannot take, which for a
 * misplaced element in a long <interleave> says little more than "not allowed here".
 * Before it runs, the document is walked against an outline of the same grammar: for every
 * element pattern, the child elements and attributes it allows, which of them are required
 * or may repeat, and the keywords the schema lists. That names unknown and duplicate
 * elements, unknown or missing attributes and bad keywords with what was expected; the
 * validator proper (util/rng.c) still runs afterwards and has the last word.
 */
typedef struct vsh_rng_elem vsh_rng_elem;

typedef struct {
    vsh_rng_elem *elem;
    bool repeatable;
    bool required;
} vsh_rng_child;

typedef struct {
    const char *name;           /* strings below borrow the grammar's */
    GPtrArray *values;          /* keywords listed by the schema */
    GArray *patterns;           /* of guint16: string indexes of XML Schema patterns */
    bool any_text;              /* <text/> or unrestricted <data>: any value */
    bool required;
} vsh_rng_attr;

struct vsh_rng_elem {
    const char *name;           /* NULL: a wildcard (<anyName>) */
    const char *ns;             /* "" for no namespace */
    GPtrArray *except_ns;       /* wildcard: namespaces it excludes */
    GArray *children;           /* of vsh_rng_child */
    GPtrArray *attrs;           /* of vsh_rng_attr * */
    bool any_attr;
    GPtrArray *values;          /* keywords allowed as text */
    GArray *patterns;           /* likewise */
    bool any_text;
};

typedef struct {
    const vsh_rng_grammar *grammar;
    vsh_rng_elem **by_pattern;  /* ELEMENT pattern index -> its outline, while building */
    GPtrArray *elems;           /* owns every vsh_rng_elem */
    vsh_rng_elem *start;
} vsh_rng_outline;

/* The simple form nests binary operators (a choice of 60 keywords is 60 deep); cycles
 * only pass through elements, which are built once, so this bound is never reached by a
 * sane grammar. */
#define VSH_RNG_MAX_DEPTH 4096

static void
vsh_rng_attr_free(vsh_rng_attr *attr)
{
    g_ptr_array_unref(attr->values);
    g_array_unref(attr->patterns);
    g_free(attr);
}

static void
vsh_rng_elem_free(vsh_rng_elem *elem)
{
    g_ptr_array_unref(elem->except_ns);
    g_array_unref(elem->children);
    g_ptr_array_unref(elem->attrs);
    g_ptr_array_unref(elem->values);
    g_array_unref(elem->patterns);
    g_free(elem);
}

static void
vsh_rng_outline_free(vsh_rng_outline *o)
{
    if (!o)
        return;
    g_free(o->by_pattern);
    g_ptr_array_unref(o->elems);
    g_free(o);
}

static vsh_rng_elem *vsh_rng_elem_get(vsh_rng_outline *o, uint32_t p);

static void
vsh_rng_collect(vsh_rng_outline *o, vsh_rng_elem *elem, vsh_rng_attr *attr, uint32_t p,
                bool repeatable, bool required, int depth)
{
    const vsh_rng_grammar *g = o->grammar;
    const vsh_rng_pattern *q;

    if (depth > VSH_RNG_MAX_DEPTH || p >= g->n_patterns)
        return;
    q = &g->patterns[p];
    switch (q->kind) {
    case VSH_RNG_ELEMENT:
        if (!attr) {
            vsh_rng_child child = { vsh_rng_elem_get(o, p), repeatable, required };

            g_array_append_val(elem->children, child);
        }
        break;
    case VSH_RNG_ATTRIBUTE: {
        const vsh_rng_name_class *nc = q->arg < g->n_name_classes ?
                                       &g->name_classes[q->arg] : NULL;
        vsh_rng_attr *a;

        if (attr)
            break;
        if (!nc || nc->kind != VSH_RNG_NC_NAME || g->strings[nc->ns][0]) {
            elem->any_attr = true;      /* <attribute><anyName/></attribute> */
            break;
        }
        a = g_new0(vsh_rng_attr, 1);
        a->name = g->strings[nc->local];
        a->values = g_ptr_array_new();
        a->patterns = g_array_new(FALSE, FALSE, sizeof(guint16));
        a->required = required;
        vsh_rng_collect(o, elem, a, q->a, false, required, depth + 1);
        g_ptr_array_add(elem->attrs, a);
        break;
    }
    case VSH_RNG_CHOICE:
        vsh_rng_collect(o, elem, attr, q->a, repeatable, false, depth + 1);
        vsh_rng_collect(o, elem, attr, q->b, repeatable, false, depth + 1);
        break;
    case VSH_RNG_ONE_OR_MORE:
        vsh_rng_collect(o, elem, attr, q->a, true, required, depth + 1);
        break;
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        vsh_rng_collect(o, elem, attr, q->a, repeatable, required, depth + 1);
        vsh_rng_collect(o, elem, attr, q->b, repeatable, required, depth + 1);
        break;
    case VSH_RNG_VALUE:
        if (q->arg < g->n_strings)
            g_ptr_array_add(attr ? attr->values : elem->values, (gpointer) g->strings[q->arg]);
        break;
    case VSH_RNG_DATA:
        /* <data> with a pattern restricts the value; without, it is free text. */
        if (q->arg == VSH_RNG_NO_ARG)
            *(attr ? &attr->any_text : &elem->any_text) = true;
        else
            g_array_append_val(attr ? attr->patterns : elem->patterns, q->arg);
        break;
    case VSH_RNG_TEXT:
        *(attr ? &attr->any_text : &elem->any_text) = true;
        break;
    default:
        break;
    }
}

/* The namespaces an <anyName> wildcard's except clause names. */
static void
vsh_rng_collect_except(const vsh_rng_grammar *g, uint16_t nc, GPtrArray *out, int depth)
{
    const vsh_rng_name_class *c;

    if (nc >= g->n_name_classes || depth > VSH_RNG_MAX_DEPTH)
        return;
    c = &g->name_classes[nc];
    if (c->kind == VSH_RNG_NC_NS_NAME) {
        g_ptr_array_add(out, (gpointer) g->strings[c->ns]);
    } else if (c->kind == VSH_RNG_NC_CHOICE) {
        vsh_rng_collect_except(g, c->a, out, depth + 1);
        vsh_rng_collect_except(g, c->b, out, depth + 1);
    }
}

static vsh_rng_elem *
vsh_rng_elem_new(vsh_rng_outline *o)
{
    vsh_rng_elem *elem = g_new0(vsh_rng_elem, 1);

    elem->ns = "";
    elem->children = g_array_new(FALSE, TRUE, sizeof(vsh_rng_child));
    elem->attrs = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_rng_attr_free);
    elem->values = g_ptr_array_new();
    elem->patterns = g_array_new(FALSE, FALSE, sizeof(guint16));
    elem->except_ns = g_ptr_array_new();
    g_ptr_array_add(o->elems, elem);
    return elem;
}

/* The outline of ELEMENT pattern @p, built on first use. */
static vsh_rng_elem *
vsh_rng_elem_get(vsh_rng_outline *o, uint32_t p)
{
    const vsh_rng_grammar *g = o->grammar;
    const vsh_rng_pattern *q = &g->patterns[p];
    const vsh_rng_name_class *nc;
    vsh_rng_elem *elem = o->by_pattern[p];

    if (elem)
        return elem;
    elem = vsh_rng_elem_new(o);
    /* Registered before its content is read: a pattern may contain itself. */
    o->by_pattern[p] = elem;
    nc = q->arg < g->n_name_classes ? &g->name_classes[q->arg] : NULL;
    if (nc && nc->kind == VSH_RNG_NC_NAME) {
        elem->name = g->strings[nc->local];
        elem->ns = g->strings[nc->ns];
    } else if (nc && nc->kind == VSH_RNG_NC_ANY_NAME && nc->a != VSH_RNG_NO_ARG) {
        vsh_rng_collect_except(g, nc->a, elem->except_ns, 0);
    }
    vsh_rng_collect(o, elem, NULL, q->a, false, true, 0);
    return elem;
}

static vsh_rng_outline *
vsh_rng_outline_new(const vsh_rng_grammar *grammar)
{
    vsh_rng_outline *o = g_new0(vsh_rng_outline, 1);

    o->grammar = grammar;
    o->by_pattern = g_new0(vsh_rng_elem *, grammar->n_patterns);
    o->elems = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_rng_elem_free);
    /* The start pattern is read like the content of an imaginary document element. */
    o->start = vsh_rng_elem_new(o);
    vsh_rng_collect(o, o->start, NULL, grammar->start, false, true, 0);
    g_clear_pointer(&o->by_pattern, g_free);
    return o;
}

/* ---- checking a document against the outline */

static bool
vsh_rng_elem_matches(const vsh_rng_elem *elem, const xmlNode *node)
{
    const char *ns = node->ns && node->ns->href ? (const char *) node->ns->href : "";
    guint i;

    if (!elem->name) {
        for (i = 0; i < elem->except_ns->len; i++) {
            if (strcmp(g_ptr_array_index(elem->except_ns, i), ns) == 0)
                return false;
        }
        return true;
    }
    return strcmp(elem->name, (const char *) node->name) == 0 && strcmp(elem->ns, ns) == 0;
}

/* "'a', 'b' or 'c'" */
static char *
vsh_rng_keywords(GPtrArray *values)
{
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < values->len; i++) {
        if (i > 0)
            g_string_append(s, i + 1 == values->len ? " or " : ", ");
        g_string_append_printf(s, "'%s'", (const char *) g_ptr_array_index(values, i));
    }
    return g_string_free(s, FALSE);
}

static bool
vsh_rng_value_in(vsh_rng_validator *v, GPtrArray *values, GArray *patterns, const char *value)
{
    guint i;

    for (i = 0; i < values->len; i++) {
        if (strcmp(g_ptr_array_index(values, i), value) == 0)
            return true;
    }
    for (i = 0; i < patterns->len; i++) {
        if (vsh_rng_pattern_matches(v, g_array_index(patterns, guint16, i), value))
            return true;
    }
    return false;
}

/* The error for @value that is neither a listed keyword nor matches a pattern. */
static int
vsh_rng_bad_value(GError **error, const xmlNode *node, const char *attr, const char *value,
                  GPtrArray *values)
{
    g_autofree char *expected = NULL;
    g_autofree char *what = attr ? g_strdup_printf(" for attribute '%s'", attr) :
                            g_strdup("");

    if (values->len == 0)
        return vsh_xml_error(error, node, "invalid value '%s'%s", value, what);
    expected = vsh_rng_keywords(values);
    return vsh_xml_error(error, node, "invalid value '%s'%s (expected %s)", value, what,
                         expected);
}

static int
vsh_rng_check_attrs(vsh_rng_validator *v, GPtrArray *defs, const xmlNode *node,
                    GError **error)
{
    const xmlAttr *a;
    guint d;
    guint i;

    for (a = node->properties; a; a = a->next) {
        g_autoptr(GPtrArray) values = g_ptr_array_new();
        g_autoptr(GArray) patterns = g_array_new(FALSE, FALSE, sizeof(guint16));
        g_autofree char *value = NULL;
        bool known = false;
        bool any = false;

        for (d = 0; d < defs->len; d++) {
            const vsh_rng_elem *elem = g_ptr_array_index(defs, d);

            any |= elem->any_attr;
            for (i = 0; i < elem->attrs->len; i++) {
                const vsh_rng_attr *attr = g_ptr_array_index(elem->attrs, i);

                if (a->ns || strcmp(attr->name, (const char *) a->name) != 0)
                    continue;
                known = true;
                any |= attr->any_text;
                g_ptr_array_extend(values, attr->values, NULL, NULL);
                g_array_append_vals(patterns, attr->patterns->data, attr->patterns->len);
            }
        }
        if (!known && !any)
            return vsh_xml_error(error, node, "attribute '%s' is not allowed here",
                                 (const char *) a->name);
        value = vsh_xml_prop(node, (const char *) a->name);
        if (!any && value && !vsh_rng_value_in(v, values, patterns, value))
            return vsh_rng_bad_value(error, node, (const char *) a->name, value, values);
    }
    return 0;
}

/* Text where the schema allows only elements ("<devices>oops<disk .../>"). */
static int
vsh_rng_check_stray_text(const xmlNode *node, GError **error)
{
    const xmlNode *c;

    for (c = node->children; c; c = c->next) {
        g_autofree char *text = NULL;

        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        text = g_strstrip(vsh_xml_content(c));
        if (*text)
            return vsh_xml_error(error, node, "unexpected text '%.20s%s'", text,
                                 strlen(text) > 20 ? "..." : "");
    }
    return 0;
}

static int
vsh_rng_check_text(vsh_rng_validator *v, GPtrArray *defs, const xmlNode *node,
                   GError **error)
{
    g_autoptr(GPtrArray) values = g_ptr_array_new();
    g_autoptr(GArray) patterns = g_array_new(FALSE, FALSE, sizeof(guint16));
    g_autofree char *text = NULL;
    bool any_text = false;
    guint d;

    for (d = 0; d < defs->len; d++) {
        const vsh_rng_elem *elem = g_ptr_array_index(defs, d);

        any_text |= elem->any_text;
        g_ptr_array_extend(values, elem->values, NULL, NULL);
        g_array_append_vals(patterns, elem->patterns->data, elem->patterns->len);
    }
    if (!any_text && values->len == 0 && patterns->len == 0)
        return vsh_rng_check_stray_text(node, error);
    if (any_text)
        return 0;
    text = g_strstrip(vsh_xml_content(node));
    if (vsh_rng_value_in(v, values, patterns, text))
        return 0;
    return vsh_rng_bad_value(error, node, NULL, text, values);
}

static int
vsh_rng_check_required(const vsh_rng_elem *elem, const xmlNode *node, GError **error)
{
    guint i;

    for (i = 0; i < elem->attrs->len; i++) {
        const vsh_rng_attr *attr = g_ptr_array_index(elem->attrs, i);

        if (attr->required && !xmlHasNsProp(node, (const xmlChar *) attr->name, NULL))
            return vsh_xml_error(error, node, "missing attribute '%s'", attr->name);
    }
    for (i = 0; i < elem->children->len; i++) {
        const vsh_rng_child *child = &g_array_index(elem->children, vsh_rng_child, i);
        const xmlNode *c;

        if (!child->required || !child->elem->name)
            continue;
        for (c = node->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && vsh_rng_elem_matches(child->elem, c))
                break;
        }
        if (!c)
            return vsh_xml_error(error, node, "missing element '%s'", child->elem->name);
    }
    return 0;
}

static int vsh_rng_check(vsh_rng_validator *v, GPtrArray *defs, const xmlNode *node,
                         GError **error);

/* The patterns among @defs' children that @child matches; NULL when a wildcard took it. */
static GPtrArray *
vsh_rng_child_defs(GPtrArray *defs, const xmlNode *child, bool *ret_repeatable)
{
    GPtrArray *found = g_ptr_array_new();
    bool wildcard = false;
    guint d;
    guint i;

    *ret_repeatable = false;
    for (d = 0; d < defs->len; d++) {
        const vsh_rng_elem *elem = g_ptr_array_index(defs, d);

        for (i = 0; i < elem->children->len; i++) {
            const vsh_rng_child *ch = &g_array_index(elem->children, vsh_rng_child, i);

            if (!vsh_rng_elem_matches(ch->elem, child))
                continue;
            *ret_repeatable |= ch->repeatable;
            if (!ch->elem->name)
                wildcard = true;
            else if (!g_ptr_array_find(found, ch->elem, NULL))
                g_ptr_array_add(found, ch->elem);
        }
    }
    if (found->len == 0 && wildcard) {
        g_ptr_array_unref(found);
        *ret_repeatable = true;
        return NULL;
    }
    return found;
}

static int
vsh_rng_check_children(vsh_rng_validator *v, GPtrArray *defs, const xmlNode *node,
                       GError **error)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    const xmlNode *c;

    for (c = node->children; c; c = c->next) {
        g_autoptr(GPtrArray) found = NULL;
        bool repeatable = false;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!(found = vsh_rng_child_defs(defs, c, &repeatable)))
            continue;           /* someone else's element, unchecked */
        if (found->len == 0)
            return vsh_xml_error(error, c, "element '%s' is not allowed here",
                                 (const char *) c->name);
        if (!repeatable && g_hash_table_contains(seen, found->pdata[0]))
            return vsh_xml_error(error, c, "element '%s' may appear only once here",
                                 (const char *) c->name);
        g_hash_table_add(seen, found->pdata[0]);
        if (vsh_rng_check(v, found, c, error) < 0)
            return -1;
    }
    return 0;
}

static int
vsh_rng_check(vsh_rng_validator *v, GPtrArray *defs, const xmlNode *node, GError **error)
{
    if (vsh_rng_check_attrs(v, defs, node, error) < 0 ||
        vsh_rng_check_text(v, defs, node, error) < 0 ||
        vsh_rng_check_children(v, defs, node, error) < 0)
        return -1;
    /* With several candidate patterns (a <choice>), which one is meant is unclear; the
     * validator proper reports what is missing then. */
    if (defs->len == 1 && vsh_rng_check_required(defs->pdata[0], node, error) < 0)
        return -1;
    return 0;
}

static int
vsh_rng_outline_check(const vsh_rng_outline *o, vsh_rng_validator *v, xmlDoc *doc,
                      GError **error)
{
    g_autoptr(GPtrArray) top = g_ptr_array_new();
    g_autoptr(GPtrArray) found = NULL;
    const xmlNode *root = xmlDocGetRootElement(doc);
    bool repeatable;

    g_ptr_array_add(top, o->start);
    found = vsh_rng_child_defs(top, root, &repeatable);
    if (!found)
        return 0;
    if (found->len == 0)
        return vsh_xml_error(error, root, "element '%s' is not allowed here",
                             (const char *) root->name);
    return vsh_rng_check(v, found, root, error);
}

/* ------------------------------------------------------------------ RelaxNG */

struct vsh_xml_schema {
    vsh_rng_validator *validator;
    vsh_rng_outline *outline;
};

vsh_xml_schema *
vsh_xml_schema_new(const vsh_rng_grammar *grammar)
{
    vsh_xml_schema *schema = g_new0(vsh_xml_schema, 1);

    schema->validator = vsh_rng_validator_new(grammar);
    schema->outline = vsh_rng_outline_new(grammar);
    return schema;
}

void
vsh_xml_schema_free(vsh_xml_schema *schema)
{
    if (!schema)
        return;
    vsh_rng_outline_free(schema->outline);
    vsh_rng_validator_free(schema->validator);
    g_free(schema);
}

int
vsh_xml_schema_validate(vsh_xml_schema *schema, xmlDoc *doc, GError **error)
{
    if (vsh_rng_outline_check(schema->outline, schema->validator, doc, error) < 0)
        return -1;
    return vsh_rng_validate(schema->validator, doc, error);
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

/* What went wrong in an XPath expression, from libxml2's code for it. */
static const char *
xpath_problem(int code)
{
    switch (code) {
    case XML_XPATH_NUMBER_ERROR: return "a number is malformed";
    case XML_XPATH_UNFINISHED_LITERAL_ERROR: return "a string is not closed";
    case XML_XPATH_START_LITERAL_ERROR: return "a string was expected";
    case XML_XPATH_VARIABLE_REF_ERROR:
    case XML_XPATH_UNDEF_VARIABLE_ERROR: return "variables are not supported";
    case XML_XPATH_INVALID_PREDICATE_ERROR: return "a predicate is malformed";
    case XML_XPATH_UNCLOSED_ERROR: return "a bracket is not closed";
    case XML_XPATH_UNKNOWN_FUNC_ERROR: return "no such function";
    case XML_XPATH_INVALID_OPERAND: return "an operand is of the wrong type";
    case XML_XPATH_INVALID_TYPE: return "a value is of the wrong type";
    case XML_XPATH_INVALID_ARITY: return "a function has the wrong number of arguments";
    case XML_XPATH_UNDEF_PREFIX_ERROR: return "a namespace prefix is not defined";
    case XML_XPATH_ENCODING_ERROR:
    case XML_XPATH_INVALID_CHAR_ERROR: return "a character is not allowed";
    default: return "it is not a valid expression";
    }
}

/* Keeps the first error of an evaluation, which libxml2 would print on stderr: its
 * problem and where in the expression it was found. */
static void
xpath_error_keep(void *data, const xmlError *err)
{
    char **message = data;

    if (*message || !err)
        return;
    *message = err->int1 > 0 ? g_strdup_printf("%s (at character %d)",
                                               xpath_problem(err->code), err->int1 + 1)
                             : g_strdup(xpath_problem(err->code));
}

/* libxml2 reports a few evaluation problems on its generic channel as well */
static void G_GNUC_PRINTF(2, 3)
xpath_generic_quiet(void *ctx, const char *msg, ...)
{
    (void) ctx;
    (void) msg;
}

/* One node as text, indented from level 0, on @out. */
static void
xpath_dump_node(GString *out, xmlDoc *doc, xmlNode *node)
{
    xmlBuffer *buf = xmlBufferCreate();

    xmlNodeDump(buf, doc, node, 0, 1);
    g_string_append(out, (const char *) xmlBufferContent(buf));
    g_string_append_c(out, '\n');
    xmlBufferFree(buf);
}

/*
 * A node of a result set as something that can be dumped or copied: the document node
 * ("/") stands for its root element. A namespace node is an xmlNs, not an xmlNode, and
 * goes through neither: NULL, with its declaration (` xmlns:p="uri"`) in @ret_decl.
 */
static xmlNode *
xpath_result_node(xmlDoc *doc, xmlNode *node, char **ret_decl)
{
    *ret_decl = NULL;
    if (node->type == XML_DOCUMENT_NODE)
        return xmlDocGetRootElement(doc);
    if (node->type == XML_NAMESPACE_DECL) {
        const xmlNs *ns = (const xmlNs *) node;

        *ret_decl = g_strdup_printf(" xmlns%s%s=\"%s\"", ns->prefix ? ":" : "",
                                    ns->prefix ? (const char *) ns->prefix : "",
                                    ns->href ? (const char *) ns->href : "");
        return NULL;
    }
    return node;
}

char *
vsh_xpath_select(xmlDoc *doc, const char *xpath, bool wrap, GError **error)
{
    g_autoptr(xmlXPathContext) ctxt = vsh_xpath_context_new(doc);
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree char *message = NULL;
    xmlGenericErrorFunc saved_func;
    void *saved_ctx;
    xmlXPathObject *obj;
    xmlNodeSet *set;
    int i;

    ctxt->userData = &message;
    ctxt->error = (xmlStructuredErrorFunc) xpath_error_keep;
    saved_func = xmlGenericError;
    saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xpath_generic_quiet);
    obj = xmlXPathEval((const xmlChar *) xpath, ctxt);
    xmlSetGenericErrorFunc(saved_ctx, saved_func);
    if (!obj) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "invalid XPath expression '%s': %s",
                      xpath, message ? message : xpath_problem(0));
        return NULL;
    }
    if (obj->type != XPATH_NODESET) {
        xmlXPathFreeObject(obj);
        vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                      "XPath expression '%s' does not select nodes", xpath);
        return NULL;
    }
    set = obj->nodesetval;
    if (wrap) {
        g_autoptr(xmlDoc) wrapper = xmlNewDoc(BAD_CAST "1.0");
        xmlNode *root = xmlNewNode(NULL, BAD_CAST "nodes");

        xmlDocSetRootElement(wrapper, root);
        for (i = 0; set && i < set->nodeNr; i++) {
            g_autofree char *decl = NULL;
            xmlNode *node = xpath_result_node(doc, set->nodeTab[i], &decl);
            xmlNode *copy;

            if (!node) {
                const xmlNs *ns = (const xmlNs *) set->nodeTab[i];

                /* "xml" is declared on every document already */
                if (!ns->prefix || !xmlStrEqual(ns->prefix, BAD_CAST "xml"))
                    xmlNewNs(root, ns->href, ns->prefix);
                continue;
            }
            if ((copy = xmlDocCopyNode(node, wrapper, 1)) && !xmlAddChild(root, copy))
                xmlFreeNode(copy);
        }
        xpath_dump_node(out, wrapper, root);
    } else {
        for (i = 0; set && i < set->nodeNr; i++) {
            g_autofree char *decl = NULL;
            xmlNode *node = xpath_result_node(doc, set->nodeTab[i], &decl);

            if (node)
                xpath_dump_node(out, doc, node);
            else
                g_string_append_printf(out, "%s\n", decl);
        }
    }
    xmlXPathFreeObject(obj);
    return g_string_free(g_steal_pointer(&out), FALSE);
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
