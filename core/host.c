/*
 * host.c — facts about the host: name, node info, capabilities XML, and whether it can run
 * each driver's domains (host-validate).
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgroup.h"
#include "driver.h"
#include "error.h"
#include "internal.h"
#include "util/file.h"

#define VSH_PROC_FILE_MAX (1024 * 1024)

const char *
vsh_host_arch(void)
{
    static char machine[sizeof(((struct utsname *) NULL)->machine)];
    struct utsname uts;

    if (!machine[0]) {
        if (uname(&uts) < 0)
            return "unknown";
        g_strlcpy(machine, uts.machine, sizeof(machine));
    }
    return machine;
}

char *
vsh_conn_get_hostname(vsh_conn *conn, GError **error)
{
    char buf[256];

    (void) conn;
    if (gethostname(buf, sizeof(buf)) < 0) {
        vsh_error_set_errno(error, errno, "cannot get the host name");
        return NULL;
    }
    buf[sizeof(buf) - 1] = '\0';
    return g_strdup(buf);
}

/* The value of the first "KEY<spaces/tabs>: VALUE" line of @text, or NULL. */
static char *
vsh_host_field(const char *text, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", 0);
    size_t klen = strlen(key);
    char **l;

    for (l = lines; *l; l++) {
        const char *p = *l;

        if (strncmp(p, key, klen) != 0)
            continue;
        p += klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != ':')
            continue;
        return g_strstrip(g_strdup(p + 1));
    }
    return NULL;
}

static guint64
vsh_host_field_u64(const char *text, const char *key)
{
    g_autofree char *val = vsh_host_field(text, key);

    return val ? g_ascii_strtoull(val, NULL, 10) : 0;
}

/* Sockets counted as distinct "physical id" values in /proc/cpuinfo. */
static unsigned int
vsh_host_count_sockets(const char *cpuinfo)
{
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", 0);
    char **l;

    for (l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "physical id"))
            g_hash_table_add(ids, g_strdup(*l));
    }
    return MAX(g_hash_table_size(ids), 1);
}

static unsigned int
vsh_host_count_nodes(void)
{
    g_autoptr(GDir) dir = g_dir_open("/sys/devices/system/node", 0, NULL);
    const char *entry;
    unsigned int n = 0;

    while (dir && (entry = g_dir_read_name(dir))) {
        if (g_str_has_prefix(entry, "node") && g_ascii_isdigit(entry[4]))
            n++;
    }
    return MAX(n, 1);
}

int
vsh_conn_get_node_info(vsh_conn *conn, vsh_node_info *ret_info, GError **error)
{
    g_autofree char *cpuinfo = NULL;
    g_autofree char *meminfo = NULL;
    unsigned int per_socket;
    long ncpu;

    (void) conn;
    if (vsh_file_read_all("/proc/meminfo", VSH_PROC_FILE_MAX, &meminfo, error) < 0 ||
        vsh_file_read_all("/proc/cpuinfo", VSH_PROC_FILE_MAX, &cpuinfo, error) < 0)
        return -1;
    memset(ret_info, 0, sizeof(*ret_info));
    g_strlcpy(ret_info->model, vsh_host_arch(), sizeof(ret_info->model));
    ret_info->memory_kib = vsh_host_field_u64(meminfo, "MemTotal");
    ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ret_info->cpus = ncpu > 0 ? (unsigned int) ncpu : 1;
    ret_info->mhz = (unsigned int) vsh_host_field_u64(cpuinfo, "cpu MHz");
    ret_info->nodes = vsh_host_count_nodes();
    ret_info->sockets = MAX(vsh_host_count_sockets(cpuinfo) / ret_info->nodes, 1);
    ret_info->cores = (unsigned int) vsh_host_field_u64(cpuinfo, "cpu cores");
    per_socket = ret_info->cpus / (ret_info->nodes * ret_info->sockets);
    if (ret_info->cores == 0 || ret_info->cores > per_socket)
        ret_info->cores = MAX(per_socket, 1);
    ret_info->threads = MAX(per_socket / ret_info->cores, 1);
    return 0;
}

