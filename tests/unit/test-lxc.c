/*
 * test-lxc.c — the lxc driver's decisions that need no root: the limits it puts on a
 * definition (def_validate), the launch it hands to vsh-monitor (namespaces, capabilities,
 * hostname, interfaces, id maps), the host-side interface names it generates and the link
 * counters it reads.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "error.h"
#include "drivers/common/supervise.h"
#include "drivers/lxc/lxc-priv.h"

typedef struct {
    char *tmp;
    char *rootfs;
    const vsh_driver *driver;
} fixture;

static int
setup(void **state)
{
    fixture *f = g_new0(fixture, 1);

    f->tmp = g_dir_make_tmp("test-lxc-XXXXXX", NULL);
    f->rootfs = g_build_filename(f->tmp, "rootfs", NULL);
    assert_int_equal(g_mkdir_with_parents(f->rootfs, 0755), 0);
    f->driver = vsh_driver_lookup("lxc");
    assert_non_null(f->driver);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    (void) g_rmdir(f->rootfs);
    (void) g_rmdir(f->tmp);
    g_free(f->rootfs);
    g_free(f->tmp);
    g_free(f);
    return 0;
}

/* A parsed lxc definition on the fixture's rootfs; @extra goes after <os>, @devices into
 * <devices>. */
static vsh_domain_def *
parse(fixture *f, const char *extra, const char *devices)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='lxc'>\n"
        "  <name>box</name>\n"
        "  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>\n"
        "  <memory unit='MiB'>64</memory>\n"
        "  <os><type>exe</type><init>/bin/sh</init></os>\n"
        "  %s\n"
        "  <devices>\n"
        "    <filesystem type='mount'><source dir='%s'/><target dir='/'/></filesystem>\n"
        "    %s\n"
        "  </devices>\n"
        "</domain>\n", extra, f->rootfs, devices);
    g_autoptr(GError) err = NULL;
    vsh_domain_def *def = vsh_domain_def_parse_string(xml, "t.xml", 0, &err);

    if (!def)
        fail_msg("parse: %s", err->message);
    return def;
}

static void
assert_invalid(fixture *f, const vsh_domain_def *def, const char *needle)
{
    g_autoptr(GError) err = NULL;

    assert_int_equal(f->driver->def_validate(def, &err), -1);
    assert_non_null(err);
    if (!strstr(err->message, needle))
        fail_msg("error '%s' does not mention '%s'", err->message, needle);
}

static void
test_valid_definition_passes(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def = parse(f, "", "");
    g_autoptr(GError) err = NULL;

    assert_int_equal(f->driver->def_validate(def, &err), 0);
    assert_null(err);
}

/* As with libvirt, the root filesystem may be made after the define: start checks it. */
static void
test_missing_rootfs_directory_is_left_to_start(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def = parse(f, "", "");
    vsh_fs_def *root = g_ptr_array_index(def->filesystems, 0);
    g_autoptr(GError) err = NULL;

    g_free(root->source);
    root->source = g_build_filename(f->tmp, "no-such-dir", NULL);
    assert_int_equal(f->driver->def_validate(def, &err), 0);
    assert_null(err);
}

static void
test_hvm_and_disks_are_refused(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def = parse(f, "", "");
    g_autoptr(vsh_domain_def) def2 = parse(f, "", "");

    def->os.type = VSH_OS_TYPE_HVM;
    assert_invalid(f, def, "<type>exe</type>");
    g_ptr_array_add(def2->disks, g_new0(vsh_disk_def, 1));
    assert_invalid(f, def2, "<disk>");
}

static void
test_long_interface_name_is_refused(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def =
        parse(f, "", "<interface type='ethernet'><target dev='v0'/></interface>");
    vsh_net_def *net = g_ptr_array_index(def->interfaces, 0);

    /* The parser refuses it too; a definition built in code (vsh-install) is checked here. */
    g_free(net->guest_dev);
    net->guest_dev = g_strdup("a-name-longer-than-15");
    assert_invalid(f, def, "a-name-longer-than-15");
}

static void
idmap_add(GArray *map, unsigned int start, unsigned int target, unsigned int count)
{
    vsh_idmap_entry e = { .start = start, .target = target, .count = count };

    g_array_append_val(map, e);
}

