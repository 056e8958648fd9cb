/*
 * test-cgroup.c — core/cgroup.c against directory trees laid out like cgroupfs (v1,
 * hybrid, pure v2), with a mountinfo written for them; plus one group on the real host
 * when running as root.
 *
 * On a fake tree the library appends each value it writes as a line (create_files), so
 * the tests see exactly what the kernel would have been told, in order.
 */
#include <config.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cgroup.h"

typedef struct {
    char root[PATH_MAX];        /* the fake cgroup root */
    char mountinfo[PATH_MAX];
    char tmp[256];
} fixture;

static void
xwrite(const char *dir, const char *file, const char *text)
{
    char path[PATH_MAX * 2];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

static char *
xread(const char *dir, const char *rel)
{
    static char buf[4096];
    char path[PATH_MAX * 2];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if (!(f = fopen(path, "r")))
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
xmkdir(const char *root, const char *rel)
{
    char path[PATH_MAX * 2];

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    snprintf(f->tmp, sizeof(f->tmp), "/tmp/test-cgroup-XXXXXX");
    if (!mkdtemp(f->tmp))
        return -1;
    snprintf(f->root, sizeof(f->root), "%s/cg", f->tmp);
    snprintf(f->mountinfo, sizeof(f->mountinfo), "%s/mountinfo", f->tmp);
    mkdir(f->root, 0755);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    char cmd[PATH_MAX + 16];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* mountinfo lines for the fake tree; %1$s is the root */
#define MI_OTHER "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n" \
                 "30 22 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
#define MI_V1 "40 22 0:30 / %1$s/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n" \
              "41 22 0:31 / %1$s/memory rw - cgroup cgroup rw,memory\n" \
              "42 22 0:32 / %1$s/pids rw - cgroup cgroup rw,pids\n" \
              "43 22 0:33 / %1$s/freezer rw - cgroup cgroup rw,freezer\n" \
              "44 22 0:34 / %1$s/cpuset rw - cgroup cgroup rw,cpuset\n" \
              "45 22 0:35 / %1$s/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
#define MI_UNIFIED "46 22 0:36 / %1$s/unified rw - cgroup2 cgroup2 rw\n"
#define MI_V2 "47 22 0:37 / %1$s rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"

static void write_mountinfo(fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
write_mountinfo(fixture *f, const char *fmt, ...)
{
    FILE *mi = fopen(f->mountinfo, "w");
    va_list ap;

    assert_non_null(mi);
    va_start(ap, fmt);
    vfprintf(mi, fmt, ap);
    va_end(ap);
    fclose(mi);
}

/* A v1 tree: one directory per mount, cpuset with its root values. */
static void
make_v1_tree(fixture *f, int hybrid)
{
    static const char *const dirs[] = { "cpu,cpuacct", "memory", "pids", "freezer", "cpuset",
                                        "systemd" };
    char path[PATH_MAX * 2];
    size_t i;

    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        xmkdir(f->root, dirs[i]);
    snprintf(path, sizeof(path), "%s/cpuset", f->root);
    xwrite(path, "cpuset.cpus", "0-1\n");
    xwrite(path, "cpuset.mems", "0\n");
    if (hybrid)
        xmkdir(f->root, "unified");
    if (hybrid)
        write_mountinfo(f, MI_OTHER MI_V1 MI_UNIFIED, f->root);
    else
        write_mountinfo(f, MI_OTHER MI_V1, f->root);
}

static void
make_v2_tree(fixture *f)
{
    xwrite(f->root, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    write_mountinfo(f, MI_OTHER MI_V2, f->root);
}

static void
open_fake(fixture *f, struct vsh_cgroup *cg, const char *path)
{
    assert_int_equal(vsh_cgroup_open(cg, f->root, f->mountinfo, path), 0);
    cg->create_files = 1;
}

static void
test_v1_layout_is_detected(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char expect[PATH_MAX * 2];

    make_v1_tree(f, 0);
    open_fake(f, &cg, "vsh/web");
    assert_int_equal(cg.layout, VSH_CGROUP_LAYOUT_V1);
    assert_null(cg.unified);
    snprintf(expect, sizeof(expect), "%s/cpu,cpuacct", f->root);
    assert_string_equal(cg.v1[VSH_CGROUP_CPU], expect);
    assert_string_equal(cg.v1[VSH_CGROUP_CPUACCT], expect);
    snprintf(expect, sizeof(expect), "%s/memory", f->root);
    /* the host's own /sys/fs/cgroup/memory line is outside the root and ignored */
    assert_string_equal(cg.v1[VSH_CGROUP_MEMORY], expect);
    assert_true(vsh_cgroup_has_controller(&cg, VSH_CGROUP_FREEZER));
    vsh_cgroup_clear(&cg);
}

static void
test_hybrid_layout_is_detected(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;

    make_v1_tree(f, 1);
    open_fake(f, &cg, "vsh/web");
    assert_int_equal(cg.layout, VSH_CGROUP_LAYOUT_HYBRID);
    assert_non_null(cg.unified);
    assert_string_equal(vsh_cgroup_layout_to_string(cg.layout), "hybrid");
    vsh_cgroup_clear(&cg);
}

static void
test_v2_layout_is_detected(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;

    make_v2_tree(f);
    open_fake(f, &cg, "vsh/web");
    assert_int_equal(cg.layout, VSH_CGROUP_LAYOUT_V2);
    assert_string_equal(cg.unified, f->root);
    assert_true(vsh_cgroup_has_controller(&cg, VSH_CGROUP_PIDS));
    assert_true(vsh_cgroup_has_controller(&cg, VSH_CGROUP_FREEZER));
    vsh_cgroup_clear(&cg);
}

static void
test_no_cgroup_and_bad_paths_are_refused(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    static const char *const bad[] = { "", "/vsh/a", "vsh/../etc", "vsh//a", "vsh/a/", "." };
    size_t i;

    write_mountinfo(f, "%s", MI_OTHER);
    assert_int_equal(vsh_cgroup_open(&cg, f->root, f->mountinfo, "vsh/a"), -1);
    assert_int_equal(errno, ENOENT);
    make_v2_tree(f);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(vsh_cgroup_open(&cg, f->root, f->mountinfo, bad[i]), -1);
        assert_int_equal(errno, EINVAL);
    }
}

static void
test_v1_create_copies_cpuset_and_writes_limits(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char mem[PATH_MAX * 2];

    make_v1_tree(f, 1);
    open_fake(f, &cg, "vsh-test/web");
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_string_equal(xread(f->root, "cpuset/vsh-test/cpuset.cpus"), "0-1\n\n");
    /* each level copies its parent's value (here with the fake tree's line endings) */
    assert_string_equal(xread(f->root, "cpuset/vsh-test/web/cpuset.mems"), "0\n\n\n");
    assert_non_null(xread(f->root, "pids/vsh-test/web/."));
    /* the hybrid host's unified mount is not used */
    assert_null(xread(f->root, "unified/vsh-test/web/."));

    assert_int_equal(vsh_cgroup_set_memory_hard(&cg, 256ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_memory_soft(&cg, 128ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_memory_swap(&cg, 256ULL << 20, 512ULL << 20), -1);
    assert_int_equal(errno, ENOTSUP);           /* no swap accounting on this "kernel" */
    snprintf(mem, sizeof(mem), "%s/memory/vsh-test/web", f->root);
    xwrite(mem, "memory.memsw.limit_in_bytes", "");
    assert_int_equal(vsh_cgroup_set_memory_swap(&cg, 256ULL << 20, 512ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_cpu_shares(&cg, 512), 0);
    assert_int_equal(vsh_cgroup_set_cpu_bandwidth(&cg, 50000, 25000), 0);
    assert_int_equal(vsh_cgroup_set_cpu_bandwidth(&cg, 0, -1), 0);
    assert_int_equal(vsh_cgroup_set_cpuset(&cg, "1"), 0);
    assert_int_equal(vsh_cgroup_set_pids_max(&cg, 100), 0);
    assert_int_equal(vsh_cgroup_set_pids_max(&cg, 0), 0);
    assert_int_equal(vsh_cgroup_attach(&cg, 4242), 0);

    assert_string_equal(xread(mem, "memory.limit_in_bytes"), "268435456\n");
    assert_string_equal(xread(mem, "memory.soft_limit_in_bytes"), "134217728\n");
    assert_string_equal(xread(mem, "memory.memsw.limit_in_bytes"), "536870912\n");
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/cpu.shares"), "512\n");
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/cpu.cfs_period_us"),
                        "50000\n");
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/cpu.cfs_quota_us"),
                        "25000\n-1\n");
    assert_string_equal(xread(f->root, "cpuset/vsh-test/web/cpuset.cpus"), "0-1\n\n\n1\n");
    assert_string_equal(xread(f->root, "pids/vsh-test/web/pids.max"), "100\nmax\n");
    /* once per distinct mount: cpu and cpuacct share one */
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/cgroup.procs"), "4242\n");
    assert_string_equal(xread(f->root, "freezer/vsh-test/web/cgroup.procs"), "4242\n");
    /* the caller moving itself goes through the tasks files, never cgroup.procs */
    assert_int_equal(vsh_cgroup_attach_self(&cg), 0);
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/tasks"), "0\n");
    assert_string_equal(xread(f->root, "memory/vsh-test/web/tasks"), "0\n");
    assert_string_equal(xread(f->root, "cpuset/vsh-test/web/tasks"), "0\n");
    assert_string_equal(xread(f->root, "freezer/vsh-test/web/cgroup.procs"), "4242\n");
    vsh_cgroup_clear(&cg);
}

/* The files a task joins through: one per mounted hierarchy (cpu and cpuacct share one),
 * v1's tasks and v2's cgroup.procs, each taking "0". Too little room: E2BIG, none open. */
static void
test_join_fds_name_each_hierarchy_once(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    int fds[VSH_CGROUP_CONTROLLER_LAST];
    int probe;
    int n;

    make_v1_tree(f, 1);
    open_fake(f, &cg, "vsh-test/web");
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    probe = open("/dev/null", O_RDONLY);
    close(probe);
    assert_int_equal(vsh_cgroup_open_join_fds(&cg, fds, 2), -1);
    assert_int_equal(errno, E2BIG);
    n = vsh_cgroup_open_join_fds(&cg, fds, VSH_CGROUP_CONTROLLER_LAST);
    /* cpu,cpuacct memory pids freezer cpuset (blkio only when asked) */
    assert_int_equal(n, 5);
    assert_int_equal(vsh_cgroup_join_fds(fds, (size_t) n), 0);
    while (n > 0)
        close(fds[--n]);
    /* every descriptor was closed again, the refused call's included */
    assert_int_equal(open("/dev/null", O_RDONLY), probe);
    close(probe);
    assert_string_equal(xread(f->root, "cpu,cpuacct/vsh-test/web/tasks"), "0");
    assert_string_equal(xread(f->root, "memory/vsh-test/web/tasks"), "0");
    assert_string_equal(xread(f->root, "freezer/vsh-test/web/tasks"), "0");
    assert_null(xread(f->root, "freezer/vsh-test/web/cgroup.procs"));
    vsh_cgroup_clear(&cg);

    make_v2_tree(f);
    open_fake(f, &cg, "vsh-test/v2");
    xmkdir(f->root, "vsh-test");
    xwrite(f->root, "vsh-test/cgroup.controllers", "cpu memory pids\n");
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_int_equal(vsh_cgroup_open_join_fds(&cg, fds, VSH_CGROUP_CONTROLLER_LAST), 1);
    assert_int_equal(vsh_cgroup_join_fds(fds, 1), 0);
    close(fds[0]);
    assert_string_equal(xread(f->root, "vsh-test/v2/cgroup.procs"), "0");
    vsh_cgroup_clear(&cg);
}

static void
test_v2_create_enables_controllers_and_converts_limits(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char dir[PATH_MAX * 2];

    make_v2_tree(f);
    open_fake(f, &cg, "vsh-test/web");
    xmkdir(f->root, "vsh-test");
    xwrite(f->root, "vsh-test/cgroup.controllers", "cpu memory pids\n");
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_string_equal(xread(f->root, "cgroup.subtree_control"),
                        "+cpu\n+memory\n+pids\n+cpuset\n");
    assert_string_equal(xread(f->root, "vsh-test/cgroup.subtree_control"),
                        "+cpu\n+memory\n+pids\n");

    snprintf(dir, sizeof(dir), "%s/vsh-test/web", f->root);
    assert_int_equal(vsh_cgroup_set_memory_hard(&cg, 256ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_memory_soft(&cg, 128ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_memory_swap(&cg, 256ULL << 20, 512ULL << 20), 0);
    assert_int_equal(vsh_cgroup_set_memory_swap(&cg, 256ULL << 20, 128ULL << 20), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(vsh_cgroup_set_memory_hard(&cg, 0), 0);
    assert_int_equal(vsh_cgroup_set_cpu_shares(&cg, 512), 0);
    assert_int_equal(vsh_cgroup_set_cpu_bandwidth(&cg, 0, 50000), 0);
    assert_int_equal(vsh_cgroup_set_cpu_bandwidth(&cg, 20000, -1), 0);
    assert_int_equal(vsh_cgroup_set_pids_max(&cg, 64), 0);
    assert_int_equal(vsh_cgroup_attach(&cg, 4242), 0);

    assert_string_equal(xread(dir, "memory.max"), "268435456\nmax\n");
    assert_string_equal(xread(dir, "memory.high"), "134217728\n");
    assert_string_equal(xread(dir, "memory.swap.max"), "268435456\n");
    assert_string_equal(xread(dir, "cpu.weight"), "50\n");
    assert_string_equal(xread(dir, "cpu.max"), "50000 100000\nmax 20000\n");
    assert_string_equal(xread(dir, "pids.max"), "64\n");
    assert_string_equal(xread(dir, "cgroup.procs"), "4242\n");
    /* v2 domain groups take a whole process only: the caller writes 0 to cgroup.procs */
    assert_int_equal(vsh_cgroup_attach_self(&cg), 0);
    assert_string_equal(xread(dir, "cgroup.procs"), "4242\n0\n");
    assert_null(xread(dir, "cgroup.threads"));
    vsh_cgroup_clear(&cg);
}

static void
test_shares_convert_to_weight_as_systemd_does(void **state)
{
    (void) state;
    assert_int_equal(vsh_cgroup_shares_to_weight(2), 1);
    assert_int_equal(vsh_cgroup_shares_to_weight(1024), 100);
    assert_int_equal(vsh_cgroup_shares_to_weight(512), 50);
    assert_int_equal(vsh_cgroup_shares_to_weight(10240), 1000);
    assert_int_equal(vsh_cgroup_shares_to_weight(262144), 10000);
    assert_int_equal(vsh_cgroup_shares_to_weight(ULLONG_MAX), 10000);
}

/* A fake v2 tree with the group "web" open in @cg and made; @dir gets its directory. */
static void
open_web_v2(fixture *f, struct vsh_cgroup *cg, char *dir, size_t size)
{
    make_v2_tree(f);
    open_fake(f, cg, "web");
    xmkdir(f->root, "web");
    snprintf(dir, size, "%s/web", f->root);
}

/* The v2 tree replaced by a v1 one (no unified mount), with "web" open in @cg. */
static void
reopen_web_v1(fixture *f, struct vsh_cgroup *cg)
{
    assert_int_equal(unlink(f->mountinfo), 0);
    make_v1_tree(f, 0);
    open_fake(f, cg, "web");
}

static void
test_usage_is_read_from_each_layout(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    unsigned long long v = 0;
    unsigned long long user = 0;
    unsigned long long sys = 0;
    unsigned long long *percpu = NULL;
    char dir[PATH_MAX * 2];

    open_web_v2(f, &cg, dir, sizeof(dir));
    xwrite(dir, "cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
    xwrite(dir, "memory.current", "8192\n");
    xwrite(dir, "memory.stat", "anon_thp 0\nanon 4096\nfile 12288\n");
    assert_int_equal(vsh_cgroup_get_cpu_time(&cg, &v), 0);
    assert_int_equal(v, 1500000);
    assert_int_equal(vsh_cgroup_get_memory_usage(&cg, &v), 0);
    assert_int_equal(v, 8192);
    assert_int_equal(vsh_cgroup_get_memory_stat(&cg, "anon", &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(vsh_cgroup_get_memory_stat(&cg, "shmem", &v), -1);
    /* cpu-stats: user and system from cpu.stat; no per-CPU times on v2 */
    assert_int_equal(vsh_cgroup_get_cpu_times(&cg, &user, &sys), 0);
    assert_int_equal(user, 1000000);
    assert_int_equal(sys, 500000);
    assert_int_equal(vsh_cgroup_get_cpu_time_percpu(&cg, &percpu), -1);
    assert_int_equal(errno, ENOTSUP);
    assert_null(percpu);
    vsh_cgroup_clear(&cg);

    reopen_web_v1(f, &cg);
    xmkdir(f->root, "cpu,cpuacct/web");
    xmkdir(f->root, "memory/web");
    xwrite(f->root, "cpu,cpuacct/web/cpuacct.usage", "123456789\n");
    xwrite(f->root, "memory/web/memory.usage_in_bytes", "4096\n");
    assert_int_equal(vsh_cgroup_get_cpu_time(&cg, &v), 0);
    assert_int_equal(v, 123456789);
    assert_int_equal(vsh_cgroup_get_memory_usage(&cg, &v), 0);
    assert_int_equal(v, 4096);
    /* user and system in USER_HZ ticks; one number per possible CPU, as the kernel
     * writes them (a space after the last) */
    xwrite(f->root, "cpu,cpuacct/web/cpuacct.stat", "user 250\nsystem 30\n");
    assert_int_equal(vsh_cgroup_get_cpu_times(&cg, &user, &sys), 0);
    assert_int_equal(user, 250 * (1000000000ULL / (unsigned long long) sysconf(_SC_CLK_TCK)));
    assert_int_equal(sys, 30 * (1000000000ULL / (unsigned long long) sysconf(_SC_CLK_TCK)));
    xwrite(f->root, "cpu,cpuacct/web/cpuacct.usage_percpu", "100000000 23456789 0 \n");
    assert_int_equal(vsh_cgroup_get_cpu_time_percpu(&cg, &percpu), 3);
    assert_int_equal(percpu[0], 100000000);
    assert_int_equal(percpu[1], 23456789);
    assert_int_equal(percpu[2], 0);
    free(percpu);
    xwrite(f->root, "cpu,cpuacct/web/cpuacct.usage_percpu", "12 x4\n");
    assert_int_equal(vsh_cgroup_get_cpu_time_percpu(&cg, &percpu), -1);
    assert_int_equal(errno, EINVAL);
    assert_null(percpu);
    vsh_cgroup_clear(&cg);
}

static void
test_memory_limits_are_read_back_from_each_layout(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    unsigned long long hard = 1;
    unsigned long long soft = 1;
    unsigned long long swap = 1;
    char dir[PATH_MAX * 2];

    open_web_v2(f, &cg, dir, sizeof(dir));
    xwrite(dir, "memory.max", "268435456\n");
    xwrite(dir, "memory.high", "max\n");
    /* swap alone: memory + swap is the sum */
    xwrite(dir, "memory.swap.max", "268435456\n");
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), 0);
    assert_true(hard == 256ULL << 20 && soft == 0 && swap == 512ULL << 20);
    /* no swap at all: memory + swap is the memory limit */
    xwrite(dir, "memory.swap.max", "0\n");
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), 0);
    assert_true(swap == 256ULL << 20);
    xwrite(dir, "memory.max", "max\n");
    xwrite(dir, "memory.high", "134217728\n");
    xwrite(dir, "memory.swap.max", "max\n");
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), 0);
    assert_true(hard == 0 && soft == 128ULL << 20 && swap == 0);
    xwrite(dir, "memory.high", "lots\n");
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), -1);
    vsh_cgroup_clear(&cg);

    reopen_web_v1(f, &cg);
    xmkdir(f->root, "memory/web");
    snprintf(dir, sizeof(dir), "%s/memory/web", f->root);
    /* what the kernel shows for "-1" (no limit): LLONG_MAX rounded down to a page */
    xwrite(dir, "memory.limit_in_bytes", "67108864\n");
    xwrite(dir, "memory.soft_limit_in_bytes", "9223372036854771712\n");
    /* no memory.memsw.* without swap accounting: no limit */
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), 0);
    assert_true(hard == 64ULL << 20 && soft == 0 && swap == 0);
    xwrite(dir, "memory.memsw.limit_in_bytes", "134217728\n");
    assert_int_equal(vsh_cgroup_get_memory_limits(&cg, &hard, &soft, &swap), 0);
    assert_true(swap == 128ULL << 20);
    vsh_cgroup_clear(&cg);
}

static void
test_freeze_waits_for_the_kernel(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;

    make_v2_tree(f);
    open_fake(f, &cg, "web");
    xmkdir(f->root, "web");
    xwrite(f->root, "web/cgroup.events", "populated 1\nfrozen 0\n");
    assert_int_equal(vsh_cgroup_freeze(&cg, 5), -1);
    assert_int_equal(errno, ETIMEDOUT);
    xwrite(f->root, "web/cgroup.events", "populated 1\nfrozen 1\n");
    assert_int_equal(vsh_cgroup_freeze(&cg, 5), 0);
    assert_int_equal(vsh_cgroup_thaw(&cg), 0);
    assert_string_equal(xread(f->root, "web/cgroup.freeze"), "1\n1\n0\n");
    vsh_cgroup_clear(&cg);

    reopen_web_v1(f, &cg);
    xmkdir(f->root, "freezer/web");
    xwrite(f->root, "freezer/web/freezer.state", "");
    assert_int_equal(vsh_cgroup_freeze(&cg, 5), 0);
    assert_int_equal(vsh_cgroup_is_frozen(&cg), 1);
    xwrite(f->root, "freezer/web/freezer.state", "FREEZING\n");
    assert_int_equal(vsh_cgroup_freeze(&cg, 5), -1);
    assert_int_equal(errno, ETIMEDOUT);
    vsh_cgroup_clear(&cg);
}

static pid_t
spawn_sleeper(void)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void
test_kill_all_signals_every_listed_process(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char procs[64];
    pid_t a = spawn_sleeper();
    pid_t b = spawn_sleeper();
    pid_t *pids = NULL;
    int status;

    make_v1_tree(f, 0);
    open_fake(f, &cg, "web");
    xmkdir(f->root, "freezer/web");
    xwrite(f->root, "freezer/web/freezer.state", "");
    snprintf(procs, sizeof(procs), "%d\n%d\n", (int) a, (int) b);
    xwrite(f->root, "freezer/web/cgroup.procs", procs);
    assert_int_equal(vsh_cgroup_get_pids(&cg, &pids), 2);
    assert_int_equal(pids[1], b);
    free(pids);
    /* the fake cgroup.procs never empties, so this times out, but both were killed */
    assert_int_equal(vsh_cgroup_kill_all(&cg, 2), -1);
    assert_int_equal(errno, ETIMEDOUT);
    assert_int_equal(waitpid(a, &status, 0), a);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(waitpid(b, &status, 0), b);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* and the group was thawed after each round */
    assert_string_equal(xread(f->root, "freezer/web/freezer.state") +
                        strlen(xread(f->root, "freezer/web/freezer.state")) - 7, "THAWED\n");
    vsh_cgroup_clear(&cg);
}

/* Writes one mountinfo line of an unrelated tmpfs, exactly @len bytes long (@len >= 40). */
static void
write_other_mount(FILE *fp, size_t len)
{
    int k = fprintf(fp, "9 1 0:9 / /m rw - tmpfs t rw");

    for (; (size_t) k < len - 1; k++)
        fputc('x', fp);
    fputc('\n', fp);
}

/*
 * mountinfo and cgroup.procs are read on the stack when they fit (8 and 4 KiB): files
 * of every length around those sizes, and far beyond, are read whole. The cgroup mounts
 * come last in mountinfo, and the pids run to the end of cgroup.procs.
 */
static void
test_long_mountinfo_and_procs_are_read_whole(void **state)
{
    static const size_t lengths[] = { 4090, 4095, 4096, 4097, 8185, 8191, 8192, 8193, 70000 };
    fixture *f = *state;
    const size_t cg_lines = strlen(MI_V1) - 6 * strlen("%1$s") + 6 * strlen(f->root);
    char procs_path[PATH_MAX * 2];
    size_t i;

    make_v1_tree(f, 0);
    xmkdir(f->root, "freezer/big");     /* the group's processes are listed there */
    snprintf(procs_path, sizeof(procs_path), "%s/freezer/big/cgroup.procs", f->root);
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        size_t len = lengths[i];
        size_t other = len - cg_lines;
        struct vsh_cgroup cg;
        pid_t *pids = NULL;
        size_t n = 0;
        FILE *fp;

        /* mountinfo: unrelated mounts padded to the length, then the cgroup mounts */
        assert_non_null(fp = fopen(f->mountinfo, "w"));
        for (; other >= 150; other -= 100)
            write_other_mount(fp, 100);
        write_other_mount(fp, other);
        fprintf(fp, MI_V1, f->root);
        assert_int_equal(ftell(fp), (long) len);
        fclose(fp);
        open_fake(f, &cg, "big");
        assert_int_equal(cg.layout, VSH_CGROUP_LAYOUT_V1);
        assert_non_null(cg.v1[VSH_CGROUP_PIDS]);

        /* cgroup.procs: "1000000\n" and up, and a last pid padded with zeros to the length */
        assert_non_null(fp = fopen(procs_path, "w"));
        while (ftell(fp) + 16 <= (long) len)
            fprintf(fp, "%zu\n", 1000000 + n++);
        while (ftell(fp) < (long) len - 8)
            fputc('0', fp);
        fputs("7654321\n", fp);
        assert_int_equal(ftell(fp), (long) len);
        fclose(fp);
        assert_int_equal(vsh_cgroup_get_pids(&cg, &pids), (int) n + 1);
        assert_int_equal(pids[0], 1000000);
        assert_int_equal(pids[n - 1], (pid_t) (1000000 + n - 1));
        assert_int_equal(pids[n], 7654321);
        free(pids);
        vsh_cgroup_clear(&cg);
    }
}