/* The host's uuid in libvirt's sense: the machine id, formatted as a uuid. */
static char *
vsh_host_uuid(void)
{
    g_autofree char *id = NULL;
    unsigned char uuid[16];
    char buf[VSH_UUID_STRING_BUFLEN];

    if (vsh_file_read_all("/etc/machine-id", 128, &id, NULL) < 0 ||
        vsh_uuid_parse(g_strstrip(id), uuid) < 0)
        return NULL;
    vsh_uuid_format(uuid, buf);
    return g_strdup(buf);
}

static void
vsh_caps_format_guest(GString *xml, const vsh_driver *drv, const char *arch)
{
    const char *os_type = drv->type == VSH_DOMAIN_TYPE_QEMU ? "hvm" : "exe";

    g_string_append(xml, "  <guest>\n");
    g_string_append_printf(xml, "    <os_type>%s</os_type>\n", os_type);
    g_string_append_printf(xml, "    <arch name='%s'>\n", arch);
    g_string_append_printf(xml, "      <wordsize>%u</wordsize>\n",
                           (unsigned int) (sizeof(void *) * 8));
    g_string_append_printf(xml, "      <domain type='%s'/>\n", drv->name);
    g_string_append(xml, "    </arch>\n");
    g_string_append(xml, "  </guest>\n");
}

char *
vsh_conn_get_capabilities(vsh_conn *conn, GError **error)
{
    g_autoptr(GString) xml = g_string_new("<capabilities>\n");
    g_autofree char *uuid = vsh_host_uuid();
    g_autofree char *arch = g_markup_escape_text(vsh_host_arch(), -1);
    guint i;

    (void) error;
    g_string_append(xml, "  <host>\n");
    if (uuid)
        g_string_append_printf(xml, "    <uuid>%s</uuid>\n", uuid);
    g_string_append_printf(xml, "    <cpu>\n      <arch>%s</arch>\n    </cpu>\n", arch);
    g_string_append(xml, "  </host>\n");
    /* The connection's drivers are the ones that probed usable when it was opened. */
    for (i = 0; i < conn->drivers->len; i++)
        vsh_caps_format_guest(xml, conn->drivers->pdata[i], arch);
    g_string_append(xml, "</capabilities>\n");
    return g_string_free(g_steal_pointer(&xml), FALSE);
}

/* ---------------------------------------------------------------- host-validate */

static void
vsh_host_check_clear(gpointer data)
{
    vsh_host_check *check = data;

    g_free(check->type);
    g_free(check->what);
    g_free(check->hint);
}

void
vsh_host_check_add(GArray *checks, const char *type, vsh_host_check_result result,
                   const char *what, const char *hint_fmt, ...)
{
    vsh_host_check check = { g_strdup(type), g_strdup(what), result, NULL };
    va_list ap;

    if (result != VSH_HOST_CHECK_PASS && hint_fmt) {
        va_start(ap, hint_fmt);
        check.hint = g_strdup_vprintf(hint_fmt, ap);
        va_end(ap);
    }
    g_array_append_val(checks, check);
}

void
vsh_host_check_kernel(GArray *checks, const char *type, int major, int minor,
                      const char *why)
{
    g_autofree char *what = g_strdup_printf("for Linux >= %d.%d", major, minor);
    struct utsname uts;
    int have_major = 0;
    int have_minor = 0;

    if (uname(&uts) < 0 || sscanf(uts.release, "%d.%d", &have_major, &have_minor) != 2)
        vsh_host_check_add(checks, type, VSH_HOST_CHECK_WARN, what,
                           "cannot tell the kernel's version");
    else if (have_major < major || (have_major == major && have_minor < minor))
        vsh_host_check_add(checks, type, VSH_HOST_CHECK_FAIL, what, "Linux %d.%d: %s",
                           have_major, have_minor, why);
    else
        vsh_host_check_add(checks, type, VSH_HOST_CHECK_PASS, what, NULL);
}

