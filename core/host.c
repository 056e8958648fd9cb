/*
 * host.c — facts about the host: name, node info, capabilities XML.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

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