static void
test_kill_all_uses_cgroup_kill_on_v2(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;

    make_v2_tree(f);
    open_fake(f, &cg, "web");
    xmkdir(f->root, "web");
    xwrite(f->root, "web/cgroup.kill", "");
    xwrite(f->root, "web/cgroup.procs", "999999999\n");
    assert_int_equal(vsh_cgroup_kill_all(&cg, 1), -1);
    assert_int_equal(strncmp(xread(f->root, "web/cgroup.kill"), "1\n", 2), 0);
    xwrite(f->root, "web/cgroup.procs", "");
    assert_int_equal(vsh_cgroup_kill_all(&cg, 1), 0);
    vsh_cgroup_clear(&cg);
}

static void
test_remove_deletes_the_group_only(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;

    make_v2_tree(f);
    open_fake(f, &cg, "vsh-test/web");
    xmkdir(f->root, "vsh-test");
    xmkdir(f->root, "vsh-test/web");
    assert_int_equal(vsh_cgroup_remove(&cg), 0);
    assert_null(xread(f->root, "vsh-test/web/."));
    assert_non_null(xread(f->root, "vsh-test/."));
    assert_int_equal(vsh_cgroup_remove(&cg), 0);    /* already gone */
    vsh_cgroup_clear(&cg);
}

