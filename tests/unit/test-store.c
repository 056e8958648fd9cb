/*
 * test-store.c — the store: atomic definition writes (synced before the rename, and a
 * writer killed before its rename), concurrent defines from two processes, the status
 * document, the shut-off reason, names checked before paths, and reconciliation of
 * supervised domains whose monitor died (with a fake supervised driver that stands in
 * for lxc).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-testutil.h"
#include "error.h"
#include "internal.h"
#include "store.h"
#include "util/file.h"

#define UUID_A "0d3c1a52-7a6e-4f0e-a1a1-5d2b6c9e0001"
#define UUID_B "0d3c1a52-7a6e-4f0e-a1a1-5d2b6c9e0002"

extern const vsh_driver vsh_qemu_stub_driver;

typedef testutil_fixture fixture;

static char *
store_path(fixture *f, const char *sub, const char *file)
{
    return g_build_filename(f->dir, sub, file, NULL);
}

static vsh_domain *
define(vsh_conn *conn, const char *name, const char *uuid)
{
    g_autofree char *xml = testutil_qemu_xml(name, uuid, NULL);
    g_autoptr(GError) err = NULL;
    vsh_domain *dom = vsh_domain_define_xml(conn, xml, NULL, &err);

    if (!dom)
        fail_msg("cannot define '%s': %s", name, err->message);
    return dom;
}

static guint
count_entries(const char *dir, const char *prefix)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *e;
    guint n = 0;

    while (d && (e = g_dir_read_name(d))) {
        if (g_str_has_prefix(e, prefix))
            n++;
    }
    return n;
}

/* ---------------------------------------------------------------- atomic writes */

static void
test_atomic_write_replaces_and_leaves_no_temp_file(void **state)
{
    fixture *f = *state;
    g_autofree char *path = store_path(f, "images", "data");
    g_autofree char *images = g_build_filename(f->dir, "images", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    mode_t old_umask;
    struct stat st;

    assert_int_equal(vsh_file_write_atomic(path, "one\n", 0600, NULL), 0);
    assert_int_equal(vsh_file_write_atomic(path, "two\n", 0600, NULL), 0);
    assert_int_equal(vsh_file_read_all(path, 100, &text, NULL), 4);
    assert_string_equal(text, "two\n");
    assert_int_equal(count_entries(images, "."), 0);
    /* the mode asked for, whatever the umask and the temporary file's own */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    old_umask = umask(077);
    assert_int_equal(vsh_file_write_atomic(path, "three\n", 0644, NULL), 0);
    umask(old_umask);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(vsh_file_write_atomic("/nonexistent-dir/x", "x", 0600, &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_SYSTEM));
    assert_int_equal(vsh_error_errno(err), ENOENT);
}

/* The page-cache state of a file's pages: cachestat(2), Linux 6.5; struct layouts from
 * the kernel's uapi, which Debian 12's headers predate. */
struct test_cachestat_range {
    uint64_t off, len;
};
struct test_cachestat {
    uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};
#define TEST_NR_CACHESTAT 451

static struct test_cachestat tmp_pages;
static int tmp_pages_errno;

/* In the writer, just before its rename: how the temporary file's pages stand. */
static void
note_tmp_pages(const char *tmp)
{
    struct test_cachestat_range all = { 0, 0 };
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);

    tmp_pages_errno = 0;
    if (fd < 0 || syscall(TEST_NR_CACHESTAT, fd, &all, &tmp_pages, 0) < 0)
        tmp_pages_errno = errno;
    if (fd >= 0)
        close(fd);
}

