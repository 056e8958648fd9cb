/*
 * test-rng — the RELAX NG compiler and validator of util/rng.[ch] on small grammars: each
 * pattern's semantics, the error each kind of mismatch gets, the constructs the compiler
 * refuses, and documents large enough to show the validator stays linear.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <config.h>

#include <string.h>

#include "error.h"
#include "util/rng.h"
#include "util/xml.h"

#define XSD "datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'"
#define RNG "xmlns='http://relaxng.org/ns/structure/1.0' " XSD

static vsh_rng_grammar *
compile(const char *schema)
{
    g_autoptr(GError) err = NULL;
    vsh_rng_grammar *g = vsh_rng_compile(schema, strlen(schema), "s.rng", &err);

    if (!g)
        fail_msg("%s", err->message);
    return g;
}

/* Validates @xml against @schema: NULL when valid, else the error message. */
static char *
check(const char *schema, const char *xml)
{
    g_autoptr(vsh_rng_grammar) g = compile(schema);
    g_autoptr(vsh_rng_validator) v = vsh_rng_validator_new(g);
    g_autoptr(GError) err = NULL;
    g_autoptr(xmlDoc) doc = vsh_xml_parse(xml, strlen(xml), "t.xml", &err);

    if (!doc)
        fail_msg("test document does not parse: %s", err->message);
    if (vsh_rng_validate(v, doc, &err) == 0)
        return NULL;
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    return g_strdup(err->message);
}

#define assert_valid(schema, xml) do { \
        g_autofree char *msg_ = check(schema, xml); \
        if (msg_) \
            fail_msg("%s refused: %s", xml, msg_); \
    } while (0)

#define assert_invalid(schema, xml, expected) do { \
        g_autofree char *msg_ = check(schema, xml); \
        if (!msg_) \
            fail_msg("%s accepted", xml); \
        assert_string_equal(msg_, expected); \
    } while (0)

static const char group_rng[] =
    "<element name='a' " RNG ">"
    "  <element name='b'><empty/></element>"
    "  <element name='c'><empty/></element>"
    "</element>";

static void
test_group_keeps_order(void **state)
{
    (void) state;
    assert_valid(group_rng, "<a><b/><c/></a>");
    assert_valid(group_rng, "<a>\n  <b/>\n  <c/>\n</a>");
    assert_invalid(group_rng, "<a><c/><b/></a>", "t.xml:1: /a/c: element 'c' is not allowed here");
    assert_invalid(group_rng, "<a><b/></a>", "t.xml:1: /a: missing element 'c'");
    assert_invalid(group_rng, "<a><b/><c/><c/></a>",
                   "t.xml:1: /a/c: element 'c' is not allowed here");
    assert_invalid(group_rng, "<a>hello<b/><c/></a>", "t.xml:1: /a: unexpected text 'hello'");
    assert_invalid(group_rng, "<z/>", "t.xml:1: /z: element 'z' is not allowed here");
    assert_invalid(group_rng, "<a><b x='1'/><c/></a>",
                   "t.xml:1: /a/b: attribute 'x' is not allowed here");
}

static void
test_interleave_takes_any_order(void **state)
{
    const char *rng =
        "<element name='a' " RNG "><interleave>"
        "  <element name='b'><empty/></element>"
        "  <optional><element name='c'><empty/></element></optional>"
        "  <zeroOrMore><element name='d'><empty/></element></zeroOrMore>"
        "</interleave></element>";

    (void) state;
    assert_valid(rng, "<a><b/></a>");
    assert_valid(rng, "<a><d/><c/><d/><b/><d/></a>");
    assert_invalid(rng, "<a><c/><d/></a>", "t.xml:1: /a: missing element 'b'");
    assert_invalid(rng, "<a><c/><b/><c/></a>", "t.xml:1: /a/c: element 'c' is not allowed here");
}

static void
test_one_or_more(void **state)
{
    const char *rng =
        "<element name='a' " RNG "><oneOrMore>"
        "  <element name='b'><attribute name='n'/></element>"
        "</oneOrMore></element>";
    GString *big = g_string_new("<a>");
    int i;

    (void) state;
    assert_valid(rng, "<a><b n='1'/><b n='2'/></a>");
    assert_invalid(rng, "<a/>", "t.xml:1: /a: missing element 'b'");
    assert_invalid(rng, "<a><b n='1'/><b/></a>", "t.xml:1: /a/b: missing attribute 'n'");
    /* Long documents build no more patterns than short ones. */
    for (i = 0; i < 20000; i++)
        g_string_append_printf(big, "<b n='%d'/>", i);
    g_string_append(big, "</a>");
    assert_valid(rng, big->str);
    g_string_free(big, TRUE);
}

static void
test_attribute_alternatives(void **state)
{
    const char *rng =
        "<element name='fs' " RNG "><choice>"
        "  <group><attribute name='type'><value>mount</value></attribute>"
        "         <attribute name='dir'/></group>"
        "  <group><attribute name='type'><value>ram</value></attribute>"
        "         <attribute name='usage'>"
        "           <data type='string'><param name='pattern'>[0-9]+</param></data>"
        "         </attribute></group>"
        "</choice></element>";

    (void) state;
    assert_valid(rng, "<fs type='mount' dir='/x'/>");
    assert_valid(rng, "<fs usage='12' type='ram'/>");
    assert_invalid(rng, "<fs type='ram' usage='12k'/>",
                   "t.xml:1: /fs: invalid value '12k' for attribute 'usage'");
    assert_invalid(rng, "<fs type='ram' dir='/x'/>",
                   "t.xml:1: /fs: attribute 'dir' is not allowed here");
    assert_invalid(rng, "<fs type='ram'/>", "t.xml:1: /fs: missing attribute 'usage'");
    assert_invalid(rng, "<fs type='disk'/>",
                   "t.xml:1: /fs: invalid value 'disk' for attribute 'type'");
}

