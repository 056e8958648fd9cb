/*
 * test-conf — the small pieces of domain definitions: memory units, names, uuids, enums,
 * defaults filled by post-parse, live-only data, deep copies, the parser's safety limits
 * and validation of definitions built in code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <config.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "error.h"
#include "conf/domain-conf.h"
#include "util/xml.h"

#define MINIMAL_LXC \
    "<domain type='lxc'>\n" \
    "  <name>box</name>\n" \
    "  <memory>1024</memory>\n" \
    "  <os><type>exe</type><init>/bin/sh</init></os>\n" \
    "  <devices>\n" \
    "    <filesystem type='mount'><source dir='/srv/box'/><target dir='/'/></filesystem>\n" \
    "%s" \
    "  </devices>\n" \
    "</domain>\n"

static vsh_domain_def *
parse_ok(const char *xml, unsigned int flags)
{
    g_autoptr(GError) err = NULL;
    vsh_domain_def *def = vsh_domain_def_parse_string(xml, "t.xml", flags, &err);

    if (!def)
        fail_msg("unexpected error: %s", err->message);
    return def;
}

static void
test_memory_units_scale_like_libvirt(void **state)
{
    static const struct {
        const char *value;
        const char *unit;
        guint64 kib;
    } cases[] = {
        { "1", NULL, 1 }, { "1", "KiB", 1 }, { "1", "k", 1 }, { "1", "K", 1 },
        { "1000", "KB", 977 }, { "1", "b", 1 }, { "1024", "bytes", 1 }, { "1025", "B", 2 },
        { "1", "M", 1024 }, { "1", "MiB", 1024 }, { "1", "MB", 977 }, { "2", "G", 2097152 },
        { "1", "GiB", 1048576 }, { "1", "GB", 976563 }, { "1", "T", 1073741824ULL },
        { "1", "TB", 976562500ULL }, { "1", "TiB", 1073741824ULL },
        { "1", "P", 1099511627776ULL }, { "1", "PB", 976562500000ULL },
        { "1", "PiB", 1099511627776ULL }, { "1", "E", 1125899906842624ULL },
        { "1", "EB", 976562500000000ULL }, { "1", "EiB", 1125899906842624ULL },
        { "0", "GiB", 0 }, { "3", "mib", 3072 },
    };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint64 kib = 0;

        if (vsh_memory_parse_kib(cases[i].value, cases[i].unit, &kib) < 0)
            fail_msg("%s %s refused", cases[i].value, cases[i].unit);
        if (kib != cases[i].kib)
            fail_msg("%s %s: %" G_GUINT64_FORMAT " KiB, expected %" G_GUINT64_FORMAT,
                     cases[i].value, cases[i].unit, kib, cases[i].kib);
    }
}

static void
test_memory_bad_units_and_overflow_are_refused(void **state)
{
    static const char *const bad_units[] = { "XB", "KiBB", "Ki", "kilobytes", "iB", "bb" };
    static const char *const bad_values[] = { "-1", "", " 1", "1.5", "0x10", "1k", "+1" };
    guint64 kib = 0;
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(bad_units); i++)
        assert_int_equal(vsh_memory_parse_kib("1", bad_units[i], &kib), -1);
    for (i = 0; i < G_N_ELEMENTS(bad_values); i++)
        assert_int_equal(vsh_memory_parse_kib(bad_values[i], "KiB", &kib), -1);
    assert_int_equal(vsh_memory_parse_kib("16", "EiB", &kib), -1);
    assert_int_equal(vsh_memory_parse_kib("18446744073709551616", NULL, &kib), -1);
    assert_int_equal(vsh_memory_parse_kib("15", "EiB", &kib), 0);
    assert_true(kib == 15 * 1125899906842624ULL);
}

static void
test_cpuset_becomes_the_kernels_cpu_list(void **state)
{
    static const struct {
        const char *cpuset;
        const char *list;
    } cases[] = {
        { "0", "0" }, { "0-3", "0-3" }, { "0-3,^2,6", "0-1,3,6" }, { "0-1,^1", "0" },
        { "3,1,2", "1-3" }, { " 5 , 7-8 ", "5,7-8" }, { "0-7,^0,^1,^2", "3-7" }, { "^1,1", "1" },
        { "0-3,^1,1", "0-3" }, { "4095", "4095" },
    };
    static const char *const bad[] = { "", "0,^0", "3-1", "a", "0-3,a", "4096", "^0-1", "-1" };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *list = vsh_cpuset_to_list(cases[i].cpuset);

        if (!list || strcmp(list, cases[i].list) != 0)
            fail_msg("'%s' became '%s', expected '%s'", cases[i].cpuset,
                     list ? list : "(null)", cases[i].list);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *list = vsh_cpuset_to_list(bad[i]);

        if (list)
            fail_msg("'%s' accepted as '%s'", bad[i], list);
    }
}

static void
test_domain_names_follow_the_store_rule(void **state)
{
    static const char *const good[] = {
        "a", "web-01", "ftp_jail", "db.vm", "A9", "x-", "a.",
        "0123456789012345678901234567890123456789012345678901234567890123",
    };
    static const char *const bad[] = {
        "", ".hidden", "-opt", "a/b", "..", "a b", "tab\there", "ünï", "a:b", "a\nb",
        "01234567890123456789012345678901234567890123456789012345678901234",
    };
    g_autoptr(GError) err = NULL;
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        if (!vsh_domain_name_is_valid(good[i]))
            fail_msg("'%s' refused", good[i]);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        if (vsh_domain_name_is_valid(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
    }
    assert_false(vsh_domain_name_is_valid(NULL));
    assert_int_equal(vsh_domain_name_check("a/b", &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    assert_non_null(strstr(err->message, "'a/b'"));
}

static void
test_uuid_parse_and_format_round_trip(void **state)
{
    const char *canonical = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
    unsigned char uuid[16];
    unsigned char other[16];
    char buf[37];

    (void) state;
    assert_int_equal(vsh_uuid_parse(canonical, uuid), 0);
    vsh_uuid_format(uuid, buf);
    assert_string_equal(buf, canonical);
    assert_int_equal(uuid[0], 0x4d);
    assert_int_equal(uuid[15], 0xa0);
    /* Hyphens are optional and case does not matter on input. */
    assert_int_equal(vsh_uuid_parse("4DEA22B31D52D8F32516782E98AB3FA0", other), 0);
    assert_memory_equal(uuid, other, 16);
}

