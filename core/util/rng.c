/*
 * rng.c — validating a document against a compiled RELAX NG grammar.
 *
 * The validator follows James Clark's derivative algorithm: the pattern left to match is
 * replaced, event by event (start tag, each attribute, end of the attributes, text, end
 * tag), by its derivative with respect to that event; the document is valid when the
 * pattern left at the end is nullable. Patterns built along the way live in a table owned
 * by one validation and are hash-consed, so equal patterns share one index and the table
 * stays small (a definition of a few hundred lines builds a few hundred patterns).
 * Derivatives never recover from NOT_ALLOWED, which gives the error its place: the first
 * event, in document order, whose derivative is NOT_ALLOWED.
 */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include <libxml/xmlregexp.h>

#include "error.h"
#include "util/rng.h"
#include "util/xml.h"

/* Past this many patterns built for one document, validation gives up with an error
 * rather than let a pathological document eat memory (about 12 bytes each). */
#define VSH_RNG_MAX_PATTERNS (1u << 22)

/* A regexp slot whose pattern did not compile. */
static char vsh_rng_bad_regexp;

struct vsh_rng_validator {
    const vsh_rng_grammar *grammar;
    xmlRegexp **regexps;        /* by string index; NULL until first used */
};

vsh_rng_validator *
vsh_rng_validator_new(const vsh_rng_grammar *grammar)
{
    vsh_rng_validator *v = g_new0(vsh_rng_validator, 1);

    v->grammar = grammar;
    v->regexps = g_new0(xmlRegexp *, grammar->n_strings);
    return v;
}

void
vsh_rng_validator_free(vsh_rng_validator *v)
{
    uint32_t i;

    if (!v)
        return;
    for (i = 0; i < v->grammar->n_strings; i++) {
        if (v->regexps[i] && v->regexps[i] != (xmlRegexp *) &vsh_rng_bad_regexp)
            xmlRegFreeRegexp(v->regexps[i]);
    }
    g_free(v->regexps);
    g_free(v);
}

bool
vsh_rng_pattern_matches(vsh_rng_validator *v, uint16_t str, const char *value)
{
    xmlRegexp *re;

    if (str >= v->grammar->n_strings)
        return false;
    re = g_atomic_pointer_get(&v->regexps[str]);
    if (!re) {
        /* Two threads may both compile it; the loser frees its copy. */
        xmlRegexp *mine = xmlRegexpCompile((const xmlChar *) v->grammar->strings[str]);

        if (!mine)
            mine = (xmlRegexp *) &vsh_rng_bad_regexp;
        if (g_atomic_pointer_compare_and_exchange(&v->regexps[str], NULL, mine)) {
            re = mine;
        } else {
            if (mine != (xmlRegexp *) &vsh_rng_bad_regexp)
                xmlRegFreeRegexp(mine);
            re = g_atomic_pointer_get(&v->regexps[str]);
        }
    }
    if (re == (xmlRegexp *) &vsh_rng_bad_regexp)
        return false;
    return xmlRegexpExec(re, (const xmlChar *) value) == 1;
}

/* ------------------------------------------------------------------ pattern table */

typedef struct {
    vsh_rng_validator *v;
    const vsh_rng_grammar *g;
    GArray *built;              /* of vsh_rng_pattern: index n_patterns + i */
    uint32_t *slots;            /* open addressing: pattern index + 1, 0 when free */
    uint32_t n_slots;           /* a power of two */
    bool too_many;
} vsh_rng_run;

static inline const vsh_rng_pattern *
vsh_rng_pat(const vsh_rng_run *run, uint32_t p)
{
    if (p < run->g->n_patterns)
        return &run->g->patterns[p];
    return &g_array_index(run->built, vsh_rng_pattern, p - run->g->n_patterns);
}

static inline uint8_t
vsh_rng_kind_of(const vsh_rng_run *run, uint32_t p)
{
    return vsh_rng_pat(run, p)->kind;
}

static inline bool
vsh_rng_nullable(const vsh_rng_run *run, uint32_t p)
{
    return vsh_rng_pat(run, p)->flags & VSH_RNG_NULLABLE;
}

