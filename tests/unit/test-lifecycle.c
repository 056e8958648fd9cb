/*
 * test-lifecycle.c — every lifecycle transition, legal and illegal, on qemu-stub domains;
 * definitions, lookups, lists, live and config changes, read-only refusals.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "core-testutil.h"
#include "driver.h"
#include "internal.h"
#include "store.h"
#include "util/file.h"

extern const vsh_driver vsh_qemu_stub_driver;

#define UUID_A "6f0e5b8e-4a8d-4c45-9d2a-1b8f27f7c001"
#define UUID_B "6f0e5b8e-4a8d-4c45-9d2a-1b8f27f7c002"

typedef testutil_fixture fixture;

/* A qemu-stub domain with @interfaces (XML, or NULL) in its devices. */
static vsh_domain *
define_full(vsh_conn *conn, const char *name, const char *uuid, const char *interfaces)
{
    g_autofree char *xml = testutil_qemu_xml(name, uuid, interfaces);
    g_autoptr(GError) err = NULL;
    vsh_domain *dom = vsh_domain_define_xml(conn, xml, "test.xml", &err);

    if (!dom)
        fail_msg("cannot define '%s': %s", name, err->message);
    return dom;
}

static vsh_domain *
define(vsh_conn *conn, const char *name, const char *uuid)
{
    return define_full(conn, name, uuid, NULL);
}

static void
assert_state(vsh_domain *dom, int state, int reason)
{
    g_autoptr(GError) err = NULL;
    int s = -1;
    int r = -1;

    if (vsh_domain_get_state(dom, &s, &r, &err) < 0)
        fail_msg("cannot get the state: %s", err->message);
    if (s != state || r != reason)
        fail_msg("state %s (%s), expected %s (%s)", vsh_domain_state_to_string(s),
                 vsh_domain_state_reason_to_string(s, r), vsh_domain_state_to_string(state),
                 vsh_domain_state_reason_to_string(state, reason));
}

static void
assert_error(GError *err, int code, const char *message)
{
    assert_non_null(err);
    if (!g_error_matches(err, VSH_ERROR, code))
        fail_msg("error code %d (%s), expected %d", err->code, err->message, code);
    assert_string_equal(err->message, message);
}

/* ---------------------------------------------------------------- the transition table */

typedef enum { OP_START, OP_SHUTDOWN, OP_DESTROY, OP_REBOOT, OP_SUSPEND, OP_RESUME } op;
typedef enum { AT_SHUTOFF, AT_RUNNING, AT_PAUSED } at;

static const char *const op_names[] = {
    "start", "shutdown", "destroy", "reboot", "suspend", "resume" };

static int
run_op(vsh_domain *dom, op o, GError **error)
{
    switch (o) {
    case OP_START:
        return vsh_domain_start(dom, 0, error);
    case OP_SHUTDOWN:
        return vsh_domain_shutdown(dom, error);
    case OP_DESTROY:
        return vsh_domain_destroy(dom, error);
    case OP_REBOOT:
        return vsh_domain_reboot(dom, error);
    case OP_SUSPEND:
        return vsh_domain_suspend(dom, error);
    case OP_RESUME:
        return vsh_domain_resume(dom, error);
    }
    return -1;
}

typedef struct {
    at from;
    op o;
    int state;                  /* expected state afterwards (-1: an error is expected) */
    int reason;
    int code;                   /* expected error */
    const char *message;
} transition;

