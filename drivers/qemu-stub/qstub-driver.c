/*
 * qstub-driver.c — the qemu-stub driver: a virtual machine that runs no process.
 *
 * It models a VM faithfully enough for the shell's tests and the demo: ids from the
 * store's counter, running/paused/shut off with libvirt's reasons, a shutdown that
 * completes at once, live memory and vcpu changes within the maximum (checked by the core),
 * cpu time that advances with wall time while the VM runs, and vnetN host device names for
 * its interfaces, whose traffic counters stay at zero. Its only runtime state is
 * obj->paths.run_path, "CPU_NS RUNNING_SINCE_US\n": cpu time accumulated before the last
 * pause, and when it last started running (0 while paused). Being a file, it is seen by
 * every process, as the rest of the store is.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "error.h"
#include "util/file.h"

#define QSTUB_ID_LOCK_TIMEOUT_MS 5000

typedef struct {
    guint64 cpu_ns;             /* accumulated while running, up to the last pause */
    gint64 since_us;            /* wall clock (every process must agree on it), 0 while
                                 * paused */
} qstub_run;

static int
qstub_run_read(const vsh_domain_obj *obj, qstub_run *ret, GError **error)
{
    g_autofree char *buf = NULL;
    g_auto(GStrv) f = NULL;

    if (vsh_file_read_all(obj->paths.run_path, 128, &buf, error) < 0)
        return -1;
    f = g_strsplit(g_strstrip(buf), " ", 0);
    if (g_strv_length(f) != 2 ||
        !g_ascii_string_to_unsigned(f[0], 10, 0, G_MAXUINT64, &ret->cpu_ns, NULL) ||
        !g_ascii_string_to_signed(f[1], 10, 0, G_MAXINT64, &ret->since_us, NULL))
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "malformed run file '%s'",
                             obj->paths.run_path);
    return 0;
}

static int
qstub_run_write(const vsh_domain_obj *obj, const qstub_run *run, GError **error)
{
    g_autofree char *line = g_strdup_printf("%" G_GUINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                                            run->cpu_ns, run->since_us);

    return vsh_file_write_atomic(obj->paths.run_path, line, 0600, error);
}

/* The cpu time of a VM: what it accumulated plus, while running, the wall time since. */
static guint64
qstub_run_cpu_ns(const qstub_run *run)
{
    gint64 now = g_get_real_time();

    if (run->since_us <= 0 || now < run->since_us)
        return run->cpu_ns;
    return run->cpu_ns + (guint64) (now - run->since_us) * 1000;
}

/* Takes @count numbers from the store's counter file @path (how many it handed out so
 * far), under the file's own lock so that two processes starting VMs at once never get the
 * same ones: they are *ret_last + 1 ... *ret_last + @count. */
static int
qstub_counter_take(const char *path, int count, int *ret_last, GError **error)
{
    vsh_autoclose int fd = -1;
    char buf[32] = { 0 };
    g_autofree char *line = NULL;
    gint64 last = 0;
    ssize_t n;

    if ((fd = vsh_file_lock(path, QSTUB_ID_LOCK_TIMEOUT_MS, error)) < 0)
        return -1;
    if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) < 0)
        return vsh_error_set_errno(error, errno, "cannot read '%s'", path);
    if (n > 0 && !g_ascii_string_to_signed(g_strstrip(buf), 10, 0, G_MAXINT - count, &last,
                                           NULL))
        return vsh_error_set(error, VSH_ERROR_INTERNAL, "malformed counter '%s'", path);
    line = g_strdup_printf("%" G_GINT64_FORMAT "\n", last + count);
    if (ftruncate(fd, 0) < 0 || pwrite(fd, line, strlen(line), 0) < 0)
        return vsh_error_set_errno(error, errno, "cannot write '%s'", path);
    *ret_last = (int) last;
    return 0;
}

/* The next id from the store's counter. */
static int
qstub_next_id(const vsh_domain_obj *obj, int *ret_id, GError **error)
{
    int last;

    if (qstub_counter_take(obj->paths.id_counter_path, 1, &last, error) < 0)
        return -1;
    *ret_id = last + 1;
    return 0;
}

/* As libvirt's qemu driver names the tap device of an interface whose <target dev> the
 * definition leaves out: vnet0, vnet1 ... from a counter of the store, so that no two
 * running VMs show the same one. The live definition records them. */