static inline uint32_t
vsh_rng_hash(uint8_t kind, uint32_t a, uint32_t b)
{
    uint64_t h = ((uint64_t) kind << 58) ^ ((uint64_t) a << 29) ^ b;

    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ull;
    return (uint32_t) (h >> 32);
}

static void
vsh_rng_rehash(vsh_rng_run *run)
{
    uint32_t n = run->n_slots ? run->n_slots * 2 : 1024;
    uint32_t *slots = g_new0(uint32_t, n);
    guint i;

    for (i = 0; i < run->built->len; i++) {
        const vsh_rng_pattern *q = &g_array_index(run->built, vsh_rng_pattern, i);
        uint32_t s = vsh_rng_hash(q->kind, q->a, q->b) & (n - 1);

        while (slots[s])
            s = (s + 1) & (n - 1);
        slots[s] = run->g->n_patterns + i + 1;
    }
    g_free(run->slots);
    run->slots = slots;
    run->n_slots = n;
}

/* The pattern (@kind a b), built once per validation. */
static uint32_t
vsh_rng_make(vsh_rng_run *run, uint8_t kind, uint32_t a, uint32_t b)
{
    vsh_rng_pattern q = { .kind = kind, .a = a, .b = b };
    uint32_t s;

    if (run->too_many)
        return VSH_RNG_P_NOT_ALLOWED;
    if ((run->built->len + 1) * 2 > run->n_slots)
        vsh_rng_rehash(run);
    for (s = vsh_rng_hash(kind, a, b) & (run->n_slots - 1); run->slots[s];
         s = (s + 1) & (run->n_slots - 1)) {
        const vsh_rng_pattern *old = vsh_rng_pat(run, run->slots[s] - 1);

        if (old->kind == kind && old->a == a && old->b == b)
            return run->slots[s] - 1;
    }
    if (run->built->len >= VSH_RNG_MAX_PATTERNS) {
        run->too_many = true;
        return VSH_RNG_P_NOT_ALLOWED;
    }
    switch (kind) {
    case VSH_RNG_CHOICE:
        if (vsh_rng_nullable(run, a) || vsh_rng_nullable(run, b))
            q.flags = VSH_RNG_NULLABLE;
        break;
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        if (vsh_rng_nullable(run, a) && vsh_rng_nullable(run, b))
            q.flags = VSH_RNG_NULLABLE;
        break;
    case VSH_RNG_ONE_OR_MORE:
        q.flags = vsh_rng_pat(run, a)->flags & VSH_RNG_NULLABLE;
        break;
    default:                    /* AFTER */
        break;
    }
    g_array_append_val(run->built, q);
    run->slots[s] = run->g->n_patterns + run->built->len;
    return run->slots[s] - 1;
}

/* The constructors simplify as the algorithm's do, which keeps NOT_ALLOWED from spreading
 * through the patterns built. */
static uint32_t
vsh_rng_choice(vsh_rng_run *run, uint32_t a, uint32_t b)
{
    if (vsh_rng_kind_of(run, a) == VSH_RNG_NOT_ALLOWED)
        return b;
    if (vsh_rng_kind_of(run, b) == VSH_RNG_NOT_ALLOWED || a == b)
        return a;
    return vsh_rng_make(run, VSH_RNG_CHOICE, a, b);
}

static uint32_t
vsh_rng_pair(vsh_rng_run *run, uint8_t kind, uint32_t a, uint32_t b)
{
    if (vsh_rng_kind_of(run, a) == VSH_RNG_NOT_ALLOWED ||
        vsh_rng_kind_of(run, b) == VSH_RNG_NOT_ALLOWED)
        return VSH_RNG_P_NOT_ALLOWED;
    if (kind != VSH_RNG_AFTER) {
        if (vsh_rng_kind_of(run, a) == VSH_RNG_EMPTY)
            return b;
        if (vsh_rng_kind_of(run, b) == VSH_RNG_EMPTY)
            return a;
    }
    return vsh_rng_make(run, kind, a, b);
}

static uint32_t
vsh_rng_one_or_more(vsh_rng_run *run, uint32_t a)
{
    if (vsh_rng_kind_of(run, a) == VSH_RNG_NOT_ALLOWED)
        return VSH_RNG_P_NOT_ALLOWED;
    return vsh_rng_make(run, VSH_RNG_ONE_OR_MORE, a, 0);
}