/* The test below, once it knows it can run. */
static void
synced_write_is_on_disk_before_the_rename(fixture *f)
{
    g_autofree char *path = store_path(f, "images", "synced");
    g_autofree char *runtime = store_path(f, "images", "runtime");
    g_autofree char *text = NULL;

    vsh_file_test_before_rename = note_tmp_pages;
    assert_int_equal(vsh_file_write_runtime(runtime, "runtime\n", 8, 0600, NULL), 0);
    assert_int_equal(tmp_pages_errno, 0);
    assert_int_equal(tmp_pages.nr_cache, 1);
    assert_int_equal(tmp_pages.nr_dirty, 1);

    assert_int_equal(vsh_file_write_atomic(path, "synced\n", 0600, NULL), 0);
    vsh_file_test_before_rename = NULL;
    assert_int_equal(tmp_pages_errno, 0);
    assert_int_equal(tmp_pages.nr_cache, 1);
    assert_int_equal(tmp_pages.nr_dirty, 0);
    assert_int_equal(tmp_pages.nr_writeback, 0);
    assert_int_equal(vsh_file_read_all(path, 100, &text, NULL), 7);
    assert_string_equal(text, "synced\n");
}

/* A definition's data reaches the disk before it gets its name (fsync, or the
 * sync_file_range ext4 and XFS get): no dirty page is left when the rename comes. A
 * runtime file, which is not synced, shows that the probe sees dirty pages. */
static void
test_synced_write_is_on_disk_before_the_rename(void **state)
{
    fixture *f = *state;
    struct statfs sfs;

    /* the reasons to skip come first: skip() leaves the function without freeing */
    assert_int_equal(statfs(f->dir, &sfs), 0);
    if (sfs.f_type == TMPFS_MAGIC || sfs.f_type == RAMFS_MAGIC) {
        fprintf(stderr, "SKIP: %s is on tmpfs, whose pages are never written back\n",
                f->dir);
        skip();
    }
    note_tmp_pages("/proc/self/exe");
    if (tmp_pages_errno == ENOSYS) {
        fprintf(stderr, "SKIP: this kernel has no cachestat(2) (Linux 6.5)\n");
        skip();
    }
    synced_write_is_on_disk_before_the_rename(f);
}

static int hook_fd = -1;

/* In the child: tell the parent the temporary file is complete, then wait to be killed. */
static void
pause_before_rename(const char *tmp)
{
    (void) tmp;
    if (write(hook_fd, "x", 1) != 1)
        _exit(3);
    for (;;)
        pause();
}

/* A process killed between writing the temporary file and renaming it leaves the old
 * definition intact, and its leftover is never taken for a definition. */
static void
test_interrupted_write_keeps_the_old_definition(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", UUID_A);
    g_autofree char *domains = g_build_filename(f->dir, "config", "domains", NULL);
    g_autoptr(GPtrArray) list = NULL;
    vsh_domain_info info;
    int pipefd[2];
    char c;
    pid_t pid;
    int status;

    assert_int_equal(pipe(pipefd), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        hook_fd = pipefd[1];
        vsh_file_test_before_rename = pause_before_rename;
        (void) vsh_domain_set_memory(dom, 100 * 1024, VSH_DOMAIN_AFFECT_CONFIG, NULL);
        _exit(2);   /* only reached if the hook never ran */
    }
    close(pipefd[1]);
    assert_int_equal(read(pipefd[0], &c, 1), 1);
    close(pipefd[0]);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    /* the leftover is there, the definition is the old one, and the store lists one */
    assert_int_equal(count_entries(domains, ".t.xml."), 1);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.memory_kib, 256 * 1024);
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, 0, &list, NULL), 1);
    /* and the next write succeeds, since the dead writer's locks died with it */
    assert_int_equal(vsh_domain_set_memory(dom, 100 * 1024, VSH_DOMAIN_AFFECT_CONFIG, NULL), 0);
    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    assert_int_equal(info.memory_kib, 100 * 1024);
}

static void
test_stray_files_are_not_definitions(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = testutil_qemu_xml("x", NULL, NULL);
    const char *strays[] = { ".x.xml.AbC123", "bad name.xml", "-x.xml", "x.txt" };
    g_autoptr(GPtrArray) list = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(strays); i++) {
        g_autofree char *path = store_path(f, "config/domains", strays[i]);

        assert_true(g_file_set_contents(path, xml, -1, NULL));
    }
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, 0, &list, NULL), 0);
}