static void
test_idmap_rules(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) uid_only = parse(f, "", "");
    g_autoptr(vsh_domain_def) overlap = parse(f, "", "");
    g_autoptr(vsh_domain_def) no_root = parse(f, "", "");

    idmap_add(uid_only->idmap.uid, 0, 100000, 65536);
    assert_invalid(f, uid_only, "both <uid> and <gid>");

    idmap_add(overlap->idmap.uid, 0, 100000, 1000);
    idmap_add(overlap->idmap.uid, 500, 300000, 1000);
    idmap_add(overlap->idmap.gid, 0, 100000, 1000);
    assert_invalid(f, overlap, "overlap");

    idmap_add(no_root->idmap.uid, 1, 100000, 1000);
    idmap_add(no_root->idmap.gid, 0, 100000, 1000);
    assert_invalid(f, no_root, "uid 0");
}

/* The launch for @def, built the way `vsh start` builds it. */
static void
build(fixture *f, const vsh_domain_def *def, struct vsh_launch *l)
{
    vsh_domain_obj obj = { 0 };
    g_autoptr(GError) err = NULL;

    obj.driver = f->driver;
    obj.name = def->name;
    memcpy(obj.uuid, def->uuid, sizeof(obj.uuid));
    obj.live = (vsh_domain_def *) def;
    obj.paths.state_dir = f->tmp;
    obj.paths.cgroup_partition = (char *) "vsh-test";
    if (vsh_supervise_launch_build(&lxc_ops, &obj, def, l, &err) < 0)
        fail_msg("launch: %s", err->message);
}

static void
test_shared_network_launch(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def = parse(f, "", "");
    struct vsh_launch l = { 0 };

    build(f, def, &l);
    assert_int_equal(l.kind, VSH_LAUNCH_LXC);
    assert_int_equal(l.clone_flags & (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
                                      CLONE_NEWIPC | CLONE_NEWCGROUP),
                     CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                     CLONE_NEWCGROUP);
    assert_int_equal(l.clone_flags & (CLONE_NEWNET | CLONE_NEWUSER), 0);
    assert_string_equal(l.hostname, "box");
    /* host-wide capabilities are gone; the namespace-only ones too, without namespaces */
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_SYS_MODULE));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_SYS_TIME));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_SYS_RAWIO));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_MAC_ADMIN));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_SYS_ADMIN));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_MKNOD));
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_NET_ADMIN));
    assert_true(l.caps_keep & VSH_CAP_BIT(CAP_CHOWN));
    assert_true(l.caps_keep & VSH_CAP_BIT(CAP_SYS_BOOT));
    assert_int_equal(l.n_nets, 0);
    vsh_launch_clear(&l);
}

static void
test_interfaces_and_idmap_launch(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def =
        parse(f, "",
              "<interface type='bridge'><source bridge='br0'/>"
              "<mac address='52:54:00:12:34:56'/><ip address='10.0.0.2' prefix='24'/>"
              "<route address='0.0.0.0' prefix='0' gateway='10.0.0.1'/></interface>"
              "<interface type='ethernet'><target dev='veth-web'/>"
              "<guest dev='lan1'/></interface>");
    struct vsh_launch l = { 0 };

    idmap_add(def->idmap.uid, 0, 100000, 65536);
    idmap_add(def->idmap.gid, 0, 100000, 65536);
    build(f, def, &l);
    assert_true(l.clone_flags & CLONE_NEWNET);
    assert_true(l.clone_flags & CLONE_NEWUSER);
    assert_true(l.caps_keep & VSH_CAP_BIT(CAP_SYS_ADMIN));
    assert_true(l.caps_keep & VSH_CAP_BIT(CAP_NET_ADMIN));
    /* whoever enters the user namespace becomes its root */
    assert_int_equal(l.drop_user, 1);
    assert_int_equal(l.uid, 0);
    assert_int_equal(l.n_uid_maps, 1);
    assert_int_equal(l.uid_maps[0].target, 100000);
    assert_int_equal(l.n_nets, 2);
    assert_int_equal(l.nets[0].type, VSH_LAUNCH_NET_BRIDGE);
    assert_string_equal(l.nets[0].bridge, "br0");
    assert_string_equal(l.nets[0].host_dev, "vshc7a5fdbd-0");
    assert_string_equal(l.nets[0].guest_dev, "eth0");
    assert_string_equal(l.nets[0].mac, "52:54:00:12:34:56");
    assert_int_equal(l.nets[0].n_ips, 1);
    assert_string_equal(l.nets[0].ips[0].address, "10.0.0.2");
    assert_int_equal(l.nets[0].n_routes, 1);
    assert_string_equal(l.nets[0].routes[0].gateway, "10.0.0.1");
    assert_int_equal(l.nets[1].type, VSH_LAUNCH_NET_ETHERNET);
    assert_string_equal(l.nets[1].host_dev, "veth-web");
    assert_string_equal(l.nets[1].guest_dev, "lan1");
    vsh_launch_clear(&l);
}