static void
test_uuid_bad_strings_are_refused(void **state)
{
    static const char *const bad[] = {
        "", "4dea22b3-1d52-d8f3-2516-782e98ab3fa", "4dea22b3-1d52-d8f3-2516-782e98ab3fa00",
        "4dea22b3-1d52-d8f3-2516-782e98ab3fg0", "-4dea22b3-1d52-d8f3-2516-782e98ab3fa0",
        "4dea22b3-1d52-d8f3-2516-782e98ab3fa0-", "4dea22b3 1d52 d8f3 2516 782e98ab3fa0",
    };
    unsigned char uuid[16];
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        if (vsh_uuid_parse(bad[i], uuid) == 0)
            fail_msg("'%s' accepted", bad[i]);
    }
    assert_int_equal(vsh_uuid_parse(NULL, uuid), -1);
}

static void
test_uuid_generate_gives_distinct_version_4_uuids(void **state)
{
    unsigned char a[16];
    unsigned char b[16];

    (void) state;
    vsh_uuid_generate(a);
    vsh_uuid_generate(b);
    assert_memory_not_equal(a, b, 16);
    assert_int_equal(a[6] >> 4, 4);
    assert_int_equal(a[8] & 0xc0, 0x80);
    assert_int_equal(b[6] >> 4, 4);
    assert_int_equal(b[8] & 0xc0, 0x80);
}

static void
test_enums_convert_both_ways(void **state)
{
    (void) state;
    assert_string_equal(vsh_domain_type_to_string(VSH_DOMAIN_TYPE_CHROOT), "chroot");
    assert_int_equal(vsh_domain_type_from_string("qemu"), VSH_DOMAIN_TYPE_QEMU);
    assert_int_equal(vsh_domain_type_from_string("xen"), -1);
    assert_null(vsh_domain_type_to_string(VSH_DOMAIN_TYPE_LAST));
    assert_string_equal(vsh_lifecycle_action_to_string(VSH_LIFECYCLE_RESTART_RENAME),
                        "rename-restart");
    assert_int_equal(vsh_fs_access_from_string("squash"), VSH_FS_ACCESS_SQUASH);
    assert_int_equal(vsh_boot_dev_from_string("network"), VSH_BOOT_NETWORK);
    assert_string_equal(vsh_tristate_to_string(VSH_TRISTATE_NO), "no");
    assert_int_equal(vsh_disk_device_from_string("cdrom"), VSH_DISK_DEVICE_CDROM);
    assert_int_equal(vsh_net_type_from_string("ethernet"), VSH_NET_TYPE_ETHERNET);
}