/* ------------------------------------------------------------------ names and values */

static bool
vsh_rng_name_in(const vsh_rng_grammar *g, uint16_t nc, const char *ns, const char *local)
{
    const vsh_rng_name_class *c;

    if (nc == VSH_RNG_NO_ARG || nc >= g->n_name_classes)
        return false;
    c = &g->name_classes[nc];
    switch (c->kind) {
    case VSH_RNG_NC_NAME:
        return strcmp(g->strings[c->ns], ns) == 0 && strcmp(g->strings[c->local], local) == 0;
    case VSH_RNG_NC_ANY_NAME:
        return !vsh_rng_name_in(g, c->a, ns, local);
    case VSH_RNG_NC_NS_NAME:
        return strcmp(g->strings[c->ns], ns) == 0 && !vsh_rng_name_in(g, c->a, ns, local);
    case VSH_RNG_NC_CHOICE:
        return vsh_rng_name_in(g, c->a, ns, local) || vsh_rng_name_in(g, c->b, ns, local);
    default:
        return false;
    }
}

bool
vsh_rng_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
vsh_rng_blank(const char *s)
{
    for (; *s; s++) {
        if (!vsh_rng_is_space(*s))
            return false;
    }
    return true;
}

char *
vsh_rng_collapse(const char *s)
{
    char *out = g_malloc(strlen(s) + 1);
    char *o = out;

    while (*s) {
        if (vsh_rng_is_space(*s)) {
            while (vsh_rng_is_space(*s))
                s++;
            if (*s && o != out)
                *o++ = ' ';
            continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
    return out;
}

static bool
vsh_rng_value_ok(vsh_rng_run *run, const vsh_rng_pattern *q, const char *s)
{
    g_autofree char *collapsed = q->flags & VSH_RNG_TOKEN ? vsh_rng_collapse(s) : NULL;
    const char *value = collapsed ? collapsed : s;

    if (q->kind == VSH_RNG_VALUE)
        return q->arg < run->g->n_strings && strcmp(run->g->strings[q->arg], value) == 0;
    return q->arg == VSH_RNG_NO_ARG || vsh_rng_pattern_matches(run->v, q->arg, value);
}

/* ------------------------------------------------------------------ derivatives */

static uint32_t
vsh_rng_text_deriv(vsh_rng_run *run, uint32_t p, const char *s)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (q.kind) {
    case VSH_RNG_CHOICE:
        x = vsh_rng_text_deriv(run, a, s);
        return vsh_rng_choice(run, x, vsh_rng_text_deriv(run, b, s));
    case VSH_RNG_INTERLEAVE:
        x = vsh_rng_pair(run, VSH_RNG_INTERLEAVE, vsh_rng_text_deriv(run, a, s), b);
        return vsh_rng_choice(run, x, vsh_rng_pair(run, VSH_RNG_INTERLEAVE, a,
                                                   vsh_rng_text_deriv(run, b, s)));
    case VSH_RNG_GROUP:
        x = vsh_rng_pair(run, VSH_RNG_GROUP, vsh_rng_text_deriv(run, a, s), b);
        if (!vsh_rng_nullable(run, a))
            return x;
        return vsh_rng_choice(run, x, vsh_rng_text_deriv(run, b, s));
    case VSH_RNG_AFTER:
        return vsh_rng_pair(run, VSH_RNG_AFTER, vsh_rng_text_deriv(run, a, s), b);
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_pair(run, VSH_RNG_GROUP, vsh_rng_text_deriv(run, a, s),
                            vsh_rng_choice(run, p, VSH_RNG_P_EMPTY));
    case VSH_RNG_TEXT:
        return p;
    case VSH_RNG_VALUE:
    case VSH_RNG_DATA:
        return vsh_rng_value_ok(run, &q, s) ? VSH_RNG_P_EMPTY : VSH_RNG_P_NOT_ALLOWED;
    default:
        return VSH_RNG_P_NOT_ALLOWED;
    }
}

/* What startTagOpenDeriv leaves is a choice of AFTER patterns; this applies "then @op with
 * @other" to the part after each of them. */
static uint32_t
vsh_rng_apply_after(vsh_rng_run *run, uint32_t p, uint8_t op, uint32_t other, bool other_first)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (q.kind) {
    case VSH_RNG_AFTER:
        x = other_first ? vsh_rng_pair(run, op, other, b) : vsh_rng_pair(run, op, b, other);
        return vsh_rng_pair(run, VSH_RNG_AFTER, a, x);
    case VSH_RNG_CHOICE:
        x = vsh_rng_apply_after(run, a, op, other, other_first);
        return vsh_rng_choice(run, x, vsh_rng_apply_after(run, b, op, other, other_first));
    default:
        return VSH_RNG_P_NOT_ALLOWED;
    }
}