#define MI_BLKIO "48 22 0:38 / %1$s/blkio rw - cgroup cgroup rw,blkio\n"

/* v1: the blkio hierarchy is used only by a group opened with_blkio (others spare its
 * cost); its weight and per-device settings go to the files the kernel has, and adopting
 * moves the group's processes in. */
static void
test_v1_blkio_only_when_asked(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char dir[PATH_MAX * 2];

    make_v1_tree(f, 0);
    xmkdir(f->root, "blkio");
    write_mountinfo(f, MI_OTHER MI_V1 MI_BLKIO, f->root);
    open_fake(f, &cg, "vsh-test/web");
    assert_true(vsh_cgroup_has_controller(&cg, VSH_CGROUP_BLKIO));
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_int_equal(vsh_cgroup_attach(&cg, 4242), 0);
    assert_null(xread(f->root, "blkio/vsh-test/web/."));
    assert_false(vsh_cgroup_group_exists(&cg, VSH_CGROUP_BLKIO));
    assert_true(vsh_cgroup_group_exists(&cg, VSH_CGROUP_MEMORY));
    assert_int_equal(vsh_cgroup_set_blkio_weight(&cg, 500), -1);
    assert_int_equal(errno, ENOENT);

    cg.with_blkio = 1;
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_non_null(xread(f->root, "blkio/vsh-test/web/."));
    assert_true(vsh_cgroup_group_exists(&cg, VSH_CGROUP_BLKIO));
    /* the group's processes follow: here the freezer's list */
    xwrite(f->root, "freezer/vsh-test/web/cgroup.procs", "100\n200\n");
    assert_int_equal(vsh_cgroup_adopt(&cg, VSH_CGROUP_BLKIO), 0);
    snprintf(dir, sizeof(dir), "%s/blkio/vsh-test/web", f->root);
    assert_string_equal(xread(dir, "cgroup.procs"), "100\n200\n");
    assert_int_equal(vsh_cgroup_attach_self(&cg), 0);
    assert_string_equal(xread(dir, "tasks"), "0\n");

    /* a kernel with neither weight file (no BFQ, no CFQ): ENOTSUP */
    cg.create_files = 0;
    assert_int_equal(vsh_cgroup_set_blkio_weight(&cg, 500), -1);
    assert_int_equal(errno, ENOTSUP);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_READ_BPS, 1), -1);
    assert_int_equal(errno, ENOTSUP);
    cg.create_files = 1;
    /* BFQ's files when the kernel has them, else CFQ's */
    xwrite(dir, "blkio.bfq.weight", "");
    assert_int_equal(vsh_cgroup_set_blkio_weight(&cg, 500), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_WEIGHT, 300), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_READ_BPS,
                                                 1048576), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_WRITE_IOPS, 0),
                     0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, 7, 1), -1);
    assert_int_equal(errno, EINVAL);
    assert_string_equal(xread(dir, "blkio.bfq.weight"), "500\n");
    assert_null(xread(dir, "blkio.weight"));
    assert_string_equal(xread(dir, "blkio.weight_device"), "8:16 300\n");
    assert_string_equal(xread(dir, "blkio.throttle.read_bps_device"), "8:16 1048576\n");
    assert_string_equal(xread(dir, "blkio.throttle.write_iops_device"), "8:16 0\n");
    vsh_cgroup_clear(&cg);
}