static void
test_post_parse_fills_uuid_current_memory_and_mac(void **state)
{
    g_autofree char *xml = g_strdup_printf(MINIMAL_LXC,
                                           "    <interface type='ethernet'/>\n");
    g_autoptr(vsh_domain_def) def = parse_ok(xml, 0);
    static const unsigned char zero[16] = { 0 };
    const vsh_net_def *net;

    (void) state;
    assert_memory_not_equal(def->uuid, zero, 16);
    assert_true(def->uuid_generated);
    assert_true(def->cur_memory_kib == 1024);
    assert_false(def->has_cur_memory);
    assert_int_equal(def->vcpus, 1);
    assert_int_equal(def->interfaces->len, 1);
    net = g_ptr_array_index(def->interfaces, 0);
    assert_true(net->mac_generated);
    assert_true(g_str_has_prefix(net->mac, "52:54:00:"));
    assert_int_equal(strlen(net->mac), 17);
    assert_non_null(vsh_domain_def_get_root_fs(def));
    assert_string_equal(vsh_domain_def_get_root_fs(def)->source, "/srv/box");
}

/* A uuid from the XML is the user's: the define checks that no other domain has it. */
static void
test_a_given_uuid_is_not_marked_generated(void **state)
{
    const char *xml =
        "<domain type='lxc'>\n"
        "  <name>box</name>\n"
        "  <uuid>6f1c1a1e-8a55-4c3e-9d1f-1c2b3a4d5e01</uuid>\n"
        "  <memory>1024</memory>\n"
        "  <os><type>exe</type><init>/bin/sh</init></os>\n"
        "  <devices>\n"
        "    <filesystem type='mount'><source dir='/srv/box'/><target dir='/'/></filesystem>\n"
        "  </devices>\n"
        "</domain>\n";
    g_autoptr(vsh_domain_def) def = parse_ok(xml, 0);
    g_autoptr(vsh_domain_def) copy = vsh_domain_def_copy(def);
    char uuid[VSH_UUID_STRING_BUFLEN];

    (void) state;
    assert_false(def->uuid_generated);
    vsh_uuid_format(def->uuid, uuid);
    assert_string_equal(uuid, "6f1c1a1e-8a55-4c3e-9d1f-1c2b3a4d5e01");
    /* a copy is a definition, not a parse: the flag is not carried */
    assert_non_null(copy);
    assert_false(copy->uuid_generated);
}

static void
test_live_data_only_with_the_live_flags(void **state)
{
    const char *xml =
        "<domain type='lxc' id='4127'>\n"
        "  <name>box</name>\n"
        "  <memory>1024</memory>\n"
        "  <os><type>exe</type></os>\n"
        "  <devices>\n"
        "    <filesystem><source dir='/srv/box'/><target dir='/'/></filesystem>\n"
        "    <console type='pty'><source path='/dev/pts/3'/><target type='lxc' port='0'/>"
        "</console>\n"
        "  </devices>\n"
        "</domain>\n";
    g_autoptr(vsh_domain_def) cold = parse_ok(xml, 0);
    g_autoptr(vsh_domain_def) live = parse_ok(xml, VSH_DOMAIN_DEF_PARSE_LIVE);
    g_autofree char *cold_xml = vsh_domain_def_format(live, 0);
    g_autofree char *live_xml = vsh_domain_def_format(live, VSH_DOMAIN_DEF_FORMAT_LIVE);
    const vsh_console_def *console;

    (void) state;
    assert_int_equal(cold->id, -1);
    console = g_ptr_array_index(cold->consoles, 0);
    assert_null(console->source_path);
    assert_int_equal(live->id, 4127);
    console = g_ptr_array_index(live->consoles, 0);
    assert_string_equal(console->source_path, "/dev/pts/3");
    assert_int_equal(console->target_port, 0);
    assert_null(strstr(cold_xml, "4127"));
    assert_null(strstr(cold_xml, "/dev/pts/3"));
    assert_non_null(strstr(live_xml, "<domain type='lxc' id='4127'>"));
    assert_non_null(strstr(live_xml, "<source path='/dev/pts/3'/>"));
}