static uint32_t
vsh_rng_start_tag_open(vsh_rng_run *run, uint32_t p, const char *ns, const char *local)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (q.kind) {
    case VSH_RNG_CHOICE:
        x = vsh_rng_start_tag_open(run, a, ns, local);
        return vsh_rng_choice(run, x, vsh_rng_start_tag_open(run, b, ns, local));
    case VSH_RNG_ELEMENT:
        if (!vsh_rng_name_in(run->g, q.arg, ns, local))
            return VSH_RNG_P_NOT_ALLOWED;
        return vsh_rng_pair(run, VSH_RNG_AFTER, a, VSH_RNG_P_EMPTY);
    case VSH_RNG_INTERLEAVE:
        x = vsh_rng_apply_after(run, vsh_rng_start_tag_open(run, a, ns, local),
                                VSH_RNG_INTERLEAVE, b, false);
        return vsh_rng_choice(run, x,
                              vsh_rng_apply_after(run, vsh_rng_start_tag_open(run, b, ns, local),
                                                  VSH_RNG_INTERLEAVE, a, true));
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_apply_after(run, vsh_rng_start_tag_open(run, a, ns, local),
                                   VSH_RNG_GROUP, vsh_rng_choice(run, p, VSH_RNG_P_EMPTY),
                                   false);
    case VSH_RNG_GROUP:
        x = vsh_rng_apply_after(run, vsh_rng_start_tag_open(run, a, ns, local),
                                VSH_RNG_GROUP, b, false);
        if (!vsh_rng_nullable(run, a))
            return x;
        return vsh_rng_choice(run, x, vsh_rng_start_tag_open(run, b, ns, local));
    case VSH_RNG_AFTER:
        return vsh_rng_apply_after(run, vsh_rng_start_tag_open(run, a, ns, local),
                                   VSH_RNG_AFTER, b, false);
    default:
        return VSH_RNG_P_NOT_ALLOWED;
    }
}

/* A value matches a pattern if its text derivative is nullable; an all-blank value also
 * matches a nullable pattern (<attribute name='x'><empty/></attribute> takes x=''). */
static bool
vsh_rng_value_matches(vsh_rng_run *run, uint32_t p, const char *s)
{
    if (vsh_rng_nullable(run, p) && vsh_rng_blank(s))
        return true;
    return vsh_rng_nullable(run, vsh_rng_text_deriv(run, p, s));
}

static uint32_t
vsh_rng_att_deriv(vsh_rng_run *run, uint32_t p, const char *ns, const char *local,
                  const char *value)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (q.kind) {
    case VSH_RNG_AFTER:
        return vsh_rng_pair(run, VSH_RNG_AFTER, vsh_rng_att_deriv(run, a, ns, local, value), b);
    case VSH_RNG_CHOICE:
        x = vsh_rng_att_deriv(run, a, ns, local, value);
        return vsh_rng_choice(run, x, vsh_rng_att_deriv(run, b, ns, local, value));
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        x = vsh_rng_pair(run, q.kind, vsh_rng_att_deriv(run, a, ns, local, value), b);
        return vsh_rng_choice(run, x, vsh_rng_pair(run, q.kind, a,
                                                   vsh_rng_att_deriv(run, b, ns, local, value)));
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_pair(run, VSH_RNG_GROUP, vsh_rng_att_deriv(run, a, ns, local, value),
                            vsh_rng_choice(run, p, VSH_RNG_P_EMPTY));
    case VSH_RNG_ATTRIBUTE:
        if (vsh_rng_name_in(run->g, q.arg, ns, local) && vsh_rng_value_matches(run, a, value))
            return VSH_RNG_P_EMPTY;
        return VSH_RNG_P_NOT_ALLOWED;
    default:
        return VSH_RNG_P_NOT_ALLOWED;
    }
}

