/*
 * test-qstub.c — the qemu-stub driver: its lifecycle across two processes, ids from the
 * store's counter, cpu time that follows the run state, disk sources, definition limits,
 * vnetN interface names and their (zero) counters.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-testutil.h"
#include "driver.h"

extern const vsh_driver vsh_qemu_stub_driver;

typedef testutil_fixture fixture;

static vsh_domain *
define(vsh_conn *conn, const char *name, const char *extra)
{
    g_autofree char *xml = testutil_qemu_xml(name, NULL, extra);
    g_autoptr(GError) err = NULL;
    vsh_domain *dom = vsh_domain_define_xml(conn, xml, NULL, &err);

    if (!dom)
        fail_msg("cannot define '%s': %s", name, err->message);
    return dom;
}

/* The starting process: starts "vm", reports its id, waits for the go, and exits 0 when
 * it then sees the domain shut off (destroyed) with no id. */
static void G_GNUC_NORETURN
starter_main(const char *dir, int report_fd, int go_fd)
{
    g_autoptr(vsh_conn) conn = testutil_open("vsh", dir);
    g_autoptr(vsh_domain) dom = vsh_domain_lookup_by_name(conn, "vm", NULL);
    int id;
    int st = -1;
    int reason = -1;
    char c;

    if (!dom || vsh_domain_start(dom, 0, NULL) < 0)
        _exit(2);
    id = vsh_domain_get_id(dom);
    if (write(report_fd, &id, sizeof(id)) != sizeof(id) || read(go_fd, &c, 1) != 1)
        _exit(3);
    if (vsh_domain_get_state(dom, &st, &reason, NULL) < 0)
        _exit(4);
    _exit(st == VSH_DOMAIN_SHUTOFF && reason == VSH_DOMAIN_SHUTOFF_DESTROYED &&
          vsh_domain_get_id(dom) == -1 ? 0 : 1);
}

