/*
 * rng.h — RELAX NG grammars compiled ahead of time, and a validator that runs them.
 *
 * A schema is turned into the simple form of the RELAX NG specification (section 4:
 * every define resolved, optional/zeroOrMore/mixed rewritten, n-ary operators made
 * binary) by vsh_rng_compile(). tools/rng-compile does that at build time for
 * xml-schemas/domain.rng and writes the result out as constant C tables
 * (core/conf/schema-data.c), so validating a definition parses and compiles no schema at
 * run time. vsh_rng_validate() walks a document computing derivatives of the pattern
 * (James Clark, "An algorithm for RELAX NG validation"), with hash-consing so that the
 * patterns it builds stay few however long the document is.
 *
 * Only what vsh's schemas need is supported; the compiler refuses anything else with the
 * line of the construct (list, include, externalRef, parentRef, data types other than
 * string and token, facets other than pattern), so a schema change can never be silently
 * validated by a weaker rule.
 */
#ifndef VSH_UTIL_RNG_H
#define VSH_UTIL_RNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>
#include <libxml/tree.h>

typedef enum {
    VSH_RNG_NOT_ALLOWED,
    VSH_RNG_EMPTY,
    VSH_RNG_TEXT,
    VSH_RNG_CHOICE,             /* a | b */
    VSH_RNG_INTERLEAVE,         /* a & b */
    VSH_RNG_GROUP,              /* a , b (in this order) */
    VSH_RNG_ONE_OR_MORE,        /* a+ */
    VSH_RNG_ELEMENT,            /* element named by name class @arg, content a */
    VSH_RNG_ATTRIBUTE,          /* attribute named by name class @arg, value pattern a */
    VSH_RNG_VALUE,              /* the string @arg (normalized first if VSH_RNG_TOKEN) */
    VSH_RNG_DATA,               /* a string; @arg: an XML Schema pattern it must match */
    VSH_RNG_AFTER,              /* a, then the end of the element, then b: validator only */
} vsh_rng_kind;

/* vsh_rng_pattern.flags */
enum {
    VSH_RNG_NULLABLE = 1 << 0,  /* matches the empty sequence */
    VSH_RNG_TOKEN = 1 << 1,     /* VALUE, DATA: whitespace is collapsed before comparing */
};

/* An absent @arg (DATA without a pattern) or name class operand. */
#define VSH_RNG_NO_ARG UINT16_MAX

/* Indexes of the patterns every compiled grammar starts with. */
enum {
    VSH_RNG_P_NOT_ALLOWED = 0,
    VSH_RNG_P_EMPTY = 1,
    VSH_RNG_P_TEXT = 2,
};

typedef struct {
    uint8_t kind;               /* vsh_rng_kind */
    uint8_t flags;
    uint16_t arg;               /* name class (ELEMENT, ATTRIBUTE) or string (VALUE, DATA) */
    uint32_t a;                 /* operands: pattern indexes */
    uint32_t b;
} vsh_rng_pattern;

typedef enum {
    VSH_RNG_NC_NAME,            /* {ns}local */
    VSH_RNG_NC_ANY_NAME,        /* any name, except name class a if not VSH_RNG_NO_ARG */
    VSH_RNG_NC_NS_NAME,         /* any name in ns, except name class a likewise */
    VSH_RNG_NC_CHOICE,          /* a | b */
} vsh_rng_nc_kind;

typedef struct {
    uint8_t kind;               /* vsh_rng_nc_kind */
    uint16_t ns;                /* NAME, NS_NAME: string index of the namespace URI ("": none) */
    uint16_t local;             /* NAME: string index of the local name */
    uint16_t a;                 /* operands: name class indexes or VSH_RNG_NO_ARG */
    uint16_t b;
} vsh_rng_name_class;

typedef struct {
    const vsh_rng_pattern *patterns;
    uint32_t n_patterns;
    const vsh_rng_name_class *name_classes;
    uint32_t n_name_classes;
    const char *const *strings;
    uint32_t n_strings;
    uint32_t start;             /* the pattern a document must match */
} vsh_rng_grammar;

/* ------------------------------------------------------------------ white space */

/* XML's white space (space, tab, CR, LF), narrower than isspace(). */
bool vsh_rng_is_space(char c);
/* Whether @s is only white space. */
bool vsh_rng_blank(const char *s);
/* @s as the token datatype compares it: runs of white space become one space, none at
 * either end. Free with g_free. */
char *vsh_rng_collapse(const char *s);

/* ------------------------------------------------------------------ compiling */

/*
 * Compiles the RELAX NG schema @text (XML syntax, @len bytes; @filename names it in
 * errors). Pattern 0, 1 and 2 of the result are NOT_ALLOWED, EMPTY and TEXT; operands of
 * CHOICE, GROUP and INTERLEAVE keep the schema's order (a before b), so walking a pattern
 * left to right meets alternatives and values in the order the schema lists them.
 * Returns a grammar to free with vsh_rng_grammar_free(), or NULL with @error set to
 * "FILE:LINE: problem".
 */
vsh_rng_grammar *vsh_rng_compile(const char *text, size_t len, const char *filename,
                                 GError **error);
void vsh_rng_grammar_free(vsh_rng_grammar *grammar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_rng_grammar, vsh_rng_grammar_free)

/* Writes @grammar as C source defining "const vsh_rng_grammar @symbol". Returns 0, or -1
 * with errno set when @out fails. */
int vsh_rng_write_c(const vsh_rng_grammar *grammar, const char *symbol, FILE *out);

/* ------------------------------------------------------------------ validating */

/* A grammar ready to validate documents, from several threads at once. */
typedef struct vsh_rng_validator vsh_rng_validator;

/* @grammar is borrowed and must outlive the validator. */
vsh_rng_validator *vsh_rng_validator_new(const vsh_rng_grammar *grammar);
void vsh_rng_validator_free(vsh_rng_validator *validator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_rng_validator, vsh_rng_validator_free)

/* Whether @value matches the XML Schema pattern in string @str of the grammar, as a whole
 * (patterns are compiled on first use and kept). A pattern that does not compile matches
 * nothing. */
bool vsh_rng_pattern_matches(vsh_rng_validator *validator, uint16_t str, const char *value);

/*
 * Validates @doc. On failure @error (VSH_ERROR_INVALID_XML) names the line and element
 * path of the first place, in document order, where the document stops matching:
 * "FILE:LINE: /domain/devices/interface: missing element 'source'".
 * Returns 0, or -1 with @error set.
 */
int vsh_rng_validate(vsh_rng_validator *validator, xmlDoc *doc, GError **error);

#endif /* VSH_UTIL_RNG_H */