/* After the last attribute, any attribute pattern still left is unmatched. */
static uint32_t
vsh_rng_start_tag_close(vsh_rng_run *run, uint32_t p)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint8_t kind = q.kind;
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (kind) {
    case VSH_RNG_AFTER:
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        x = vsh_rng_start_tag_close(run, a);
        return vsh_rng_pair(run, kind, x,
                            kind == VSH_RNG_AFTER ? b : vsh_rng_start_tag_close(run, b));
    case VSH_RNG_CHOICE:
        x = vsh_rng_start_tag_close(run, a);
        return vsh_rng_choice(run, x, vsh_rng_start_tag_close(run, b));
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_one_or_more(run, vsh_rng_start_tag_close(run, a));
    case VSH_RNG_ATTRIBUTE:
        return VSH_RNG_P_NOT_ALLOWED;
    default:
        return p;
    }
}

static uint32_t
vsh_rng_end_tag(vsh_rng_run *run, uint32_t p)
{
    const vsh_rng_pattern q = *vsh_rng_pat(run, p);
    uint32_t a = q.a;
    uint32_t b = q.b;
    uint32_t x;

    switch (q.kind) {
    case VSH_RNG_CHOICE:
        x = vsh_rng_end_tag(run, a);
        return vsh_rng_choice(run, x, vsh_rng_end_tag(run, b));
    case VSH_RNG_AFTER:
        return vsh_rng_nullable(run, a) ? b : VSH_RNG_P_NOT_ALLOWED;
    default:
        return VSH_RNG_P_NOT_ALLOWED;
    }
}

/* ------------------------------------------------------------------ explaining a failure */

/* The first attribute or element pattern of @p (not looking inside elements) that the
 * match still needs: the one a "missing ..." error names. Returns its name class, or
 * VSH_RNG_NO_ARG. */
static uint16_t
vsh_rng_first_needed(vsh_rng_run *run, uint32_t p, uint8_t kind, int depth)
{
    const vsh_rng_pattern *q = vsh_rng_pat(run, p);
    uint16_t nc;

    if (depth > 200)
        return VSH_RNG_NO_ARG;
    switch (q->kind) {
    case VSH_RNG_ELEMENT:
    case VSH_RNG_ATTRIBUTE:
        return q->kind == kind ? q->arg : VSH_RNG_NO_ARG;
    case VSH_RNG_AFTER:
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_first_needed(run, q->a, kind, depth + 1);
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
        if (!vsh_rng_nullable(run, q->a) &&
            (nc = vsh_rng_first_needed(run, q->a, kind, depth + 1)) != VSH_RNG_NO_ARG)
            return nc;
        if (!vsh_rng_nullable(run, q->b))
            return vsh_rng_first_needed(run, q->b, kind, depth + 1);
        return VSH_RNG_NO_ARG;
    case VSH_RNG_CHOICE:
        /* Both branches need something; the first alternative is as good a guess as any. */
        if (vsh_rng_nullable(run, q->a) || vsh_rng_nullable(run, q->b))
            return VSH_RNG_NO_ARG;
        nc = vsh_rng_first_needed(run, q->a, kind, depth + 1);
        return nc != VSH_RNG_NO_ARG ? nc : vsh_rng_first_needed(run, q->b, kind, depth + 1);
    default:
        return VSH_RNG_NO_ARG;
    }
}

/* Whether @p (not looking inside elements) has an attribute pattern named @local. */
static bool
vsh_rng_has_attribute(vsh_rng_run *run, uint32_t p, const char *ns, const char *local,
                      int depth)
{
    const vsh_rng_pattern *q = vsh_rng_pat(run, p);

    if (depth > 200)
        return false;
    switch (q->kind) {
    case VSH_RNG_ATTRIBUTE:
        return vsh_rng_name_in(run->g, q->arg, ns, local);
    case VSH_RNG_AFTER:
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_has_attribute(run, q->a, ns, local, depth + 1);
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
    case VSH_RNG_CHOICE:
        return vsh_rng_has_attribute(run, q->a, ns, local, depth + 1) ||
               vsh_rng_has_attribute(run, q->b, ns, local, depth + 1);
    default:
        return false;
    }
}

