/*
 * rng-compile.c — RELAX NG schema (XML syntax) to the simple form of rng.h, and the
 * simple form to C tables (used by tools/rng-compile at build time).
 *
 * The simplification follows section 4 of the RELAX NG specification, restricted to what
 * rng.h supports. Each define is compiled once, on its first reference, so a pattern
 * index is the same for every reference to it. A reference back to a define still being
 * compiled is legal only through an element (section 4.19); it is recorded as a pending
 * index and patched once every define has an index.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "error.h"
#include "util/rng.h"
#include "util/xml.h"

#define RNGC_NS "http://relaxng.org/ns/structure/1.0"
#define RNGC_XSD_LIBRARY "http://www.w3.org/2001/XMLSchema-datatypes"
#define RNGC_XMLNS_NS "http://www.w3.org/2000/xmlns"

/* A reference to define number N while that define is being compiled. Real pattern
 * indexes stay below this bit. */
#define RNGC_PENDING 0x80000000u
/* uint16_t indexes: VSH_RNG_NO_ARG (UINT16_MAX) is not an index. */
#define RNGC_MAX_SMALL ((guint) VSH_RNG_NO_ARG)

/* The name classes an except may not contain (section 4.16). */
enum {
    RNGC_FORBID_ANY_NAME = 1 << 0,
    RNGC_FORBID_NS_NAME = 1 << 1,
};

typedef enum {
    RNGC_COMBINE_NONE,
    RNGC_COMBINE_CHOICE,
    RNGC_COMBINE_INTERLEAVE,
} rngc_combine_method;

/* A named define, or the grammar's start: every element defining it, in document order. */
typedef struct {
    char *name;                 /* NULL for the start */
    GPtrArray *nodes;           /* xmlNode *, borrowed from the document */
    guint id;                   /* position in rngc.define_list */
    rngc_combine_method combine;
    bool has_plain;             /* one of the nodes has no combine attribute */
    bool compiling;
    bool done;
    guint element_depth;        /* elements open when its compilation began */
    uint32_t index;             /* compiled body, once done */
} rngc_define;

typedef struct {
    const char *filename;
    GArray *patterns;           /* vsh_rng_pattern */
    GHashTable *pattern_index;  /* vsh_rng_pattern * (own copy) -> index + 1 */
    GArray *name_classes;       /* vsh_rng_name_class */
    GHashTable *name_index;     /* ns << 16 | local -> index + 1, for NAME classes */
    GPtrArray *strings;         /* char * */
    GHashTable *string_index;   /* char * (borrowed from strings) -> index + 1 */
    GHashTable *defines;        /* name -> rngc_define *, borrowed from define_list */
    GPtrArray *define_list;     /* rngc_define * in order of first definition */
    rngc_define *start;
    guint element_depth;        /* ELEMENT patterns whose content is being compiled */
} rngc;

static int rngc_pattern(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error);

/* ------------------------------------------------------------------ compiler state */

static void
rngc_define_free(rngc_define *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_ptr_array_unref(def->nodes);
    g_free(def);
}

static rngc_define *
rngc_define_new(const char *name)
{
    rngc_define *def = g_new0(rngc_define, 1);

    def->name = g_strdup(name);
    def->nodes = g_ptr_array_new();
    return def;
}

static guint
rngc_pattern_hash(gconstpointer key)
{
    const vsh_rng_pattern *p = key;

    return ((guint) p->kind << 24 ^ (guint) p->flags << 16 ^ p->arg) * 31u * 31u +
           p->a * 31u + p->b;
}

static gboolean
rngc_pattern_equal(gconstpointer x, gconstpointer y)
{
    const vsh_rng_pattern *p = x;
    const vsh_rng_pattern *q = y;

    return p->kind == q->kind && p->flags == q->flags && p->arg == q->arg &&
           p->a == q->a && p->b == q->b;
}

static void
rngc_init(rngc *c, const char *filename)
{
    c->filename = filename;
    c->patterns = g_array_new(FALSE, TRUE, sizeof(vsh_rng_pattern));
    c->pattern_index = g_hash_table_new_full(rngc_pattern_hash, rngc_pattern_equal, g_free,
                                             NULL);
    c->name_classes = g_array_new(FALSE, TRUE, sizeof(vsh_rng_name_class));
    c->name_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    c->strings = g_ptr_array_new_with_free_func(g_free);
    c->string_index = g_hash_table_new(g_str_hash, g_str_equal);
    c->defines = g_hash_table_new(g_str_hash, g_str_equal);
    c->define_list = g_ptr_array_new_with_free_func((GDestroyNotify) rngc_define_free);
    c->start = rngc_define_new(NULL);
}

