/*
 * test-uri.c — connection URIs (every row of DESIGN.md's table, and bad ones), the store
 * directories they lead to, read-only connections and domain names.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-testutil.h"
#include "internal.h"
#include "conf/domain-conf.h"

typedef struct {
    const char *uri;
    const char *canonical;
    const char *types;          /* the connection's types joined with ','; NULL for "vsh",
                                 * whose types depend on the drivers built (qemu among them) */
} uri_case;

static char *
join_types(vsh_conn *conn)
{
    return g_strjoinv(",", (char **) vsh_conn_get_types(conn));
}

/* Opens @uri read-only (so a system URI creates nothing on the host) and checks it. */
static void
check_uri(const uri_case *c)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_conn) conn = vsh_conn_open(c->uri, VSH_CONN_READ_ONLY, &err);
    g_autofree char *types = NULL;

    if (!conn)
        fail_msg("cannot open '%s': %s", c->uri, err->message);
    assert_string_equal(vsh_conn_get_uri(conn), c->canonical);
    types = join_types(conn);
    if (c->types)
        assert_string_equal(types, c->types);
    else
        assert_true(g_strv_contains(vsh_conn_get_types(conn), "qemu"));
    assert_true(vsh_conn_is_read_only(conn));
}

static void
test_system_uris_and_aliases(void **state)
{
    static const uri_case cases[] = {
        { "vsh:///system", "vsh:///system", NULL },
        { "vsh:///", "vsh:///system", NULL },
        { "qemu:///system", "qemu:///system", "qemu" },
        { "qemu:///", "qemu:///system", "qemu" },
    };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++)
        check_uri(&cases[i]);
}

static void
test_system_uri_uses_the_system_store(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_conn) conn = vsh_conn_open("vsh:///system", VSH_CONN_READ_ONLY, &err);

    (void) state;
    assert_non_null(conn);
    assert_string_equal(vsh_conn_get_root(conn), "/");
    assert_string_equal(vsh_conn_get_rootfs_dir(conn), "/var/lib/vsh/rootfs");
    assert_string_equal(conn->domains_dir, "/etc/vsh/domains");
    assert_string_equal(conn->state_dir, "/run/vsh");
}

static void
test_embed_uri_creates_the_store_layout(void **state)
{
    g_autofree char *dir = testutil_store_new();
    g_autofree char *uri = testutil_uri("vsh", dir);
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_conn) conn = vsh_conn_open(uri, 0, &err);
    const char *subdirs[] = { "config/domains", "config/autostart", "state", "images",
                              "rootfs" };
    g_autofree char *rootfs = g_build_filename(dir, "rootfs", NULL);
    size_t i;

    (void) state;
    assert_non_null(conn);
    assert_string_equal(vsh_conn_get_uri(conn), uri);
    assert_string_equal(vsh_conn_get_root(conn), dir);
    assert_string_equal(vsh_conn_get_rootfs_dir(conn), rootfs);
    for (i = 0; i < G_N_ELEMENTS(subdirs); i++) {
        g_autofree char *path = g_build_filename(dir, subdirs[i], NULL);

        assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
    }
    testutil_store_remove(dir);
}

static void
test_embed_uri_is_percent_decoded_and_canonical(void **state)
{
    static const uri_case cases[] = {
        { "vsh:///embed?root=/tmp/vsh%20uri%2Dtest", "vsh:///embed?root=/tmp/vsh%20uri-test",
          NULL },
        { "qemu:///embed?root=/tmp/vsh-uri-test/", "qemu:///embed?root=/tmp/vsh-uri-test",
          "qemu" },
        { "vsh:///embed?root=/", "vsh:///embed?root=/", NULL },
    };
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_conn) conn = NULL;
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++)
        check_uri(&cases[i]);
    conn = vsh_conn_open(cases[0].uri, VSH_CONN_READ_ONLY, &err);
    assert_string_equal(vsh_conn_get_root(conn), "/tmp/vsh uri-test");
}

typedef struct {
    const char *uri;
    int code;
    const char *message;
} bad_uri_case;

