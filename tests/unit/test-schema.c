/*
 * test-schema — xml-schemas/domain.rng and the parser agree: every round-trip input and
 * expected output under tests/data/xml2xml validates against the schema, the grammar
 * compiled into the library is that of the installed file, documents the schema must
 * refuse are refused with the element's path, and vsh's validator gives libxml2's RelaxNG
 * validator's verdict on every test document and on thousands of mutations of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <config.h>

#include <stdio.h>
#include <string.h>

#include <libxml/relaxng.h>

#include "error.h"
#include "conf/domain-schema.h"
#include "util/rng.h"
#include "util/xml.h"

static vsh_xml_schema *schema;
static vsh_rng_validator *validator;

static char *
top_path(const char *first, ...)
{
    const char *top = g_getenv("VSH_TOP_SRCDIR");
    g_autofree char *rel = NULL;
    va_list ap;

    va_start(ap, first);
    rel = g_build_filename_valist(first, &ap);
    va_end(ap);
    return g_build_filename(top ? top : ".", rel, NULL);
}

static char *
read_text(const char *path)
{
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err))
        fail_msg("cannot read %s: %s", path, err->message);
    return text;
}

static int
validate_text(const char *text, const char *name, GError **error)
{
    g_autoptr(xmlDoc) doc = vsh_xml_parse(text, strlen(text), name, error);

    if (!doc)
        return -1;
    return vsh_xml_schema_validate(schema, doc, error);
}

static void
test_file_validates(void **state)
{
    const char *path = *state;
    g_autofree char *text = read_text(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autoptr(GError) err = NULL;

    if (validate_text(text, base, &err) < 0)
        fail_msg("%s", err->message);
}

/* The tables as C source, to compare two grammars whole. */
static char *
grammar_as_c(const vsh_rng_grammar *grammar)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(vsh_rng_write_c(grammar, "g", f), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void
test_builtin_grammar_is_the_installed_file(void **state)
{
    g_autofree char *path = top_path("xml-schemas", "domain.rng", NULL);
    g_autofree char *text = read_text(path);
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_rng_grammar) compiled = vsh_rng_compile(text, strlen(text), path, &err);
    g_autofree char *builtin_c = NULL;
    g_autofree char *compiled_c = NULL;

    (void) state;
    if (!compiled)
        fail_msg("%s", err->message);
    builtin_c = grammar_as_c(&vsh_domain_grammar);
    compiled_c = grammar_as_c(compiled);
    assert_string_equal(builtin_c, compiled_c);
}

/* ---- vsh's validator against libxml2's */

static xmlRelaxNG *reference;

static void
ignore_error(void *data, xmlErrorPtr e)
{
    (void) data;
    (void) e;
}

/* libxml2's verdict: 0 valid, -1 not. */
static int
reference_validate(xmlDoc *doc)
{
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(reference);
    int rc;

    xmlRelaxNGSetValidStructuredErrors(vctxt, ignore_error, NULL);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    return rc == 0 ? 0 : -1;
}

static int checked;

/* Both validators give @doc the same verdict, and the outline never refuses what the
 * schema accepts. */
static void
assert_same_verdict(xmlDoc *doc, const char *what)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) full_err = NULL;
    int want = reference_validate(doc);
    int got = vsh_rng_validate(validator, doc, &err);
    int full = vsh_xml_schema_validate(schema, doc, &full_err);

    checked++;
    if (got != want)
        fail_msg("%s: libxml2 says %s, vsh says %s%s%s", what, want == 0 ? "valid" : "invalid",
                 got == 0 ? "valid" : "invalid", err ? ": " : "", err ? err->message : "");
    if (full != want)
        fail_msg("%s: libxml2 says %s, the outline check says %s%s%s", what,
                 want == 0 ? "valid" : "invalid", full == 0 ? "valid" : "invalid",
                 full_err ? ": " : "", full_err ? full_err->message : "");
    if (got < 0) {
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
        assert_non_null(strstr(err->message, ": /"));
    }
}

static xmlDoc *
parse_file(const char *path)
{
    g_autofree char *text = read_text(path);
    g_autofree char *base = g_path_get_basename(path);

    return vsh_xml_parse(text, strlen(text), base, NULL);
}

static void
test_file_same_verdict(void **state)
{
    const char *path = *state;
    g_autoptr(xmlDoc) doc = parse_file(path);

    if (doc)
        assert_same_verdict(doc, path);
}

static void
collect_elements(xmlNode *node, GPtrArray *out)
{
    xmlNode *c;

    g_ptr_array_add(out, node);
    for (c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            collect_elements(c, out);
    }
}