static int
qstub_name_interfaces(vsh_domain_obj *obj, vsh_domain_def *live, GError **error)
{
    GPtrArray *nets = live->interfaces;
    int unnamed = 0;
    int last;
    guint i;

    for (i = 0; i < nets->len; i++) {
        if (!((vsh_net_def *) g_ptr_array_index(nets, i))->target_dev)
            unnamed++;
    }
    if (unnamed == 0)
        return 0;
    if (qstub_counter_take(obj->paths.vnet_counter_path, unnamed, &last, error) < 0)
        return -1;
    for (i = 0; i < nets->len; i++) {
        vsh_net_def *net = g_ptr_array_index(nets, i);

        if (!net->target_dev)
            net->target_dev = g_strdup_printf("vnet%d", last++);
    }
    return 0;
}

static int
qstub_check_disks(const vsh_domain_def *def, GError **error)
{
    struct stat st;
    guint i;

    for (i = 0; i < def->disks->len; i++) {
        const vsh_disk_def *disk = def->disks->pdata[i];

        if (disk->source && stat(disk->source, &st) < 0)
            return vsh_error_set_code_errno(error, VSH_ERROR_OPERATION_FAILED, errno,
                                            "cannot access disk source '%s': %s",
                                            disk->source, g_strerror(errno));
    }
    return 0;
}

static int
qstub_start(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    bool paused = flags & VSH_DOMAIN_START_PAUSED;
    qstub_run run = { 0, paused ? 0 : g_get_real_time() };
    int id = -1;

    if (qstub_check_disks(obj->live, error) < 0 ||
        qstub_next_id(obj, &id, error) < 0 ||
        qstub_name_interfaces(obj, obj->live, error) < 0 ||
        qstub_run_write(obj, &run, error) < 0)
        return -1;
    obj->id = id;
    obj->pid = obj->monitor_pid = 0;
    obj->state = paused ? VSH_DOMAIN_PAUSED : VSH_DOMAIN_RUNNING;
    obj->reason = paused ? VSH_DOMAIN_PAUSED_USER : VSH_DOMAIN_RUNNING_BOOTED;
    return 0;
}

/* A device plugged into the modelled VM: an interface gets its tap name, a disk must
 * exist, as at start. */
static int
qstub_attach_device(vsh_domain_obj *obj, vsh_domain_def *live, vsh_device_kind kind,
                    GError **error)
{
    if (kind == VSH_DEVICE_INTERFACE)
        return qstub_name_interfaces(obj, live, error);
    if (kind == VSH_DEVICE_DISK)
        return qstub_check_disks(live, error);
    return 0;
}

/* Nothing runs: unplugging is the live definition's change alone. */
static int
qstub_detach_device(vsh_domain_obj *obj, vsh_device_kind kind, gconstpointer dev,
                    GError **error)
{
    return 0;
}

static bool
qstub_action_restarts(vsh_lifecycle_action action)
{
    return action == VSH_LIFECYCLE_RESTART || action == VSH_LIFECYCLE_RESTART_RENAME ||
        action == VSH_LIFECYCLE_COREDUMP_RESTART || action == VSH_LIFECYCLE_PRESERVE;
}

/* The guest "answers" the ACPI request (or its agent's) at once; <on_poweroff> says what
 * happens next. */
static int
qstub_shutdown(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    (void) flags;
    (void) error;
    if (qstub_action_restarts(obj->live->on_poweroff))
        return 0;   /* powered off and straight back on: a reset */
    obj->state = VSH_DOMAIN_SHUTOFF;
    obj->reason = VSH_DOMAIN_SHUTOFF_SHUTDOWN;
    return 0;
}

static int
qstub_destroy(vsh_domain_obj *obj, GError **error)
{
    (void) obj;
    (void) error;
    return 0;
}

/* A reset: same id, same cpu account, same run state; unless <on_reboot> says the guest
 * stops when it reboots. */
static int
qstub_reboot(vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    (void) flags;               /* acpi or agent: the modelled guest obeys at once */
    qstub_run run;

    if (qstub_run_read(obj, &run, error) < 0)
        return -1;
    if (!qstub_action_restarts(obj->live->on_reboot)) {
        obj->state = VSH_DOMAIN_SHUTOFF;
        obj->reason = VSH_DOMAIN_SHUTOFF_SHUTDOWN;
    }
    return 0;
}

static int
qstub_suspend(vsh_domain_obj *obj, GError **error)
{
    qstub_run run;

    if (qstub_run_read(obj, &run, error) < 0)
        return -1;
    run.cpu_ns = qstub_run_cpu_ns(&run);
    run.since_us = 0;
    return qstub_run_write(obj, &run, error);
}