static void
test_lifecycle_across_two_processes(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "vm", NULL);
    g_autoptr(GPtrArray) running = NULL;
    int report[2];
    int go[2];
    int id = -1;
    int status;
    pid_t pid;

    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(go), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(report[0]);
        close(go[1]);
        starter_main(f->dir, report[1], go[0]);
    }
    close(report[1]);
    close(go[0]);
    assert_int_equal(read(report[0], &id, sizeof(id)), sizeof(id));
    assert_true(id > 0);
    /* this process sees it running, with the id the other one got */
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, VSH_LIST_ACTIVE, &running, NULL), 1);
    assert_string_equal(vsh_domain_get_name(running->pdata[0]), "vm");
    assert_int_equal(vsh_domain_get_id(running->pdata[0]), id);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);
    close(report[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* Waits for the go byte, starts "vm" and exits 0 (started), 1 (refused: already running
 * or busy) or 2 (anything else). */
static pid_t
spawn_starter(const char *dir, int go_fd)
{
    pid_t pid = fork();
    char c;

    if (pid != 0)
        return pid;
    if (read(go_fd, &c, 1) != 1)
        _exit(2);
    {
        g_autoptr(vsh_conn) conn = testutil_open("vsh", dir);
        g_autoptr(vsh_domain) dom = vsh_domain_lookup_by_name(conn, "vm", NULL);
        g_autoptr(GError) err = NULL;

        if (dom && vsh_domain_start(dom, 0, &err) == 0)
            _exit(0);
        _exit(g_error_matches(err, VSH_ERROR, VSH_ERROR_OPERATION_INVALID) ||
              g_error_matches(err, VSH_ERROR, VSH_ERROR_BUSY) ? 1 : 2);
    }
}

static void
test_concurrent_starts_start_once(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "vm", NULL);
    g_autoptr(GPtrArray) events = NULL;
    pid_t pids[2];
    int codes[2];
    int go[2];
    int status;
    guint i;
    guint started = 0;

    assert_int_equal(pipe(go), 0);
    for (i = 0; i < 2; i++) {
        pids[i] = spawn_starter(f->dir, go[0]);
        assert_true(pids[i] > 0);
    }
    assert_int_equal(write(go[1], "gg", 2), 2);
    close(go[0]);
    close(go[1]);
    for (i = 0; i < 2; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        codes[i] = WEXITSTATUS(status);
    }
    assert_int_equal(codes[0] + codes[1], 1);
    /* started by another process: the handle's id is as of its last look; a fresh look
     * sees the id the winner got */
    assert_int_equal(vsh_domain_get_id(dom), -1);
    assert_true(vsh_domain_is_active(dom, NULL) == 1);
    assert_int_equal(vsh_domain_get_id(dom), 1);
    events = testutil_event_lines(f->dir);
    for (i = 0; i < events->len; i++) {
        if (g_str_has_prefix(events->pdata[i], "2 0 "))
            started++;
    }
    assert_int_equal(started, 1);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

static void
test_ids_come_from_the_store_counter(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) a = define(f->conn, "a", NULL);
    g_autoptr(vsh_domain) b = define(f->conn, "b", NULL);
    int id_a;
    int id_b;

    assert_int_equal(vsh_domain_start(a, 0, NULL), 0);
    assert_int_equal(vsh_domain_start(b, 0, NULL), 0);
    id_a = vsh_domain_get_id(a);
    id_b = vsh_domain_get_id(b);
    assert_int_equal(id_a, 1);
    assert_int_equal(id_b, 2);
    assert_int_equal(vsh_domain_reboot(a, NULL), 0);
    assert_int_equal(vsh_domain_get_id(a), id_a);
    assert_int_equal(vsh_domain_destroy(a, NULL), 0);
    assert_int_equal(vsh_domain_start(a, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_id(a), 3);
    assert_int_equal(vsh_domain_destroy(a, NULL), 0);
    assert_int_equal(vsh_domain_destroy(b, NULL), 0);
}

static guint64
cpu_time(vsh_domain *dom)
{
    vsh_domain_info info;

    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    return info.cpu_time_ns;
}

static void
test_cpu_time_runs_only_while_running(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "vm", NULL);
    guint64 t0;
    guint64 t1;
    vsh_domain_info info;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    t0 = cpu_time(dom);
    g_usleep(20000);
    t1 = cpu_time(dom);
    assert_true(t1 >= t0 + 20000000);  /* at least the 20 ms that passed */
    assert_int_equal(vsh_domain_suspend(dom, NULL), 0);
    t0 = cpu_time(dom);
    g_usleep(20000);
    assert_true(cpu_time(dom) == t0);  /* frozen while paused */
    assert_int_equal(vsh_domain_resume(dom, NULL), 0);
    g_usleep(1000);
    assert_true(cpu_time(dom) > t0);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_true(info.cpu_time_ns == 0);
}

static void
test_missing_disk_source_refuses_start(void **state)
{
    fixture *f = *state;
    g_autofree char *image = g_build_filename(f->dir, "images", "ok.img", NULL);
    g_autofree char *ok_disk = g_strdup_printf("    <disk type='file' device='disk'>\n"
                                               "      <source file='%s'/>\n"
                                               "      <target dev='vda' bus='virtio'/>\n"
                                               "    </disk>\n", image);
    g_autoptr(vsh_domain) bad = define(f->conn, "bad",
                                       "    <disk type='file' device='disk'>\n"
                                       "      <source file='/nonexistent/x.img'/>\n"
                                       "      <target dev='vda' bus='virtio'/>\n"
                                       "    </disk>\n");
    g_autoptr(vsh_domain) good = define(f->conn, "good", ok_disk);
    g_autoptr(GError) err = NULL;

    assert_int_equal(vsh_domain_start(bad, 0, &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_OPERATION_FAILED));
    assert_string_equal(err->message, "cannot access disk source '/nonexistent/x.img': "
                        "No such file or directory");
    assert_int_equal(vsh_domain_is_active(bad, NULL), 0);
    assert_true(g_file_set_contents(image, "", 0, NULL));
    assert_int_equal(vsh_domain_start(good, 0, NULL), 0);
    assert_int_equal(vsh_domain_destroy(good, NULL), 0);
}

static void
test_definition_limits(void **state)
{
    g_autoptr(vsh_domain_def) def = vsh_domain_def_new();
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    (void) state;
    def->type = VSH_DOMAIN_TYPE_QEMU;
    def->name = g_strdup("vm");
    def->max_memory_kib = 1024;
    def->os.type = VSH_OS_TYPE_EXE;
    assert_int_equal(vsh_qemu_stub_driver.def_validate(def, &e1), -1);
    assert_string_equal(e1->message, "domain 'vm' of type 'qemu' needs <os><type>hvm</type></os>");
    def->os.type = VSH_OS_TYPE_HVM;
    def->max_memory_kib = 0;
    assert_int_equal(vsh_qemu_stub_driver.def_validate(def, &e2), -1);
    assert_string_equal(e2->message, "domain 'vm' of type 'qemu' needs <memory>");
    def->max_memory_kib = 1024;
    assert_int_equal(vsh_qemu_stub_driver.def_validate(def, NULL), 0);
    assert_string_equal(vsh_qemu_stub_driver.name, "qemu");
    assert_false(vsh_qemu_stub_driver.supervised);
}

static vsh_domain *
define_with(vsh_conn *conn, const char *name, const char *lifecycle)
{
    g_autofree char *xml = testutil_qemu_xml(name, NULL, NULL);
    g_auto(GStrv) parts = g_strsplit(xml, "  <devices>", 2);
    g_autofree char *joined = g_strconcat(parts[0], lifecycle, "  <devices>", parts[1], NULL);
    g_autoptr(GError) err = NULL;
    vsh_domain *dom = vsh_domain_define_xml(conn, joined, NULL, &err);

    if (!dom)
        fail_msg("cannot define '%s': %s", name, err->message);
    return dom;
}

/* <on_poweroff> and <on_reboot> decide what a guest shutdown or reboot leads to. */
static void
test_lifecycle_actions(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) keep = define_with(f->conn, "keep",
                                             "  <on_poweroff>restart</on_poweroff>\n");
    g_autoptr(vsh_domain) stop = define_with(f->conn, "stop",
                                             "  <on_reboot>destroy</on_reboot>\n");
    int st;
    int reason;
    int id;

    assert_int_equal(vsh_domain_start(keep, 0, NULL), 0);
    id = vsh_domain_get_id(keep);
    assert_int_equal(vsh_domain_shutdown(keep, NULL), 0);
    assert_int_equal(vsh_domain_get_state(keep, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_RUNNING);
    assert_int_equal(vsh_domain_get_id(keep), id);
    assert_int_equal(vsh_domain_destroy(keep, NULL), 0);
    assert_int_equal(vsh_domain_start(stop, 0, NULL), 0);
    assert_int_equal(vsh_domain_reboot(stop, NULL), 0);
    assert_int_equal(vsh_domain_get_state(stop, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VSH_DOMAIN_SHUTOFF_SHUTDOWN);
    assert_int_equal(vsh_domain_get_id(stop), -1);
}

static void
test_memory_stats_follow_the_balloon(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "vm", NULL);
    g_autoptr(GArray) stats = NULL;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_set_memory(dom, 100000, 0, NULL), 0);
    assert_int_equal(vsh_domain_get_memory_stats(dom, &stats, NULL), 3);
    assert_string_equal(g_array_index(stats, vsh_stat, 0).name, "actual");
    assert_int_equal(g_array_index(stats, vsh_stat, 0).value, 100000);
    assert_string_equal(g_array_index(stats, vsh_stat, 1).name, "available");
    assert_int_equal(g_array_index(stats, vsh_stat, 1).value, 512 * 1024);
    assert_string_equal(g_array_index(stats, vsh_stat, 2).name, "rss");
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
}