static const char *
vsh_rng_nc_local(const vsh_rng_grammar *g, uint16_t nc)
{
    if (nc == VSH_RNG_NO_ARG || nc >= g->n_name_classes ||
        g->name_classes[nc].kind != VSH_RNG_NC_NAME)
        return NULL;
    return g->strings[g->name_classes[nc].local];
}

/* Whether @p (not looking inside elements) can take text at all. */
static bool
vsh_rng_wants_text(vsh_rng_run *run, uint32_t p, int depth)
{
    const vsh_rng_pattern *q = vsh_rng_pat(run, p);

    if (depth > 200)
        return false;
    switch (q->kind) {
    case VSH_RNG_TEXT:
    case VSH_RNG_VALUE:
    case VSH_RNG_DATA:
        return true;
    case VSH_RNG_AFTER:
    case VSH_RNG_ONE_OR_MORE:
        return vsh_rng_wants_text(run, q->a, depth + 1);
    case VSH_RNG_GROUP:
    case VSH_RNG_INTERLEAVE:
    case VSH_RNG_CHOICE:
        return vsh_rng_wants_text(run, q->a, depth + 1) ||
               vsh_rng_wants_text(run, q->b, depth + 1);
    default:
        return false;
    }
}

/* Sets @error about @node ("PATH: MESSAGE") and returns NOT_ALLOWED, the pattern that
 * failed. A validation that ran out of room says so instead. */