static int
qstub_resume(vsh_domain_obj *obj, GError **error)
{
    qstub_run run;

    if (qstub_run_read(obj, &run, error) < 0)
        return -1;
    run.since_us = g_get_real_time();
    return qstub_run_write(obj, &run, error);
}

static int
qstub_get_info(vsh_domain_obj *obj, vsh_domain_info *info, GError **error)
{
    qstub_run run;

    if (qstub_run_read(obj, &run, error) < 0)
        return -1;
    info->cpu_time_ns = qstub_run_cpu_ns(&run);
    return 0;
}

static void
qstub_stat_add(GArray *stats, const char *name, guint64 value)
{
    vsh_stat stat = { .name = g_strdup(name), .value = value };

    /* The core's array frees the names. */
    g_array_append_val(stats, stat);
}

/* The balloon is "actual"; the guest has touched all of it ("rss"). */
static int
qstub_get_memory_stats(vsh_domain_obj *obj, GArray *stats, GError **error)
{
    const vsh_domain_def *def = obj->live;
    guint64 cur = def->has_cur_memory ? def->cur_memory_kib : def->max_memory_kib;

    (void) error;
    qstub_stat_add(stats, "actual", cur);
    qstub_stat_add(stats, "available", def->max_memory_kib);
    qstub_stat_add(stats, "rss", cur);
    return 0;
}

/* A VM that runs no process moves no packets: every counter is known, and zero. */
static int
qstub_get_interface_stats(vsh_domain_obj *obj, const vsh_net_def *net,
                          vsh_domain_interface_stats *ret_stats, GError **error)
{
    (void) obj;
    (void) net;
    (void) error;
    *ret_stats = (vsh_domain_interface_stats) { 0 };
    return 0;
}

/* Live changes within the limits the core checked: nothing to do on a VM that runs no
 * process; the core records them in the live definition. */
static int
qstub_set_memory(vsh_domain_obj *obj, guint64 kib, GError **error)
{
    (void) obj;
    (void) kib;
    (void) error;
    return 0;
}

static int
qstub_set_vcpus(vsh_domain_obj *obj, unsigned int nvcpus, GError **error)
{
    (void) obj;
    (void) nvcpus;
    (void) error;
    return 0;
}

static int
qstub_set_sched(vsh_domain_obj *obj, const vsh_sched_params *params, GError **error)
{
    (void) obj;
    (void) params;
    (void) error;
    return 0;
}

static int
qstub_set_blkiotune(vsh_domain_obj *obj, const vsh_blkiotune_params *params, GError **error)
{
    (void) obj;
    (void) params;
    (void) error;
    return 0;
}

static int
qstub_set_memtune(vsh_domain_obj *obj, const vsh_memtune_params *params, GError **error)
{
    (void) obj;
    (void) params;
    (void) error;
    return 0;
}

static int
qstub_def_validate(const vsh_domain_def *def, GError **error)
{
    if (def->os.type != VSH_OS_TYPE_HVM)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "domain '%s' of type 'qemu' needs <os><type>hvm</type></os>",
                             def->name);
    if (def->max_memory_kib == 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_XML,
                             "domain '%s' of type 'qemu' needs <memory>", def->name);
    return 0;
}

const vsh_driver vsh_qemu_stub_driver = {
    .name = "qemu",
    .type = VSH_DOMAIN_TYPE_QEMU,
    .supervised = false,
    .def_validate = qstub_def_validate,
    .start = qstub_start,
    .shutdown = qstub_shutdown,
    .shutdown_modes = VSH_DOMAIN_SHUTDOWN_ACPI | VSH_DOMAIN_SHUTDOWN_AGENT,
    .destroy = qstub_destroy,
    .reboot = qstub_reboot,
    .reboot_modes = VSH_DOMAIN_SHUTDOWN_ACPI | VSH_DOMAIN_SHUTDOWN_AGENT,
    .suspend = qstub_suspend,
    .resume = qstub_resume,
    .get_info = qstub_get_info,
    .get_memory_stats = qstub_get_memory_stats,
    .get_interface_stats = qstub_get_interface_stats,
    .set_memory = qstub_set_memory,
    .set_vcpus = qstub_set_vcpus,
    .set_sched = qstub_set_sched,
    .set_memtune = qstub_set_memtune,
    .set_blkiotune = qstub_set_blkiotune,
    .attach_device = qstub_attach_device,
    .detach_device = qstub_detach_device,
};