static void
test_names_are_checked_before_any_path(void **state)
{
    fixture *f = *state;
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    bool autostart;

    assert_int_equal(vsh_store_lock_domain(f->conn, "../escape", &e1), -1);
    assert_true(g_error_matches(e1, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    assert_int_equal(vsh_store_get_autostart(f->conn, "a/b", &autostart, &e2), -1);
    assert_true(g_error_matches(e2, VSH_ERROR, VSH_ERROR_INVALID_ARG));
    assert_false(g_file_test("/tmp/escape", G_FILE_TEST_EXISTS));
}

/* The operation locks of all domains are bytes of one file: a domain's lock conflicts
 * with itself only, and taking it creates nothing per domain. */
static void
test_operation_locks_are_per_domain_in_one_file(void **state)
{
    fixture *f = *state;
    g_autofree char *state_dir = store_path(f, "state", "");
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *entry;
    int a, b;

    a = vsh_store_lock_domain(f->conn, "a", NULL);
    assert_true(a >= 0);
    b = vsh_store_lock_domain(f->conn, "b", NULL);
    assert_true(b >= 0);
    assert_int_not_equal(vsh_store_op_lock_offset("a"), vsh_store_op_lock_offset("b"));
    vsh_conn_set_op_lock_timeout(f->conn, 30);
    assert_int_equal(vsh_store_lock_domain(f->conn, "a", &err), -1);
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_BUSY));
    assert_string_equal(err->message, "domain 'a' is busy");
    close(a);
    a = vsh_store_lock_domain(f->conn, "a", NULL);
    assert_true(a >= 0);
    close(a);
    close(b);
    dir = g_dir_open(state_dir, 0, NULL);
    assert_non_null(dir);
    while ((entry = g_dir_read_name(dir)))
        assert_string_equal(entry, ".domains.lock");
}

/* ---------------------------------------------------------------- two processes */

/* Each child waits for the parent's go, defines "same" with its own uuid, and exits 0
 * when it won, 1 when told the name is taken, 2 on anything else. */
static pid_t
spawn_definer(const char *dir, const char *uuid, int go_fd)
{
    pid_t pid = fork();
    char c;

    if (pid != 0)
        return pid;
    if (read(go_fd, &c, 1) != 1)
        _exit(2);
    {
        g_autoptr(vsh_conn) conn = testutil_open("vsh", dir);
        g_autofree char *xml = testutil_qemu_xml("same", uuid, NULL);
        g_autoptr(GError) err = NULL;
        g_autoptr(vsh_domain) dom = vsh_domain_define_xml(conn, xml, NULL, &err);

        if (dom)
            _exit(0);
        _exit(g_error_matches(err, VSH_ERROR, VSH_ERROR_DOMAIN_EXISTS) ? 1 : 2);
    }
}