enum {
    MUT_DROP,               /* remove the element */
    MUT_DUPLICATE,          /* copy it after itself */
    MUT_MOVE_FIRST,         /* make it its parent's first child */
    MUT_DROP_ATTR,          /* remove its first attribute */
    MUT_BAD_ATTR,           /* its first attribute's value becomes "bogus" */
    MUT_EMPTY_ATTR,         /* ... becomes "" */
    MUT_NEW_ATTR,           /* add an attribute nobody knows */
    MUT_TEXT,               /* replace its content by text */
    MUT_EMPTY,              /* remove its content */
    MUT_NEW_CHILD,          /* add an unknown child */
    MUT_COPY_SIBLING_CHILD, /* give it its next sibling's children too */
    MUT_N,
};

/* Applies mutation @m to element @i of a fresh copy of @orig; NULL when it does not
 * apply (no attribute to drop ...). */
static xmlDoc *
mutate(xmlDoc *orig, guint i, int m)
{
    xmlDoc *doc = xmlCopyDoc(orig, 1);
    g_autoptr(GPtrArray) elems = g_ptr_array_new();
    xmlNode *node;
    xmlNode *copy;

    collect_elements(xmlDocGetRootElement(doc), elems);
    node = elems->pdata[i];
    switch (m) {
    case MUT_DROP:
    case MUT_DUPLICATE:
    case MUT_MOVE_FIRST:
        if (!node->parent || node->parent->type != XML_ELEMENT_NODE)
            goto skip;
        if (m == MUT_DROP) {
            xmlUnlinkNode(node);
            xmlFreeNode(node);
        } else if (m == MUT_DUPLICATE) {
            copy = xmlCopyNode(node, 1);
            xmlAddNextSibling(node, copy);
        } else {
            xmlNode *first = node->parent->children;

            if (first == node)
                goto skip;
            xmlUnlinkNode(node);
            xmlAddPrevSibling(first, node);
        }
        break;
    case MUT_DROP_ATTR:
        if (!node->properties)
            goto skip;
        xmlRemoveProp(node->properties);
        break;
    case MUT_BAD_ATTR:
    case MUT_EMPTY_ATTR:
        if (!node->properties)
            goto skip;
        xmlSetNsProp(node, node->properties->ns, node->properties->name,
                     (const xmlChar *) (m == MUT_BAD_ATTR ? "bogus" : ""));
        break;
    case MUT_NEW_ATTR:
        xmlSetProp(node, (const xmlChar *) "frobnicate", (const xmlChar *) "1");
        break;
    case MUT_TEXT:
    case MUT_EMPTY:
        xmlNodeSetContent(node, (const xmlChar *) (m == MUT_TEXT ? "text" : ""));
        break;
    case MUT_NEW_CHILD:
        xmlNewChild(node, NULL, (const xmlChar *) "frobnicator", NULL);
        break;
    case MUT_COPY_SIBLING_CHILD: {
        xmlNode *sib = xmlNextElementSibling(node);
        xmlNode *c;

        if (!sib || !sib->children)
            goto skip;
        for (c = sib->children; c; c = c->next)
            xmlAddChild(node, xmlCopyNode(c, 1));
        break;
    }
    default:
        goto skip;
    }
    return doc;
skip:
    xmlFreeDoc(doc);
    return NULL;
}

static void
test_mutations_same_verdict(void **state)
{
    const char *path = *state;
    g_autoptr(xmlDoc) orig = parse_file(path);
    g_autoptr(GPtrArray) elems = g_ptr_array_new();
    guint i;
    int m;

    assert_non_null(orig);
    collect_elements(xmlDocGetRootElement(orig), elems);
    for (i = 0; i < elems->len; i++) {
        for (m = 0; m < MUT_N; m++) {
            g_autoptr(xmlDoc) doc = mutate(orig, i, m);
            g_autofree char *what = NULL;

            if (!doc)
                continue;
            what = g_strdup_printf("%s, element %u, mutation %d", path, i, m);
            assert_same_verdict(doc, what);
        }
    }
}