/* v2: io is enabled for a group opened with_blkio; "default N" for the group's weight,
 * "MAJ:MIN default" to take a device's off, io.max keys with "max" for no limit. */
static void
test_v2_io_weights_and_limits(void **state)
{
    fixture *f = *state;
    struct vsh_cgroup cg;
    char dir[PATH_MAX * 2];

    make_v2_tree(f);
    xmkdir(f->root, "vsh-test");
    xwrite(f->root, "vsh-test/cgroup.controllers", "cpu io memory pids\n");
    open_fake(f, &cg, "vsh-test/db");
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_string_equal(xread(f->root, "vsh-test/cgroup.subtree_control"),
                        "+cpu\n+memory\n+pids\n");
    vsh_cgroup_clear(&cg);

    open_fake(f, &cg, "vsh-test/web");
    cg.with_blkio = 1;
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_string_equal(xread(f->root, "vsh-test/cgroup.subtree_control"),
                        "+cpu\n+memory\n+pids\n+cpu\n+memory\n+pids\n+io\n");
    assert_int_equal(vsh_cgroup_adopt(&cg, VSH_CGROUP_BLKIO), 0);
    snprintf(dir, sizeof(dir), "%s/vsh-test/web", f->root);
    assert_null(xread(dir, "cgroup.procs"));
    assert_int_equal(vsh_cgroup_set_blkio_weight(&cg, 500), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_WEIGHT, 300), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_WEIGHT, 0), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_READ_BPS,
                                                 1048576), 0);
    assert_int_equal(vsh_cgroup_set_blkio_device(&cg, 8, 16, VSH_CGROUP_BLKIO_WRITE_IOPS, 0),
                     0);
    assert_string_equal(xread(dir, "io.weight"), "default 500\n8:16 300\n8:16 default\n");
    assert_string_equal(xread(dir, "io.max"), "8:16 rbps=1048576\n8:16 wiops=max\n");
    /* BFQ's weight file takes the bare number */
    xwrite(dir, "io.bfq.weight", "");
    assert_int_equal(vsh_cgroup_set_blkio_weight(&cg, 200), 0);
    assert_string_equal(xread(dir, "io.bfq.weight"), "200\n");
    vsh_cgroup_clear(&cg);
}