static void
test_concurrent_define_of_one_name(void **state)
{
    fixture *f = *state;
    const char *uuids[2] = { UUID_A, UUID_B };
    pid_t pids[2];
    int codes[2];
    int go[2];
    int status;
    int winner;
    char uuid[VSH_UUID_STRING_BUFLEN];
    g_autoptr(vsh_domain) dom = NULL;
    int i;

    assert_int_equal(pipe(go), 0);
    for (i = 0; i < 2; i++) {
        pids[i] = spawn_definer(f->dir, uuids[i], go[0]);
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
    /* exactly one wins; the other is told the name is taken */
    assert_int_equal(codes[0] + codes[1], 1);
    winner = codes[0] == 0 ? 0 : 1;
    dom = vsh_domain_lookup_by_name(f->conn, "same", NULL);
    assert_non_null(dom);
    vsh_domain_get_uuid_string(dom, uuid);
    assert_string_equal(uuid, uuids[winner]);
}

/* ---------------------------------------------------------------- state files */

static void
test_status_document_and_shutoff_reason(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autofree char *status = store_path(f, "state", "t.xml");
    g_autofree char *shutoff = store_path(f, "state", "t.shutoff");
    g_autofree char *text = NULL;
    g_autofree char *head = NULL;
    g_autofree char *uri = testutil_uri("vsh", f->dir);
    g_autoptr(vsh_conn) other = NULL;
    g_autoptr(vsh_domain) seen = NULL;
    int st;
    int reason;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_true(g_file_get_contents(status, &text, NULL, NULL));
    head = g_strdup_printf("<domstatus state='1' reason='1' id='%d' pid='0' monitor_pid='0'>\n"
                           "<domain type='qemu' id='%d'>", vsh_domain_get_id(dom),
                           vsh_domain_get_id(dom));
    assert_true(g_str_has_prefix(text, head));
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_false(g_file_test(status, G_FILE_TEST_EXISTS));
    g_clear_pointer(&text, g_free);
    assert_true(g_file_get_contents(shutoff, &text, NULL, NULL));
    assert_string_equal(text, "destroyed\n");
    /* another connection (as another process would) reads the same reason */
    other = vsh_conn_open(uri, VSH_CONN_READ_ONLY, NULL);
    seen = vsh_domain_lookup_by_name(other, "t", NULL);
    assert_int_equal(vsh_domain_get_state(seen, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VSH_DOMAIN_SHUTOFF_DESTROYED);
    /* a start forgets it */
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_false(g_file_test(shutoff, G_FILE_TEST_EXISTS));
    assert_int_equal(vsh_domain_shutdown(dom, NULL), 0);
    assert_int_equal(vsh_domain_get_state(seen, &st, &reason, NULL), 0);
    assert_int_equal(reason, VSH_DOMAIN_SHUTOFF_SHUTDOWN);
}

/* ---------------------------------------------------------------- binary twins */

static guint64
dom_max_memory(vsh_domain *dom)
{
    vsh_domain_info info;

    assert_int_equal(vsh_domain_get_info(dom, &info, NULL), 0);
    return info.max_memory_kib;
}

/* The cache follows the XML: a hand edit is seen at the next load, and a cache that is
 * garbage, cut short or from another definition only costs a parse. */
static void
test_definition_cache_follows_the_xml(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", UUID_A);
    g_autofree char *config = store_path(f, "config/domains", "t.xml");
    g_autofree char *cache = store_path(f, "state", "t.cache");
    g_autofree char *xml = NULL;
    g_autofree char *edited = NULL;
    g_autofree char *blob = NULL;
    gsize len;
    GString *s;

    assert_true(g_file_test(cache, G_FILE_TEST_EXISTS));
    assert_int_equal(dom_max_memory(dom), 524288);
    /* a hand edit (a new file, as editors write it) */
    assert_true(g_file_get_contents(config, &xml, NULL, NULL));
    s = g_string_new(xml);
    /* the same length: only the inode and the times tell the files apart */
    g_string_replace(s, ">524288<", ">262144<", 0);
    edited = g_string_free(s, FALSE);
    assert_string_not_equal(edited, xml);
    assert_int_equal(vsh_file_write_atomic(config, edited, 0600, NULL), 0);
    assert_int_equal(dom_max_memory(dom), 262144);
    /* the load wrote the cache again; cut it short: still the XML's value */
    assert_true(g_file_get_contents(cache, &blob, &len, NULL));
    assert_true(len > 100);
    assert_true(g_file_set_contents(cache, blob, (gssize) len - 7, NULL));
    assert_int_equal(dom_max_memory(dom), 262144);
    /* garbage */
    assert_true(g_file_set_contents(cache, "not a cache", -1, NULL));
    assert_int_equal(dom_max_memory(dom), 262144);
    /* another domain's cache under this name: its header names another file */
    {
        g_autoptr(vsh_domain) other = define(f->conn, "u", UUID_B);
        g_autofree char *other_cache = store_path(f, "state", "u.cache");
        g_autofree char *other_blob = NULL;
        gsize other_len;

        assert_true(g_file_get_contents(other_cache, &other_blob, &other_len, NULL));
        assert_true(g_file_set_contents(cache, other_blob, (gssize) other_len, NULL));
        assert_int_equal(dom_max_memory(dom), 262144);
        assert_string_equal(vsh_domain_get_name(dom), "t");
    }
    /* undefine removes it */
    assert_int_equal(vsh_domain_undefine(dom, NULL), 0);
    assert_false(g_file_test(cache, G_FILE_TEST_EXISTS));
}

/* A define caches the definition it parsed as the file it wrote reads back: the same bytes
 * as the cache a load writes after parsing that file, down to what the parser made up (a
 * MAC) and what the XML always says (<currentMemory>). */
static void
test_define_caches_what_the_file_reads_back(void **state)
{
    fixture *f = *state;
    g_autofree char *cache = store_path(f, "state", "t.cache");
    g_autofree char *from_define = NULL;
    g_autofree char *from_load = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_domain) dom = NULL;
    gsize define_len, load_len;
    const char *xml = "<domain type='qemu'>\n"
                      "  <name>t</name>\n"
                      "  <memory unit='MiB'>512</memory>\n"
                      "  <os><type arch='x86_64'>hvm</type></os>\n"
                      "  <devices>\n"
                      "    <interface type='bridge'><source bridge='br0'/></interface>\n"
                      "  </devices>\n"
                      "</domain>\n";

    dom = vsh_domain_define_xml(f->conn, xml, NULL, &err);
    if (!dom)
        fail_msg("cannot define: %s", err->message);
    assert_true(g_file_get_contents(cache, &from_define, &define_len, NULL));
    assert_int_equal(unlink(cache), 0);
    assert_int_equal(dom_max_memory(dom), 524288);
    assert_true(g_file_get_contents(cache, &from_load, &load_len, NULL));
    assert_int_equal(define_len, load_len);
    assert_memory_equal(from_define, from_load, load_len);
}

/* Loads read the binary status; without it (an older vsh, a crash between the two
 * writes) the XML status still gives the same state. */
static void
test_binary_status_and_its_fallback(void **state)
{
    fixture *f = *state;
    g_autoptr(vsh_domain) dom = define(f->conn, "t", NULL);
    g_autofree char *twin = store_path(f, "state", "t.status");
    g_autofree char *status = store_path(f, "state", "t.xml");
    g_autoptr(vsh_domain) again = NULL;
    int id;
    int st;
    int reason;

    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_suspend(dom, NULL), 0);
    id = vsh_domain_get_id(dom);
    assert_true(id > 0);
    assert_true(g_file_test(twin, G_FILE_TEST_EXISTS));
    assert_true(g_file_test(status, G_FILE_TEST_EXISTS));
    assert_int_equal(unlink(twin), 0);
    again = vsh_domain_lookup_by_name(f->conn, "t", NULL);
    assert_non_null(again);
    assert_int_equal(vsh_domain_get_id(again), id);
    assert_int_equal(vsh_domain_get_state(again, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_PAUSED);
    assert_int_equal(reason, VSH_DOMAIN_PAUSED_USER);
    /* a garbage twin is no better than none */
    assert_true(g_file_set_contents(twin, "VSHS", -1, NULL));
    assert_int_equal(vsh_domain_get_state(again, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_PAUSED);
    /* the next change writes both again, and stopping removes both */
    assert_int_equal(vsh_domain_resume(dom, NULL), 0);
    assert_true(g_file_test(twin, G_FILE_TEST_EXISTS));
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_false(g_file_test(twin, G_FILE_TEST_EXISTS));
    assert_false(g_file_test(status, G_FILE_TEST_EXISTS));
}

static void
test_failed_start_is_shut_off_failed(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = testutil_qemu_xml("t", NULL,
                                             "    <disk type='file' device='disk'>\n"
                                             "      <source file='/nonexistent/t.img'/>\n"
                                             "      <target dev='vda' bus='virtio'/>\n"
                                             "    </disk>\n");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autoptr(GError) err = NULL;
    int st;
    int reason;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, &err), -1);
    assert_int_equal(vsh_domain_get_state(dom, &st, &reason, NULL), 0);
    assert_int_equal(st, VSH_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VSH_DOMAIN_SHUTOFF_FAILED);
    assert_int_equal(vsh_domain_get_id(dom), -1);
}