static uint32_t G_GNUC_PRINTF(4, 5)
vsh_rng_fail(vsh_rng_run *run, GError **error, const xmlNode *node, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (run->too_many) {
        vsh_xml_error(error, node, "document is too complex to validate");
        return VSH_RNG_P_NOT_ALLOWED;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vsh_xml_error(error, node, "%s", msg);
    return VSH_RNG_P_NOT_ALLOWED;
}

/* ------------------------------------------------------------------ walking the document */

static const char *
vsh_rng_ns_of(const xmlNs *ns)
{
    return ns && ns->href ? (const char *) ns->href : "";
}

static char *
vsh_rng_attr_value(const xmlAttr *attr)
{
    xmlChar *value = xmlNodeGetContent((const xmlNode *) attr);
    char *copy = g_strdup(value ? (const char *) value : "");

    xmlFree(value);
    return copy;
}

static uint32_t vsh_rng_element(vsh_rng_run *run, uint32_t p, const xmlNode *node,
                                GError **error);

/* The derivative of @p by a run of text (and CDATA) inside @node; @alone when it is all
 * @node contains. */
static uint32_t
vsh_rng_text(vsh_rng_run *run, uint32_t p, const xmlNode *node, const char *text, bool alone,
             GError **error)
{
    g_autofree char *shown = NULL;
    uint32_t x = vsh_rng_text_deriv(run, p, text);

    /* Blank text alone may also be no text at all: <name> </name> against <empty/>. */
    if (alone && vsh_rng_blank(text))
        x = vsh_rng_choice(run, p, x);
    if (vsh_rng_kind_of(run, x) != VSH_RNG_NOT_ALLOWED)
        return x;
    shown = g_strstrip(g_strdup(text));
    if (!vsh_rng_wants_text(run, p, 0))
        return vsh_rng_fail(run, error, node, "unexpected text '%.20s%s'", shown,
                            strlen(shown) > 20 ? "..." : "");
    return vsh_rng_fail(run, error, node, "invalid value '%s'", shown);
}

static uint32_t
vsh_rng_children(vsh_rng_run *run, uint32_t p, const xmlNode *node, GError **error)
{
    g_autoptr(GString) text = g_string_new(NULL);
    const xmlNode *c;
    bool elements = false;

    for (c = node->children; c; c = c->next)
        elements |= c->type == XML_ELEMENT_NODE;
    for (c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                g_string_append(text, (const char *) c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;           /* comments, processing instructions */
        /* Between elements, blank text does not count. */
        if (text->len && !vsh_rng_blank(text->str) &&
            vsh_rng_kind_of(run, p = vsh_rng_text(run, p, node, text->str, false, error)) ==
            VSH_RNG_NOT_ALLOWED)
            return p;
        g_string_truncate(text, 0);
        p = vsh_rng_element(run, p, c, error);
        if (vsh_rng_kind_of(run, p) == VSH_RNG_NOT_ALLOWED)
            return p;
    }
    if (!elements)
        return vsh_rng_text(run, p, node, text->str, true, error);
    if (text->len && !vsh_rng_blank(text->str))
        return vsh_rng_text(run, p, node, text->str, false, error);
    return p;
}

/* The derivative of @p by the element @node, attributes, content and all. */
static uint32_t
vsh_rng_element(vsh_rng_run *run, uint32_t p, const xmlNode *node, GError **error)
{
    const char *ns = vsh_rng_ns_of(node->ns);
    const char *local = (const char *) node->name;
    const xmlAttr *attr;
    const char *name;
    uint32_t x;

    x = vsh_rng_start_tag_open(run, p, ns, local);
    if (vsh_rng_kind_of(run, x) == VSH_RNG_NOT_ALLOWED)
        return vsh_rng_fail(run, error, node, "element '%s' is not allowed here", local);
    p = x;
    for (attr = node->properties; attr; attr = attr->next) {
        const char *ans = vsh_rng_ns_of(attr->ns);
        const char *aname = (const char *) attr->name;
        g_autofree char *value = vsh_rng_attr_value(attr);

        x = vsh_rng_att_deriv(run, p, ans, aname, value);
        if (vsh_rng_kind_of(run, x) != VSH_RNG_NOT_ALLOWED) {
            p = x;
            continue;
        }
        if (vsh_rng_has_attribute(run, p, ans, aname, 0))
            return vsh_rng_fail(run, error, node, "invalid value '%s' for attribute '%s'",
                                value, aname);
        return vsh_rng_fail(run, error, node, "attribute '%s' is not allowed here", aname);
    }
    x = vsh_rng_start_tag_close(run, p);
    if (vsh_rng_kind_of(run, x) == VSH_RNG_NOT_ALLOWED) {
        name = vsh_rng_nc_local(run->g, vsh_rng_first_needed(run, p, VSH_RNG_ATTRIBUTE, 0));
        if (name)
            return vsh_rng_fail(run, error, node, "missing attribute '%s'", name);
        return vsh_rng_fail(run, error, node, "attributes do not match the schema");
    }
    p = vsh_rng_children(run, x, node, error);
    if (vsh_rng_kind_of(run, p) == VSH_RNG_NOT_ALLOWED)
        return p;
    x = vsh_rng_end_tag(run, p);
    if (vsh_rng_kind_of(run, x) == VSH_RNG_NOT_ALLOWED) {
        name = vsh_rng_nc_local(run->g, vsh_rng_first_needed(run, p, VSH_RNG_ELEMENT, 0));
        if (name)
            return vsh_rng_fail(run, error, node, "missing element '%s'", name);
        if (vsh_rng_wants_text(run, p, 0)) {
            /* <name/> where a keyword or a pattern's value belongs */
            xmlChar *text = xmlNodeGetContent(node);
            g_autofree char *shown = g_strstrip(g_strdup(text ? (const char *) text : ""));

            xmlFree(text);
            return vsh_rng_fail(run, error, node, "invalid value '%s'", shown);
        }
        return vsh_rng_fail(run, error, node, "content does not match the schema");
    }
    return x;
}

int
vsh_rng_validate(vsh_rng_validator *v, xmlDoc *doc, GError **error)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    vsh_rng_run run = { .v = v, .g = v->grammar };
    uint32_t p;
    int ret = 0;

    if (!root)
        return vsh_error_set_xml_line(error, (const char *) doc->URL, 0,
                                      "document has no root element");
    run.built = g_array_sized_new(FALSE, FALSE, sizeof(vsh_rng_pattern), 256);
    vsh_rng_rehash(&run);
    p = vsh_rng_element(&run, v->grammar->start, root, error);
    if (vsh_rng_kind_of(&run, p) == VSH_RNG_NOT_ALLOWED)
        ret = -1;
    else if (!vsh_rng_nullable(&run, p))
        ret = vsh_xml_error(error, root, "content does not match the schema");
    g_array_unref(run.built);
    g_free(run.slots);
    return ret;
}
