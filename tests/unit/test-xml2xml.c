/*
 * test-xml2xml — the domain XML round trips and error messages, driven by the files under
 * tests/data/ (adding a case means adding a file):
 *
 *   xml2xml/NAME.xml      parses; formats to NAME.out.xml when that exists, else to itself;
 *                         the output parses and formats to the same text again, and a copy of
 *                         the definition formats the same, and its binary form (domain-bin.c)
 *                         decodes to the same definition and refuses truncation; its form as
 *                         read back is the binary form of the output parsed.
 *   invalid/NAME.xml      is refused with exactly the message in NAME.err (line included).
 *
 * VSH_TEST_REGENERATE=1 rewrites the expected files from the current output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <config.h>

#include <string.h>
#include <glib/gstdio.h>

#include "error.h"
#include "conf/domain-conf.h"

static bool
regenerate(void)
{
    const char *env = g_getenv("VSH_TEST_REGENERATE");

    return env && strcmp(env, "1") == 0;
}

static char *
data_dir(const char *sub)
{
    const char *top = g_getenv("VSH_TOP_SRCDIR");

    return g_build_filename(top ? top : ".", "tests", "data", sub, NULL);
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

static void
write_text(const char *path, const char *text)
{
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents(path, text, -1, &err))
        fail_msg("cannot write %s: %s", path, err->message);
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Sorted paths of the *.xml inputs in @dir (NAME.out.xml files are outputs, not inputs). */
static GPtrArray *
list_cases(const char *dir)
{
    GPtrArray *cases = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".xml") && !g_str_has_suffix(name, ".out.xml"))
            g_ptr_array_add(cases, g_build_filename(dir, name, NULL));
    }
    g_ptr_array_sort(cases, compare_paths);
    return cases;
}

static char *
replace_suffix(const char *path, const char *old_suffix, const char *new_suffix)
{
    size_t len = strlen(path) - strlen(old_suffix);

    return g_strdup_printf("%.*s%s", (int) len, path, new_suffix);
}

/* The binary form (domain-bin.c) is exact: the decoded copy encodes to the same bytes,
 * including what the XML cannot show. Every strict prefix of it, and the whole with a
 * byte too many, is refused. */
static void
check_binary(const vsh_domain_def *def)
{
    g_autoptr(GByteArray) bin = g_byte_array_new();
    g_autoptr(GByteArray) again = g_byte_array_new();
    g_autoptr(vsh_domain_def) back = NULL;
    guint len;

    vsh_domain_def_encode(def, bin);
    back = vsh_domain_def_decode(bin->data, bin->len);
    assert_non_null(back);
    vsh_domain_def_encode(back, again);
    assert_int_equal(again->len, bin->len);
    assert_memory_equal(again->data, bin->data, bin->len);
    for (len = 0; len < bin->len; len++) {
        vsh_domain_def *cut = vsh_domain_def_decode(bin->data, len);

        if (cut)
            fail_msg("a blob cut to %u of %u bytes decoded", len, bin->len);
    }
    g_byte_array_append(bin, (const guint8 *) "", 1);
    assert_null(vsh_domain_def_decode(bin->data, bin->len));
}

/* What the store caches for a definition it has just parsed (vsh_domain_def_encode_reread)
 * is exactly the binary form of @reread, the definition parsed from @def's output. */
static void
check_reread(const vsh_domain_def *def, const vsh_domain_def *reread)
{
    g_autoptr(GByteArray) fast = g_byte_array_new();
    g_autoptr(GByteArray) slow = g_byte_array_new();

    vsh_domain_def_encode_reread(def, fast);
    vsh_domain_def_encode(reread, slow);
    assert_int_equal(fast->len, slow->len);
    assert_memory_equal(fast->data, slow->data, slow->len);
}

static void
test_xml2xml(void **state)
{
    const char *path = *state;
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *input = read_text(path);
    g_autofree char *out_path = replace_suffix(path, ".xml", ".out.xml");
    g_autofree char *expected = NULL;
    g_autofree char *out = NULL;
    g_autofree char *again = NULL;
    g_autofree char *copied = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(vsh_domain_def) def2 = NULL;
    g_autoptr(vsh_domain_def) copy = NULL;

    def = vsh_domain_def_parse_string(input, base, 0, &err);
    if (!def)
        fail_msg("%s: %s", base, err->message);
    out = vsh_domain_def_format(def, 0);
    if (regenerate()) {
        if (strcmp(out, input) != 0)
            write_text(out_path, out);
        else
            (void) g_remove(out_path);
    }
    expected = g_file_test(out_path, G_FILE_TEST_EXISTS) ? read_text(out_path) :
               g_strdup(input);
    assert_string_equal(out, expected);

    def2 = vsh_domain_def_parse_string(out, base, 0, &err);
    if (!def2)
        fail_msg("%s: output does not parse: %s", base, err->message);
    again = vsh_domain_def_format(def2, 0);
    assert_string_equal(again, out);

    copy = vsh_domain_def_copy(def);
    copied = vsh_domain_def_format(copy, 0);
    assert_string_equal(copied, out);
    check_binary(def);
    check_reread(def, def2);
}