/* ---------------------------------------------------------------- reconciliation */

/* A stand-in for a supervised driver: its "monitor" is a child of the test that holds
 * the domain's lock and writes its pid file, as vsh-monitor does, and then waits. */
static int fake_cleanups;
static pid_t fake_monitor = -1;
static char fake_stop_word[32];

static void G_GNUC_NORETURN
fake_monitor_main(const vsh_domain_obj *obj, int ready_fd)
{
    char line[64];
    int fd;
    int len;

    /* Keep only the ready pipe: an inherited descriptor of one of the test's own locks
     * would keep that lock held for as long as this process lives. */
    if (dup2(ready_fd, 3) < 0 || close_range(4, ~0U, 0) < 0)
        _exit(3);
    if ((fd = open(obj->paths.lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
        flock(fd, LOCK_EX) < 0)
        _exit(3);
    len = snprintf(line, sizeof(line), "%d %d\n", (int) getpid(), (int) getpid());
    if ((fd = open(obj->paths.pid_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
        write(fd, line, (size_t) len) != len || close(fd) < 0)
        _exit(3);
    if (write(3, "r", 1) != 1)
        _exit(3);
    close(3);
    for (;;)
        pause();
}

static int
fake_start(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    int p[2];
    char c;
    pid_t pid;

    (void) flags;
    if (pipe(p) < 0)
        return vsh_error_set_errno(error, errno, "pipe");
    if ((pid = fork()) < 0)
        return vsh_error_set_errno(error, errno, "fork");
    if (pid == 0)
        fake_monitor_main(obj, p[1]);
    close(p[1]);
    if (read(p[0], &c, 1) != 1) {
        close(p[0]);
        return vsh_error_set(error, VSH_ERROR_OPERATION_FAILED, "fake monitor failed");
    }
    close(p[0]);
    fake_monitor = pid;
    obj->id = obj->pid = obj->monitor_pid = pid;
    obj->state = VSH_DOMAIN_RUNNING;
    obj->reason = VSH_DOMAIN_RUNNING_BOOTED;
    return 0;
}

static void
fake_monitor_kill(void)
{
    if (fake_monitor > 0) {
        (void) kill(fake_monitor, SIGKILL);
        (void) waitpid(fake_monitor, NULL, 0);
    }
    fake_monitor = -1;
}

static int
fake_destroy(vsh_domain_obj *obj, GError **error)
{
    g_autofree char *word = NULL;

    (void) error;
    if (g_file_get_contents(obj->paths.stop_path, &word, NULL, NULL))
        g_strlcpy(fake_stop_word, g_strstrip(word), sizeof(fake_stop_word));
    fake_monitor_kill();
    return 0;
}

static void
fake_cleanup(vsh_domain_obj *obj)
{
    (void) obj;
    fake_cleanups++;
}

static const vsh_driver fake_supervised_driver = {
    .name = "lxc",
    .type = VSH_DOMAIN_TYPE_LXC,
    .supervised = true,
    .start = fake_start,
    .destroy = fake_destroy,
    .cleanup = fake_cleanup,
};

static const vsh_driver *const fake_drivers[] = {
    &fake_supervised_driver, &vsh_qemu_stub_driver, NULL };

static int
setup_fake(void **state)
{
    vsh_conn_test_set_drivers(fake_drivers);
    fake_cleanups = 0;
    fake_stop_word[0] = '\0';
    return testutil_setup(state);
}

static int
teardown_fake(void **state)
{
    fake_monitor_kill();
    vsh_conn_test_set_drivers(NULL);
    return testutil_teardown(state);
}

static char *
container_xml(fixture *f, const char *name)
{
    return g_strdup_printf("<domain type='lxc'>\n"
                           "  <name>%s</name>\n"
                           "  <memory unit='MiB'>64</memory>\n"
                           "  <os>\n"
                           "    <type>exe</type>\n"
                           "    <init>/sbin/init</init>\n"
                           "  </os>\n"
                           "  <devices>\n"
                           "    <filesystem type='mount'>\n"
                           "      <source dir='%s/rootfs'/>\n"
                           "      <target dir='/'/>\n"
                           "    </filesystem>\n"
                           "  </devices>\n"
                           "</domain>\n", name, f->dir);
}

static void
assert_dom_state(vsh_domain *dom, int state, int reason)
{
    g_autoptr(GError) err = NULL;
    int s = -1;
    int r = -1;

    if (vsh_domain_get_state(dom, &s, &r, &err) < 0)
        fail_msg("cannot get the state: %s", err->message);
    assert_int_equal(s, state);
    assert_int_equal(r, reason);
}

static const char *
last_event(GPtrArray *lines)
{
    return lines->len ? lines->pdata[lines->len - 1] : "";
}

static void
test_dead_monitor_means_crashed_and_cleaned(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "c");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autofree char *status = store_path(f, "state", "c.xml");
    g_autofree char *pidfile = store_path(f, "state", "c.pid");
    g_autoptr(GPtrArray) events = NULL;
    pid_t monitor;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    monitor = fake_monitor;
    /* running: the id is the init pid the monitor wrote */
    assert_dom_state(dom, VSH_DOMAIN_RUNNING, VSH_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vsh_domain_get_id(dom), monitor);
    fake_monitor_kill();
    assert_true(g_file_test(status, G_FILE_TEST_EXISTS));
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 1);
    assert_false(g_file_test(status, G_FILE_TEST_EXISTS));
    assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    assert_int_equal(vsh_domain_get_id(dom), -1);
    events = testutil_event_lines(f->dir);
    assert_string_equal(last_event(events), "5 2 lxc c");
    /* finalised once: later looks neither clean again nor log again */
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 1);
    g_clear_pointer(&events, g_ptr_array_unref);
    events = testutil_event_lines(f->dir);
    assert_string_equal(last_event(events), "5 2 lxc c");
    assert_int_equal(events->len, 3);   /* Defined, Started, Stopped */
}

static void
test_dead_monitor_of_a_transient_domain_makes_it_vanish(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "tc");
    g_autoptr(vsh_domain) dom = vsh_domain_create_xml(f->conn, xml, NULL, 0, NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) list = NULL;

    assert_non_null(dom);
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, VSH_LIST_ACTIVE, &list, NULL), 1);
    g_clear_pointer(&list, g_ptr_array_unref);
    fake_monitor_kill();
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, 0, &list, NULL), 0);
    assert_int_equal(fake_cleanups, 1);
    assert_null(vsh_domain_lookup_by_name(f->conn, "tc", &err));
    assert_true(g_error_matches(err, VSH_ERROR, VSH_ERROR_NO_DOMAIN));
}

