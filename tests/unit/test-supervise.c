/*
 * test-supervise.c — the launch description built from a definition
 * (vsh_supervise_launch_build): jail defaults, accounts read inside the rootfs and never
 * through a guest symlink, capabilities, rlimits and limits from the XML, the monitor path.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"
#include "drivers/common/supervise.h"

static const vsh_supervise_ops jail_ops = {
    .kind = VSH_LAUNCH_CHROOT,
    .type_name = "chroot",
    .clone_flags = CLONE_NEWNS | CLONE_NEWIPC,
    .caps_default = VSH_SUPERVISE_CAPS_JAIL,
    .no_new_privs = true,
};

typedef struct {
    char *tmp;
    char *rootfs;
    vsh_domain_obj obj;
    struct vsh_launch l;
} fixture;

static void
put_file(const char *dir, const char *rel, const char *text)
{
    g_autofree char *path = g_build_filename(dir, rel, NULL);
    g_autofree char *parent = g_path_get_dirname(path);

    assert_int_equal(g_mkdir_with_parents(parent, 0755), 0);
    assert_true(g_file_set_contents(path, text, -1, NULL));
}

static int
setup(void **state)
{
    fixture *f = g_new0(fixture, 1);

    f->tmp = g_dir_make_tmp("test-supervise-XXXXXX", NULL);
    f->rootfs = g_build_filename(f->tmp, "rootfs", NULL);
    put_file(f->rootfs, "etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:u:/home/user:/bin/sh\n");
    put_file(f->rootfs, "etc/group", "root:x:0:\nuser:x:1000:\nwheel:x:10:root,user\n");
    f->obj.name = g_strdup("j");
    f->obj.paths.state_dir = g_build_filename(f->tmp, "state", NULL);
    f->obj.paths.cgroup_partition = g_strdup("vsh-test");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->tmp);

    vsh_launch_clear(&f->l);
    vsh_domain_def_free(f->obj.def);
    g_free(f->obj.name);
    g_free(f->obj.paths.state_dir);
    g_free(f->obj.paths.cgroup_partition);
    g_free(f->rootfs);
    assert_int_equal(system(cmd), 0);
    g_free(f->tmp);
    g_free(f);
    return 0;
}

/* Builds the launch of a jail whose <os> and <metadata>/<memtune> are given. */
static char *
build_xml(fixture *f, const char *meta, const char *tune, const char *os)
{
    return g_strdup_printf(
        "<domain type='chroot'>\n<name>j</name>\n%s\n<memory unit='MiB'>64</memory>\n%s\n"
        "<os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>x y</initarg>"
        "%s</os>\n<devices><filesystem type='mount'><source dir='%s'/><target dir='/'/>"
        "</filesystem>\n<filesystem type='mount'><source dir='/proc'/><target dir='/proc'/>"
        "<readonly/></filesystem></devices>\n</domain>\n",
        meta ? meta : "", tune ? tune : "", os ? os : "", f->rootfs);
}

static int
build(fixture *f, const char *meta, const char *tune, const char *os, GError **error)
{
    g_autofree char *xml = build_xml(f, meta, tune, os);
    g_autoptr(GError) perr = NULL;

    vsh_launch_clear(&f->l);
    vsh_domain_def_free(f->obj.def);
    f->obj.def = vsh_domain_def_parse_string(xml, "t.xml", 0, &perr);
    if (!f->obj.def)
        fail_msg("%s", perr->message);
    return vsh_supervise_launch_build(&jail_ops, &f->obj, f->obj.def, &f->l, error);
}

static bool
env_has(const struct vsh_launch *l, const char *entry)
{
    return g_strv_contains((const char *const *) l->envp, entry);
}

static void
test_jail_defaults(void **state)
{
    fixture *f = *state;

    assert_int_equal(build(f, NULL, NULL, NULL, NULL), 0);
    assert_int_equal(f->l.kind, VSH_LAUNCH_CHROOT);
    assert_string_equal(f->l.cgroup_path, "vsh-test/j");
    assert_string_equal(f->l.rootfs, f->rootfs);
    assert_string_equal(f->l.argv[0], "/bin/sh");
    assert_string_equal(f->l.argv[2], "x y");
    assert_null(f->l.argv[3]);
    assert_true(env_has(&f->l, "TERM=linux"));
    assert_true(env_has(&f->l, "HOME=/"));
    assert_false(env_has(&f->l, "container=vsh"));
    assert_true(f->l.caps_keep == VSH_SUPERVISE_CAPS_JAIL);
    assert_false(f->l.caps_keep & VSH_CAP_BIT(CAP_SYS_CHROOT));
    assert_false(f->l.caps_keep & VSH_CAP_BIT(CAP_DAC_READ_SEARCH));
    assert_true(f->l.no_new_privs);
    assert_false(f->l.drop_user);
    assert_int_equal(f->l.n_mounts, 1);
    assert_string_equal(f->l.mounts[0].target, "/proc");
    assert_true(f->l.mounts[0].readonly);
    assert_int_equal(f->l.limits.memory_hard_bytes, 64ULL << 20);
    assert_int_equal(f->l.limits.pids_max, 4096);
    assert_int_equal(f->l.limits.cpu_quota_us, -1);
}

