/* test-launch.c — vsh_launch_write/read round trip and rejection of malformed input. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drivers/common/launch.h"
#include "drivers/common/monitor.h"

static char *
xs(const char *s)
{
    return strdup(s);
}

static char **
xstrv(const char *a, const char *b, const char *c)
{
    char **v = calloc(4, sizeof(char *));

    v[0] = xs(a);
    v[1] = b ? xs(b) : NULL;
    v[2] = c ? xs(c) : NULL;
    return v;
}

/* A launch with every field set, including strings that need escaping. */
static void
fill_launch(struct vsh_launch *l)
{
    memset(l, 0, sizeof(*l));
    l->kind = VSH_LAUNCH_LXC;
    l->name = xs("web-01");
    l->uuid = xs("c7a5fdbd-edaf-9455-926a-d65c16db1809");
    l->type_name = xs("lxc");
    l->state_dir = xs("/tmp/store dir/state");
    l->cgroup_path = xs("vsh/web-01");
    l->cgroup_root = xs("/sys/fs/cgroup");
    l->clone_flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS;
    l->rootfs = xs("/var/lib/vsh/rootfs/web\\01\n");
    l->hostname = NULL;
    l->n_mounts = 2;
    l->mounts = calloc(2, sizeof(*l->mounts));
    l->mounts[0] = (struct vsh_launch_mount) { VSH_LAUNCH_MOUNT_BIND, xs("/proc"), xs("/proc"),
                                               1, 0 };
    l->mounts[1] = (struct vsh_launch_mount) { VSH_LAUNCH_MOUNT_TMPFS, NULL, xs("/run"), 0,
                                               65536 };
    l->argv = xstrv("/bin/sh", "-c", "echo 'a b'\t; exit 0");
    l->envp = xstrv("PATH=/bin:/sbin", "TERM=linux", "EMPTY=");
    l->workdir = xs("/");
    l->drop_user = 1;
    l->uid = 1000;
    l->gid = 100;
    l->n_groups = 2;
    l->groups = calloc(2, sizeof(gid_t));
    l->groups[0] = 100;
    l->groups[1] = 4294967294U;
    l->n_uid_maps = 1;
    l->uid_maps = calloc(1, sizeof(*l->uid_maps));
    l->uid_maps[0] = (struct vsh_launch_idmap) { 0, 100000, 65536 };
    l->caps_keep = UINT64_C(0xffffffffffffffff);
    l->no_new_privs = 1;
    l->n_rlimits = 1;
    l->rlimits = calloc(1, sizeof(*l->rlimits));
    l->rlimits[0] = (struct vsh_launch_rlimit) { RLIMIT_NOFILE, 1024, RLIM_INFINITY };
    l->limits.memory_hard_bytes = 256ULL << 20;
    l->limits.cpu_shares = 512;
    l->limits.cpu_quota_us = -1;
    l->limits.cpuset = xs("0-1");
    l->limits.pids_max = 100;
    l->limits.blkio = 1;
    l->limits.blkio_weight = 500;
    l->limits.n_blkio_devices = 1;
    l->limits.blkio_devices = calloc(1, sizeof(*l->limits.blkio_devices));
    l->limits.blkio_devices[0] = (struct vsh_launch_blkio_device) {
        254, 16, { 300, 0, 200, 1048576, ULLONG_MAX } };
    l->n_nets = 1;
    l->nets = calloc(1, sizeof(*l->nets));
    l->nets[0].type = VSH_LAUNCH_NET_BRIDGE;
    l->nets[0].bridge = xs("br0");
    l->nets[0].host_dev = xs("vsh1-0");
    l->nets[0].guest_dev = xs("eth0");
    l->nets[0].mac = xs("52:54:00:aa:bb:cc");
    l->nets[0].n_ips = 1;
    l->nets[0].ips = calloc(1, sizeof(struct vsh_launch_ip));
    l->nets[0].ips[0] = (struct vsh_launch_ip) { AF_INET, xs("10.0.0.2"), 24 };
    l->nets[0].n_routes = 1;
    l->nets[0].routes = calloc(1, sizeof(struct vsh_launch_route));
    l->nets[0].routes[0] = (struct vsh_launch_route) { AF_INET, xs("0.0.0.0"), 0,
                                                       xs("10.0.0.1") };
    l->on_reboot = 1;
    l->start_paused = 1;
    l->shutdown_timeout_ms = 5000;
    l->owner_pid = 4242;
    l->netns_sock = 1;
}