/* The real host: a group with a process in it is frozen, killed and removed. */
static void
test_real_host_group_lifecycle(void **state)
{
    struct vsh_cgroup cg;
    char path[64];
    pid_t child;
    pid_t *pids = NULL;
    int status;

    (void) state;
    if (geteuid() != 0) {
        skip();
    }
    snprintf(path, sizeof(path), "vsh-test-cgroup-%d/probe", (int) getpid());
    if (vsh_cgroup_open(&cg, NULL, NULL, path) < 0)
        skip();
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    child = spawn_sleeper();
    assert_int_equal(vsh_cgroup_attach(&cg, child), 0);
    assert_int_equal(vsh_cgroup_set_pids_max(&cg, 10), 0);
    assert_int_equal(vsh_cgroup_set_memory_hard(&cg, 64ULL << 20), 0);
    assert_int_equal(vsh_cgroup_get_pids(&cg, &pids), 1);
    assert_int_equal(pids[0], child);
    free(pids);
    assert_int_equal(vsh_cgroup_freeze(&cg, 1000), 0);
    assert_int_equal(vsh_cgroup_is_frozen(&cg), 1);
    assert_int_equal(vsh_cgroup_thaw(&cg), 0);
    /* the test reaps its child, so the kill loop sees the group empty */
    assert_int_equal(vsh_cgroup_signal_all(&cg, SIGKILL), 1);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_int_equal(vsh_cgroup_kill_all(&cg, 1000), 0);
    assert_int_equal(vsh_cgroup_remove(&cg), 0);
    /* the test's partition */
    free(cg.path);
    snprintf(path, sizeof(path), "vsh-test-cgroup-%d", (int) getpid());
    cg.path = strdup(path);
    assert_int_equal(vsh_cgroup_remove(&cg), 0);
    vsh_cgroup_clear(&cg);
}