static const transition transitions[] = {
    { AT_SHUTOFF, OP_START, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED, 0, NULL },
    { AT_SHUTOFF, OP_SHUTDOWN, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running" },
    { AT_SHUTOFF, OP_DESTROY, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running" },
    { AT_SHUTOFF, OP_REBOOT, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running" },
    { AT_SHUTOFF, OP_SUSPEND, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running" },
    { AT_SHUTOFF, OP_RESUME, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running" },
    { AT_RUNNING, OP_START, -1, 0, VSH_ERROR_OPERATION_INVALID,
      "domain 't' is already running" },
    { AT_RUNNING, OP_SHUTDOWN, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_SHUTDOWN, 0, NULL },
    { AT_RUNNING, OP_DESTROY, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_DESTROYED, 0, NULL },
    { AT_RUNNING, OP_REBOOT, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED, 0, NULL },
    { AT_RUNNING, OP_SUSPEND, VSH_DOMAIN_PAUSED, VSH_DOMAIN_PAUSED_USER, 0, NULL },
    { AT_RUNNING, OP_RESUME, -1, 0, VSH_ERROR_OPERATION_INVALID, "domain 't' is not paused" },
    { AT_PAUSED, OP_START, -1, 0, VSH_ERROR_OPERATION_INVALID,
      "domain 't' is already running" },
    { AT_PAUSED, OP_SHUTDOWN, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_SHUTDOWN, 0, NULL },
    { AT_PAUSED, OP_DESTROY, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_DESTROYED, 0, NULL },
    { AT_PAUSED, OP_REBOOT, VSH_DOMAIN_PAUSED, VSH_DOMAIN_PAUSED_USER, 0, NULL },
    { AT_PAUSED, OP_SUSPEND, -1, 0, VSH_ERROR_OPERATION_INVALID,
      "domain 't' is already paused" },
    { AT_PAUSED, OP_RESUME, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_UNPAUSED, 0, NULL },
};

static void
bring_to(vsh_domain *dom, at where)
{
    if (where == AT_SHUTOFF)
        return;
    assert_int_equal(vsh_domain_start(dom, where == AT_PAUSED ? VSH_DOMAIN_START_PAUSED : 0,
                                      NULL), 0);
}

static void
test_every_transition(void **state)
{
    fixture *f = *state;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(transitions); i++) {
        const transition *t = &transitions[i];
        g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
        g_autoptr(GError) err = NULL;
        int id_before;
        int ret;

        print_message("# %s from %d\n", op_names[t->o], t->from);
        bring_to(dom, t->from);
        id_before = vsh_domain_get_id(dom);
        ret = run_op(dom, t->o, &err);
        if (t->state < 0) {
            assert_int_equal(ret, -1);
            assert_error(err, t->code, t->message);
        } else {
            if (ret < 0)
                fail_msg("%s failed: %s", op_names[t->o], err->message);
            assert_state(dom, t->state, t->reason);
        }
        /* A reboot or a refused operation keeps the id; stopping clears it. */
        if (t->o == OP_REBOOT || t->state < 0)
            assert_int_equal(vsh_domain_get_id(dom), id_before);
        if (t->state == VSH_DOMAIN_SHUTOFF)
            assert_int_equal(vsh_domain_get_id(dom), -1);
        if (vsh_domain_is_active(dom, NULL) == 1)
            assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
        assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    }
}

/* shutdown's ways: virsh's words, a flag no one knows, a way the driver does not have */
static void
test_shutdown_modes(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) err = NULL;

    assert_string_equal(vsh_domain_shutdown_mode_to_string(VSH_DOMAIN_SHUTDOWN_ACPI), "acpi");
    assert_string_equal(vsh_domain_shutdown_mode_to_string(VSH_DOMAIN_SHUTDOWN_INITCTL),
                        "initctl");
    assert_string_equal(vsh_domain_shutdown_mode_to_string(VSH_DOMAIN_SHUTDOWN_PARAVIRT),
                        "paravirt");
    assert_null(vsh_domain_shutdown_mode_to_string(1 << 5));
    assert_null(vsh_domain_shutdown_mode_to_string(VSH_DOMAIN_SHUTDOWN_ACPI |
                                                   VSH_DOMAIN_SHUTDOWN_AGENT));
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_shutdown_flags(dom, 1 << 7, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "unknown shutdown flags 0x80");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_shutdown_flags(dom, VSH_DOMAIN_SHUTDOWN_ACPI |
                                                    VSH_DOMAIN_SHUTDOWN_SIGNAL, &err), -1);
    assert_error(err, VSH_ERROR_UNSUPPORTED, "the qemu driver cannot shut domains down by signal");
    assert_state(dom, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    g_clear_error(&err);
    /* reboot takes the same ways: the stub's guest obeys acpi and agent at once */
    assert_int_equal(vsh_domain_reboot_flags(dom, 1 << 7, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "unknown reboot flags 0x80");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_reboot_flags(dom, VSH_DOMAIN_SHUTDOWN_INITCTL, &err), -1);
    assert_error(err, VSH_ERROR_UNSUPPORTED, "the qemu driver cannot reboot domains by initctl");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_reboot_flags(dom, VSH_DOMAIN_SHUTDOWN_ACPI, NULL), 0);
    assert_state(dom, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vsh_domain_shutdown_flags(dom, VSH_DOMAIN_SHUTDOWN_AGENT, NULL), 0);
    assert_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_SHUTDOWN);
    assert_int_equal(vsh_domain_reboot_flags(dom, VSH_DOMAIN_SHUTDOWN_ACPI, &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
}

/* desc: the title and description of either definition, set and removed */
static void
test_metadata_of_either_definition(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *got = NULL;

    assert_null(vsh_domain_get_metadata(dom, VSH_DOMAIN_METADATA_TITLE, 0, &err));
    assert_null(err);
    assert_int_equal(vsh_domain_set_metadata(dom, VSH_DOMAIN_METADATA_DESCRIPTION,
                                             "two\nlines", 0, NULL), 0);
    got = vsh_domain_get_metadata(dom, VSH_DOMAIN_METADATA_DESCRIPTION, 0, NULL);
    assert_string_equal(got, "two\nlines");
    g_clear_pointer(&got, g_free);
    assert_int_equal(vsh_domain_set_metadata(dom, VSH_DOMAIN_METADATA_TITLE, "a\nb", 0, &err),
                     -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "a title is one line: it cannot contain a line "
                 "break");
    g_clear_error(&err);
    assert_null(vsh_domain_get_metadata(dom, 7, 0, &err));
    assert_error(err, VSH_ERROR_INVALID_ARG, "unknown metadata type 7");
    g_clear_error(&err);
    assert_null(vsh_domain_get_metadata(dom, VSH_DOMAIN_METADATA_TITLE,
                                        VSH_DOMAIN_AFFECT_LIVE, &err));
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
    g_clear_error(&err);

    /* running: CURRENT is the live definition; CONFIG the persistent one, kept apart */
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_metadata(dom, VSH_DOMAIN_METADATA_TITLE, "live", 0,
                                             NULL), 0);
    assert_int_equal(vsh_domain_set_metadata(dom, VSH_DOMAIN_METADATA_TITLE, "next",
                                             VSH_DOMAIN_AFFECT_CONFIG, NULL), 0);
    got = vsh_domain_get_title(dom, NULL);
    assert_string_equal(got, "live");
    g_clear_pointer(&got, g_free);
    got = vsh_domain_get_metadata(dom, VSH_DOMAIN_METADATA_TITLE, VSH_DOMAIN_AFFECT_CONFIG,
                                  NULL);
    assert_string_equal(got, "next");
    g_clear_pointer(&got, g_free);
    assert_null(vsh_domain_get_metadata(dom, VSH_DOMAIN_METADATA_TITLE,
                                        VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG,
                                        &err));
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    g_clear_error(&err);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    got = vsh_domain_get_title(dom, NULL);
    assert_string_equal(got, "next");
    g_clear_pointer(&got, g_free);

    /* an empty text removes it */
    assert_int_equal(vsh_domain_set_metadata(dom, VSH_DOMAIN_METADATA_TITLE, "", 0, NULL), 0);
    assert_null(vsh_domain_get_title(dom, &err));
    assert_null(err);
}

/* The interfaces' MACs of the definition @flags names (as vsh_domain_get_interfaces), one
 * string "mac1 mac2". */
static char *
interface_macs(vsh_domain *dom, unsigned int flags)
{
    g_autoptr(GArray) ifaces = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    guint i;

    if (vsh_domain_get_interfaces(dom, flags, &ifaces, NULL) < 0)
        fail_msg("cannot list the interfaces");
    for (i = 0; i < ifaces->len; i++)
        g_string_append_printf(out, "%s%s", i ? " " : "",
                               g_array_index(ifaces, vsh_domain_interface, i).mac);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
assert_macs(vsh_domain *dom, unsigned int flags, const char *expected)
{
    g_autofree char *got = interface_macs(dom, flags);

    assert_string_equal(got, expected);
}

#define NIC_A "<interface type='bridge'>\n  <source bridge='br0'/>\n" \
    "  <mac address='52:54:00:00:00:0A'/>\n</interface>\n"
#define NIC_B "<interface type='bridge'><source bridge='br1'/>" \
    "<mac address='52:54:00:00:00:0b'/></interface>"

/* attach-device and detach-device: either definition, both checked before either changes,
 * devices found as virsh finds them, errors that name the device file's line */
static void
test_attach_and_detach_devices(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *xml = NULL;
    const unsigned int both = VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG;

    /* shut off: CURRENT is the definition; LIVE is refused */
    assert_int_equal(vsh_domain_attach_device(dom, NIC_A, "a.xml", VSH_DOMAIN_AFFECT_LIVE,
                                              &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_attach_device(dom, NIC_A, "a.xml", 0, NULL), 0);
    assert_macs(dom, 0, "52:54:00:00:00:0a");

    /* bad elements: the file's line, and nothing written */
    before = vsh_domain_get_xml(dom, 0, NULL);
    assert_int_equal(vsh_domain_attach_device(dom, "<interface type='bridge'>\n"
                                              "  <source bridge='br0'/>\n  <bogus/>\n"
                                              "</interface>\n", "bad.xml", 0, &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_int_equal(vsh_error_line(err), 3);
    assert_true(g_str_has_prefix(err->message, "bad.xml:3: "));
    g_clear_error(&err);
    assert_int_equal(vsh_domain_attach_device(dom, "<console type='pty'/>", "c.xml", 0, &err),
                     -1);
    assert_error(err, VSH_ERROR_INVALID_XML, "c.xml:1: /console: unsupported device 'console' "
                 "(expected 'interface', 'filesystem' or 'disk')");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_attach_device(dom, "<interface type='bridge'>", "m.xml", 0,
                                              &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    g_clear_error(&err);
    assert_int_equal(vsh_domain_attach_device(dom, NULL, NULL, 0, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "no device to attach");
    g_clear_error(&err);
    /* a disk whose target the domain has: the definition would be invalid */
    assert_int_equal(vsh_domain_attach_device(dom, "<disk type='file'><source file='/x'/>"
                                              "<target dev='vda'/></disk>", "d.xml", 0, NULL),
                     0);
    assert_int_equal(vsh_domain_attach_device(dom, "<disk type='file'><source file='/y'/>"
                                              "<target dev='vda'/></disk>", "d2.xml", 0, &err),
                     -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_non_null(strstr(err->message, "vda"));
    g_clear_error(&err);
    assert_int_equal(vsh_domain_detach_device(dom, "<disk type='file'><target dev='vda'/>"
                                              "</disk>", NULL, 0, NULL), 0);
    after = vsh_domain_get_xml(dom, 0, NULL);
    assert_string_equal(after, before);

    /* running: the live definition alone, or both */
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_attach_device(dom, NIC_B, NULL, 0, NULL), 0);
    assert_macs(dom, 0, "52:54:00:00:00:0a 52:54:00:00:00:0b");
    assert_macs(dom, VSH_DOMAIN_XML_INACTIVE, "52:54:00:00:00:0a");
    /* the stub names the new tap device as at start */
    xml = vsh_domain_get_xml(dom, 0, NULL);
    assert_non_null(strstr(xml, "<target dev='vnet1'/>"));
    g_clear_pointer(&xml, g_free);
    /* both definitions: refused in both when one cannot take it, so neither changes */
    assert_int_equal(vsh_domain_detach_device(dom, NIC_B, NULL, both, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "domain 't' has no interface with MAC address "
                 "52:54:00:00:00:0b");
    g_clear_error(&err);
    assert_macs(dom, 0, "52:54:00:00:00:0a 52:54:00:00:00:0b");
    /* no MAC: matched on what is given; two on br0 cannot be told apart */
    assert_int_equal(vsh_domain_attach_device(dom, "<interface type='bridge'><source "
                                              "bridge='br0'/></interface>", NULL, both, NULL),
                     0);
    assert_int_equal(vsh_domain_detach_device(dom, "<interface type='bridge'><source "
                                              "bridge='br0'/></interface>", NULL, 0, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "running domain 't' has more than one interface "
                 "on bridge 'br0': give its MAC address");
    g_clear_error(&err);
    assert_int_equal(vsh_domain_detach_device(dom, "<interface type='bridge'><source "
                                              "bridge='br1'/></interface>", NULL, 0, NULL), 0);
    /* MACs are found whatever their case */
    assert_int_equal(vsh_domain_detach_device(dom, "<interface type='bridge'><mac "
                                              "address='52:54:00:00:00:0A'/></interface>",
                                              NULL, both, NULL), 0);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    /* the one attached to both definitions is what is left */
    g_free(after);
    after = interface_macs(dom, 0);
    assert_int_equal(strlen(after), 17);
    assert_false(g_str_has_prefix(after, "52:54:00:00:00:0a"));
}

static void
test_new_domain_is_shut_off_with_no_id(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", UUID_A);
    char uuid[VSH_UUID_STRING_BUFLEN];

    assert_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_UNKNOWN);
    assert_int_equal(vsh_domain_get_id(dom), -1);
    assert_string_equal(vsh_domain_get_name(dom), "t");
    assert_string_equal(vsh_domain_get_type(dom), "qemu");
    vsh_domain_get_uuid_string(dom, uuid);
    assert_string_equal(uuid, UUID_A);
    assert_int_equal(vsh_domain_is_active(dom, NULL), 0);
    assert_int_equal(vsh_domain_is_persistent(dom, NULL), 1);
}

static void
test_state_words_are_virsh_words(void **state)
{
    (void) state;
    assert_string_equal(vsh_domain_state_to_string(VSH_DOMAIN_SHUTOFF), "shut off");
    assert_string_equal(vsh_domain_state_to_string(VSH_DOMAIN_RUNNING), "running");
    assert_string_equal(vsh_domain_state_to_string(VSH_DOMAIN_PAUSED), "paused");
    assert_string_equal(vsh_domain_state_to_string(VSH_DOMAIN_NOSTATE), "no state");
    assert_string_equal(vsh_domain_state_reason_to_string(VSH_DOMAIN_SHUTOFF,
                                                          VSH_DOMAIN_SHUTOFF_DESTROYED),
                        "destroyed");
    assert_string_equal(vsh_domain_state_reason_to_string(VSH_DOMAIN_RUNNING,
                                                          VSH_DOMAIN_RUNNING_BOOTED), "booted");
    assert_string_equal(vsh_domain_state_reason_to_string(VSH_DOMAIN_PAUSED,
                                                          VSH_DOMAIN_PAUSED_USER), "user");
    assert_string_equal(vsh_domain_state_reason_to_string(VSH_DOMAIN_SHUTOFF, 99), "unknown");
}

/* ---------------------------------------------------------------- define and undefine */

static void
test_define_refuses_a_taken_name_or_uuid(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) a = define(f->conn, "a", UUID_A);
    g_autofree char *same_name = testutil_qemu_xml("a", UUID_B, NULL);
    g_autofree char *same_uuid = testutil_qemu_xml("b", UUID_A, NULL);
    g_autoptr(GError) err1 = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autoptr(GPtrArray) list = NULL;

    assert_null(vsh_domain_define_xml(f->conn, same_name, NULL, &err1));
    assert_error(err1, VSH_ERROR_DOMAIN_EXISTS, "domain 'a' already exists with uuid " UUID_A);
    assert_null(vsh_domain_define_xml(f->conn, same_uuid, NULL, &err2));
    assert_error(err2, VSH_ERROR_DOMAIN_EXISTS, "domain 'a' already has uuid " UUID_A);
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, 0, &list, NULL), 1);
}

static void
test_redefine_with_the_same_uuid_updates(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) a = define(f->conn, "a", UUID_A);
    g_autofree char *xml = testutil_qemu_xml("a", UUID_A, NULL);
    g_auto(GStrv) parts = g_strsplit(xml, "<memory unit='MiB'>512</memory>", 2);
    g_autofree char *bigger = g_strjoinv("<memory unit='MiB'>1024</memory>", parts);
    g_autoptr(vsh_domain) again = NULL;
    vsh_domain_info info;

    again = vsh_domain_define_xml(f->conn, bigger, NULL, NULL);
    assert_non_null(again);
    assert_int_equal(vsh_domain_get_info(a, &info, NULL), 0);
    assert_int_equal(info.max_memory_kib, 1024 * 1024);
}

static void
test_invalid_xml_writes_nothing(void **state)
{
    fixture *f = *state;
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autoptr(GPtrArray) list = NULL;
    const char *exe = "<domain type='qemu'><name>e</name><memory>1024</memory>"
                      "<os><type>exe</type><init>/sbin/init</init></os></domain>";

    assert_null(vsh_domain_define_xml(f->conn, "<domain type='qemu'><name>x</name>",
                                      "bad.xml", &err));
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_non_null(strstr(err->message, "bad.xml"));
    assert_null(vsh_domain_define_xml(f->conn, exe, NULL, &err2));
    assert_true(g_error_matches(err2, VSH_ERROR, VSH_ERROR_INVALID_XML));
    assert_non_null(strstr(err2->message, "hvm"));
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, 0, &list, NULL), 0);
}

static void
test_undefine_running_domain_makes_it_transient(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autoptr(vsh_domain) gone = NULL;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    assert_int_equal(vsh_domain_is_persistent(dom, NULL), 0);
    assert_state(dom, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vsh_domain_undefine(dom, &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "cannot undefine transient domain 't'");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    gone = vsh_domain_lookup_by_name(f->conn, "t", &err2);
    assert_null(gone);
    assert_error(err2, VSH_ERROR_NO_DOMAIN, "no domain with matching name 't'");
}

static void
test_create_makes_a_transient_domain_that_vanishes(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = testutil_qemu_xml("tr", NULL, NULL);
    g_autoptr(vsh_domain) dom = vsh_domain_create_xml(f->conn, xml, NULL, 0, NULL);
    g_autoptr(vsh_domain) paused = NULL;
    g_autofree char *xml2 = testutil_qemu_xml("tp", NULL, NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    bool autostart = true;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_is_persistent(dom, NULL), 0);
    assert_state(dom, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_true(vsh_domain_get_id(dom) > 0);
    assert_int_equal(vsh_domain_set_autostart(dom, true, &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID,
                 "cannot set autostart for transient domain 'tr'");
    assert_int_equal(vsh_domain_get_autostart(dom, &autostart, NULL), 0);
    assert_false(autostart);
    assert_null(vsh_domain_create_xml(f->conn, xml, NULL, 0, &err2));
    assert_true(g_error_matches(err2, VSH_ERROR, VSH_ERROR_DOMAIN_EXISTS));
    assert_true(g_str_has_prefix(err2->message, "domain 'tr' already exists"));
    assert_int_equal(vsh_domain_shutdown(dom, NULL), 0);
    assert_null(vsh_domain_lookup_by_name(f->conn, "tr", NULL));
    paused = vsh_domain_create_xml(f->conn, xml2, NULL, VSH_DOMAIN_START_PAUSED, NULL);
    assert_non_null(paused);
    assert_state(paused, VSH_DOMAIN_PAUSED, VSH_DOMAIN_PAUSED_USER);
    assert_int_equal(vsh_domain_destroy(paused, NULL), 0);
}

static void
test_handle_of_an_undefined_domain_finds_nothing(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", UUID_A);
    g_autoptr(vsh_domain) other = NULL;
    g_autoptr(GError) err = NULL;

    assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    assert_int_equal(vsh_domain_start(dom, 0, &err), -1);
    assert_error(err, VSH_ERROR_NO_DOMAIN, "no domain with matching name 't'");
    /* Same name, new uuid: another domain, which the old handle must not touch. */
    other = define(f->conn, "t", UUID_B);
    assert_int_equal(vsh_domain_is_active(dom, NULL), -1);
}

/* ---------------------------------------------------------------- lookups and lists */

static void
test_lookups_by_name_uuid_and_id(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", UUID_A);
    g_autoptr(vsh_domain) by_uuid = NULL;
    g_autoptr(vsh_domain) by_id = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autoptr(GError) err3 = NULL;
    g_autofree char *msg = NULL;
    int id;

    by_uuid = vsh_domain_lookup_by_uuid_string(f->conn, UUID_A, NULL);
    assert_non_null(by_uuid);
    assert_string_equal(vsh_domain_get_name(by_uuid), "t");
    assert_null(vsh_domain_lookup_by_uuid_string(f->conn, UUID_B, &err));
    assert_error(err, VSH_ERROR_NO_DOMAIN, "no domain with matching uuid '" UUID_B "'");
    assert_null(vsh_domain_lookup_by_uuid_string(f->conn, "nope", &err2));
    assert_error(err2, VSH_ERROR_INVALID_ARG, "invalid uuid 'nope'");
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    id = vsh_domain_get_id(dom);
    by_id = vsh_domain_lookup_by_id(f->conn, id, NULL);
    assert_non_null(by_id);
    assert_string_equal(vsh_domain_get_name(by_id), "t");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_null(vsh_domain_lookup_by_id(f->conn, id, &err3));
    msg = g_strdup_printf("no domain with matching id %d", id);
    assert_error(err3, VSH_ERROR_NO_DOMAIN, msg);
}

static char *
list_names(vsh_conn *conn, const char *type, unsigned int flags)
{
    g_autoptr(GPtrArray) doms = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    guint i;

    assert_true(vsh_conn_list_domains(conn, type, flags, &doms, NULL) >= 0);
    for (i = 0; i < doms->len; i++)
        g_string_append_printf(out, "%s%s", i ? "," : "", vsh_domain_get_name(doms->pdata[i]));
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
test_list_filters_as_libvirt(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) off = define(f->conn, "off", NULL);
    g_autoptr(vsh_domain) on = define(f->conn, "on", NULL);
    g_autofree char *xml = testutil_qemu_xml("tr", NULL, NULL);
    g_autoptr(vsh_domain) tr = vsh_domain_create_xml(f->conn, xml, NULL, 0, NULL);
    struct { unsigned int flags; const char *type; const char *expected; } cases[] = {
        { 0, NULL, "off,on,tr" },
        { VSH_LIST_ACTIVE, NULL, "on,tr" },
        { VSH_LIST_INACTIVE, NULL, "off" },
        { VSH_LIST_ACTIVE | VSH_LIST_INACTIVE, NULL, "off,on,tr" },
        { VSH_LIST_PERSISTENT, NULL, "off,on" },
        { VSH_LIST_TRANSIENT, NULL, "tr" },
        { VSH_LIST_ACTIVE | VSH_LIST_PERSISTENT, NULL, "on" },
        { VSH_LIST_AUTOSTART, NULL, "off" },
        { VSH_LIST_NO_AUTOSTART, NULL, "on,tr" },
        { VSH_LIST_RUNNING, NULL, "on" },
        { VSH_LIST_PAUSED, NULL, "tr" },
        { VSH_LIST_SHUTOFF, NULL, "off" },
        { VSH_LIST_RUNNING | VSH_LIST_PAUSED, NULL, "on,tr" },
        { VSH_LIST_OTHER, NULL, "" },
        { VSH_LIST_ACTIVE | VSH_LIST_SHUTOFF, NULL, "" },
        { VSH_LIST_PERSISTENT | VSH_LIST_RUNNING | VSH_LIST_SHUTOFF, NULL, "off,on" },
        { 0, "qemu", "off,on,tr" },
        { 0, "lxc", "" },
    };
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) doms = NULL;
    size_t i;

    assert_non_null(tr);
    assert_int_equal(vsh_domain_start(on, 0, NULL), 0);
    assert_int_equal(vsh_domain_suspend(tr, NULL), 0);
    assert_int_equal(vsh_domain_set_autostart(off, true, NULL), 0);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = list_names(f->conn, cases[i].type, cases[i].flags);

        assert_string_equal(got, cases[i].expected);
    }
    assert_int_equal(vsh_conn_list_domains(f->conn, "xen", 0, &doms, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "unknown domain type 'xen'");
    assert_int_equal(vsh_domain_destroy(on, NULL), 0);
    assert_int_equal(vsh_domain_destroy(tr, NULL), 0);
}

static void
test_autostart_is_a_link_to_the_definition(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autofree char *link = g_build_filename(f->dir, "config", "autostart", "t", NULL);
    g_autofree char *target = NULL;
    bool autostart = false;

    assert_int_equal(vsh_domain_set_autostart(dom, true, NULL), 0);
    assert_int_equal(vsh_domain_get_autostart(dom, &autostart, NULL), 0);
    assert_true(autostart);
    target = g_file_read_link(link, NULL);
    assert_string_equal(target, "../domains/t.xml");
    assert_int_equal(vsh_domain_set_autostart(dom, false, NULL), 0);
    assert_int_equal(vsh_domain_get_autostart(dom, &autostart, NULL), 0);
    assert_false(autostart);
    assert_false(g_file_test(link, G_FILE_TEST_EXISTS));
    assert_int_equal(vsh_domain_set_autostart(dom, true, NULL), 0);
    assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    assert_false(g_file_test(link, G_FILE_TEST_EXISTS));
}

static void
test_autostart_domains_come_back(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) a = define(f->conn, "a", NULL);
    g_autoptr(vsh_domain) b = define(f->conn, "b", NULL);
    g_autoptr(vsh_domain) c = define(f->conn, "c", NULL);
    g_autofree char *broken_xml = testutil_qemu_xml("broken", NULL,
                                                    "    <disk type='file' device='disk'>\n"
                                                    "      <source file='/nonexistent/b.img'/>\n"
                                                    "      <target dev='vda'/>\n"
                                                    "    </disk>\n");
    g_autoptr(vsh_domain) broken = vsh_domain_define_xml(f->conn, broken_xml, NULL, NULL);
    g_autoptr(GError) err = NULL;

    assert_non_null(broken);
    assert_int_equal(vsh_domain_set_autostart(a, true, NULL), 0);
    assert_int_equal(vsh_domain_set_autostart(b, true, NULL), 0);
    assert_int_equal(vsh_domain_start(b, 0, NULL), 0);
    assert_int_equal(vsh_conn_start_autostart_domains(f->conn, NULL), 1);
    assert_state(a, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_state(c, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_UNKNOWN);
    /* a domain that cannot start is reported, after the others were started */
    assert_int_equal(vsh_domain_destroy(a, NULL), 0);
    assert_int_equal(vsh_domain_set_autostart(broken, true, NULL), 0);
    assert_int_equal(vsh_conn_start_autostart_domains(f->conn, &err), -1);
    assert_true(g_str_has_prefix(err->message, "domain 'broken': cannot access disk source"));
    assert_state(a, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vsh_domain_destroy(a, NULL), 0);
    assert_int_equal(vsh_domain_destroy(b, NULL), 0);
}

/* ---------------------------------------------------------------- XML, info, changes */

static void
test_live_and_inactive_xml(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autofree char *inactive = NULL;
    g_autofree char *live = NULL;
    g_autofree char *id_attr = NULL;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_memory(dom, 128 * 1024, VSH_DOMAIN_AFFECT_LIVE, NULL), 0);
    live = vsh_domain_get_xml(dom, 0, NULL);
    inactive = vsh_domain_get_xml(dom, VSH_DOMAIN_XML_INACTIVE, NULL);
    id_attr = g_strdup_printf("<domain type='qemu' id='%d'>", vsh_domain_get_id(dom));
    assert_non_null(strstr(live, id_attr));
    assert_non_null(strstr(live, "<currentMemory unit='KiB'>131072</currentMemory>"));
    assert_null(strstr(inactive, " id='"));
    assert_non_null(strstr(inactive, "<currentMemory unit='KiB'>262144</currentMemory>"));
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

static void
test_set_memory_live_config_and_current(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    g_autoptr(GError) e3 = NULL;
    g_autoptr(GError) e4 = NULL;
    vsh_domain_info info;

    /* inactive: CURRENT is CONFIG, LIVE is refused */
    assert_int_equal(vsh_domain_set_memory(dom, 300 * 1024, VSH_DOMAIN_AFFECT_LIVE, &e1), -1);
    assert_error(e1, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
    assert_int_equal(vsh_domain_set_memory(dom, 300 * 1024, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.memory_kib, 300 * 1024);
    assert_int_equal(vsh_domain_set_memory(dom, 513 * 1024, 0, &e2), -1);
    assert_error(e2, VSH_ERROR_INVALID_ARG, "cannot set the memory of domain 't' to 525312 KiB: "
                 "its maximum is 524288 KiB");
    /* running: CURRENT is LIVE and leaves the definition alone */
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_memory(dom, 100 * 1024, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.memory_kib, 100 * 1024);
    assert_int_equal(vsh_domain_set_memory(dom, 200 * 1024,
                                           VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG,
                                           NULL), 0);
    assert_int_equal(vsh_domain_set_memory(dom, 0, 0, &e3), -1);
    assert_error(e3, VSH_ERROR_INVALID_ARG, "memory size must be greater than zero");
    assert_int_equal(vsh_domain_set_max_memory(dom, 1024 * 1024, 0, &e4), -1);
    assert_error(e4, VSH_ERROR_UNSUPPORTED, "cannot change the maximum memory of running "
                 "domain 't'");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.memory_kib, 200 * 1024);
    g_clear_error(&e4);
    assert_int_equal(vsh_domain_set_max_memory(dom, VSH_MEMORY_UNLIMITED + 1, 0, &e4), -1);
    assert_error(e4, VSH_ERROR_INVALID_ARG, "memory size must be at most 9007199254740991 KiB");
    /* a smaller maximum pulls the current allocation down with it */
    assert_int_equal(vsh_domain_set_max_memory(dom, 150 * 1024, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.max_memory_kib, 150 * 1024);
    assert_int_equal(info.memory_kib, 150 * 1024);
}

static void
test_set_vcpus_within_the_maximum(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    vsh_domain_info info;

    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.nr_vcpus, 2);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_vcpus(dom, 4, VSH_DOMAIN_AFFECT_LIVE, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.nr_vcpus, 4);
    assert_int_equal(vsh_domain_set_vcpus(dom, 5, 0, &e1), -1);
    assert_error(e1, VSH_ERROR_INVALID_ARG, "cannot set 5 vcpus on domain 't': its maximum is 4");
    assert_int_equal(vsh_domain_set_vcpus(dom, 0, 0, &e2), -1);
    assert_error(e2, VSH_ERROR_INVALID_ARG, "the number of vcpus must be at least 1");
    assert_int_equal(vsh_domain_set_vcpus(dom, 1, VSH_DOMAIN_AFFECT_CONFIG, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.nr_vcpus, 4);    /* live unchanged */
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.nr_vcpus, 1);
}

static void
test_sched_params_and_memtune(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    vsh_sched_params sp = { 0 };
    vsh_sched_params set = { .has_cpu_shares = true, .cpu_shares = 512 };
    vsh_sched_params bad = { .has_vcpu_quota = true, .vcpu_quota = 5 };
    vsh_memtune_params mt = { 0 };
    vsh_memtune_params mset = { .has_hard_limit = true, .hard_limit = 400000 };
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;

    assert_int_equal(vsh_domain_get_sched_params(dom, 0, &sp, NULL), 0);
    assert_int_equal(sp.cpu_shares, 1024);
    assert_int_equal(sp.vcpu_period, 100000);
    assert_int_equal(sp.vcpu_quota, -1);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_sched_params(dom, &set, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_sched_params(dom, 0, &sp, NULL), 0);
    assert_int_equal(sp.cpu_shares, 512);
    assert_int_equal(vsh_domain_get_sched_params(dom, VSH_DOMAIN_AFFECT_CONFIG, &sp, NULL), 0);
    assert_int_equal(sp.cpu_shares, 1024);
    assert_int_equal(vsh_domain_set_sched_params(dom, &bad, 0, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG,
                 "vcpu_quota 5 is out of range (-1, or [1000, 17592186044415])");
    assert_int_equal(vsh_domain_get_memtune(dom, 0, &mt, NULL), 0);
    assert_true(mt.hard_limit == VSH_MEMORY_UNLIMITED);
    assert_int_equal(vsh_domain_set_memtune(dom, &mset, VSH_DOMAIN_AFFECT_LIVE |
                                            VSH_DOMAIN_AFFECT_CONFIG, NULL), 0);
    assert_int_equal(vsh_domain_get_memtune(dom, VSH_DOMAIN_AFFECT_CONFIG, &mt, NULL), 0);
    assert_int_equal(mt.hard_limit, 400000);
    assert_int_equal(vsh_domain_get_memtune(dom, VSH_DOMAIN_AFFECT_LIVE |
                                            VSH_DOMAIN_AFFECT_CONFIG, &mt, &err2), -1);
    assert_error(err2, VSH_ERROR_INVALID_ARG,
                 "cannot query the live and the persistent values at once");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

static vsh_blkio_device *
blkio_device(const char *path, int field, guint64 value)
{
    vsh_blkio_device *dev = g_new0(vsh_blkio_device, 1);

    dev->path = g_strdup(path);
    dev->value[field] = value;
    dev->given = 1u << field;
    return dev;
}

/* blkiotune through the library: config and live apart, a device's fields one by one, a
 * device left with nothing dropped, and the ranges refused before anything changes. */
static void
test_blkiotune(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autoptr(GPtrArray) devices =
        g_ptr_array_new_with_free_func((GDestroyNotify) vsh_blkio_device_free);
    vsh_blkiotune_params set = { .has_weight = true, .weight = 500, .devices = devices };
    vsh_blkiotune_params got = { 0 };
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    const vsh_blkio_device *dev;

    g_ptr_array_add(devices, blkio_device("/dev/sda", VSH_BLKIO_DEVICE_WEIGHT, 300));
    g_ptr_array_add(devices, blkio_device("/dev/sda", VSH_BLKIO_DEVICE_READ_BYTES_SEC, 4096));
    assert_int_equal(vsh_domain_set_blkiotune(dom, &set, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_blkiotune(dom, 0, &got, NULL), 0);
    assert_int_equal(got.weight, 500);
    assert_int_equal(got.devices->len, 1);
    dev = g_ptr_array_index(got.devices, 0);
    assert_string_equal(dev->path, "/dev/sda");
    assert_int_equal(dev->value[VSH_BLKIO_DEVICE_WEIGHT], 300);
    assert_int_equal(dev->value[VSH_BLKIO_DEVICE_READ_BYTES_SEC], 4096);
    assert_int_equal(dev->given, (1u << VSH_BLKIO_DEVICE_WEIGHT) |
                                 (1u << VSH_BLKIO_DEVICE_READ_BYTES_SEC));
    vsh_blkiotune_params_clear(&got);

    /* live only, on the running domain */
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    g_ptr_array_set_size(devices, 0);
    g_ptr_array_add(devices, blkio_device("/dev/sda", VSH_BLKIO_DEVICE_WEIGHT, 0));
    g_ptr_array_add(devices, blkio_device("/dev/sda", VSH_BLKIO_DEVICE_READ_BYTES_SEC, 0));
    set.has_weight = false;
    assert_int_equal(vsh_domain_set_blkiotune(dom, &set, VSH_DOMAIN_AFFECT_LIVE, NULL), 0);
    assert_int_equal(vsh_domain_get_blkiotune(dom, 0, &got, NULL), 0);
    assert_int_equal(got.weight, 500);
    assert_int_equal(got.devices->len, 0);
    vsh_blkiotune_params_clear(&got);
    assert_int_equal(vsh_domain_get_blkiotune(dom, VSH_DOMAIN_AFFECT_CONFIG, &got, NULL), 0);
    assert_int_equal(got.devices->len, 1);
    vsh_blkiotune_params_clear(&got);

    set.has_weight = true;
    set.weight = 50;
    assert_int_equal(vsh_domain_set_blkiotune(dom, &set, 0, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, "weight 50 is out of range (100 to 1000)");
    set.weight = 200;
    g_ptr_array_set_size(devices, 0);
    g_ptr_array_add(devices, blkio_device("sdb", VSH_BLKIO_DEVICE_WRITE_IOPS_SEC, 10));
    assert_int_equal(vsh_domain_set_blkiotune(dom, &set, VSH_DOMAIN_AFFECT_CONFIG, &err2), -1);
    assert_error(err2, VSH_ERROR_INVALID_ARG, "device path 'sdb' is not absolute");
    /* the refused change left both definitions as they were */
    assert_int_equal(vsh_domain_get_blkiotune(dom, VSH_DOMAIN_AFFECT_CONFIG, &got, NULL), 0);
    assert_int_equal(got.weight, 500);
    vsh_blkiotune_params_clear(&got);
    vsh_blkiotune_params_clear(NULL);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

static const char *
stat_name(GArray *stats, guint i)
{
    return g_array_index(stats, vsh_stat, i).name;
}

static void
test_stats_use_virsh_names(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    const char *running[] = { "state.state", "state.reason", "cpu.time", "balloon.current",
                              "balloon.maximum", "vcpu.current", "vcpu.maximum",
                              "net.count" };
    g_autoptr(GArray) stats = NULL;
    g_autoptr(GArray) off = NULL;
    g_autoptr(GArray) mem = NULL;
    g_autoptr(GError) err = NULL;
    size_t i;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_stats(dom, &stats, NULL), (int) G_N_ELEMENTS(running));
    for (i = 0; i < G_N_ELEMENTS(running); i++)
        assert_string_equal(stat_name(stats, i), running[i]);
    assert_int_equal(g_array_index(stats, vsh_stat, 0).value, VSH_DOMAIN_RUNNING);
    assert_int_equal(g_array_index(stats, vsh_stat, 3).value, 256 * 1024);
    assert_int_equal(g_array_index(stats, vsh_stat, 4).value, 512 * 1024);
    assert_int_equal(g_array_index(stats, vsh_stat, 5).value, 2);
    assert_int_equal(g_array_index(stats, vsh_stat, 6).value, 4);
    assert_int_equal(g_array_index(stats, vsh_stat, 7).value, 0);
    assert_null(g_array_index(stats, vsh_stat, 7).string);
    assert_true(vsh_domain_get_memory_stats(dom, &mem, NULL) > 0);
    assert_string_equal(stat_name(mem, 0), "actual");
    assert_int_equal(g_array_index(mem, vsh_stat, 0).value, 256 * 1024);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_int_equal(vsh_domain_get_stats(dom, &off, NULL), 6);
    assert_int_equal(g_array_index(off, vsh_stat, 1).value, VSH_DOMAIN_SHUTOFF_DESTROYED);
    g_clear_pointer(&mem, g_array_unref);
    assert_int_equal(vsh_domain_get_memory_stats(dom, &mem, &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
}

/* ---------------------------------------------------------------- interface statistics */

/* The first interface gets its host device from qemu-stub (vnet0), the second names its
 * own; the third shares the second's MAC, so that MAC names no single interface. */
#define IFACES \
    "    <interface type='bridge'>\n" \
    "      <source bridge='br0'/>\n" \
    "      <mac address='52:54:00:ab:cd:01'/>\n" \
    "    </interface>\n" \
    "    <interface type='ethernet'>\n" \
    "      <mac address='52:54:00:ab:cd:02'/>\n" \
    "      <target dev='tap-t'/>\n" \
    "    </interface>\n"
#define IFACE_SAME_MAC \
    "    <interface type='ethernet'>\n" \
    "      <mac address='52:54:00:ab:cd:02'/>\n" \
    "      <target dev='tap-u'/>\n" \
    "    </interface>\n"

/* qemu-stub with a counter hook that says which interface the core asked about: rx_bytes
 * is the last byte of its MAC, tx_packets 34, and it leaves every other counter as the
 * core preset it (unknown). */
static vsh_driver counting_driver;
static const vsh_driver *const counting_drivers[] = { &counting_driver, NULL };

static int
counting_interface_stats(vsh_domain_obj *obj, const vsh_net_def *net,
                         vsh_domain_interface_stats *ret_stats, GError **error)
{
    (void) obj;
    (void) error;
    ret_stats->rx_bytes = g_ascii_strtoll(net->mac + strlen(net->mac) - 2, NULL, 16);
    ret_stats->tx_packets = 34;
    return 0;
}

/* The stub driver with @hook as its interface counter (NULL: it cannot count). */
static int
setup_with_counter(void **state, __typeof__(vsh_qemu_stub_driver.get_interface_stats) hook)
{
    counting_driver = vsh_qemu_stub_driver;
    counting_driver.get_interface_stats = hook;
    vsh_conn_test_set_drivers(counting_drivers);
    return testutil_setup(state);
}

static int
setup_counting(void **state)
{
    return setup_with_counter(state, counting_interface_stats);
}

static int
setup_not_counting(void **state)
{
    return setup_with_counter(state, NULL);
}

static int
teardown_counting(void **state)
{
    vsh_conn_test_set_drivers(NULL);
    return testutil_teardown(state);
}

/* The rx_bytes the counting driver reports for @device: which interface it resolved to. */
static gint64
resolved(vsh_domain *dom, const char *device)
{
    g_autoptr(GError) err = NULL;
    vsh_domain_interface_stats st;

    if (vsh_domain_get_interface_stats(dom, device, &st, &err) < 0)
        fail_msg("interface '%s': %s", device, err->message);
    assert_true(st.tx_packets == 34);
    assert_true(st.rx_packets == -1 && st.rx_errs == -1 && st.rx_drop == -1);
    assert_true(st.tx_bytes == -1 && st.tx_errs == -1 && st.tx_drop == -1);
    return st.rx_bytes;
}

static void
assert_not_an_interface(vsh_domain *dom, const char *device, const char *message)
{
    g_autoptr(GError) err = NULL;
    vsh_domain_interface_stats st;

    assert_int_equal(vsh_domain_get_interface_stats(dom, device, &st, &err), -1);
    assert_error(err, VSH_ERROR_INVALID_ARG, message);
}

static void
test_interface_stats_by_device_or_mac(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define_full(f->conn, "t", NULL, IFACES);
    g_autoptr(GError) off = NULL;
    vsh_domain_interface_stats st;

    assert_int_equal(vsh_domain_get_interface_stats(dom, "tap-t", &st, &off), -1);
    assert_error(off, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_true(resolved(dom, "vnet0") == 0x01);
    assert_true(resolved(dom, "tap-t") == 0x02);
    assert_true(resolved(dom, "52:54:00:ab:cd:01") == 0x01);
    assert_true(resolved(dom, "52:54:00:AB:CD:02") == 0x02);
    assert_not_an_interface(dom, "eth0", "'eth0' is not a known interface");
    assert_not_an_interface(dom, "tap", "'tap' is not a known interface");
    assert_not_an_interface(dom, "52:54:00:ab:cd:03",
                            "'52:54:00:ab:cd:03' is not a known interface");
    assert_not_an_interface(dom, "", "'' is not a known interface");
    /* paused is still active: its counters are there */
    assert_int_equal(vsh_domain_suspend(dom, NULL), 0);
    assert_true(resolved(dom, "tap-t") == 0x02);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

static void
test_interface_stats_mac_of_two_interfaces(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define_full(f->conn, "t", NULL, IFACES IFACE_SAME_MAC);

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_not_an_interface(dom, "52:54:00:ab:cd:02", "'52:54:00:ab:cd:02' matches several "
                            "interfaces; name one by its device");
    assert_true(resolved(dom, "tap-u") == 0x02);
    assert_true(resolved(dom, "52:54:00:ab:cd:01") == 0x01);
}

/* The stat named @name in @stats, or NULL. */
static const vsh_stat *
stat_find(GArray *stats, const char *name)
{
    guint i;

    for (i = 0; i < stats->len; i++) {
        if (strcmp(g_array_index(stats, vsh_stat, i).name, name) == 0)
            return &g_array_index(stats, vsh_stat, i);
    }
    return NULL;
}

static void
test_stats_net_block_of_an_active_domain(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define_full(f->conn, "t", NULL, IFACES);
    const char *net[] = { "net.count", "net.0.name", "net.0.rx.bytes", "net.0.tx.pkts",
                          "net.1.name", "net.1.rx.bytes", "net.1.tx.pkts" };
    g_autoptr(GArray) stats = NULL;
    g_autoptr(GArray) off = NULL;
    guint first;
    size_t i;

    assert_int_equal(vsh_domain_get_stats(dom, &off, NULL), 6);
    assert_null(stat_find(off, "net.count"));
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    /* the counters the driver left unknown are left out, the rest in virsh's order */
    assert_int_equal(vsh_domain_get_stats(dom, &stats, NULL), 7 + (int) G_N_ELEMENTS(net));
    first = stats->len - G_N_ELEMENTS(net);
    for (i = 0; i < G_N_ELEMENTS(net); i++)
        assert_string_equal(stat_name(stats, first + (guint) i), net[i]);
    assert_int_equal(stat_find(stats, "net.count")->value, 2);
    assert_null(stat_find(stats, "net.count")->string);
    assert_string_equal(stat_find(stats, "net.0.name")->string, "vnet0");
    assert_int_equal(stat_find(stats, "net.0.name")->value, 0);
    assert_string_equal(stat_find(stats, "net.1.name")->string, "tap-t");
    assert_int_equal(stat_find(stats, "net.0.rx.bytes")->value, 0x01);
    assert_int_equal(stat_find(stats, "net.1.rx.bytes")->value, 0x02);
    assert_int_equal(stat_find(stats, "net.1.tx.pkts")->value, 34);
    assert_null(stat_find(stats, "net.1.rx.bytes")->string);
}

static void
test_interface_stats_of_a_driver_that_cannot_count(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define_full(f->conn, "t", NULL, IFACES);
    g_autoptr(GArray) stats = NULL;
    g_autoptr(GError) err = NULL;
    vsh_domain_interface_stats st;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_interface_stats(dom, "tap-t", &st, &err), -1);
    assert_error(err, VSH_ERROR_UNSUPPORTED, "the qemu driver cannot read interface statistics");
    /* domstats still names the interfaces: the block is best effort */
    assert_int_equal(vsh_domain_get_stats(dom, &stats, NULL), 7 + 3);
    assert_int_equal(stat_find(stats, "net.count")->value, 2);
    assert_string_equal(stat_find(stats, "net.1.name")->string, "tap-t");
    assert_null(stat_find(stats, "net.1.rx.bytes"));
}

static void
test_title_and_missing_driver_ops(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    const char *argv[] = { "true", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autofree char *title = NULL;
    int status;
    int fd;

    assert_null(vsh_domain_get_title(dom, NULL));
    assert_int_equal(vsh_domain_exec(dom, argv, &status, &err), -1);
    assert_error(err, VSH_ERROR_OPERATION_INVALID, "domain 't' is not running");
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_open_console(dom, 0, &fd, &err2), -1);
    assert_error(err2, VSH_ERROR_UNSUPPORTED, "the qemu driver cannot open consoles");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

/* ---------------------------------------------------------------- read-only, busy */

static void
test_read_only_connection_refuses_every_change(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) rw = define(f->conn, "t", NULL);
    g_autofree char *uri = testutil_uri("vsh", f->dir);
    g_autoptr(vsh_conn) ro = vsh_conn_open(uri, VSH_CONN_READ_ONLY, NULL);
    g_autoptr(vsh_domain) dom = vsh_domain_lookup_by_name(ro, "t", NULL);
    vsh_sched_params sp = { .has_cpu_shares = true, .cpu_shares = 10 };
    vsh_memtune_params mt = { .has_hard_limit = true, .hard_limit = 10000 };
    const char *argv[] = { "true", NULL };
    int rets[14];
    int status;
    int fd;
    size_t i;
    GError *errs[G_N_ELEMENTS(rets)] = { NULL };
    g_autofree char *xml = testutil_qemu_xml("n", NULL, NULL);
    vsh_domain *created;

    assert_non_null(dom);
    rets[0] = vsh_domain_start(dom, 0, &errs[0]);
    rets[1] = vsh_domain_shutdown(dom, &errs[1]);
    rets[2] = vsh_domain_destroy(dom, &errs[2]);
    rets[3] = vsh_domain_reboot(dom, &errs[3]);
    rets[4] = vsh_domain_suspend(dom, &errs[4]);
    rets[5] = vsh_domain_resume(dom, &errs[5]);
    rets[6] = vsh_domain_undefine(dom, &errs[6]);
    rets[7] = vsh_domain_set_autostart(dom, true, &errs[7]);
    rets[8] = vsh_domain_set_memory(dom, 1024, 0, &errs[8]);
    rets[9] = vsh_domain_set_vcpus(dom, 1, 0, &errs[9]);
    rets[10] = vsh_domain_set_sched_params(dom, &sp, 0, &errs[10]);
    rets[11] = vsh_domain_set_memtune(dom, &mt, 0, &errs[11]);
    rets[12] = vsh_domain_exec(dom, argv, &status, &errs[12]);
    rets[13] = vsh_domain_open_console(dom, 0, &fd, &errs[13]);
    for (i = 0; i < G_N_ELEMENTS(rets); i++) {
        assert_int_equal(rets[i], -1);
        assert_true(g_error_matches(errs[i], VSH_ERROR, VSH_ERROR_READ_ONLY));
        g_error_free(errs[i]);
    }
    created = vsh_domain_create_xml(ro, xml, NULL, 0, NULL);
    assert_null(created);
    assert_state(rw, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_UNKNOWN);
}

static void
test_busy_domain_gives_a_clear_error(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autofree char *lock = g_build_filename(f->dir, "state", ".domains.lock", NULL);
    g_autoptr(GError) err = NULL;
    int fd;

    /* A second descriptor's lock conflicts even within one process: the lock another
     * process would hold. */
    fd = vsh_file_lock_byte(lock, vsh_store_op_lock_offset("t"), 0, NULL);
    assert_true(fd >= 0);
    vsh_conn_set_op_lock_timeout(f->conn, 100);
    assert_int_equal(vsh_domain_start(dom, 0, &err), -1);
    assert_error(err, VSH_ERROR_BUSY, "domain 't' is busy");
    close(fd);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

/* vsh_xml_xpath: virsh's --xpath output, and one-line errors for what cannot be selected */
static void
test_xpath_selects_as_virsh(void **state)
{
    static const char xml[] =
        "<domain type='lxc'><name>web</name><memory unit='KiB'>65536</memory>"
        "<devices><interface type='bridge'><mac address='52:54:00:00:00:01'/></interface>"
        "<interface type='bridge'><mac address='52:54:00:00:00:02'/></interface>"
        "</devices><metadata><v:x xmlns:v='urn:vsh-test'>1</v:x></metadata></domain>";
    static const struct {
        const char *xpath;
        unsigned int flags;
        const char *expected;
    } cases[] = {
        { "//name", 0, "<name>web</name>\n" },
        { "//name/text()", 0, "web\n" },
        { "/domain/@type", 0, " type=\"lxc\"\n" },
        { "//mac/@address", 0, " address=\"52:54:00:00:00:01\"\n address=\"52:54:00:00:00:02\"\n" },
        { "//interface[2]", 0,
          "<interface type=\"bridge\">\n  <mac address=\"52:54:00:00:00:02\"/>\n</interface>\n" },
        { "//name|//memory", VSH_XML_XPATH_WRAP,
          "<nodes>\n  <name>web</name>\n  <memory unit=\"KiB\">65536</memory>\n</nodes>\n" },
        { "//disk", 0, "" },
        { "//disk", VSH_XML_XPATH_WRAP, "<nodes/>\n" },
        { "//metadata/*/namespace::*[name()='v']", 0, " xmlns:v=\"urn:vsh-test\"\n" },
        { "//metadata/*/namespace::*[name()='v']", VSH_XML_XPATH_WRAP,
          "<nodes xmlns:v=\"urn:vsh-test\"/>\n" },
    };
    size_t i;

    (void) state;
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autofree char *got = vsh_xml_xpath(xml, cases[i].xpath, cases[i].flags, &err);

        assert_non_null(got);
        assert_string_equal(got, cases[i].expected);
    }
    {
        g_autoptr(GError) err = NULL;
        g_autofree char *all = vsh_xml_xpath(xml, "//namespace::*", VSH_XML_XPATH_WRAP, &err);
        g_autofree char *root = vsh_xml_xpath(xml, "/", 0, &err);

        /* every namespace node (xml's on each element too) and the document node */
        assert_string_equal(all, "<nodes xmlns:v=\"urn:vsh-test\"/>\n");
        assert_non_null(root);
        assert_true(g_str_has_prefix(root, "<domain type=\"lxc\">\n  <name>web</name>\n"));
    }
    {
        g_autoptr(GError) err = NULL;

        assert_null(vsh_xml_xpath(xml, "string(//name)", 0, &err));
        assert_error(err, VSH_ERROR_INVALID_ARG,
                     "XPath expression 'string(//name)' does not select nodes");
        g_clear_error(&err);
        assert_null(vsh_xml_xpath(xml, "//name[", 0, &err));
        assert_error(err, VSH_ERROR_INVALID_ARG,
                     "invalid XPath expression '//name[': it is not a valid expression "
                     "(at character 8)");
        g_clear_error(&err);
        assert_null(vsh_xml_xpath(xml, "nofunc()", 0, &err));
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
        assert_non_null(strstr(err->message, "no such function"));
        g_clear_error(&err);
        assert_null(vsh_xml_xpath("<domain>", "//name", 0, &err));
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_XML));
        g_clear_error(&err);
        assert_null(vsh_xml_xpath(NULL, "//name", 0, &err));
        assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xpath_selects_as_virsh),
        TESTUTIL_TEST(test_every_transition),
        TESTUTIL_TEST(test_new_domain_is_shut_off_with_no_id),
        TESTUTIL_TEST(test_shutdown_modes),
        TESTUTIL_TEST(test_metadata_of_either_definition),
        TESTUTIL_TEST(test_attach_and_detach_devices),
        cmocka_unit_test(test_state_words_are_virsh_words),
        TESTUTIL_TEST(test_define_refuses_a_taken_name_or_uuid),
        TESTUTIL_TEST(test_redefine_with_the_same_uuid_updates),
        TESTUTIL_TEST(test_invalid_xml_writes_nothing),
        TESTUTIL_TEST(test_undefine_running_domain_makes_it_transient),
        TESTUTIL_TEST(test_create_makes_a_transient_domain_that_vanishes),
        TESTUTIL_TEST(test_handle_of_an_undefined_domain_finds_nothing),
        TESTUTIL_TEST(test_lookups_by_name_uuid_and_id),
        TESTUTIL_TEST(test_list_filters_as_libvirt),
        TESTUTIL_TEST(test_autostart_is_a_link_to_the_definition),
        TESTUTIL_TEST(test_autostart_domains_come_back),
        TESTUTIL_TEST(test_live_and_inactive_xml),
        TESTUTIL_TEST(test_set_memory_live_config_and_current),
        TESTUTIL_TEST(test_set_vcpus_within_the_maximum),
        TESTUTIL_TEST(test_sched_params_and_memtune),
        TESTUTIL_TEST(test_blkiotune),
        TESTUTIL_TEST(test_stats_use_virsh_names),
        cmocka_unit_test_setup_teardown(test_interface_stats_by_device_or_mac, setup_counting,
                                        teardown_counting),
        cmocka_unit_test_setup_teardown(test_interface_stats_mac_of_two_interfaces,
                                        setup_counting, teardown_counting),
        cmocka_unit_test_setup_teardown(test_stats_net_block_of_an_active_domain,
                                        setup_counting, teardown_counting),
        cmocka_unit_test_setup_teardown(test_interface_stats_of_a_driver_that_cannot_count,
                                        setup_not_counting, teardown_counting),
        TESTUTIL_TEST(test_title_and_missing_driver_ops),
        TESTUTIL_TEST(test_read_only_connection_refuses_every_change),
        TESTUTIL_TEST(test_busy_domain_gives_a_clear_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