static int
read_string(const char *text, size_t len, struct vsh_launch *ret)
{
    int fds[2];
    int r;

    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], text, len), (ssize_t) len);
    close(fds[1]);
    r = vsh_launch_read(fds[0], ret);
    close(fds[0]);
    return r;
}

static void
test_round_trip_keeps_every_field(void **state)
{
    struct vsh_launch in;
    struct vsh_launch out;
    int fds[2];

    (void) state;
    fill_launch(&in);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(vsh_launch_write(fds[1], &in), 0);
    close(fds[1]);
    assert_int_equal(vsh_launch_read(fds[0], &out), 0);
    close(fds[0]);

    assert_int_equal(out.kind, VSH_LAUNCH_LXC);
    assert_string_equal(out.name, "web-01");
    assert_string_equal(out.state_dir, "/tmp/store dir/state");
    assert_string_equal(out.rootfs, "/var/lib/vsh/rootfs/web\\01\n");
    assert_null(out.hostname);
    assert_int_equal(out.clone_flags, in.clone_flags);
    assert_int_equal(out.n_mounts, 2);
    assert_int_equal(out.mounts[0].readonly, 1);
    assert_string_equal(out.mounts[0].source, "/proc");
    assert_null(out.mounts[1].source);
    assert_int_equal(out.mounts[1].type, VSH_LAUNCH_MOUNT_TMPFS);
    assert_int_equal(out.mounts[1].usage_kib, 65536);
    assert_string_equal(out.argv[2], "echo 'a b'\t; exit 0");
    assert_null(out.argv[3]);
    assert_string_equal(out.envp[2], "EMPTY=");
    assert_int_equal(out.uid, 1000);
    assert_int_equal(out.n_groups, 2);
    assert_int_equal(out.groups[1], 4294967294U);
    assert_int_equal(out.uid_maps[0].target, 100000);
    assert_int_equal(out.n_gid_maps, 0);
    assert_true(out.caps_keep == UINT64_C(0xffffffffffffffff));
    assert_true(out.rlimits[0].hard == (unsigned long long) RLIM_INFINITY);
    assert_int_equal(out.limits.memory_hard_bytes, 256ULL << 20);
    assert_int_equal(out.limits.cpu_quota_us, -1);
    assert_string_equal(out.limits.cpuset, "0-1");
    assert_int_equal(out.limits.blkio, 1);
    assert_int_equal(out.limits.blkio_weight, 500);
    assert_int_equal(out.limits.n_blkio_devices, 1);
    assert_memory_equal(&out.limits.blkio_devices[0], &in.limits.blkio_devices[0],
                        sizeof(struct vsh_launch_blkio_device));
    assert_string_equal(out.nets[0].mac, "52:54:00:aa:bb:cc");
    assert_string_equal(out.nets[0].ips[0].address, "10.0.0.2");
    assert_string_equal(out.nets[0].routes[0].gateway, "10.0.0.1");
    assert_int_equal(out.on_reboot, 1);
    assert_int_equal(out.start_paused, 1);
    assert_int_equal(out.shutdown_timeout_ms, 5000);
    assert_int_equal(out.owner_pid, 4242);
    assert_int_equal(out.netns_sock, 1);
    vsh_launch_clear(&in);
    vsh_launch_clear(&out);
}

#define MINIMAL "vsh-launch 1\nname =a\nstate_dir =/s\ncgroup_path =vsh/a\nargv =/init\n"