static void
test_unknown_device_is_refused_with_its_path(void **state)
{
    const char *xml =
        "<domain type='lxc'>\n"
        "  <name>a</name>\n"
        "  <memory>1024</memory>\n"
        "  <os><type>exe</type></os>\n"
        "  <devices>\n"
        "    <sound model='ich6'/>\n"
        "  </devices>\n"
        "</domain>\n";
    g_autoptr(GError) err = NULL;

    (void) state;
    assert_int_equal(validate_text(xml, "t.xml", &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_string_equal(err->message,
                        "t.xml:6: /domain/devices/sound: element 'sound' is not allowed here");
    assert_int_equal(vsh_error_line(err), 6);
}

static void
test_missing_memory_is_refused(void **state)
{
    const char *xml =
        "<domain type='qemu'>\n"
        "  <name>a</name>\n"
        "  <os><type>hvm</type></os>\n"
        "</domain>\n";
    g_autoptr(GError) err = NULL;

    (void) state;
    assert_int_equal(validate_text(xml, "t.xml", &err), -1);
    assert_non_null(strstr(err->message, "memory"));
}

static void
test_foreign_metadata_is_allowed_but_not_unqualified(void **state)
{
    const char *ok =
        "<domain type='qemu'><name>a</name><memory>1</memory><os><type>hvm</type></os>"
        "<metadata><app:x xmlns:app='urn:app'><y z='1'>t</y></app:x></metadata></domain>";
    const char *bad =
        "<domain type='qemu'><name>a</name><memory>1</memory><os><type>hvm</type></os>"
        "<metadata><x/></metadata></domain>";
    g_autoptr(GError) err = NULL;

    (void) state;
    assert_int_equal(validate_text(ok, "ok.xml", &err), 0);
    assert_int_equal(validate_text(bad, "bad.xml", &err), -1);
    assert_non_null(strstr(err->message, "/domain/metadata/x"));
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* One test per .xml file of @dir, named "@what NAME". */
static void
add_dir(GArray *tests, const char *dir, const char *what, CMUnitTestFunction func)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *name;
    guint i;

    while (d && (name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    assert_true(names->len > 0);
    g_ptr_array_sort(names, compare_names);
    for (i = 0; i < names->len; i++) {
        struct CMUnitTest t = {
            .name = g_strdup_printf("%s %s", what, (char *) names->pdata[i]),
            .test_func = func,
            .initial_state = g_build_filename(dir, names->pdata[i], NULL),
        };

        g_array_append_val(tests, t);
        g_free(names->pdata[i]);
    }
}

static void
test_cross_checks_ran(void **state)
{
    (void) state;
    /* Every file and thousands of mutations went through both validators. */
    print_message("%d documents cross-checked with libxml2\n", checked);
    if (checked < 2000)
        fail_msg("only %d documents were cross-checked", checked);
}

int
main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_builtin_grammar_is_the_installed_file),
        cmocka_unit_test(test_unknown_device_is_refused_with_its_path),
        cmocka_unit_test(test_missing_memory_is_refused),
        cmocka_unit_test(test_foreign_metadata_is_allowed_but_not_unqualified),
    };
    static const struct CMUnitTest last = cmocka_unit_test(test_cross_checks_ran);
    g_autofree char *rng_path = top_path("xml-schemas", "domain.rng", NULL);
    g_autofree char *xml2xml = top_path("tests", "data", "xml2xml", NULL);
    g_autofree char *invalid = top_path("tests", "data", "invalid", NULL);
    g_autofree char *rng = read_text(rng_path);
    g_autoptr(GArray) tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    xmlRelaxNGParserCtxt *pctxt;
    guint i;
    int rc;

    schema = vsh_xml_schema_new(&vsh_domain_grammar);
    validator = vsh_rng_validator_new(&vsh_domain_grammar);
    pctxt = xmlRelaxNGNewMemParserCtxt(rng, (int) strlen(rng));
    reference = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!reference) {
        fprintf(stderr, "libxml2 cannot compile %s\n", rng_path);
        return 1;
    }
    g_array_append_vals(tests, fixed, G_N_ELEMENTS(fixed));
    add_dir(tests, xml2xml, "schema accepts", test_file_validates);
    add_dir(tests, xml2xml, "same verdict as libxml2 on", test_file_same_verdict);
    add_dir(tests, invalid, "same verdict as libxml2 on", test_file_same_verdict);
    add_dir(tests, xml2xml, "same verdicts as libxml2 on mutations of", test_mutations_same_verdict);
    g_array_append_val(tests, last);
    rc = _cmocka_run_group_tests("schema", (struct CMUnitTest *) tests->data, tests->len,
                                 NULL, NULL);
    for (i = G_N_ELEMENTS(fixed); i + 1 < tests->len; i++) {
        g_free((char *) g_array_index(tests, struct CMUnitTest, i).name);
        g_free(g_array_index(tests, struct CMUnitTest, i).initial_state);
    }
    xmlRelaxNGFree(reference);
    vsh_rng_validator_free(validator);
    vsh_xml_schema_free(schema);
    return rc;
}