/* When the monitor recorded why the domain stopped, that reason wins and the monitor's
 * own event is the only one. */
static void
test_exit_word_of_the_monitor_wins(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "c");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autofree char *exit_path = store_path(f, "state", "c.exit");
    g_autoptr(GPtrArray) events = NULL;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_true(g_file_set_contents(exit_path, "shutdown\n", -1, NULL));
    fake_monitor_kill();
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_SHUTDOWN);
    events = testutil_event_lines(f->dir);
    assert_int_equal(events->len, 2);   /* Defined, Started: the Stopped is the monitor's */
    assert_false(g_file_test(exit_path, G_FILE_TEST_EXISTS));
}

static void
test_read_only_connection_reports_but_does_not_clean(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "c");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autofree char *uri = testutil_uri("vsh", f->dir);
    g_autoptr(vsh_conn) ro = vsh_conn_open(uri, VSH_CONN_READ_ONLY, NULL);
    g_autoptr(vsh_domain) ro_dom = vsh_domain_lookup_by_name(ro, "c", NULL);
    g_autofree char *status = store_path(f, "state", "c.xml");

    assert_non_null(ro_dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    fake_monitor_kill();
    assert_dom_state(ro_dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 0);
    assert_true(g_file_test(status, G_FILE_TEST_EXISTS));
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 1);
    assert_false(g_file_test(status, G_FILE_TEST_EXISTS));
}