static void
test_minimal_document_is_accepted(void **state)
{
    struct vsh_launch out;

    (void) state;
    assert_int_equal(read_string(MINIMAL "end\n", strlen(MINIMAL "end\n"), &out), 0);
    assert_string_equal(out.argv[0], "/init");
    assert_int_equal(out.limits.cpu_quota_us, -1);
    /* no socket for init's network namespace unless the document says so */
    assert_int_equal(out.netns_sock, 0);
    vsh_launch_clear(&out);
}

static void
test_malformed_documents_are_rejected(void **state)
{
    static const char *const bad[] = {
        "",
        "end\n",
        "vsh-launch 2\nend\n",
        MINIMAL,                              /* no end */
        MINIMAL "end",                        /* end without newline */
        MINIMAL "end\nname =b\n",             /* data after end */
        MINIMAL "colour =red\nend\n",         /* unknown key */
        MINIMAL "uid -1\nend\n",              /* negative */
        MINIMAL "uid 4294967296\nend\n",      /* overflow */
        MINIMAL "uid 12x\nend\n",             /* not a number */
        MINIMAL "uid 012\nend\n",             /* leading zero */
        MINIMAL "uid\nend\n",                 /* missing field */
        MINIMAL "uid 1 2\nend\n",             /* extra field */
        MINIMAL "name  =b\nend\n",            /* empty field */
        MINIMAL "name b\nend\n",              /* string without marker */
        MINIMAL "name =a\\x0\nend\n",         /* short escape */
        MINIMAL "name =a\\x00\nend\n",        /* NUL by escape */
        MINIMAL "name =a\\q41\nend\n",        /* unknown escape */
        MINIMAL "ip 2 24 =10.0.0.1\nend\n",   /* ip before any net */
        MINIMAL "argv ~\nend\n",              /* NULL in a string list */
        MINIMAL "mount 0 0 0 ~ =/x\nend\n",   /* bind without source */
        MINIMAL "mount 7 0 0 =/a =/x\nend\n", /* unknown mount type */
        MINIMAL "drop_user 2\nend\n",         /* not a boolean */
        MINIMAL "cpu_quota -0\nend\n",
        MINIMAL "cpu_quota -9223372036854775809\nend\n",
        "vsh-launch 1\nname =a\nend\n",       /* no argv, state dir, cgroup */
    };
    struct vsh_launch out;
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        errno = 0;
        if (read_string(bad[i], strlen(bad[i]), &out) != -1)
            fail_msg("accepted malformed document #%zu: %s", i, bad[i]);
        assert_int_equal(errno, EINVAL);
        assert_null(out.name);
    }
}

/*
 * Documents of every length around the 8 KiB that vsh_launch_read() reads on its stack,
 * and far beyond it (read into the heap): each is read whole, its last item included.
 */
static void
test_documents_beyond_the_stack_buffer_are_read_whole(void **state)
{
    static const size_t lengths[] = { 8180, 8189, 8190, 8191, 8192, 8193, 8194, 8200,
                                      16383, 16384, 16385, 100000 };
    const size_t fixed = strlen(MINIMAL "env =") + strlen("\nworkdir =/w\nend\n");
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        size_t len = lengths[i];
        size_t pad = len - fixed;
        char *doc = malloc(len + 1);
        struct vsh_launch out;
        int fds[2];
        pid_t pid;
        int status;

        assert_non_null(doc);
        strcpy(doc, MINIMAL "env =");
        memset(doc + strlen(doc), 'x', pad);
        strcpy(doc + strlen(MINIMAL "env =") + pad, "\nworkdir =/w\nend\n");
        assert_int_equal(strlen(doc), len);
        /* a writer of its own: 100 kB is more than a pipe holds */
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            _exit(write(fds[1], doc, len) == (ssize_t) len ? 0 : 1);
        }
        close(fds[1]);
        if (vsh_launch_read(fds[0], &out) != 0)
            fail_msg("a document of %zu bytes was refused: %s", len, strerror(errno));
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        assert_int_equal(strlen(out.envp[0]), pad);
        assert_null(out.envp[1]);
        assert_string_equal(out.workdir, "/w");
        vsh_launch_clear(&out);
        free(doc);
    }
}