/* Whether @pid is listed in the group's cgroup.procs of the hierarchy mounted at @mount. */
static bool
group_lists(const char *mount, const char *path, pid_t pid)
{
    char file[PATH_MAX];
    char line[32];
    bool found = false;
    FILE *f;

    snprintf(file, sizeof(file), "%s/%s/cgroup.procs", mount, path);
    if (!(f = fopen(file, "re")))
        return false;
    while (!found && fgets(line, sizeof(line), f))
        found = atoi(line) == (int) pid;
    fclose(f);
    return found;
}

/* The real host: a child joins the group PARTITION/probe with @join (0 on success) and must
 * then be listed, as a whole process, in the group of every hierarchy the host has (blkio's
 * too). The child and the groups go before any verdict, so a failure leaves nothing. */
static void
real_host_child_joins(const char *name, int (*join)(const struct vsh_cgroup *cg, void *opaque),
                      void *opaque)
{
    struct vsh_cgroup cg;
    char partition[64];
    char path[sizeof(partition) + 8];
    int sync_pipe[2];
    char result = 0;
    bool listed = true;
    bool reaped;
    bool removed;
    pid_t child;
    int status;
    size_t i;

    if (geteuid() != 0)
        skip();
    snprintf(partition, sizeof(partition), "vsh-test-cgroup-%s-%d", name, (int) getpid());
    snprintf(path, sizeof(path), "%s/probe", partition);
    if (vsh_cgroup_open(&cg, NULL, NULL, path) < 0)
        skip();
    cg.with_blkio = 1;
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    assert_int_equal(pipe(sync_pipe), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char ok = join(&cg, opaque) == 0 ? 'y' : 'n';

        if (write(sync_pipe[1], &ok, 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(sync_pipe[1]);
    if (read(sync_pipe[0], &result, 1) != 1)
        result = 0;
    close(sync_pipe[0]);
    if (cg.layout == VSH_CGROUP_LAYOUT_V2) {
        listed = group_lists(cg.unified, cg.path, child);
    } else {
        for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++)
            listed = listed && (!cg.v1[i] || group_lists(cg.v1[i], cg.path, child));
    }
    (void) kill(child, SIGKILL);
    reaped = waitpid(child, &status, 0) == child;
    removed = vsh_cgroup_remove(&cg) == 0;
    free(cg.path);
    cg.path = strdup(partition);
    removed = vsh_cgroup_remove(&cg) == 0 && removed;
    vsh_cgroup_clear(&cg);
    assert_int_equal(result, 'y');
    assert_true(listed);
    assert_true(reaped);
    assert_true(removed);
}

static int
join_by_path(const struct vsh_cgroup *cg, void *opaque)
{
    (void) opaque;
    return vsh_cgroup_attach_self(cg);
}

/* The way init joins its group by path, whatever file the layout takes. */
static void
test_real_host_attach_self_moves_the_process(void **state)
{
    (void) state;
    real_host_child_joins("self", join_by_path, NULL);
}

/* The files opened while the tree is in view, then joined through chrooted into the empty
 * directory @opaque, out of its sight, as init is after pivot_root. */
static int
join_out_of_sight(const struct vsh_cgroup *cg, void *opaque)
{
    int fds[VSH_CGROUP_CONTROLLER_LAST];
    int n = vsh_cgroup_open_join_fds(cg, fds, VSH_CGROUP_CONTROLLER_LAST);

    if (n <= 0 || chroot(opaque) < 0 || chdir("/") < 0 || access("/sys/fs/cgroup", F_OK) == 0)
        return -1;
    return vsh_cgroup_join_fds(fds, (size_t) n);
}

/* An empty directory for the test, removed by the teardown even when the test fails. */
static int
setup_empty_dir(void **state)
{
    static char empty[] = "/tmp/vsh-test-cgroup-XXXXXX";

    memcpy(empty + sizeof(empty) - 7, "XXXXXX", 6);
    if (!mkdtemp(empty))
        return -1;
    *state = empty;
    return 0;
}

static int
teardown_empty_dir(void **state)
{
    return rmdir(*state);
}

/* A child that can no longer see the cgroup tree joins through the files it opened before. */
static void
test_real_host_join_fds_from_out_of_sight(void **state)
{
    real_host_child_joins("fds", join_out_of_sight, *state);
}

/* The real host: the hierarchies kept from an earlier look follow the mount table. A child
 * in a mount namespace of its own finds nothing under an empty directory, mounts a cgroup2
 * hierarchy there and must find it, then unmounts it and must find nothing again. */
static void
test_real_host_layout_follows_the_mount_table(void **state)
{
    const char *dir = *state;
    struct vsh_cgroup cg;
    pid_t child;
    int status = -1;

    if (geteuid() != 0)
        skip();
    /* the parent has looked at the host's hierarchies: the child starts from that */
    if (vsh_cgroup_open(&cg, NULL, NULL, "vsh/probe") == 0)
        vsh_cgroup_clear(&cg);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int code;

        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
            _exit(10);
        if (vsh_cgroup_open(&cg, dir, NULL, "vsh/a") == 0)
            _exit(11);
        if (mount("none", dir, "cgroup2", 0, NULL) < 0)
            _exit(12);
        if (vsh_cgroup_open(&cg, dir, NULL, "vsh/a") < 0)
            _exit(13);
        code = cg.layout == VSH_CGROUP_LAYOUT_V2 && cg.unified && strcmp(cg.unified, dir) == 0
                   ? 0 : 14;
        vsh_cgroup_clear(&cg);
        if (umount2(dir, MNT_DETACH) < 0)
            _exit(15);
        if (code == 0 && vsh_cgroup_open(&cg, dir, NULL, "vsh/a") == 0)
            code = 16;
        _exit(code);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* The host's cgroup2 mount (the whole root on a v2 host, /sys/fs/cgroup/unified on a
 * hybrid one): a group with a process in it is frozen through cgroup.freeze and emptied
 * through cgroup.kill, which need no controller. */
static void
test_real_v2_freeze_and_kill(void **state)
{
    static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
    struct vsh_cgroup cg;
    char path[64];
    char kill_file[PATH_MAX];
    pid_t child;
    int status;
    size_t i;
    int opened = 0;

    (void) state;
    if (geteuid() != 0)
        skip();
    snprintf(path, sizeof(path), "vsh-test-cgroup2-%d", (int) getpid());
    for (i = 0; i < 2 && !opened; i++) {
        opened = vsh_cgroup_open(&cg, roots[i], NULL, path) == 0 &&
                 cg.layout == VSH_CGROUP_LAYOUT_V2;
        if (!opened)
            vsh_cgroup_clear(&cg);
    }
    if (!opened)
        skip();
    snprintf(kill_file, sizeof(kill_file), "%s/cgroup.kill", cg.unified);
    assert_int_equal(vsh_cgroup_create(&cg), 0);
    child = spawn_sleeper();
    assert_int_equal(vsh_cgroup_attach(&cg, child), 0);
    assert_int_equal(vsh_cgroup_freeze(&cg, 1000), 0);
    assert_int_equal(vsh_cgroup_is_frozen(&cg), 1);
    assert_int_equal(vsh_cgroup_thaw(&cg), 0);
    assert_int_equal(vsh_cgroup_is_frozen(&cg), 0);
    /* the group empties by itself once its task is dead (cgroup.kill, or the rounds) */
    assert_int_equal(vsh_cgroup_kill_all(&cg, 1000), 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(vsh_cgroup_remove(&cg), 0);
    vsh_cgroup_clear(&cg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_layout_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hybrid_layout_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_layout_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_cgroup_and_bad_paths_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_v1_create_copies_cpuset_and_writes_limits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_join_fds_name_each_hierarchy_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_create_enables_controllers_and_converts_limits,
                                        setup, teardown),
        cmocka_unit_test(test_shares_convert_to_weight_as_systemd_does),
        cmocka_unit_test_setup_teardown(test_usage_is_read_from_each_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_limits_are_read_back_from_each_layout,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_freeze_waits_for_the_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_all_signals_every_listed_process, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_mountinfo_and_procs_are_read_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kill_all_uses_cgroup_kill_on_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_deletes_the_group_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_blkio_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_io_weights_and_limits, setup, teardown),
        cmocka_unit_test(test_real_host_group_lifecycle),
        cmocka_unit_test(test_real_host_attach_self_moves_the_process),
        cmocka_unit_test_setup_teardown(test_real_host_join_fds_from_out_of_sight,
                                        setup_empty_dir, teardown_empty_dir),
        cmocka_unit_test_setup_teardown(test_real_host_layout_follows_the_mount_table,
                                        setup_empty_dir, teardown_empty_dir),
        cmocka_unit_test(test_real_v2_freeze_and_kill),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