static void
rngc_clear(rngc *c)
{
    g_clear_pointer(&c->patterns, g_array_unref);
    g_clear_pointer(&c->pattern_index, g_hash_table_unref);
    g_clear_pointer(&c->name_classes, g_array_unref);
    g_clear_pointer(&c->name_index, g_hash_table_unref);
    g_clear_pointer(&c->string_index, g_hash_table_unref);
    g_clear_pointer(&c->strings, g_ptr_array_unref);
    g_clear_pointer(&c->defines, g_hash_table_unref);
    g_clear_pointer(&c->define_list, g_ptr_array_unref);
    g_clear_pointer(&c->start, rngc_define_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(rngc, rngc_clear)

/* The schema is parsed here rather than by vsh_xml_parse(), which drops blank text that
 * <value> may hold. */
typedef xmlParserCtxt rngc_parser_ctxt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rngc_parser_ctxt, xmlFreeParserCtxt)

/* The first error libxml2 reports while parsing the schema. */
typedef struct {
    char *message;
    int line;
} rngc_parse_error;

/* ------------------------------------------------------------------ small helpers */

static int rngc_error(rngc *c, const xmlNode *node, GError **error, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static int
rngc_error(rngc *c, const xmlNode *node, GError **error, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return vsh_error_set_xml_line(error, c->filename, node ? (int) xmlGetLineNo(node) : 0,
                                  "%s", msg);
}

static bool
rngc_is_rng(const xmlNode *node)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           strcmp((const char *) node->ns->href, RNGC_NS) == 0;
}

static bool
rngc_is(const xmlNode *node, const char *name)
{
    return strcmp((const char *) node->name, name) == 0;
}

/* Strips XML white space (not the wider set of g_strstrip) in place. */
static char *
rngc_strip(char *s)
{
    size_t len;
    size_t skip = 0;

    while (vsh_rng_is_space(s[skip]))
        skip++;
    len = strlen(s + skip);
    while (len > 0 && vsh_rng_is_space(s[skip + len - 1]))
        len--;
    memmove(s, s + skip, len);
    s[len] = '\0';
    return s;
}

/* Attributes whose leading and trailing white space does not count (section 4.2). */
static char *
rngc_attr_stripped(const xmlNode *node, const char *name)
{
    char *value = vsh_xml_prop(node, name);

    return value ? rngc_strip(value) : NULL;
}

/* ns and datatypeLibrary apply to the element carrying them and everything inside it
 * (sections 4.3 and 4.7). */
static char *
rngc_inherited(const xmlNode *node, const char *name, const char *fallback)
{
    for (; node && node->type == XML_ELEMENT_NODE; node = node->parent) {
        if (xmlHasNsProp(node, (const xmlChar *) name, NULL))
            return vsh_xml_prop(node, name);
    }
    return g_strdup(fallback);
}

/*
 * Refuses unqualified attributes that @node's element does not have, so that a misspelt
 * one is not silently ignored. Qualified ones are annotations. Elements unknown here are
 * refused later for themselves.
 */
static int
rngc_check_attrs(rngc *c, const xmlNode *node, GError **error)
{
    static const struct {
        const char *element;
        const char *attrs;      /* besides ns and datatypeLibrary, allowed everywhere */
    } allowed[] = {
        { "element", " name " }, { "attribute", " name " }, { "define", " name combine " },
        { "start", " combine " }, { "ref", " name " }, { "parentRef", " name " },
        { "param", " name " }, { "value", " type " }, { "data", " type " },
        { "include", " href " }, { "externalRef", " href " }, { "grammar", "" },
        { "div", "" }, { "group", "" }, { "interleave", "" }, { "choice", "" },
        { "optional", "" }, { "zeroOrMore", "" }, { "oneOrMore", "" }, { "list", "" },
        { "mixed", "" }, { "empty", "" }, { "text", "" }, { "notAllowed", "" },
        { "name", "" }, { "anyName", "" }, { "nsName", "" }, { "except", "" },
    };
    const char *attrs = NULL;
    const xmlAttr *attr;
    g_autofree char *key = NULL;
    guint i;

    for (i = 0; i < G_N_ELEMENTS(allowed) && !attrs; i++) {
        if (rngc_is(node, allowed[i].element))
            attrs = allowed[i].attrs;
    }
    for (attr = node->properties; attrs && attr; attr = attr->next) {
        const char *name = (const char *) attr->name;

        if (attr->ns || strcmp(name, "ns") == 0 || strcmp(name, "datatypeLibrary") == 0)
            continue;
        g_free(key);
        key = g_strdup_printf(" %s ", name);
        if (!strstr(attrs, key))
            return rngc_error(c, node, error, "attribute '%s' is not allowed on element '%s'",
                              name, node->name);
    }
    return 0;
}

/*
 * The RELAX NG element children of @node (borrowed). Annotations (elements in other
 * namespaces), comments and blank text are skipped; other text is an error.
 */
static int
rngc_children(rngc *c, xmlNode *node, GPtrArray **ret_kids, GError **error)
{
    g_autoptr(GPtrArray) kids = g_ptr_array_new();
    xmlNode *kid;

    for (kid = node->children; kid; kid = kid->next) {
        if (rngc_is_rng(kid)) {
            if (rngc_check_attrs(c, kid, error) < 0)
                return -1;
            g_ptr_array_add(kids, kid);
        } else if ((kid->type == XML_TEXT_NODE || kid->type == XML_CDATA_SECTION_NODE) &&
                   kid->content && !vsh_rng_blank((const char *) kid->content)) {
            return rngc_error(c, kid, error, "text is not allowed in element '%s'",
                              node->name);
        }
    }
    *ret_kids = g_steal_pointer(&kids);
    return 0;
}

/* The text content of a value or param: character data, verbatim, outside annotations. */
static int
rngc_text(rngc *c, xmlNode *node, char **ret_text, GError **error)
{
    g_autoptr(GString) text = g_string_new(NULL);
    xmlNode *kid;

    for (kid = node->children; kid; kid = kid->next) {
        if (rngc_is_rng(kid))
            return rngc_error(c, kid, error, "element '%s' is not allowed in element '%s'",
                              kid->name, node->name);
        if ((kid->type == XML_TEXT_NODE || kid->type == XML_CDATA_SECTION_NODE) &&
            kid->content)
            g_string_append(text, (const char *) kid->content);
    }
    *ret_text = g_string_free(g_steal_pointer(&text), FALSE);
    return 0;
}

static int
rngc_no_children(rngc *c, xmlNode *node, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;

    if (rngc_children(c, node, &kids, error) < 0)
        return -1;
    if (kids->len > 0)
        return rngc_error(c, kids->pdata[0], error, "element '%s' must be empty",
                          node->name);
    return 0;
}

/* ------------------------------------------------------------------ tables */

static int
rngc_string(rngc *c, const xmlNode *node, const char *s, uint16_t *ret_s, GError **error)
{
    gpointer found = g_hash_table_lookup(c->string_index, s);
    char *copy;

    if (found) {
        *ret_s = (uint16_t) (GPOINTER_TO_UINT(found) - 1);
        return 0;
    }
    if (c->strings->len >= RNGC_MAX_SMALL)
        return rngc_error(c, node, error, "too many strings (at most %u)", RNGC_MAX_SMALL);
    copy = g_strdup(s);
    g_ptr_array_add(c->strings, copy);
    g_hash_table_insert(c->string_index, copy, GUINT_TO_POINTER(c->strings->len));
    *ret_s = (uint16_t) (c->strings->len - 1);
    return 0;
}

static int
rngc_name_class_add(rngc *c, const xmlNode *node, const vsh_rng_name_class *nc,
                    uint16_t *ret_nc, GError **error)
{
    guint key = (guint) nc->ns << 16 | nc->local;
    gpointer found = NULL;

    /* Name classes are small; sharing the plain names is enough to keep them few. */
    if (nc->kind == VSH_RNG_NC_NAME)
        found = g_hash_table_lookup(c->name_index, GUINT_TO_POINTER(key));
    if (found) {
        *ret_nc = (uint16_t) (GPOINTER_TO_UINT(found) - 1);
        return 0;
    }
    if (c->name_classes->len >= RNGC_MAX_SMALL)
        return rngc_error(c, node, error, "too many name classes (at most %u)",
                          RNGC_MAX_SMALL);
    g_array_append_val(c->name_classes, *nc);
    if (nc->kind == VSH_RNG_NC_NAME)
        g_hash_table_insert(c->name_index, GUINT_TO_POINTER(key),
                            GUINT_TO_POINTER(c->name_classes->len));
    *ret_nc = (uint16_t) (c->name_classes->len - 1);
    return 0;
}

static int
rngc_reserve(rngc *c, const xmlNode *node, uint32_t *ret_p, GError **error)
{
    vsh_rng_pattern p = { 0 };

    if (c->patterns->len >= RNGC_PENDING - 1)
        return rngc_error(c, node, error, "too many patterns");
    g_array_append_val(c->patterns, p);
    *ret_p = c->patterns->len - 1;
    return 0;
}

/* Adds a pattern, or finds the identical one added before. */
static int
rngc_add(rngc *c, const xmlNode *node, vsh_rng_kind kind, uint8_t flags, uint16_t arg,
         uint32_t a, uint32_t b, uint32_t *ret_p, GError **error)
{
    vsh_rng_pattern p = { .kind = kind, .flags = flags, .arg = arg, .a = a, .b = b };
    gpointer found = g_hash_table_lookup(c->pattern_index, &p);

    if (found) {
        *ret_p = GPOINTER_TO_UINT(found) - 1;
        return 0;
    }
    if (rngc_reserve(c, node, ret_p, error) < 0)
        return -1;
    g_array_index(c->patterns, vsh_rng_pattern, *ret_p) = p;
    g_hash_table_insert(c->pattern_index, g_memdup2(&p, sizeof(p)),
                        GUINT_TO_POINTER(*ret_p + 1));
    return 0;
}

/* ------------------------------------------------------------------ name classes */

/* Splits a QName; a prefix is looked up among the schema's namespace declarations in
 * scope at @node, no prefix means @default_ns (section 4.10). */
static int
rngc_qname(rngc *c, xmlNode *node, const char *qname, const char *default_ns,
           vsh_rng_name_class *nc, GError **error)
{
    const char *colon = strchr(qname, ':');
    g_autofree char *prefix = NULL;
    const char *ns = default_ns;
    xmlNs *decl;

    if (xmlValidateQName((const xmlChar *) qname, 0) != 0)
        return rngc_error(c, node, error, "invalid name '%s'", qname);
    if (colon) {
        prefix = g_strndup(qname, colon - qname);
        decl = xmlSearchNs(node->doc, node, (const xmlChar *) prefix);
        if (!decl || !decl->href)
            return rngc_error(c, node, error, "undeclared namespace prefix '%s'", prefix);
        ns = (const char *) decl->href;
        qname = colon + 1;
    }
    nc->kind = VSH_RNG_NC_NAME;
    if (rngc_string(c, node, ns, &nc->ns, error) < 0 ||
        rngc_string(c, node, qname, &nc->local, error) < 0)
        return -1;
    return 0;
}

static int rngc_name_class(rngc *c, xmlNode *node, unsigned int forbid, uint16_t *ret_nc,
                           GError **error);

/* Name classes @kids[@from..] as one: a left-nested choice. */
static int
rngc_name_class_choice(rngc *c, xmlNode *parent, GPtrArray *kids, guint from,
                       unsigned int forbid, uint16_t *ret_nc, GError **error)
{
    vsh_rng_name_class nc = { .kind = VSH_RNG_NC_CHOICE };
    uint16_t acc;
    uint16_t next;
    guint i;

    if (kids->len <= from)
        return rngc_error(c, parent, error, "element '%s' needs a name class", parent->name);
    if (rngc_name_class(c, kids->pdata[from], forbid, &acc, error) < 0)
        return -1;
    for (i = from + 1; i < kids->len; i++) {
        if (rngc_name_class(c, kids->pdata[i], forbid, &next, error) < 0)
            return -1;
        nc.a = acc;
        nc.b = next;
        if (rngc_name_class_add(c, kids->pdata[i], &nc, &acc, error) < 0)
            return -1;
    }
    *ret_nc = acc;
    return 0;
}

/* anyName and nsName, each with an optional except. */
static int
rngc_name_class_any(rngc *c, xmlNode *node, unsigned int forbid, uint16_t *ret_nc,
                    GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    g_autoptr(GPtrArray) except = NULL;
    g_autofree char *ns = NULL;
    vsh_rng_name_class nc = { .kind = VSH_RNG_NC_ANY_NAME, .a = VSH_RNG_NO_ARG };
    unsigned int inner = RNGC_FORBID_ANY_NAME;

    if (rngc_children(c, node, &kids, error) < 0)
        return -1;
    if (rngc_is(node, "nsName")) {
        nc.kind = VSH_RNG_NC_NS_NAME;
        ns = rngc_inherited(node, "ns", "");
        if (rngc_string(c, node, ns, &nc.ns, error) < 0)
            return -1;
        inner |= RNGC_FORBID_NS_NAME;
    }
    if (forbid & (nc.kind == VSH_RNG_NC_NS_NAME ? RNGC_FORBID_NS_NAME : RNGC_FORBID_ANY_NAME))
        return rngc_error(c, node, error, "element '%s' is not allowed in this except",
                          node->name);
    if (kids->len > 1 || (kids->len == 1 && !rngc_is(kids->pdata[0], "except")))
        return rngc_error(c, kids->pdata[kids->len - 1], error,
                          "element '%s' is not allowed in element '%s'",
                          ((xmlNode *) kids->pdata[kids->len - 1])->name, node->name);
    if (kids->len == 1) {
        if (rngc_children(c, kids->pdata[0], &except, error) < 0 ||
            rngc_name_class_choice(c, kids->pdata[0], except, 0, inner, &nc.a, error) < 0)
            return -1;
    }
    return rngc_name_class_add(c, node, &nc, ret_nc, error);
}

static int
rngc_name_class(rngc *c, xmlNode *node, unsigned int forbid, uint16_t *ret_nc, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    g_autofree char *text = NULL;
    g_autofree char *ns = NULL;
    vsh_rng_name_class nc = { 0 };

    if (rngc_is(node, "name")) {
        ns = rngc_inherited(node, "ns", "");
        if (rngc_text(c, node, &text, error) < 0 ||
            rngc_qname(c, node, rngc_strip(text), ns, &nc, error) < 0)
            return -1;
        return rngc_name_class_add(c, node, &nc, ret_nc, error);
    }
    if (rngc_is(node, "anyName") || rngc_is(node, "nsName"))
        return rngc_name_class_any(c, node, forbid, ret_nc, error);
    if (rngc_is(node, "choice")) {
        if (rngc_children(c, node, &kids, error) < 0)
            return -1;
        return rngc_name_class_choice(c, node, kids, 0, forbid, ret_nc, error);
    }
    return rngc_error(c, node, error, "element '%s' is not a name class", node->name);
}

/* The name class of an element or attribute pattern: its name attribute, or else its
 * first child (then *ret_from is 1: the content starts at the second child). */
static int
rngc_named(rngc *c, xmlNode *node, GPtrArray *kids, uint16_t *ret_nc, guint *ret_from,
           GError **error)
{
    g_autofree char *name = rngc_attr_stripped(node, "name");
    g_autofree char *ns = NULL;
    vsh_rng_name_class nc = { 0 };
    bool attribute = rngc_is(node, "attribute");

    if (!name) {
        if (kids->len == 0)
            return rngc_error(c, node, error, "element '%s' needs a name", node->name);
        *ret_from = 1;
        return rngc_name_class(c, kids->pdata[0], 0, ret_nc, error);
    }
    /* An attribute named by its name attribute is in no namespace unless it carries an ns
     * attribute itself (section 4.8); an element takes the inherited ns. */
    if (attribute)
        ns = xmlHasNsProp(node, (const xmlChar *) "ns", NULL) ? vsh_xml_prop(node, "ns")
                                                              : g_strdup("");
    else
        ns = rngc_inherited(node, "ns", "");
    if (rngc_qname(c, node, name, ns, &nc, error) < 0)
        return -1;
    /* Section 4.16: xmlns is a namespace declaration, never an attribute. */
    if (attribute && ((strcmp(ns, "") == 0 && strcmp(name, "xmlns") == 0) ||
                      strcmp(c->strings->pdata[nc.ns], RNGC_XMLNS_NS) == 0))
        return rngc_error(c, node, error, "attribute '%s' is a namespace declaration", name);
    *ret_from = 0;
    return rngc_name_class_add(c, node, &nc, ret_nc, error);
}

/* ------------------------------------------------------------------ patterns */

/* Patterns @kids[@from..] combined with @kind, left-nested in document order: (p1 op p2)
 * op p3. A single pattern is itself. */
static int
rngc_combine(rngc *c, xmlNode *parent, GPtrArray *kids, guint from, vsh_rng_kind kind,
             uint32_t *ret_p, GError **error)
{
    uint32_t acc;
    uint32_t next;
    guint i;

    if (kids->len <= from)
        return rngc_error(c, parent, error, "element '%s' needs a pattern", parent->name);
    if (rngc_pattern(c, kids->pdata[from], &acc, error) < 0)
        return -1;
    for (i = from + 1; i < kids->len; i++) {
        if (rngc_pattern(c, kids->pdata[i], &next, error) < 0 ||
            rngc_add(c, kids->pdata[i], kind, 0, 0, acc, next, &acc, error) < 0)
            return -1;
    }
    *ret_p = acc;
    return 0;
}

/* The children of @node as one pattern: several make a group (section 4.12). */
static int
rngc_content(rngc *c, xmlNode *node, vsh_rng_kind kind, uint32_t *ret_p, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;

    if (rngc_children(c, node, &kids, error) < 0)
        return -1;
    return rngc_combine(c, node, kids, 0, kind, ret_p, error);
}

static int
rngc_element(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    vsh_rng_pattern *p;
    uint16_t nc;
    guint from;
    uint32_t slot = 0;
    uint32_t content;
    int rc;

    if (rngc_children(c, node, &kids, error) < 0 ||
        rngc_named(c, node, kids, &nc, &from, error) < 0)
        return -1;
    /* The slot exists before the content is compiled, so that the content can refer back
     * to a define whose body this element is. */
    if (rngc_reserve(c, node, &slot, error) < 0)
        return -1;
    c->element_depth++;
    rc = rngc_combine(c, node, kids, from, VSH_RNG_GROUP, &content, error);
    c->element_depth--;
    if (rc < 0)
        return -1;
    p = &g_array_index(c->patterns, vsh_rng_pattern, slot);
    p->kind = VSH_RNG_ELEMENT;
    p->arg = nc;
    p->a = content;
    *ret_p = slot;
    return 0;
}

static int
rngc_attribute(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    uint16_t nc;
    guint from;
    uint32_t content = VSH_RNG_P_TEXT;

    if (rngc_children(c, node, &kids, error) < 0 ||
        rngc_named(c, node, kids, &nc, &from, error) < 0)
        return -1;
    /* No pattern means <text/> (section 4.13). */
    if (kids->len > from &&
        rngc_combine(c, node, kids, from, VSH_RNG_GROUP, &content, error) < 0)
        return -1;
    return rngc_add(c, node, VSH_RNG_ATTRIBUTE, 0, nc, content, 0, ret_p, error);
}

/* Checks the datatype of a value or data element; *ret_token tells token from string. */
static int
rngc_datatype(rngc *c, xmlNode *node, bool *ret_builtin, bool *ret_token, GError **error)
{
    g_autofree char *type = rngc_attr_stripped(node, "type");
    g_autofree char *library = NULL;

    if (!type) {
        /* A value without a type is a token of the built-in library (section 4.4). */
        if (!rngc_is(node, "value"))
            return rngc_error(c, node, error, "element '%s' needs a type", node->name);
        *ret_builtin = true;
        *ret_token = true;
        return 0;
    }
    library = rngc_inherited(node, "datatypeLibrary", "");
    if (strcmp(library, "") != 0 && strcmp(library, RNGC_XSD_LIBRARY) != 0)
        return rngc_error(c, node, error, "datatype library '%s' is not supported", library);
    if (strcmp(type, "token") != 0 && strcmp(type, "string") != 0)
        return rngc_error(c, node, error, "datatype '%s' is not supported", type);
    *ret_builtin = strcmp(library, "") == 0;
    *ret_token = strcmp(type, "token") == 0;
    return 0;
}

static int
rngc_value(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    g_autofree char *text = NULL;
    bool builtin;
    bool token;
    uint16_t s;

    if (rngc_datatype(c, node, &builtin, &token, error) < 0 ||
        rngc_text(c, node, &text, error) < 0)
        return -1;
    if (token) {
        char *collapsed = vsh_rng_collapse(text);

        g_free(text);
        text = collapsed;
    }
    if (rngc_string(c, node, text, &s, error) < 0)
        return -1;
    return rngc_add(c, node, VSH_RNG_VALUE, token ? VSH_RNG_TOKEN : 0, s, 0, 0, ret_p, error);
}

/* A param of a data element: only the XML Schema pattern facet is supported. */
static int
rngc_param(rngc *c, xmlNode *node, bool builtin, uint16_t *pattern, GError **error)
{
    g_autofree char *name = rngc_attr_stripped(node, "name");
    g_autofree char *text = NULL;

    if (!name)
        return rngc_error(c, node, error, "element 'param' needs a name");
    if (strcmp(name, "pattern") != 0)
        return rngc_error(c, node, error, "facet '%s' is not supported", name);
    if (builtin)
        return rngc_error(c, node, error,
                          "facet 'pattern' is not allowed with the built-in datatype library");
    if (*pattern != VSH_RNG_NO_ARG)
        return rngc_error(c, node, error, "several pattern facets are not supported");
    if (rngc_text(c, node, &text, error) < 0)
        return -1;
    return rngc_string(c, node, text, pattern, error);
}

static int
rngc_data(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    uint16_t pattern = VSH_RNG_NO_ARG;
    bool builtin;
    bool token;
    guint i;

    if (rngc_datatype(c, node, &builtin, &token, error) < 0 ||
        rngc_children(c, node, &kids, error) < 0)
        return -1;
    for (i = 0; i < kids->len; i++) {
        xmlNode *kid = kids->pdata[i];

        if (rngc_is(kid, "except"))
            return rngc_error(c, kid, error, "element 'except' in 'data' is not supported");
        if (!rngc_is(kid, "param"))
            return rngc_error(c, kid, error, "element '%s' is not allowed in element 'data'",
                              kid->name);
        if (rngc_param(c, kid, builtin, &pattern, error) < 0)
            return -1;
    }
    return rngc_add(c, node, VSH_RNG_DATA, token ? VSH_RNG_TOKEN : 0, pattern, 0, 0, ret_p,
                    error);
}

/* The body of @def, compiled on first use: every element defining it made a group of its
 * children, the bodies combined as their combine attributes say (section 4.17). */
static int
rngc_define_compile(rngc *c, rngc_define *def, const xmlNode *ref, uint32_t *ret_p,
                    GError **error)
{
    vsh_rng_kind kind = def->combine == RNGC_COMBINE_INTERLEAVE ? VSH_RNG_INTERLEAVE
                                                                 : VSH_RNG_CHOICE;
    uint32_t acc = 0;
    uint32_t body;
    guint i;

    if (def->done) {
        *ret_p = def->index;
        return 0;
    }
    if (def->compiling) {
        /* Section 4.19: a loop of references must pass through an element. */
        if (c->element_depth <= def->element_depth)
            return rngc_error(c, ref, error, "recursive reference to '%s' outside an element",
                              def->name);
        *ret_p = RNGC_PENDING | def->id;
        return 0;
    }
    def->compiling = true;
    def->element_depth = c->element_depth;
    for (i = 0; i < def->nodes->len; i++) {
        xmlNode *node = def->nodes->pdata[i];

        if (rngc_content(c, node, VSH_RNG_GROUP, &body, error) < 0)
            return -1;
        if (i > 0 && rngc_add(c, node, kind, 0, 0, acc, body, &body, error) < 0)
            return -1;
        acc = body;
    }
    def->compiling = false;
    def->done = true;
    def->index = acc;
    *ret_p = acc;
    return 0;
}

static int
rngc_ref(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    g_autofree char *name = rngc_attr_stripped(node, "name");
    rngc_define *def;

    if (!name)
        return rngc_error(c, node, error, "element 'ref' needs a name");
    if (rngc_no_children(c, node, error) < 0)
        return -1;
    if (!(def = g_hash_table_lookup(c->defines, name)))
        return rngc_error(c, node, error, "reference to undefined pattern '%s'", name);
    return rngc_define_compile(c, def, node, ret_p, error);
}

/* optional, zeroOrMore, oneOrMore and mixed: rewritten as section 4.12-4.13 say. */
static int
rngc_repeat(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    uint32_t content;

    if (rngc_content(c, node, VSH_RNG_GROUP, &content, error) < 0)
        return -1;
    if (rngc_is(node, "optional"))
        return rngc_add(c, node, VSH_RNG_CHOICE, 0, 0, content, VSH_RNG_P_EMPTY, ret_p,
                        error);
    if (rngc_is(node, "mixed"))
        return rngc_add(c, node, VSH_RNG_INTERLEAVE, 0, 0, content, VSH_RNG_P_TEXT, ret_p,
                        error);
    if (rngc_add(c, node, VSH_RNG_ONE_OR_MORE, 0, 0, content, 0, ret_p, error) < 0)
        return -1;
    if (rngc_is(node, "zeroOrMore"))
        return rngc_add(c, node, VSH_RNG_CHOICE, 0, 0, *ret_p, VSH_RNG_P_EMPTY, ret_p,
                        error);
    return 0;
}

static int
rngc_leaf(rngc *c, xmlNode *node, uint32_t p, uint32_t *ret_p, GError **error)
{
    if (rngc_no_children(c, node, error) < 0)
        return -1;
    *ret_p = p;
    return 0;
}

static int
rngc_pattern(rngc *c, xmlNode *node, uint32_t *ret_p, GError **error)
{
    static const char *const unsupported[] = {
        "list", "include", "externalRef", "parentRef", "grammar",
    };
    static const char *const misplaced[] = {
        "start", "define", "div", "name", "anyName", "nsName", "except", "param",
    };
    guint i;

    if (rngc_is(node, "element"))
        return rngc_element(c, node, ret_p, error);
    if (rngc_is(node, "attribute"))
        return rngc_attribute(c, node, ret_p, error);
    if (rngc_is(node, "group"))
        return rngc_content(c, node, VSH_RNG_GROUP, ret_p, error);
    if (rngc_is(node, "interleave"))
        return rngc_content(c, node, VSH_RNG_INTERLEAVE, ret_p, error);
    if (rngc_is(node, "choice"))
        return rngc_content(c, node, VSH_RNG_CHOICE, ret_p, error);
    if (rngc_is(node, "optional") || rngc_is(node, "zeroOrMore") ||
        rngc_is(node, "oneOrMore") || rngc_is(node, "mixed"))
        return rngc_repeat(c, node, ret_p, error);
    if (rngc_is(node, "ref"))
        return rngc_ref(c, node, ret_p, error);
    if (rngc_is(node, "empty"))
        return rngc_leaf(c, node, VSH_RNG_P_EMPTY, ret_p, error);
    if (rngc_is(node, "text"))
        return rngc_leaf(c, node, VSH_RNG_P_TEXT, ret_p, error);
    if (rngc_is(node, "notAllowed"))
        return rngc_leaf(c, node, VSH_RNG_P_NOT_ALLOWED, ret_p, error);
    if (rngc_is(node, "value"))
        return rngc_value(c, node, ret_p, error);
    if (rngc_is(node, "data"))
        return rngc_data(c, node, ret_p, error);
    for (i = 0; i < G_N_ELEMENTS(unsupported); i++) {
        if (rngc_is(node, unsupported[i]))
            return rngc_error(c, node, error, "element '%s' is not supported", node->name);
    }
    for (i = 0; i < G_N_ELEMENTS(misplaced); i++) {
        if (rngc_is(node, misplaced[i]))
            return rngc_error(c, node, error, "element '%s' is not allowed here",
                              node->name);
    }
    return rngc_error(c, node, error, "unknown element '%s'", node->name);
}

/* ------------------------------------------------------------------ grammar */

/* Adds one start or define element to @def, checking the combine rules (section 4.17):
 * at most one element without combine, and one combine method for all the others. */
static int
rngc_define_add(rngc *c, rngc_define *def, xmlNode *node, GError **error)
{
    g_autofree char *combine = rngc_attr_stripped(node, "combine");
    const char *what = def->name ? def->name : "start";
    rngc_combine_method method = RNGC_COMBINE_NONE;

    if (combine && strcmp(combine, "choice") == 0)
        method = RNGC_COMBINE_CHOICE;
    else if (combine && strcmp(combine, "interleave") == 0)
        method = RNGC_COMBINE_INTERLEAVE;
    else if (combine)
        return rngc_error(c, node, error, "invalid combine '%s'", combine);
    if (method == RNGC_COMBINE_NONE) {
        if (def->has_plain)
            return rngc_error(c, node, error, "'%s' is defined more than once without combine",
                              what);
        def->has_plain = true;
    } else if (def->combine != RNGC_COMBINE_NONE && def->combine != method) {
        return rngc_error(c, node, error, "conflicting combine methods for '%s'", what);
    } else {
        def->combine = method;
    }
    g_ptr_array_add(def->nodes, node);
    return 0;
}

static int
rngc_grammar_define(rngc *c, xmlNode *node, GError **error)
{
    g_autofree char *name = rngc_attr_stripped(node, "name");
    rngc_define *def;

    if (!name)
        return rngc_error(c, node, error, "element 'define' needs a name");
    if (!(def = g_hash_table_lookup(c->defines, name))) {
        def = rngc_define_new(name);
        def->id = c->define_list->len;
        g_ptr_array_add(c->define_list, def);
        g_hash_table_insert(c->defines, def->name, def);
    }
    return rngc_define_add(c, def, node, error);
}

/* Collects the start and define elements of a grammar, looking into div (section 4.15). */
static int
rngc_grammar_collect(rngc *c, xmlNode *node, GError **error)
{
    g_autoptr(GPtrArray) kids = NULL;
    guint i;

    if (rngc_children(c, node, &kids, error) < 0)
        return -1;
    for (i = 0; i < kids->len; i++) {
        xmlNode *kid = kids->pdata[i];
        int rc;

        if (rngc_is(kid, "start"))
            rc = rngc_define_add(c, c->start, kid, error);
        else if (rngc_is(kid, "define"))
            rc = rngc_grammar_define(c, kid, error);
        else if (rngc_is(kid, "div"))
            rc = rngc_grammar_collect(c, kid, error);
        else if (rngc_is(kid, "include"))
            rc = rngc_error(c, kid, error, "element 'include' is not supported");
        else
            rc = rngc_error(c, kid, error, "element '%s' is not allowed in a grammar",
                            kid->name);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/*
 * Compiles the defines no reference reaches, only to report their errors: a schema is
 * wrong or right as a whole. What they added to the tables is dropped again, so the
 * result holds only what the start pattern reaches.
 */
static int
rngc_check_unreferenced(rngc *c, GError **error)
{
    guint n_patterns = c->patterns->len;
    guint n_name_classes = c->name_classes->len;
    guint n_strings = c->strings->len;
    uint32_t ignored;
    guint i;

    for (i = 0; i < c->define_list->len; i++) {
        rngc_define *def = c->define_list->pdata[i];

        if (!def->done &&
            rngc_define_compile(c, def, def->nodes->pdata[0], &ignored, error) < 0)
            return -1;
    }
    /* The lookup tables would now name dropped entries; nothing adds to them after this. */
    g_array_set_size(c->patterns, n_patterns);
    g_array_set_size(c->name_classes, n_name_classes);
    for (i = n_strings; i < c->strings->len; i++)
        g_hash_table_remove(c->string_index, c->strings->pdata[i]);
    g_ptr_array_set_size(c->strings, n_strings);
    return 0;
}

/* A pending reference becomes the index of its define. A define's index can itself be
 * pending, but only on a define whose compilation began earlier, so this ends. */
static uint32_t
rngc_resolve(rngc *c, uint32_t p)
{
    while (p & RNGC_PENDING) {
        rngc_define *def = c->define_list->pdata[p & ~RNGC_PENDING];

        g_assert(def->done);
        p = def->index;
    }
    return p;
}

static bool
rngc_nullable_of(const vsh_rng_pattern *all, const vsh_rng_pattern *p)
{
    bool a = all[p->a].flags & VSH_RNG_NULLABLE;
    bool b = all[p->b].flags & VSH_RNG_NULLABLE;

    switch ((vsh_rng_kind) p->kind) {
    case VSH_RNG_EMPTY:
    case VSH_RNG_TEXT:
        return true;
    case VSH_RNG_CHOICE:
        return a || b;
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        return a && b;
    case VSH_RNG_ONE_OR_MORE:
        return a;
    default:
        return false;
    }
}

/* Patches pending references and computes VSH_RNG_NULLABLE. References can go forward
 * (into the content of an element) and round in cycles, so nullability is iterated to its
 * least fixed point: it starts false everywhere and only ever turns true. */
static void
rngc_finish(rngc *c)
{
    vsh_rng_pattern *all = (vsh_rng_pattern *) (void *) c->patterns->data;
    guint n = c->patterns->len;
    bool changed = true;
    guint i;

    for (i = 0; i < n; i++) {
        all[i].a = rngc_resolve(c, all[i].a);
        all[i].b = rngc_resolve(c, all[i].b);
        all[i].flags &= ~VSH_RNG_NULLABLE;
    }
    while (changed) {
        changed = false;
        for (i = 0; i < n; i++) {
            if (!(all[i].flags & VSH_RNG_NULLABLE) && rngc_nullable_of(all, &all[i])) {
                all[i].flags |= VSH_RNG_NULLABLE;
                changed = true;
            }
        }
    }
}

static int
rngc_compile_root(rngc *c, xmlNode *root, uint32_t *ret_start, GError **error)
{
    if (!rngc_is_rng(root))
        return rngc_error(c, root, error, "root element '%s' is not in the RELAX NG namespace",
                          root->name);
    if (rngc_check_attrs(c, root, error) < 0)
        return -1;
    /* A schema that is a bare pattern is the start of an implicit grammar (section 4.18). */
    if (!rngc_is(root, "grammar"))
        return rngc_pattern(c, root, ret_start, error);
    if (rngc_grammar_collect(c, root, error) < 0)
        return -1;
    if (c->start->nodes->len == 0)
        return rngc_error(c, root, error, "grammar has no start");
    if (rngc_define_compile(c, c->start, root, ret_start, error) < 0)
        return -1;
    return rngc_check_unreferenced(c, error);
}

/* sax->serror gets ctxt->userData, the context itself; the first error hangs off its
 * _private field. Later errors are often consequences of the first. */
static void
rngc_parse_error_cb(void *data, xmlErrorPtr e)
{
    xmlParserCtxt *pctxt = data;
    rngc_parse_error *first = pctxt->_private;

    if (e->level < XML_ERR_ERROR || first->message)
        return;
    first->message = g_strdup(e->message ? e->message : "unknown error");
    g_strchomp(first->message);
    g_strdelimit(first->message, "\n\r", ' ');
    first->line = e->line;
}

static xmlDoc *
rngc_parse(const char *text, size_t len, const char *filename, GError **error)
{
    g_autoptr(rngc_parser_ctxt) pctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    rngc_parse_error first = { 0 };
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_BIG_LINES;

    if (len > INT_MAX) {
        vsh_error_set_xml_line(error, filename, 0, "schema is too large");
        return NULL;
    }
    xmlInitParser();
    pctxt = xmlNewParserCtxt();
    if (!pctxt) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "cannot allocate an XML parser");
        return NULL;
    }
    pctxt->_private = &first;
    pctxt->sax->serror = rngc_parse_error_cb;
    doc = xmlCtxtReadMemory(pctxt, text ? text : "", (int) len, filename, NULL, options);
    if (!doc || !pctxt->wellFormed || first.message) {
        if (first.message)
            vsh_error_set_xml_line(error, filename, first.line, "malformed XML: %s",
                                   first.message);
        else
            vsh_error_set_xml_line(error, filename, 0, "malformed XML document");
        g_free(first.message);
        return NULL;
    }
    /* A DTD could define entities; a schema needs none. */
    if (doc->intSubset) {
        vsh_error_set_xml_line(error, filename, 0, "a DOCTYPE is not allowed");
        return NULL;
    }
    if (!xmlDocGetRootElement(doc)) {
        vsh_error_set_xml_line(error, filename, 0, "document has no root element");
        return NULL;
    }
    return g_steal_pointer(&doc);
}

static vsh_rng_grammar *
rngc_steal(rngc *c, uint32_t start)
{
    vsh_rng_grammar *grammar = g_new0(vsh_rng_grammar, 1);

    grammar->n_patterns = c->patterns->len;
    grammar->patterns = (vsh_rng_pattern *) (void *) g_array_steal(c->patterns, NULL);
    grammar->n_name_classes = c->name_classes->len;
    grammar->name_classes =
        (vsh_rng_name_class *) (void *) g_array_steal(c->name_classes, NULL);
    /* The strings now belong to the grammar, not to the array's free function. */
    g_ptr_array_set_free_func(c->strings, NULL);
    grammar->n_strings = c->strings->len;
    grammar->strings = (const char *const *) g_ptr_array_steal(c->strings, NULL);
    grammar->start = start;
    return grammar;
}

vsh_rng_grammar *
vsh_rng_compile(const char *text, size_t len, const char *filename, GError **error)
{
    g_auto(rngc) c = { 0 };
    g_autoptr(xmlDoc) doc = NULL;
    uint32_t p;
    uint16_t s;

    if (!(doc = rngc_parse(text, len, filename, error)))
        return NULL;
    rngc_init(&c, filename);
    /* The fixed patterns, and "" as string 0 (the null namespace). */
    if (rngc_add(&c, NULL, VSH_RNG_NOT_ALLOWED, 0, 0, 0, 0, &p, error) < 0 ||
        rngc_add(&c, NULL, VSH_RNG_EMPTY, 0, 0, 0, 0, &p, error) < 0 ||
        rngc_add(&c, NULL, VSH_RNG_TEXT, 0, 0, 0, 0, &p, error) < 0 ||
        rngc_string(&c, NULL, "", &s, error) < 0)
        return NULL;
    g_assert(c.patterns->len == VSH_RNG_P_TEXT + 1);
    if (rngc_compile_root(&c, xmlDocGetRootElement(doc), &p, error) < 0)
        return NULL;
    rngc_finish(&c);
    return rngc_steal(&c, rngc_resolve(&c, p));
}

void
vsh_rng_grammar_free(vsh_rng_grammar *grammar)
{
    uint32_t i;

    if (!grammar)
        return;
    for (i = 0; i < grammar->n_strings; i++)
        g_free((char *) grammar->strings[i]);
    g_free((char **) grammar->strings);
    g_free((vsh_rng_pattern *) grammar->patterns);
    g_free((vsh_rng_name_class *) grammar->name_classes);
    g_free(grammar);
}

/* ------------------------------------------------------------------ writing C */

static const char *const rngc_kind_names[] = {
    "VSH_RNG_NOT_ALLOWED", "VSH_RNG_EMPTY", "VSH_RNG_TEXT", "VSH_RNG_CHOICE",
    "VSH_RNG_INTERLEAVE", "VSH_RNG_GROUP", "VSH_RNG_ONE_OR_MORE", "VSH_RNG_ELEMENT",
    "VSH_RNG_ATTRIBUTE", "VSH_RNG_VALUE", "VSH_RNG_DATA", "VSH_RNG_AFTER",
};
G_STATIC_ASSERT(G_N_ELEMENTS(rngc_kind_names) == VSH_RNG_AFTER + 1);

static const char *const rngc_nc_kind_names[] = {
    "VSH_RNG_NC_NAME", "VSH_RNG_NC_ANY_NAME", "VSH_RNG_NC_NS_NAME", "VSH_RNG_NC_CHOICE",
};
G_STATIC_ASSERT(G_N_ELEMENTS(rngc_nc_kind_names) == VSH_RNG_NC_CHOICE + 1);

static const char *
rngc_flags_name(uint8_t flags)
{
    switch (flags) {
    case 0:
        return "0";
    case VSH_RNG_NULLABLE:
        return "VSH_RNG_NULLABLE";
    case VSH_RNG_TOKEN:
        return "VSH_RNG_TOKEN";
    case VSH_RNG_NULLABLE | VSH_RNG_TOKEN:
        return "VSH_RNG_NULLABLE | VSH_RNG_TOKEN";
    default:
        return NULL;
    }
}

static void
rngc_append_index16(GString *out, uint16_t i)
{
    if (i == VSH_RNG_NO_ARG)
        g_string_append(out, "VSH_RNG_NO_ARG");
    else
        g_string_append_printf(out, "%u", i);
}

/* A C string literal. Other bytes than printable ASCII are 3-digit octal escapes, which
 * no following digit can extend. Trigraphs are replaced before escapes are read, so the
 * source text must never hold "??": the second '?' of a pair is escaped. */
static void
rngc_append_c_string(GString *out, const char *s)
{
    char prev = '\0';

    g_string_append_c(out, '"');
    for (; *s; prev = *s++) {
        unsigned char ch = (unsigned char) *s;

        if (ch == '"' || ch == '\\' || (ch == '?' && prev == '?'))
            g_string_append_printf(out, "\\%c", ch);
        else if (ch == '\n')
            g_string_append(out, "\\n");
        else if (ch == '\t')
            g_string_append(out, "\\t");
        else if (ch < 0x20 || ch >= 0x7f)
            g_string_append_printf(out, "\\%03o", ch);
        else
            g_string_append_c(out, ch);
    }
    g_string_append_c(out, '"');
}

/* Whether @s can appear in a comment: no "*" or "/" (no comment ends or nests), no
 * backslash or "?" (no line splice, even through a trigraph). */
static bool
rngc_comment_safe(const char *s)
{
    for (; *s; s++) {
        if (!g_ascii_isalnum(*s) && !strchr(" .-_:@#+=,;()[]{}<>", *s))
            return false;
    }
    return true;
}

/* A short note on what a pattern is, for people reading the generated file. */
static void
rngc_append_note(GString *out, const vsh_rng_grammar *grammar, const vsh_rng_pattern *p)
{
    const vsh_rng_name_class *nc;
    const char *s = NULL;

    if (p->kind == VSH_RNG_ELEMENT || p->kind == VSH_RNG_ATTRIBUTE) {
        nc = &grammar->name_classes[p->arg];
        if (nc->kind == VSH_RNG_NC_NAME)
            s = grammar->strings[nc->local];
        if (s && rngc_comment_safe(s) && p->kind == VSH_RNG_ELEMENT)
            g_string_append_printf(out, " <%s>", s);
        else if (s && rngc_comment_safe(s))
            g_string_append_printf(out, " @%s", s);
    } else if (p->kind == VSH_RNG_VALUE && p->arg < grammar->n_strings) {
        s = grammar->strings[p->arg];
        if (rngc_comment_safe(s) && strlen(s) <= 40)
            g_string_append_printf(out, " '%s'", s);
    }
}

static int
rngc_append_patterns(GString *out, const vsh_rng_grammar *grammar)
{
    uint32_t i;

    g_string_append(out, "static const vsh_rng_pattern patterns[] = {\n");
    for (i = 0; i < grammar->n_patterns; i++) {
        const vsh_rng_pattern *p = &grammar->patterns[i];
        const char *flags = rngc_flags_name(p->flags);

        if (p->kind > VSH_RNG_AFTER || !flags)
            return -1;
        g_string_append_printf(out, "    { %s, %s, ", rngc_kind_names[p->kind], flags);
        rngc_append_index16(out, p->arg);
        g_string_append_printf(out, ", %" G_GUINT32_FORMAT ", %" G_GUINT32_FORMAT " },"
                               " /* %" G_GUINT32_FORMAT, p->a, p->b, i);
        rngc_append_note(out, grammar, p);
        g_string_append(out, " */\n");
    }
    g_string_append(out, "};\n\n");
    return 0;
}

static int
rngc_append_name_classes(GString *out, const vsh_rng_grammar *grammar)
{
    uint32_t i;

    if (grammar->n_name_classes == 0)
        return 0;
    g_string_append(out, "static const vsh_rng_name_class name_classes[] = {\n");
    for (i = 0; i < grammar->n_name_classes; i++) {
        const vsh_rng_name_class *nc = &grammar->name_classes[i];

        if (nc->kind > VSH_RNG_NC_CHOICE)
            return -1;
        g_string_append_printf(out, "    { %s, %u, %u, ", rngc_nc_kind_names[nc->kind],
                               nc->ns, nc->local);
        rngc_append_index16(out, nc->a);
        g_string_append(out, ", ");
        rngc_append_index16(out, nc->b);
        g_string_append_printf(out, " }, /* %" G_GUINT32_FORMAT, i);
        if (nc->kind == VSH_RNG_NC_NAME && nc->local < grammar->n_strings &&
            rngc_comment_safe(grammar->strings[nc->local]))
            g_string_append_printf(out, " %s", grammar->strings[nc->local]);
        g_string_append(out, " */\n");
    }
    g_string_append(out, "};\n\n");
    return 0;
}

static void
rngc_append_strings(GString *out, const vsh_rng_grammar *grammar)
{
    uint32_t i;

    g_string_append(out, "static const char *const strings[] = {\n");
    for (i = 0; i < grammar->n_strings; i++) {
        g_string_append(out, "    ");
        rngc_append_c_string(out, grammar->strings[i]);
        g_string_append_printf(out, ", /* %" G_GUINT32_FORMAT " */\n", i);
    }
    g_string_append(out, "};\n\n");
}

static bool
rngc_is_identifier(const char *s)
{
    if (!s || !(g_ascii_isalpha(*s) || *s == '_'))
        return false;
    for (s++; *s; s++) {
        if (!g_ascii_isalnum(*s) && *s != '_')
            return false;
    }
    return true;
}

int
vsh_rng_write_c(const vsh_rng_grammar *grammar, const char *symbol, FILE *out)
{
    g_autoptr(GString) text = g_string_new(NULL);
    bool have_nc;

    /* Only a corrupt grammar or a caller's mistake ends up here: no stream failed. */
    errno = EINVAL;
    g_return_val_if_fail(grammar != NULL, -1);
    g_return_val_if_fail(rngc_is_identifier(symbol), -1);
    g_return_val_if_fail(grammar->n_strings > 0, -1);
    have_nc = grammar->n_name_classes > 0;
    g_string_append(text, "#include \"util/rng.h\"\n\n");
    if (rngc_append_patterns(text, grammar) < 0 || rngc_append_name_classes(text, grammar) < 0)
        return -1;
    rngc_append_strings(text, grammar);
    /* C has no empty arrays: no name classes is a NULL table. */
    g_string_append_printf(text,
                           "const vsh_rng_grammar %s = {\n"
                           "    .patterns = patterns,\n"
                           "    .n_patterns = G_N_ELEMENTS(patterns),\n"
                           "    .name_classes = %s,\n"
                           "    .n_name_classes = %s,\n"
                           "    .strings = strings,\n"
                           "    .n_strings = G_N_ELEMENTS(strings),\n"
                           "    .start = %" G_GUINT32_FORMAT ",\n"
                           "};\n",
                           symbol, have_nc ? "name_classes" : "NULL",
                           have_nc ? "G_N_ELEMENTS(name_classes)" : "0", grammar->start);
    errno = 0;
    if (fwrite(text->str, 1, text->len, out) != text->len || fflush(out) != 0) {
        if (errno == 0)
            errno = EIO;
        return -1;
    }
    return 0;
}