static void
test_invalid(void **state)
{
    const char *path = *state;
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *input = read_text(path);
    g_autofree char *err_path = replace_suffix(path, ".xml", ".err");
    g_autofree char *expected = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_domain_def) def = NULL;

    def = vsh_domain_def_parse_string(input, base, 0, &err);
    if (def)
        fail_msg("%s: parsed, but it should have been refused", base);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    if (regenerate()) {
        g_autofree char *text = g_strdup_printf("%s\n", err->message);

        write_text(err_path, text);
    }
    expected = g_strchomp(read_text(err_path));
    assert_string_equal(err->message, expected);
    /* The line in the message is also the line attached to the error. */
    if (vsh_error_line(err) > 0) {
        g_autofree char *prefix = g_strdup_printf("%s:%d: ", base, vsh_error_line(err));

        assert_true(g_str_has_prefix(err->message, prefix));
    }
}

/* Pieces that break documents in the ways people do: stray elements and text, entities,
 * numbers out of range, elements in the wrong place, bytes that are not UTF-8. */
static const char *const mutation_snippets[] = {
    "<x/>", "</devices>", "<devices>", "text", "&amp;", "&#0;", "<![CDATA[x]]>", "<!-- c -->",
    "<memory unit='EiB'>20</memory>", "<vcpu current='0'>1</vcpu>", " id='99999999999'",
    "<interface type='bridge'/>", "<console type='pty'><target port='-1'/></console>",
    "<filesystem type='ram'><target dir='/'/></filesystem>", "\xff\xfe", " xmlns='urn:x'",
    "<metadata><a:b xmlns:a='u'/></metadata>", "<cputune><quota>-2</quota></cputune>",
    "<idmap><uid start='0' target='0' count='4294967295'/></idmap>", "<?pi x?>",
};

static void
mutate(GString *s, GRand *rand)
{
    int n = g_rand_int_range(rand, 1, 4);
    int i;

    for (i = 0; i < n; i++) {
        int pos = g_rand_int_range(rand, 0, (gint32) s->len + 1);
        const char *snippet = mutation_snippets[g_rand_int_range(rand, 0,
                                                G_N_ELEMENTS(mutation_snippets))];

        gssize cut = g_rand_int_range(rand, 1, 20);

        switch (g_rand_int_range(rand, 0, 3)) {
        case 0:
            /* MIN() evaluates its arguments twice: draw the length first. */
            g_string_erase(s, pos, MIN(cut, (gssize) (s->len - pos)));
            break;
        case 1:
            g_string_insert(s, pos, snippet);
            break;
        default:
            if ((gsize) pos < s->len)
                s->str[pos] = (char) g_rand_int_range(rand, 32, 127);
            break;
        }
    }
}

/* Whatever a user types, parsing fails with one clear line or yields a definition that
 * formats and parses back to the same text. */
static void
test_mutated_inputs(void **state)
{
    GPtrArray *cases = *state;
    g_autoptr(GRand) rand = g_rand_new_with_seed(20261123);
    guint accepted = 0;
    guint c;
    int m;

    for (c = 0; c < cases->len; c++) {
        g_autofree char *input = read_text(g_ptr_array_index(cases, c));

        for (m = 0; m < 40; m++) {
            g_autoptr(GString) s = g_string_new(input);
            g_autoptr(GError) err = NULL;
            g_autoptr(vsh_domain_def) def = NULL;
            g_autoptr(vsh_domain_def) back = NULL;
            g_autofree char *out = NULL;
            g_autofree char *again = NULL;

            mutate(s, rand);
            if (!(def = vsh_domain_def_parse_string(s->str, "m.xml", 0, &err))) {
                assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
                assert_true(g_str_has_prefix(err->message, "m.xml"));
                assert_null(strchr(err->message, '\n'));
                continue;
            }
            accepted++;
            out = vsh_domain_def_format(def, 0);
            if (!(back = vsh_domain_def_parse_string(out, "m.xml", 0, &err)))
                fail_msg("%s\n--- became\n%s\n--- which fails: %s", s->str, out,
                         err->message);
            again = vsh_domain_def_format(back, 0);
            assert_string_equal(again, out);
        }
    }
    assert_true(accepted > 0);
}

static void
add_cases(GArray *tests, GPtrArray *cases, CMUnitTestFunction fn, const char *kind)
{
    guint i;

    for (i = 0; i < cases->len; i++) {
        const char *path = g_ptr_array_index(cases, i);
        g_autofree char *base = g_path_get_basename(path);
        struct CMUnitTest t = {
            .name = g_strdup_printf("%s %s", kind, base),
            .test_func = fn,
            .initial_state = (void *) path,
        };

        g_array_append_val(tests, t);
    }
}

int
main(void)
{
    g_autofree char *valid_dir = data_dir("xml2xml");
    g_autofree char *invalid_dir = data_dir("invalid");
    g_autoptr(GPtrArray) valid = list_cases(valid_dir);
    g_autoptr(GPtrArray) invalid = list_cases(invalid_dir);
    g_autoptr(GArray) tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    guint i;
    int rc;

    add_cases(tests, valid, test_xml2xml, "xml2xml");
    add_cases(tests, invalid, test_invalid, "invalid");
    if (valid->len > 0) {
        struct CMUnitTest t = {
            .name = g_strdup("mutated inputs fail cleanly or round-trip"),
            .test_func = test_mutated_inputs,
            .initial_state = valid,
        };

        g_array_append_val(tests, t);
    }
    if (tests->len == 0) {
        fprintf(stderr, "no test data under %s\n", valid_dir);
        return 1;
    }
    rc = _cmocka_run_group_tests("domain-xml", (struct CMUnitTest *) tests->data, tests->len,
                                 NULL, NULL);
    for (i = 0; i < tests->len; i++)
        g_free((char *) g_array_index(tests, struct CMUnitTest, i).name);
    return rc;
}