static void
test_nul_byte_is_rejected(void **state)
{
    static const char doc[] = MINIMAL "name =a\0b\nend\n";
    struct vsh_launch out;

    (void) state;
    assert_int_equal(read_string(doc, sizeof(doc) - 1, &out), -1);
    assert_int_equal(errno, EINVAL);
}

static void
test_oversized_document_is_rejected(void **state)
{
    size_t len = 2 * 1024 * 1024;
    char *doc = malloc(len);
    struct vsh_launch out;
    int fds[2];
    pid_t pid;

    (void) state;
    memset(doc, 'a', len);
    memcpy(doc, MINIMAL, strlen(MINIMAL));
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        (void) !write(fds[1], doc, len);
        _exit(0);
    }
    close(fds[1]);
    assert_int_equal(vsh_launch_read(fds[0], &out), -1);
    assert_int_equal(errno, EINVAL);
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    free(doc);
}

/* The descriptor passing of the monitor's handshakes: a byte with descriptors that work on
 * the other side, a byte alone, too many for the receiver (refused, none left open), and
 * a peer gone. */
static void
test_descriptors_pass_over_a_socket(void **state)
{
    int sv[2];
    int pipes[3][2];
    int fds[3];
    int got[3];
    char c = 0;
    char buf[2];
    int probe;
    int i;

    (void) state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    for (i = 0; i < 3; i++) {
        assert_int_equal(pipe(pipes[i]), 0);
        fds[i] = pipes[i][1];
    }
    assert_int_equal(vsh_send_fds(sv[0], 'g', fds, 3), 0);
    assert_int_equal(vsh_recv_fds(sv[1], &c, got, 3), 3);
    assert_int_equal(c, 'g');
    for (i = 0; i < 3; i++) {
        assert_int_not_equal(got[i], fds[i]);
        assert_int_equal(write(got[i], "x", 1), 1);
        assert_int_equal(read(pipes[i][0], buf, 1), 1);
        close(got[i]);
    }
    /* a byte alone */
    assert_int_equal(vsh_send_fds(sv[0], 'n', NULL, 0), 0);
    assert_int_equal(vsh_recv_fds(sv[1], &c, got, 3), 0);
    assert_int_equal(c, 'n');
    /* more than the receiver takes: refused, and nothing of them stays open */
    probe = dup(0);
    close(probe);
    assert_int_equal(vsh_send_fds(sv[0], 'g', fds, 3), 0);
    assert_int_equal(vsh_recv_fds(sv[1], &c, got, 2), -1);
    assert_int_equal(errno, EMSGSIZE);
    assert_int_equal(dup(0), probe);
    close(probe);
    assert_int_equal(vsh_send_fds(sv[0], 'g', fds, VSH_PASS_FDS_MAX + 1), -1);
    assert_int_equal(errno, E2BIG);
    /* the peer is gone */
    close(sv[0]);
    assert_int_equal(vsh_recv_fds(sv[1], &c, got, 3), -1);
    assert_int_equal(errno, EPIPE);
    close(sv[1]);
    for (i = 0; i < 3; i++) {
        close(pipes[i][0]);
        close(pipes[i][1]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_keeps_every_field),
        cmocka_unit_test(test_descriptors_pass_over_a_socket),
        cmocka_unit_test(test_minimal_document_is_accepted),
        cmocka_unit_test(test_malformed_documents_are_rejected),
        cmocka_unit_test(test_documents_beyond_the_stack_buffer_are_read_whole),
        cmocka_unit_test(test_nul_byte_is_rejected),
        cmocka_unit_test(test_oversized_document_is_rejected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