static void
test_bad_uris_fail_with_a_clear_message(void **state)
{
    static const bad_uri_case cases[] = {
        { "vsh", VSH_ERROR_NO_CONNECT, "malformed URI 'vsh' (expected SCHEME:///PATH)" },
        { "://system", VSH_ERROR_NO_CONNECT,
          "malformed URI '://system' (expected SCHEME:///PATH)" },
        { "lxc://", VSH_ERROR_NO_CONNECT, "malformed URI 'lxc://' (expected SCHEME:///PATH)" },
        { "xen:///system", VSH_ERROR_NO_CONNECT,
          "unknown URI scheme 'xen' in 'xen:///system' (expected vsh, lxc, chroot or qemu)" },
        { "vsh://host/system", VSH_ERROR_NO_CONNECT,
          "remote URIs are not supported: 'vsh://host/system'" },
        { "qemu:///session", VSH_ERROR_NO_CONNECT,
          "unsupported path '/session' in URI 'qemu:///session' (expected /system or "
          "/embed?root=DIR)" },
        { "vsh:///system?x=1", VSH_ERROR_NO_CONNECT, "URI 'vsh:///system?x=1' takes no "
          "parameters" },
        { "vsh:///embed", VSH_ERROR_NO_CONNECT,
          "URI 'vsh:///embed' needs '?root=DIR' after /embed" },
        { "vsh:///embed?dir=/tmp", VSH_ERROR_NO_CONNECT,
          "URI 'vsh:///embed?dir=/tmp' needs '?root=DIR' after /embed" },
        { "vsh:///embed?root=tmp/x", VSH_ERROR_NO_CONNECT,
          "the root 'tmp/x' of URI 'vsh:///embed?root=tmp/x' is not an absolute path" },
        { "vsh:///embed?root=/tmp&x=1", VSH_ERROR_NO_CONNECT,
          "URI 'vsh:///embed?root=/tmp&x=1' takes only the 'root' parameter" },
        { "vsh:///embed?root=/tmp/%zz", VSH_ERROR_NO_CONNECT,
          "URI 'vsh:///embed?root=/tmp/%zz' has a malformed percent-escape in its root" },
        { "vsh:///embed?root=/tmp/%00x", VSH_ERROR_NO_CONNECT,
          "URI 'vsh:///embed?root=/tmp/%00x' has a malformed percent-escape in its root" },
        { "vsh+dbus:///system", VSH_ERROR_NO_CONNECT,
          "cannot connect to 'vsh+dbus:///system': vshd is not running" },
    };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(vsh_conn) conn = vsh_conn_open(cases[i].uri, VSH_CONN_READ_ONLY, &err);

        if (conn)
            fail_msg("'%s' was accepted", cases[i].uri);
        assert_true(g_error_matches(err, VSH_ERROR, cases[i].code));
        assert_string_equal(err->message, cases[i].message);
    }
}

/* lxc and chroot are left out of this build (or not usable): naming one is an error, and
 * "vsh" quietly serves the rest. */
static void
test_uri_naming_a_driver_not_here_fails(void **state)
{
    const char *const *types;
    g_autoptr(vsh_conn) all = vsh_conn_open("vsh:///", VSH_CONN_READ_ONLY, NULL);
    const char *names[] = { "lxc", "chroot" };
    size_t i;

    (void) state;
    assert_non_null(all);
    types = vsh_conn_get_types(all);
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *uri = g_strdup_printf("%s:///system", names[i]);
        g_autoptr(GError) err = NULL;
        g_autoptr(vsh_conn) conn = vsh_conn_open(uri, VSH_CONN_READ_ONLY, &err);

        if (g_strv_contains(types, names[i])) {
            assert_non_null(conn);  /* built and usable here */
            continue;
        }
        assert_null(conn);
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_NO_CONNECT));
        assert_non_null(strstr(err->message, names[i]));
    }
}

static void
test_default_uri_comes_from_the_environment(void **state)
{
    g_autofree char *dir = testutil_store_new();
    g_autofree char *uri = testutil_uri("qemu", dir);
    g_autoptr(vsh_conn) conn = NULL;

    (void) state;
    g_setenv("VSH_DEFAULT_URI", uri, TRUE);
    conn = vsh_conn_open(NULL, 0, NULL);
    g_unsetenv("VSH_DEFAULT_URI");
    assert_non_null(conn);
    assert_string_equal(vsh_conn_get_uri(conn), uri);
    testutil_store_remove(dir);
}

static void
test_read_only_connection_refuses_changes_and_creates_nothing(void **state)
{
    g_autofree char *dir = testutil_store_new();
    g_autofree char *uri = testutil_uri("vsh", dir);
    g_autofree char *xml = testutil_qemu_xml("ro", NULL, NULL);
    g_autofree char *state_dir = g_build_filename(dir, "state", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_conn) conn = vsh_conn_open(uri, VSH_CONN_READ_ONLY, &err);
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *expected = g_strdup_printf("the connection '%s' is read-only", uri);

    (void) state;
    assert_non_null(conn);
    assert_false(g_file_test(state_dir, G_FILE_TEST_EXISTS));
    assert_int_equal(vsh_conn_list_domains(conn, NULL, 0, &list, &err), 0);
    dom = vsh_domain_define_xml(conn, xml, NULL, &err);
    assert_null(dom);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_READ_ONLY));
    assert_string_equal(err->message, expected);
    testutil_store_remove(dir);
}