static void
test_values_and_data(void **state)
{
    const char *token =
        "<element name='a' " RNG "><choice><value>x y</value><value>z</value></choice></element>";
    const char *string =
        "<element name='a' " RNG "><value type='string'>x</value></element>";
    const char *pattern =
        "<element name='a' " RNG ">"
        "  <data type='string'><param name='pattern'>[a-z]+(-[a-z]+)?</param></data>"
        "</element>";
    const char *empty = "<element name='a' " RNG "><empty/></element>";

    (void) state;
    assert_valid(token, "<a>  x\n  y </a>");
    assert_valid(token, "<a>z</a>");
    assert_invalid(token, "<a>xy</a>", "t.xml:1: /a: invalid value 'xy'");
    assert_invalid(token, "<a/>", "t.xml:1: /a: invalid value ''");
    assert_valid(string, "<a>x</a>");
    assert_invalid(string, "<a> x</a>", "t.xml:1: /a: invalid value 'x'");
    /* XML Schema patterns match the whole value. */
    assert_valid(pattern, "<a>ab-cd</a>");
    assert_invalid(pattern, "<a>ab-cd-ef</a>", "t.xml:1: /a: invalid value 'ab-cd-ef'");
    assert_invalid(pattern, "<a>AB</a>", "t.xml:1: /a: invalid value 'AB'");
    assert_valid(empty, "<a></a>");
    assert_valid(empty, "<a> </a>");
    assert_invalid(empty, "<a>x</a>", "t.xml:1: /a: unexpected text 'x'");
    assert_invalid(empty, "<a><b/></a>", "t.xml:1: /a/b: element 'b' is not allowed here");
}

static void
test_recursion_and_wildcards(void **state)
{
    const char *rng =
        "<grammar " RNG ">"
        "  <start><element name='m'><zeroOrMore><ref name='any'/></zeroOrMore></element></start>"
        "  <define name='any'>"
        "    <element><anyName><except><nsName ns=''/></except></anyName>"
        "      <zeroOrMore><choice>"
        "        <attribute><anyName/></attribute><text/><ref name='inner'/>"
        "      </choice></zeroOrMore>"
        "    </element>"
        "  </define>"
        "  <define name='inner'>"
        "    <element><anyName/>"
        "      <zeroOrMore><choice><attribute><anyName/></attribute><text/>"
        "        <ref name='inner'/></choice></zeroOrMore>"
        "    </element>"
        "  </define>"
        "</grammar>";

    (void) state;
    assert_valid(rng, "<m/>");
    assert_valid(rng, "<m><x:y xmlns:x='urn:x' a='1'>t<z><w b='2'>u</w></z></x:y></m>");
    assert_invalid(rng, "<m><y/></m>", "t.xml:1: /m/y: element 'y' is not allowed here");
}

static void
test_namespaced_names(void **state)
{
    const char *rng =
        "<element name='a' " RNG " xmlns:v='urn:v'>"
        "  <optional><element name='v:meta'><attribute name='v:k'/></element></optional>"
        "</element>";

    (void) state;
    assert_valid(rng, "<a><p:meta xmlns:p='urn:v' p:k='1'/></a>");
    assert_invalid(rng, "<a><meta/></a>", "t.xml:1: /a/meta: element 'meta' is not allowed here");
    assert_invalid(rng, "<a><p:meta xmlns:p='urn:v' k='1'/></a>",
                   "t.xml:1: /a/p:meta: attribute 'k' is not allowed here");
}

static void
assert_refused(const char *schema, const char *expected)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_rng_grammar) g = vsh_rng_compile(schema, strlen(schema), "s.rng", &err);

    if (g)
        fail_msg("compiled: %s", schema);
    if (!strstr(err->message, expected))
        fail_msg("'%s' does not mention '%s'", err->message, expected);
    assert_true(g_str_has_prefix(err->message, "s.rng:"));
}

static void
test_compiler_refuses_what_it_cannot_check(void **state)
{
    (void) state;
    assert_refused("<element name='a' " RNG "><list><text/></list></element>", "list");
    assert_refused("<element name='a' " RNG "><ref name='nope'/></element>", "nope");
    assert_refused("<element name='a' " RNG "><data type='integer'/></element>", "integer");
    assert_refused("<element name='a' " RNG "><data type='string'>"
                   "<param name='minLength'>1</param></data></element>", "minLength");
    assert_refused("<grammar " RNG "><start><ref name='x'/></start>"
                   "<define name='x'><ref name='x'/></define></grammar>", "x");
    assert_refused("<element name='a' " RNG "><externalRef href='x.rng'/></element>",
                   "externalRef");
    assert_refused("<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>"
                   "<data type='string' datatypeLibrary='urn:mine'/></element>", "urn:mine");
}

int
main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_keeps_order),
        cmocka_unit_test(test_interleave_takes_any_order),
        cmocka_unit_test(test_one_or_more),
        cmocka_unit_test(test_attribute_alternatives),
        cmocka_unit_test(test_values_and_data),
        cmocka_unit_test(test_recursion_and_wildcards),
        cmocka_unit_test(test_namespaced_names),
        cmocka_unit_test(test_compiler_refuses_what_it_cannot_check),
    };

    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