/* Generated host device names (vnet, macvtap and macvlan prefixes, the lxc driver's
 * vshXXXXXXXX-N) are dropped from a definition, as libvirt drops its own, and kept in a
 * live one, which records the name in use; names that only look alike stay in both. */
static void
test_generated_interface_names_only_in_live_definitions(void **state)
{
    static const char *const names[] = {
        "vnet4", "macvtap0", "macvlan2", "vsh0123abcd-0", "vshfe01ab23-12",
        "tap-vnet4", "vshbr0", "vsh0123abcd-", "vsh0123abcd-x", "vsh0123ABCD-0", "vsh012-0",
    };
    const size_t generated = 5;     /* the first ones */
    g_autoptr(GString) ifaces = g_string_new(NULL);
    g_autofree char *xml = NULL;
    g_autoptr(vsh_domain_def) cold = NULL;
    g_autoptr(vsh_domain_def) live = NULL;
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(names); i++)
        g_string_append_printf(ifaces, "    <interface type='ethernet'>"
                               "<target dev='%s'/></interface>\n", names[i]);
    xml = g_strdup_printf(MINIMAL_LXC, ifaces->str);
    cold = parse_ok(xml, 0);
    live = parse_ok(xml, VSH_DOMAIN_DEF_PARSE_LIVE);
    assert_int_equal(cold->interfaces->len, G_N_ELEMENTS(names));
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        const vsh_net_def *c = g_ptr_array_index(cold->interfaces, i);
        const vsh_net_def *l = g_ptr_array_index(live->interfaces, i);

        if (i < generated) {
            if (c->target_dev)
                fail_msg("'%s' kept in a definition", names[i]);
        } else {
            assert_non_null(c->target_dev);
            assert_string_equal(c->target_dev, names[i]);
        }
        assert_non_null(l->target_dev);
        assert_string_equal(l->target_dev, names[i]);
    }
}

static void
test_copy_is_deep_and_identical(void **state)
{
    g_autofree char *xml = g_strdup_printf(MINIMAL_LXC,
                                           "    <interface type='bridge'>"
                                           "<source bridge='br0'/></interface>\n");
    g_autoptr(vsh_domain_def) def = parse_ok(xml, 0);
    g_autoptr(vsh_domain_def) copy = vsh_domain_def_copy(def);
    g_autofree char *a = vsh_domain_def_format(def, VSH_DOMAIN_DEF_FORMAT_LIVE);
    g_autofree char *b = vsh_domain_def_format(copy, VSH_DOMAIN_DEF_FORMAT_LIVE);
    const vsh_net_def *net;

    (void) state;
    assert_string_equal(a, b);
    assert_ptr_not_equal(def->name, copy->name);
    assert_memory_equal(def->uuid, copy->uuid, 16);
    net = g_ptr_array_index(copy->interfaces, 0);
    assert_true(net->mac_generated);
    g_free(copy->name);
    copy->name = g_strdup("other");
    copy->max_memory_kib = 1;
    assert_string_equal(def->name, "box");
    assert_true(def->max_memory_kib == 1024);
}

