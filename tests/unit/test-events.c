/*
 * test-events.c — the lifecycle event log: every transition writes its line, streams see
 * what other processes do, filter by the connection's types, and skip what is not a
 * complete, well-formed record.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-testutil.h"
#include "events.h"
#include "util/file.h"

#define UUID_A "3b7a4a0c-52d4-4f3e-8a57-0c8d2f1e0001"

typedef testutil_fixture fixture;

static char *
joined_events(const char *dir)
{
    g_autoptr(GPtrArray) lines = testutil_event_lines(dir);

    g_ptr_array_add(lines, NULL);
    return g_strjoinv("|", (char **) lines->pdata);
}

static void
test_every_transition_logs_its_event(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = testutil_qemu_xml("t", UUID_A, NULL);
    g_autofree char *xml_tr = testutil_qemu_xml("tr", NULL, NULL);
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autoptr(vsh_domain) again = NULL;
    g_autoptr(vsh_domain) tr = NULL;
    g_autofree char *got = NULL;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_suspend(dom, NULL), 0);
    assert_int_equal(vsh_domain_resume(dom, NULL), 0);
    assert_int_equal(vsh_domain_reboot(dom, NULL), 0);
    assert_int_equal(vsh_domain_shutdown(dom, NULL), 0);
    assert_int_equal(vsh_domain_start(dom, VSH_DOMAIN_START_PAUSED, NULL), 0);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    /* refused operations log nothing */
    assert_int_equal(vsh_domain_destroy(dom, NULL), -1);
    again = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    assert_non_null(again);
    assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    tr = vsh_domain_create_xml(f->conn, xml_tr, NULL, 0, NULL);
    assert_non_null(tr);
    assert_int_equal(vsh_domain_destroy(tr, NULL), 0);
    got = joined_events(f->dir);
    assert_string_equal(got,
                        "0 0 qemu t|"        /* Defined Added */
                        "2 0 qemu t|"        /* Started Booted */
                        "3 0 qemu t|"        /* Suspended Paused */
                        "4 0 qemu t|"        /* Resumed Unpaused */
                        "5 0 qemu t|"        /* Stopped Shutdown */
                        "2 0 qemu t|"        /* Started Booted ... */
                        "3 0 qemu t|"        /* ... and paused */
                        "5 1 qemu t|"        /* Stopped Destroyed */
                        "0 1 qemu t|"        /* Defined Updated */
                        "1 0 qemu t|"        /* Undefined Removed */
                        "2 0 qemu tr|"       /* a transient domain starts ... */
                        "5 1 qemu tr");      /* ... and stops */
}

static void
test_event_words_are_virsh_words(void **state)
{
    (void) state;
    assert_string_equal(vsh_event_type_to_string(VSH_EVENT_DEFINED), "Defined");
    assert_string_equal(vsh_event_type_to_string(VSH_EVENT_STOPPED), "Stopped");
    assert_string_equal(vsh_event_type_to_string(42), "unknown");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_DEFINED,
                                                   VSH_EVENT_DEFINED_UPDATED), "Updated");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_STARTED,
                                                   VSH_EVENT_STARTED_BOOTED), "Booted");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_STOPPED,
                                                   VSH_EVENT_STOPPED_DESTROYED), "Destroyed");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_STOPPED,
                                                   VSH_EVENT_STOPPED_FAILED), "Failed");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_SUSPENDED,
                                                   VSH_EVENT_SUSPENDED_PAUSED), "Paused");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_RESUMED,
                                                   VSH_EVENT_RESUMED_UNPAUSED), "Unpaused");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_UNDEFINED,
                                                   VSH_EVENT_UNDEFINED_REMOVED), "Removed");
    assert_string_equal(vsh_event_detail_to_string(VSH_EVENT_STOPPED, 99), "unknown");
}

/* Waits until the stream's descriptor is readable (the events are already written when
 * this is called, so the limit only guards against a hang). */
static void
wait_readable(vsh_event_stream *stream)
{
    struct pollfd pfd = { vsh_event_stream_get_fd(stream), POLLIN, 0 };

    assert_int_equal(poll(&pfd, 1, 10000), 1);
}

static vsh_event *
next_event(vsh_event_stream *stream)
{
    vsh_event *ev = NULL;
    g_autoptr(GError) err = NULL;

    if (vsh_event_stream_next(stream, &ev, &err) != 1)
        fail_msg("no event pending%s%s", err ? ": " : "", err ? err->message : "");
    return ev;
}

static void
assert_event(vsh_event_stream *stream, const char *name, int event, int detail)
{
    g_autoptr(vsh_event) ev = next_event(stream);

    assert_string_equal(ev->domain, name);
    assert_string_equal(ev->type, "qemu");
    assert_int_equal(ev->event, event);
    assert_int_equal(ev->detail, detail);
    assert_true(ev->timestamp_us > 0);
}