static void
test_metadata_drop_wins_over_namespace_capabilities(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain_def) def = parse(f, "<features><privnet/></features>", "");
    struct vsh_launch l = { 0 };

    g_ptr_array_add(def->vsh.caps_drop, g_strdup("CAP_NET_ADMIN"));
    build(f, def, &l);
    assert_true(l.clone_flags & CLONE_NEWNET);
    assert_false(l.caps_keep & VSH_CAP_BIT(CAP_NET_ADMIN));
    vsh_launch_clear(&l);
}

static void
test_host_dev_names(void **state)
{
    char name[IFNAMSIZ];

    (void) state;
    assert_int_equal(lxc_net_host_dev_name("c7a5fdbd-cdaf-9455-926a-d65c16db1809", 3, name), 0);
    assert_string_equal(name, "vshc7a5fdbd-3");
    assert_int_equal(lxc_net_host_dev_name("c7a5fdbd-cdaf-9455-926a-d65c16db1809", 999, name),
                     0);
    assert_true(strlen(name) < IFNAMSIZ);
    errno = 0;
    assert_int_equal(lxc_net_host_dev_name("c7a5fdbd-cdaf-9455-926a-d65c16db1809", 12345,
                                           name), -1);
    assert_int_equal(errno, ERANGE);
}

#define LO_PAYLOAD 100

/* Sends one datagram of LO_PAYLOAD bytes to 127.0.0.1, which lo counts as sent and
 * received; skips the test when lo is down in this network namespace. */
static void
send_one_datagram_on_lo(void)
{
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
    char payload[LO_PAYLOAD] = { 0 };
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ssize_t n;

    assert_true(fd >= 0);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    n = sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *) &to, sizeof(to));
    close(fd);
    if (n < 0)
        skip();
}

/* The counters come from the kernel as the link counts them: one datagram to 127.0.0.1
 * shows on lo, which receives what it sends. */
static void
test_link_stats_read_the_kernel_counters(void **state)
{
    struct rtnl_link_stats64 before;
    struct rtnl_link_stats64 after;

    (void) state;
    assert_int_equal(lxc_net_link_stats(0, "lo", &before), 0);
    send_one_datagram_on_lo();
    assert_int_equal(lxc_net_link_stats(getpid(), "lo", &after), 0);
    assert_true(after.tx_packets >= before.tx_packets + 1);
    assert_true(after.tx_bytes >= before.tx_bytes + LO_PAYLOAD);
    assert_true(after.rx_packets >= before.rx_packets + 1);
    errno = 0;
    assert_int_equal(lxc_net_link_stats(0, "vshnosuch0", &after), -1);
    assert_int_equal(errno, ENODEV);
}

/* A link of another network namespace is read in that namespace: a child in a new one has
 * a lo of its own, which has counted nothing, and no link of ours. */
static void
test_link_stats_read_another_namespace(void **state)
{
    struct rtnl_link_stats64 ours = { 0 };
    struct rtnl_link_stats64 theirs = { 0 };
    struct rtnl_link_stats64 none;
    int r_ours = -1;
    int r_theirs = -1;
    int r_none = 0;
    int e_none = 0;
    int ready[2];
    char c = 0;
    pid_t pid;

    (void) state;
    if (geteuid() != 0)
        skip();         /* entering a network namespace needs root */
    send_one_datagram_on_lo();
    assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    /* Nothing may end the test before the child is ended: results first, asserts after. */
    if (read(ready[0], &c, 1) == 1 && c == 'y') {
        r_ours = lxc_net_link_stats(0, "lo", &ours);
        r_theirs = lxc_net_link_stats(pid, "lo", &theirs);
        errno = 0;
        r_none = lxc_net_link_stats(pid, "vshnosuch0", &none);
        e_none = errno;
    }
    close(ready[0]);
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    assert_int_equal(c, 'y');
    assert_int_equal(r_ours, 0);
    assert_int_equal(r_theirs, 0);
    assert_int_equal(r_none, -1);
    assert_int_equal(e_none, ENODEV);
    assert_true(ours.tx_packets >= 1);
    assert_int_equal(theirs.tx_packets, 0);
    assert_int_equal(theirs.rx_packets, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_definition_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_rootfs_directory_is_left_to_start, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hvm_and_disks_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_interface_name_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idmap_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_network_launch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interfaces_and_idmap_launch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata_drop_wins_over_namespace_capabilities,
                                        setup, teardown),
        cmocka_unit_test(test_host_dev_names),
        cmocka_unit_test(test_link_stats_read_the_kernel_counters),
        cmocka_unit_test(test_link_stats_read_another_namespace),
    };

    return cmocka_run_group_tests_name("lxc", tests, NULL, NULL);
}
