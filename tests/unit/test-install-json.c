/*
 * test-install-json.c — the JSON reader vsh-install uses for OCI layouts: what it accepts,
 * what it refuses (with the offset), and the bounds that keep hostile documents harmless.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "shell/install.h"

static install_json *
parse(const char *text, GError **error)
{
    return install_json_parse(text, strlen(text), "t.json", error);
}

static void
test_config_members_are_found(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(install_json) doc = parse(
        "{\"config\": {\"Entrypoint\": [\"/bin/sh\", \"-c\"], \"WorkingDir\": \"/srv\","
        " \"n\": -1.5e2, \"ok\": true, \"nothing\": null}}", &err);
    const install_json *cfg;
    const install_json *ep;

    (void) state;
    assert_non_null(doc);
    cfg = install_json_get(doc, "config");
    assert_non_null(cfg);
    assert_string_equal(install_json_get_string(cfg, "WorkingDir"), "/srv");
    ep = install_json_get(cfg, "Entrypoint");
    assert_int_equal(ep->type, INSTALL_JSON_ARRAY);
    assert_int_equal(ep->items->len, 2);
    assert_string_equal(((install_json *) g_ptr_array_index(ep->items, 1))->string, "-c");
    assert_true(install_json_get(cfg, "n")->number == -150.0);
    assert_true(install_json_get(cfg, "ok")->boolean);
    assert_int_equal(install_json_get(cfg, "nothing")->type, INSTALL_JSON_NULL);
    assert_null(install_json_get(cfg, "absent"));
    assert_null(install_json_get_string(cfg, "ok"));
}

static void
test_escapes_and_surrogates_decode(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(install_json) doc = parse("\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\"", &err);

    (void) state;
    assert_non_null(doc);
    assert_string_equal(doc->string, "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
}

static void
test_last_duplicate_member_wins(void **state)
{
    g_autoptr(install_json) doc = parse("{\"a\": \"1\", \"a\": \"2\"}", NULL);

    (void) state;
    assert_string_equal(install_json_get_string(doc, "a"), "2");
}

static void
test_truncated_document_names_the_offset(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(install_json) doc = parse("{\"manifests\": [", &err);

    (void) state;
    assert_null(doc);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    assert_string_equal(err->message,
                        "t.json: invalid JSON at offset 15: unexpected end of document");
}

static void
test_bad_documents_are_refused(void **state)
{
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\" 1}", "{a: 1}", "\"unterminated", "tru", "1 2",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\x\"", "\"tab\there\"", "[\"\xff\"]", "01x",
        "{\"a\": 1,}", "nul",
    };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(install_json) doc = parse(bad[i], &err);

        if (doc)
            fail_msg("accepted: %s", bad[i]);
        assert_non_null(err);
    }
}

static void
test_deep_nesting_is_bounded(void **state)
{
    g_autoptr(GString) text = g_string_new("");
    g_autoptr(GError) err = NULL;
    g_autoptr(install_json) doc = NULL;
    int i;

    (void) state;
    for (i = 0; i < 100000; i++)
        g_string_append_c(text, '[');
    doc = install_json_parse(text->str, text->len, "deep", &err);
    assert_null(doc);
    assert_non_null(strstr(err->message, "nested too deeply"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_members_are_found),
        cmocka_unit_test(test_escapes_and_surrogates_decode),
        cmocka_unit_test(test_last_duplicate_member_wins),
        cmocka_unit_test(test_truncated_document_names_the_offset),
        cmocka_unit_test(test_bad_documents_are_refused),
        cmocka_unit_test(test_deep_nesting_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