static void
test_stream_sees_events_of_another_process(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = testutil_qemu_xml("early", NULL, NULL);
    g_autoptr(vsh_domain) early = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autoptr(vsh_event_stream) stream = vsh_event_stream_open(f->conn, NULL);
    g_autoptr(vsh_event) first = NULL;
    vsh_event *none = NULL;
    pid_t pid;
    int status;

    assert_non_null(early);
    assert_non_null(stream);
    /* positioned at the end: what happened before the stream opened is not replayed */
    assert_int_equal(vsh_event_stream_next(stream, &none, NULL), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        g_autoptr(vsh_conn) conn = testutil_open("qemu", f->dir);
        g_autofree char *child_xml = testutil_qemu_xml("t", UUID_A, NULL);
        g_autoptr(vsh_domain) dom = vsh_domain_define_xml(conn, child_xml, NULL, NULL);

        _exit(dom && vsh_domain_start(dom, 0, NULL) == 0 &&
              vsh_domain_destroy(dom, NULL) == 0 ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    wait_readable(stream);
    first = next_event(stream);
    assert_string_equal(first->domain, "t");
    assert_string_equal(first->uuid, UUID_A);
    assert_int_equal(first->event, VSH_EVENT_DEFINED);
    assert_int_equal(first->detail, VSH_EVENT_DEFINED_ADDED);
    assert_event(stream, "t", VSH_EVENT_STARTED, VSH_EVENT_STARTED_BOOTED);
    assert_event(stream, "t", VSH_EVENT_STOPPED, VSH_EVENT_STOPPED_DESTROYED);
    assert_int_equal(vsh_event_stream_next(stream, &none, NULL), 0);
}

static void
test_stream_filters_types_and_skips_garbage(void **state)
{
    fixture *f = *state;
    g_autofree char *uri = testutil_uri("qemu", f->dir);
    g_autoptr(vsh_conn) qemu = vsh_conn_open(uri, 0, NULL);
    g_autoptr(vsh_event_stream) stream = vsh_event_stream_open(qemu, NULL);
    g_autofree char *log = g_build_filename(f->dir, "state", "events", NULL);
    unsigned char uuid[16] = { 1 };
    const char *garbage = "not an event\n1 99 0 qemu " UUID_A " x\n";
    const char *partial = "1700000000000000 4 0 qemu " UUID_A " half";
    vsh_event *none = NULL;

    assert_non_null(stream);
    assert_int_equal(vsh_event_append(log, "c", uuid, "lxc", VSH_EVENT_STARTED, 0, NULL), 0);
    assert_int_equal(vsh_file_append(log, garbage, strlen(garbage), 0600, NULL), 0);
    assert_int_equal(vsh_event_append(log, "q", uuid, "qemu", VSH_EVENT_SUSPENDED, 0,
                                      NULL), 0);
    assert_int_equal(vsh_file_append(log, partial, strlen(partial), 0600, NULL), 0);
    wait_readable(stream);
    assert_event(stream, "q", VSH_EVENT_SUSPENDED, VSH_EVENT_SUSPENDED_PAUSED);
    /* the lxc line is not this connection's; the half line is not complete yet */
    assert_int_equal(vsh_event_stream_next(stream, &none, NULL), 0);
    assert_int_equal(vsh_file_append(log, "\n", 1, 0600, NULL), 0);
    assert_event(stream, "half", VSH_EVENT_RESUMED, VSH_EVENT_RESUMED_UNPAUSED);
    assert_int_equal(vsh_event_stream_next(stream, &none, NULL), 0);
}

static void
test_parse_line_rejects_malformed_records(void **state)
{
    const char *bad[] = {
        "",
        "1 2 3",
        "x 2 0 qemu " UUID_A " a",
        "1 2 0 qemu not-a-uuid a",
        "1 2 0 qemu " UUID_A " ../a",
        "1 -1 0 qemu " UUID_A " a",
    };
    g_autoptr(vsh_event) ok = vsh_event_parse_line("5 2 0 qemu " UUID_A " a", NULL);
    size_t i;

    (void) state;
    assert_non_null(ok);
    assert_int_equal(ok->timestamp_us, 5);
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(vsh_event) ev = vsh_event_parse_line(bad[i], &err);

        assert_null(ev);
        assert_true(g_str_has_prefix(err->message, "malformed event line"));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TESTUTIL_TEST(test_every_transition_logs_its_event),
        cmocka_unit_test(test_event_words_are_virsh_words),
        TESTUTIL_TEST(test_stream_sees_events_of_another_process),
        TESTUTIL_TEST(test_stream_filters_types_and_skips_garbage),
        cmocka_unit_test(test_parse_line_rejects_malformed_records),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