static void
test_domain_names(void **state)
{
    const char *good[] = { "a", "web-01", "db_vm.2", "A9", "x-", "_x",
                           "0123456789012345678901234567890123456789012345678901234567890123" };
    const char *bad[] = { "", ".hidden", "-x", "a/b", "a b", "..", "a\nb", "é",
                          "01234567890123456789012345678901234567890123456789012345678901234" };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        if (vsh_domain_name_check(good[i], NULL) < 0)
            fail_msg("'%s' was refused", good[i]);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;

        if (vsh_domain_name_check(bad[i], &err) == 0)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    }
    assert_int_equal(vsh_domain_name_check(NULL, NULL), -1);
}

/* A bad name never reaches the file system: looking up "../x" must not find a file
 * "config/x.xml" outside the domains directory. */
static void
test_lookup_with_a_path_as_name_finds_nothing(void **state)
{
    g_autofree char *dir = testutil_store_new();
    g_autoptr(vsh_conn) conn = testutil_open("vsh", dir);
    g_autofree char *xml = testutil_qemu_xml("x", NULL, NULL);
    g_autofree char *outside = g_build_filename(dir, "config", "x.xml", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_domain) dom = NULL;

    (void) state;
    assert_true(g_file_set_contents(outside, xml, -1, NULL));
    dom = vsh_domain_lookup_by_name(conn, "../x", &err);
    assert_null(dom);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_NO_DOMAIN));
    assert_string_equal(err->message, "no domain with matching name '../x'");
    testutil_store_remove(dir);
}

/* Host facts, and a capabilities document libvirt's own schema accepts. */
static void
test_host_facts_and_capabilities(void **state)
{
    g_autoptr(vsh_conn) conn = vsh_conn_open("qemu:///system", VSH_CONN_READ_ONLY, NULL);
    g_autofree char *hostname = vsh_conn_get_hostname(conn, NULL);
    g_autofree char *caps = vsh_conn_get_capabilities(conn, NULL);
    g_autofree char *dir = testutil_store_new();
    g_autofree char *path = g_build_filename(dir, "caps.xml", NULL);
    const char *validate = g_getenv("VIRT_XML_VALIDATE");
    vsh_node_info info;
    unsigned int major;
    unsigned int minor;
    unsigned int micro;
    int status = -1;

    (void) state;
    assert_string_equal(hostname, g_get_host_name());
    assert_int_equal(vsh_conn_get_node_info(conn, &info, NULL), 0);
    assert_int_equal(info.cpus, sysconf(_SC_NPROCESSORS_ONLN));
    assert_true(info.memory_kib > 0);
    assert_int_equal(info.nodes * info.sockets * info.cores * info.threads <= info.cpus, 1);
    assert_non_null(strstr(caps, "<os_type>hvm</os_type>"));
    assert_non_null(strstr(caps, "<domain type='qemu'/>"));
    assert_null(strstr(caps, "type='lxc'"));    /* this connection serves qemu only */
    if (validate && *validate) {
        const char *argv[] = { validate, path, "capability", NULL };

        assert_true(g_file_set_contents(path, caps, -1, NULL));
        assert_true(g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                                 G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, NULL, NULL, &status, NULL));
        assert_int_equal(status, 0);
    }
    assert_string_equal(vsh_version_string(), PACKAGE_VERSION);
    assert_int_equal(sscanf(PACKAGE_VERSION, "%u.%u.%u", &major, &minor, &micro), 3);
    assert_int_equal(vsh_version_number(), major * 1000000 + minor * 1000 + micro);
    testutil_store_remove(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_uris_and_aliases),
        cmocka_unit_test(test_system_uri_uses_the_system_store),
        cmocka_unit_test(test_embed_uri_creates_the_store_layout),
        cmocka_unit_test(test_embed_uri_is_percent_decoded_and_canonical),
        cmocka_unit_test(test_bad_uris_fail_with_a_clear_message),
        cmocka_unit_test(test_uri_naming_a_driver_not_here_fails),
        cmocka_unit_test(test_default_uri_comes_from_the_environment),
        cmocka_unit_test(test_read_only_connection_refuses_changes_and_creates_nothing),
        cmocka_unit_test(test_domain_names),
        cmocka_unit_test(test_lookup_with_a_path_as_name_finds_nothing),
        cmocka_unit_test(test_host_facts_and_capabilities),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