/* Checks the host devices of @dom's interfaces, live or from the definition, joined by
 * spaces ("-" for none). */
static void
assert_targets(vsh_domain *dom, unsigned int flags, const char *expected)
{
    g_autoptr(GArray) ifaces = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *got = NULL;
    guint i;

    assert_true(vsh_domain_get_interfaces(dom, flags, &ifaces, NULL) >= 0);
    for (i = 0; i < ifaces->len; i++) {
        const char *target = g_array_index(ifaces, vsh_domain_interface, i).target;

        g_ptr_array_add(names, (gpointer) (target ? target : "-"));
    }
    g_ptr_array_add(names, NULL);
    got = g_strjoinv(" ", (char **) names->pdata);
    assert_string_equal(got, expected);
}

#define NET(extra) "    <interface type='ethernet'>" extra "</interface>\n"

/* As libvirt's qemu driver: an interface without <target dev> gets vnetN while the VM
 * runs, from a counter of the store, so no two running VMs share one; the definition keeps
 * none. A VM moves no packets: every counter is zero, not unknown. */
static void
test_interfaces_get_vnet_names_and_count_nothing(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) a = define(f->conn, "a", NET("") NET("<target dev='tap-a'/>") NET(""));
    g_autoptr(vsh_domain) b = define(f->conn, "b", NET(""));
    vsh_domain_interface_stats st;

    assert_int_equal(vsh_domain_start(a, 0, NULL), 0);
    assert_int_equal(vsh_domain_start(b, 0, NULL), 0);
    assert_targets(a, 0, "vnet0 tap-a vnet1");
    assert_targets(b, 0, "vnet2");
    assert_targets(a, VSH_DOMAIN_XML_INACTIVE, "- tap-a -");
    memset(&st, 0xff, sizeof(st));
    assert_int_equal(vsh_domain_get_interface_stats(a, "vnet1", &st, NULL), 0);
    assert_true(st.rx_bytes == 0 && st.rx_packets == 0 && st.rx_errs == 0 &&
                st.rx_drop == 0);
    assert_true(st.tx_bytes == 0 && st.tx_packets == 0 && st.tx_errs == 0 &&
                st.tx_drop == 0);
    assert_int_equal(vsh_domain_destroy(a, NULL), 0);
    assert_int_equal(vsh_domain_start(a, 0, NULL), 0);
    assert_targets(a, 0, "vnet3 tap-a vnet4");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TESTUTIL_TEST_QEMU(test_lifecycle_across_two_processes),
        TESTUTIL_TEST_QEMU(test_concurrent_starts_start_once),
        TESTUTIL_TEST_QEMU(test_ids_come_from_the_store_counter),
        TESTUTIL_TEST_QEMU(test_interfaces_get_vnet_names_and_count_nothing),
        TESTUTIL_TEST_QEMU(test_cpu_time_runs_only_while_running),
        TESTUTIL_TEST_QEMU(test_missing_disk_source_refuses_start),
        cmocka_unit_test(test_definition_limits),
        TESTUTIL_TEST_QEMU(test_memory_stats_follow_the_balloon),
        TESTUTIL_TEST_QEMU(test_lifecycle_actions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
