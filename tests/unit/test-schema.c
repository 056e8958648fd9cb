/*
 * test-schema — xml-schemas/domain.rng and the parser agree: every round-trip input and
 * expected output under tests/data/xml2xml validates against the schema file as installed,
 * the copy compiled into the library is that same file, and documents the schema must
 * refuse are refused with the element's path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-schema.h"
#include "util/xml.h"

static vsh_xml_schema *schema;

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

static void
test_embedded_schema_is_the_installed_file(void **state)
{
    g_autofree char *path = top_path("xml-schemas", "domain.rng", NULL);
    g_autofree char *text = read_text(path);

    (void) state;
    assert_string_equal(vsh_domain_schema_rng, text);
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

static void
add_dir(GArray *tests, const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *name;
    guint i;

    while (d && (name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, compare_names);
    for (i = 0; i < names->len; i++) {
        struct CMUnitTest t = {
            .name = g_strdup_printf("schema accepts %s", (char *) names->pdata[i]),
            .test_func = test_file_validates,
            .initial_state = g_build_filename(dir, names->pdata[i], NULL),
        };

        g_array_append_val(tests, t);
        g_free(names->pdata[i]);
    }
}

int
main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_embedded_schema_is_the_installed_file),
        cmocka_unit_test(test_unknown_device_is_refused_with_its_path),
        cmocka_unit_test(test_missing_memory_is_refused),
        cmocka_unit_test(test_foreign_metadata_is_allowed_but_not_unqualified),
    };
    g_autofree char *rng_path = top_path("xml-schemas", "domain.rng", NULL);
    g_autofree char *data = top_path("tests", "data", "xml2xml", NULL);
    g_autofree char *rng = read_text(rng_path);
    g_autoptr(GArray) tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    guint i;
    int rc;

    schema = vsh_xml_schema_new(rng, "domain.rng");
    g_array_append_vals(tests, fixed, G_N_ELEMENTS(fixed));
    add_dir(tests, data);
    rc = _cmocka_run_group_tests("schema", (struct CMUnitTest *) tests->data, tests->len,
                                 NULL, NULL);
    for (i = G_N_ELEMENTS(fixed); i < tests->len; i++) {
        g_free((char *) g_array_index(tests, struct CMUnitTest, i).name);
        g_free(g_array_index(tests, struct CMUnitTest, i).initial_state);
    }
    vsh_xml_schema_free(schema);
    return rc;
}