static void
test_read_only_view_of_a_dead_transient_domain(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "tc");
    g_autoptr(vsh_domain) dom = vsh_domain_create_xml(f->conn, xml, NULL, 0, NULL);
    g_autofree char *uri = testutil_uri("vsh", f->dir);
    g_autoptr(vsh_conn) ro = vsh_conn_open(uri, VSH_CONN_READ_ONLY, NULL);
    g_autoptr(vsh_domain) ro_dom = NULL;
    g_autofree char *dumped = NULL;
    vsh_domain_info info;

    assert_non_null(dom);
    fake_monitor_kill();
    ro_dom = vsh_domain_lookup_by_name(ro, "tc", NULL);
    assert_non_null(ro_dom);
    assert_dom_state(ro_dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(vsh_domain_get_info(ro_dom, &info, NULL), 0);
    assert_int_equal(info.max_memory_kib, 64 * 1024);
    dumped = vsh_domain_get_xml(ro_dom, 0, NULL);
    assert_non_null(strstr(dumped, "<name>tc</name>"));
    assert_int_equal(vsh_domain_get_id(ro_dom), -1);
    assert_int_equal(fake_cleanups, 0);
    /* the first read-write look finishes it */
    assert_null(vsh_domain_lookup_by_name(f->conn, "tc", NULL));
    assert_int_equal(fake_cleanups, 1);
}