static void
test_inituser_is_read_from_the_rootfs(void **state)
{
    fixture *f = *state;
    size_t i;
    bool wheel = false;

    assert_int_equal(build(f, NULL, NULL, "<inituser>user</inituser><initgroup>user</initgroup>",
                           NULL), 0);
    assert_true(f->l.drop_user);
    assert_int_equal(f->l.uid, 1000);
    assert_int_equal(f->l.gid, 1000);
    assert_true(env_has(&f->l, "HOME=/home/user"));
    for (i = 0; i < f->l.n_groups; i++)
        wheel |= f->l.groups[i] == 10;
    assert_true(wheel);

    assert_int_equal(build(f, NULL, NULL, "<inituser>1234</inituser><initgroup>55</initgroup>",
                           NULL), 0);
    assert_int_equal(f->l.uid, 1234);
    assert_int_equal(f->l.gid, 55);
}

static void
test_unknown_user_is_an_error(void **state)
{
    fixture *f = *state;
    g_autoptr(GError) err = NULL;

    assert_int_equal(build(f, NULL, NULL, "<inituser>nobody</inituser>"
                                          "<initgroup>user</initgroup>", &err), -1);
    assert_non_null(strstr(err->message, "user 'nobody' not found"));
}

/* A guest's /etc/passwd pointing out of the rootfs is resolved inside it instead. */
static void
test_passwd_symlink_never_leaves_the_rootfs(void **state)
{
    fixture *f = *state;
    g_autofree char *passwd = g_build_filename(f->rootfs, "etc/passwd", NULL);
    g_autoptr(GError) err = NULL;

    put_file(f->tmp, "outside/passwd", "evil:x:4242:4242::/evil:/bin/sh\n");
    assert_int_equal(unlink(passwd), 0);
    assert_int_equal(symlink("../../outside/passwd", passwd), 0);
    assert_int_equal(build(f, NULL, NULL, "<inituser>evil</inituser>"
                                          "<initgroup>user</initgroup>", &err), -1);
    assert_non_null(strstr(err->message, "user 'evil' not found"));
}

static void
test_metadata_adjusts_caps_rlimits_and_pids(void **state)
{
    fixture *f = *state;
    g_autoptr(GError) err = NULL;
    g_autofree char *bad = NULL;
    const char *meta =
        "<metadata><vsh:vsh xmlns:vsh='urn:vsh:domain:1.0'><vsh:pids limit='20'/>"
        "<vsh:capability name='CAP_SYS_PTRACE' keep='yes'/>"
        "<vsh:capability name='CAP_CHOWN' keep='no'/>"
        "<vsh:rlimit name='nofile' soft='10' hard='20'/></vsh:vsh></metadata>";
    size_t i;
    bool nofile = false;

    assert_int_equal(build(f, meta, "<cputune><shares>512</shares></cputune>"
                           "<memtune><hard_limit unit='MiB'>32</hard_limit></memtune>", NULL,
                           NULL), 0);
    assert_true(f->l.caps_keep & VSH_CAP_BIT(CAP_SYS_PTRACE));
    assert_false(f->l.caps_keep & VSH_CAP_BIT(CAP_CHOWN));
    assert_int_equal(f->l.limits.pids_max, 20);
    assert_int_equal(f->l.limits.cpu_shares, 512);
    assert_int_equal(f->l.limits.memory_hard_bytes, 32ULL << 20);
    for (i = 0; i < f->l.n_rlimits; i++) {
        if (f->l.rlimits[i].resource == RLIMIT_NOFILE) {
            assert_false(nofile);
            nofile = true;
            assert_int_equal(f->l.rlimits[i].soft, 10);
            assert_int_equal(f->l.rlimits[i].hard, 20);
        }
    }
    assert_true(nofile);

    /* the parser refuses an unknown name; one that got into a definition all the same (an
     * older vsh's) is refused at start */
    bad = build_xml(f, "<metadata><vsh:vsh xmlns:vsh='urn:vsh:domain:1.0'>"
                       "<vsh:capability name='CAP_FLY' keep='yes'/></vsh:vsh></metadata>",
                    NULL, NULL);
    assert_null(vsh_domain_def_parse_string(bad, "t.xml", 0, &err));
    assert_non_null(strstr(err->message, "unknown capability 'CAP_FLY'"));
    g_clear_error(&err);
    g_ptr_array_add(f->obj.def->vsh.caps_keep, g_strdup("CAP_FLY"));
    vsh_launch_clear(&f->l);
    assert_int_equal(vsh_supervise_launch_build(&jail_ops, &f->obj, f->obj.def, &f->l, &err), -1);
    assert_non_null(strstr(err->message, "unknown capability 'CAP_FLY' in domain 'j'"));
}

static void
test_monitor_path_rule(void **state)
{
    g_autofree char *build_path = NULL;
    g_autofree char *env_path = NULL;

    (void) state;
    g_unsetenv("VSH_MONITOR");
    build_path = vsh_supervise_monitor_path();
    /* this test program lives in the build tree, so it gets the build tree's monitor */
    assert_string_equal(build_path, VSH_BUILD_LIBEXECDIR "/vsh-monitor");
    g_setenv("VSH_MONITOR", "/opt/x/vsh-monitor", TRUE);
    env_path = vsh_supervise_monitor_path();
    assert_string_equal(env_path, "/opt/x/vsh-monitor");
    g_unsetenv("VSH_MONITOR");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jail_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inituser_is_read_from_the_rootfs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_user_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passwd_symlink_never_leaves_the_rootfs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_metadata_adjusts_caps_rlimits_and_pids, setup,
                                        teardown),
        cmocka_unit_test(test_monitor_path_rule),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