void
vsh_host_check_namespace(GArray *checks, const char *type, const char *ns,
                         vsh_host_check_result if_missing, const char *why)
{
    g_autofree char *what = g_strdup_printf("for namespace %s", ns);
    g_autofree char *path = g_strdup_printf("/proc/self/ns/%s", ns);

    if (access(path, F_OK) < 0)
        vsh_host_check_add(checks, type, if_missing, what, "%s", why);
    else
        vsh_host_check_add(checks, type, VSH_HOST_CHECK_PASS, what, NULL);
}

void
vsh_host_check_cgroups(GArray *checks, const char *type, bool cpuset_required)
{
    static const struct {
        int ctrl;
        const char *name;
        const char *why;
    } ctrls[] = {
        { VSH_CGROUP_CPU, "cpu", "cpu shares, period and quota" },
        { VSH_CGROUP_CPUACCT, "cpuacct", "cpu time in dominfo and domstats" },
        { VSH_CGROUP_MEMORY, "memory", "memory limits and usage" },
        { VSH_CGROUP_PIDS, "pids", "the pids limit set at every start" },
        { VSH_CGROUP_FREEZER, "freezer", "suspend, resume and a destroy that leaves no task" },
        { VSH_CGROUP_CPUSET, "cpuset", "<vcpu cpuset=...>" },
        { VSH_CGROUP_BLKIO, "blkio", "<blkiotune> and blkiotune" },
    };
    struct vsh_cgroup cg;
    size_t i;

    if (vsh_cgroup_open(&cg, NULL, NULL, "vsh/host-validate") < 0) {
        vsh_host_check_add(checks, type, VSH_HOST_CHECK_FAIL, "for a cgroup filesystem",
                           "none mounted under %s: %s",
                           g_getenv("VSH_CGROUP_ROOT") ? g_getenv("VSH_CGROUP_ROOT")
                                                       : VSH_CGROUP_DEFAULT_ROOT,
                           g_strerror(errno));
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(ctrls); i++) {
        g_autofree char *what = g_strdup_printf("for cgroup '%s' controller support",
                                                ctrls[i].name);
        vsh_host_check_result missing = VSH_HOST_CHECK_FAIL;

        if ((ctrls[i].ctrl == VSH_CGROUP_CPUSET && !cpuset_required) ||
            ctrls[i].ctrl == VSH_CGROUP_BLKIO)
            missing = VSH_HOST_CHECK_WARN;
        if (vsh_cgroup_has_controller(&cg, ctrls[i].ctrl))
            vsh_host_check_add(checks, type, VSH_HOST_CHECK_PASS, what, NULL);
        else
            vsh_host_check_add(checks, type, missing, what, "%s cgroup hierarchy without it; "
                               "needed for %s", vsh_cgroup_layout_to_string(cg.layout),
                               ctrls[i].why);
    }
    vsh_cgroup_clear(&cg);
}

int
vsh_host_validate(const char *type, GArray **ret_checks, GError **error)
{
    const vsh_driver *const *drivers = vsh_driver_registry();
    g_autoptr(GArray) checks = g_array_new(FALSE, TRUE, sizeof(vsh_host_check));
    bool found = false;
    int failed = 0;
    size_t i;

    g_array_set_clear_func(checks, vsh_host_check_clear);
    for (i = 0; drivers[i]; i++) {
        if (type && strcmp(type, drivers[i]->name) != 0)
            continue;
        found = true;
        if (drivers[i]->validate_host)
            drivers[i]->validate_host(checks);
        else if (type)
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "the %s driver has no host checks", type);
    }
    if (!found) {
        g_autoptr(GString) names = g_string_new(NULL);

        for (i = 0; drivers[i]; i++)
            g_string_append_printf(names, "%s%s", i ? ", " : "", drivers[i]->name);
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "unknown domain type '%s' (this vsh has %s)", type, names->str);
    }
    for (i = 0; i < checks->len; i++) {
        if (g_array_index(checks, vsh_host_check, i).result == VSH_HOST_CHECK_FAIL)
            failed++;
    }
    *ret_checks = g_steal_pointer(&checks);
    return failed;
}