/* While another process holds the domain's operation lock, a look reports the dead
 * domain shut off (crashed) without waiting to finalise it; the next free look does. */
static void
test_dead_monitor_of_a_busy_domain_is_reported(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "c");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autoptr(GPtrArray) list = NULL;
    int fd;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    fake_monitor_kill();
    /* a descriptor of its own: the lock another process would hold */
    fd = vsh_store_lock_domain(f->conn, "c", NULL);
    assert_true(fd >= 0);
    vsh_conn_set_op_lock_timeout(f->conn, 50);
    assert_int_equal(vsh_conn_list_domains(f->conn, NULL, VSH_LIST_INACTIVE, &list, NULL), 1);
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 0);
    close(fd);
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(fake_cleanups, 1);
}

static void
test_supervised_destroy_tells_the_monitor_why(void **state)
{
    fixture *f = *state;
    g_autofree char *xml = container_xml(f, "c");
    g_autoptr(vsh_domain) dom = vsh_domain_define_xml(f->conn, xml, NULL, NULL);
    g_autoptr(GPtrArray) events = NULL;

    assert_non_null(dom);
    assert_int_equal(vsh_domain_start(dom, 0, NULL), 0);
    assert_int_equal(vsh_domain_destroy(dom, NULL), 0);
    assert_string_equal(fake_stop_word, "destroyed");
    assert_dom_state(dom, VSH_DOMAIN_SHUTOFF, VSH_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(fake_cleanups, 0);
    events = testutil_event_lines(f->dir);
    assert_string_equal(last_event(events), "5 1 lxc c");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TESTUTIL_TEST(test_atomic_write_replaces_and_leaves_no_temp_file),
        TESTUTIL_TEST(test_synced_write_is_on_disk_before_the_rename),
        TESTUTIL_TEST(test_interrupted_write_keeps_the_old_definition),
        TESTUTIL_TEST(test_stray_files_are_not_definitions),
        TESTUTIL_TEST(test_names_are_checked_before_any_path),
        TESTUTIL_TEST(test_operation_locks_are_per_domain_in_one_file),
        TESTUTIL_TEST(test_concurrent_define_of_one_name),
        TESTUTIL_TEST(test_status_document_and_shutoff_reason),
        TESTUTIL_TEST(test_definition_cache_follows_the_xml),
        TESTUTIL_TEST(test_define_caches_what_the_file_reads_back),
        TESTUTIL_TEST(test_binary_status_and_its_fallback),
        TESTUTIL_TEST(test_failed_start_is_shut_off_failed),
        cmocka_unit_test_setup_teardown(test_dead_monitor_means_crashed_and_cleaned,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_dead_monitor_of_a_transient_domain_makes_it_vanish,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_exit_word_of_the_monitor_wins, setup_fake,
                                        teardown_fake),
        cmocka_unit_test_setup_teardown(test_read_only_connection_reports_but_does_not_clean,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_read_only_view_of_a_dead_transient_domain,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_dead_monitor_of_a_busy_domain_is_reported,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_supervised_destroy_tells_the_monitor_why,
                                        setup_fake, teardown_fake),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