static void
test_def_built_in_code_validates_without_lines(void **state)
{
    g_autoptr(vsh_domain_def) def = vsh_domain_def_new();
    g_autoptr(vsh_fs_def) fs = g_new0(vsh_fs_def, 1);
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(vsh_domain_def) back = NULL;

    (void) state;
    def->type = VSH_DOMAIN_TYPE_CHROOT;
    def->name = g_strdup("jail");
    def->max_memory_kib = 2048;
    assert_int_equal(vsh_domain_def_validate(def, &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    assert_int_equal(vsh_error_line(err), 0);
    assert_string_equal(err->message, "/domain/devices: a domain of type 'chroot' needs a "
                        "root filesystem (<filesystem> with <target dir='/'/>)");
    g_clear_error(&err);
    fs->source = g_strdup("/srv/jail");
    fs->target = g_strdup("/");
    g_ptr_array_add(def->filesystems, g_steal_pointer(&fs));
    assert_int_equal(vsh_domain_def_post_parse(def, &err), 0);
    assert_int_equal(vsh_domain_def_validate(def, &err), 0);
    xml = vsh_domain_def_format(def, 0);
    back = parse_ok(xml, 0);
    assert_string_equal(back->name, "jail");
    assert_true(back->cur_memory_kib == 2048);
}

static void
test_parser_refuses_doctype_and_large_documents(void **state)
{
    const char *doctype =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
        "<domain type='lxc'><name>&x;</name></domain>\n";
    g_autoptr(GString) big = g_string_new("<domain type='lxc'><description>");
    g_autoptr(GError) err = NULL;
    vsh_domain_def *def;

    (void) state;
    def = vsh_domain_def_parse_string(doctype, "d.xml", 0, &err);
    assert_null(def);
    assert_string_equal(err->message, "d.xml: a DOCTYPE is not allowed");
    g_clear_error(&err);
    while (big->len <= VSH_XML_MAX_SIZE)
        g_string_append(big, "0123456789abcdef");
    g_string_append(big, "</description></domain>");
    def = vsh_domain_def_parse_string(big->str, "big.xml", 0, &err);
    assert_null(def);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_true(g_str_has_prefix(err->message, "big.xml: document is too large"));
}

static void
test_parse_file_reports_missing_file_and_names_file_in_errors(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("vsh-conf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "my web.xml", NULL);
    g_autofree char *expected = NULL;
    vsh_domain_def *def;

    (void) state;
    assert_non_null(dir);
    def = vsh_domain_def_parse_file("/nonexistent/vsh/web.xml", 0, &err);
    assert_null(def);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_SYSTEM));
    assert_int_equal(vsh_error_errno(err), ENOENT);
    g_clear_error(&err);
    assert_true(g_file_set_contents(path, "<domain type='lxc'>\n<name>x</name>\n<memory>",
                                    -1, NULL));
    def = vsh_domain_def_parse_file(path, 0, &err);
    (void) g_unlink(path);
    (void) g_rmdir(dir);
    assert_null(def);
    expected = g_strdup_printf("%s:3: malformed XML", path);
    assert_true(g_str_has_prefix(err->message, expected));
    assert_int_equal(vsh_error_line(err), 3);
}

static void
test_writer_escapes_and_indents(void **state)
{
    vsh_xml_writer w;
    g_autofree char *text = NULL;

    (void) state;
    vsh_xml_writer_init(&w);
    vsh_xml_writer_open(&w, "a");
    vsh_xml_writer_attr(&w, "x", "<'&\">");
    vsh_xml_writer_attr(&w, "skipped", NULL);
    vsh_xml_writer_children(&w);
    vsh_xml_writer_text_element(&w, "b", "1 < 2 & 'q'");
    vsh_xml_writer_text_element(&w, "none", NULL);
    vsh_xml_writer_open(&w, "c");
    vsh_xml_writer_attr_printf(&w, "n", "%d", 42);
    vsh_xml_writer_close(&w);
    vsh_xml_writer_end(&w, "a");
    text = vsh_xml_writer_finish(&w);
    assert_string_equal(text, "<a x='&lt;&apos;&amp;&quot;&gt;'>\n"
                              "  <b>1 &lt; 2 &amp; &apos;q&apos;</b>\n"
                              "  <c n='42'/>\n"
                              "</a>\n");
}

static void
test_parser_keeps_the_first_error_with_line_and_column(void **state)
{
    const char *xml = "<domain type='lxc'>\n  <name>x</name>\n\n  <os><type>exe</tpye></os>\n"
                      "</domain>\n";
    g_autoptr(GError) err = NULL;
    g_autoptr(xmlDoc) doc = vsh_xml_parse(xml, strlen(xml), "t.xml", &err);

    (void) state;
    assert_null(doc);
    assert_int_equal(vsh_error_line(err), 4);
    assert_true(g_str_has_prefix(err->message, "t.xml:4: malformed XML at column "));
    assert_non_null(strstr(err->message, "tag mismatch"));
}

static void
test_attribute_helpers_name_the_attribute(void **state)
{
    const char *xml = "<r>\n<e n='12' z='0' big='4294967296' b='maybe' neg='-1'/>\n</r>";
    g_autoptr(xmlDoc) doc = vsh_xml_parse(xml, strlen(xml), "a.xml", NULL);
    g_autoptr(GError) err = NULL;
    xmlNode *e;
    unsigned int u = 7;
    guint64 v = 0;
    bool b = false;

    (void) state;
    assert_non_null(doc);
    e = xmlDocGetRootElement(doc)->children;
    assert_int_equal(vsh_xml_prop_uint(e, "n", 0, &u, &err), 1);
    assert_int_equal(u, 12);
    assert_int_equal(vsh_xml_prop_uint(e, "absent", 0, &u, &err), 0);
    assert_int_equal(u, 12);
    assert_int_equal(vsh_xml_prop_uint(e, "absent", VSH_XML_PROP_REQUIRED, &u, &err), -1);
    assert_string_equal(err->message, "a.xml:2: /r/e: missing attribute 'absent'");
    g_clear_error(&err);
    assert_int_equal(vsh_xml_prop_uint(e, "z", VSH_XML_PROP_NONZERO, &u, &err), -1);
    assert_string_equal(err->message, "a.xml:2: /r/e: attribute 'z' must not be zero");
    g_clear_error(&err);
    assert_int_equal(vsh_xml_prop_uint(e, "big", 0, &u, &err), -1);
    g_clear_error(&err);
    assert_int_equal(vsh_xml_prop_uint64(e, "big", 0, &v, &err), 1);
    assert_true(v == 4294967296ULL);
    assert_int_equal(vsh_xml_prop_uint64(e, "neg", 0, &v, &err), -1);
    assert_string_equal(err->message, "a.xml:2: /r/e: invalid number '-1' for attribute 'neg'");
    g_clear_error(&err);
    assert_int_equal(vsh_xml_prop_bool(e, "b", 0, &b, &err), -1);
    assert_non_null(strstr(err->message, "'maybe'"));
}

static void
test_foreign_metadata_is_kept_with_its_namespace(void **state)
{
    const char *xml =
        "<domain type='lxc' xmlns:app='urn:app'>\n"
        "  <name>box</name>\n"
        "  <metadata><app:x a='1'><app:y>t &amp; u</app:y></app:x></metadata>\n"
        "  <memory>1024</memory>\n"
        "  <os><type>exe</type></os>\n"
        "  <devices><filesystem><source dir='/srv'/><target dir='/'/></filesystem></devices>\n"
        "</domain>\n";
    g_autoptr(vsh_domain_def) def = parse_ok(xml, 0);

    (void) state;
    assert_string_equal(def->metadata_other,
                        "    <app:x xmlns:app=\"urn:app\" a=\"1\">\n"
                        "      <app:y>t &amp; u</app:y>\n"
                        "    </app:x>\n");
    assert_false(def->vsh.present);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_units_scale_like_libvirt),
        cmocka_unit_test(test_memory_bad_units_and_overflow_are_refused),
        cmocka_unit_test(test_cpuset_becomes_the_kernels_cpu_list),
        cmocka_unit_test(test_domain_names_follow_the_store_rule),
        cmocka_unit_test(test_uuid_parse_and_format_round_trip),
        cmocka_unit_test(test_uuid_bad_strings_are_refused),
        cmocka_unit_test(test_uuid_generate_gives_distinct_version_4_uuids),
        cmocka_unit_test(test_enums_convert_both_ways),
        cmocka_unit_test(test_post_parse_fills_uuid_current_memory_and_mac),
        cmocka_unit_test(test_a_given_uuid_is_not_marked_generated),
        cmocka_unit_test(test_live_data_only_with_the_live_flags),
        cmocka_unit_test(test_generated_interface_names_only_in_live_definitions),
        cmocka_unit_test(test_copy_is_deep_and_identical),
        cmocka_unit_test(test_def_built_in_code_validates_without_lines),
        cmocka_unit_test(test_parser_refuses_doctype_and_large_documents),
        cmocka_unit_test(test_parse_file_reports_missing_file_and_names_file_in_errors),
        cmocka_unit_test(test_writer_escapes_and_indents),
        cmocka_unit_test(test_parser_keeps_the_first_error_with_line_and_column),
        cmocka_unit_test(test_attribute_helpers_name_the_attribute),
        cmocka_unit_test(test_foreign_metadata_is_kept_with_its_namespace),
    };

    return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
