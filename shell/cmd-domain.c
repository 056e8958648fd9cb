/*
 * cmd-domain.c — domain commands: list, define/undefine/create, the lifecycle verbs,
 * dominfo and the other queries, dumpxml, autostart, memory/vcpu/scheduler tuning,
 * statistics and exec.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsh-shell.h"

#define SHELL_XML_MAX (16 * 1024 * 1024)

/* ------------------------------------------------------------------------------------ */
/* list                                                                                 */

/* virsh's order: running domains by id, then inactive ones by name. */
static int
list_compare(gconstpointer a, gconstpointer b)
{
    vsh_domain *da = *(vsh_domain *const *) a;
    vsh_domain *db = *(vsh_domain *const *) b;
    int ia = vsh_domain_get_id(da);
    int ib = vsh_domain_get_id(db);

    if (ia >= 0 && ib >= 0 && ia != ib)
        return ia < ib ? -1 : 1;
    if ((ia >= 0) != (ib >= 0))
        return ia >= 0 ? -1 : 1;
    return strcmp(vsh_domain_get_name(da), vsh_domain_get_name(db));
}

static bool
list_check_type(shell_ctl *ctl, const char *type)
{
    const char *const *types = vsh_conn_get_types(ctl->conn);
    g_autofree char *known = NULL;

    if (!type || g_strv_contains(types, type))
        return true;
    known = g_strjoinv(", ", (char **) types);
    shell_error(ctl, "unknown domain type '%s' (this connection serves: %s)", type, known);
    return false;
}

/* An option that sets one flag when given. */
typedef struct {
    const char *option;
    unsigned int flag;
} option_flag;

static unsigned int
option_flags(const shell_cmd *cmd, const option_flag *table, size_t n)
{
    unsigned int flags = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (shell_cmd_has(cmd, table[i].option))
            flags |= table[i].flag;
    }
    return flags;
}

static unsigned int
list_flags(const shell_cmd *cmd)
{
    static const option_flag filters[] = {
        { "persistent", VSH_LIST_PERSISTENT }, { "transient", VSH_LIST_TRANSIENT },
        { "autostart", VSH_LIST_AUTOSTART }, { "no-autostart", VSH_LIST_NO_AUTOSTART },
        { "state-running", VSH_LIST_RUNNING }, { "state-paused", VSH_LIST_PAUSED },
        { "state-shutoff", VSH_LIST_SHUTOFF }, { "state-other", VSH_LIST_OTHER },
    };
    unsigned int flags = option_flags(cmd, filters, G_N_ELEMENTS(filters));

    /* Within each pair no flag means both; plain "list" means active domains only, and
     * --state-shutoff, like --inactive, looks at inactive ones (virsh's rule). */
    if ((shell_cmd_has(cmd, "inactive") || shell_cmd_has(cmd, "state-shutoff")) &&
        !shell_cmd_has(cmd, "all"))
        flags |= VSH_LIST_INACTIVE;
    else if (!shell_cmd_has(cmd, "all"))
        flags |= VSH_LIST_ACTIVE;
    return flags;
}

/* The plain forms, fields in virsh's order: uuid, id ("-" when inactive), name. --id alone
 * leaves inactive domains out, having no id to print. */
static void
list_print_plain(shell_ctl *ctl, const shell_cmd *cmd, GPtrArray *doms)
{
    bool uuid = shell_cmd_has(cmd, "uuid");
    bool id = shell_cmd_has(cmd, "id");
    bool name = shell_cmd_has(cmd, "name");
    guint i;

    for (i = 0; i < doms->len; i++) {
        vsh_domain *dom = doms->pdata[i];
        g_autoptr(GString) line = g_string_new(NULL);
        char uuidstr[VSH_UUID_STRING_BUFLEN];

        if (id && !uuid && !name && vsh_domain_get_id(dom) < 0)
            continue;
        if (uuid) {
            vsh_domain_get_uuid_string(dom, uuidstr);
            g_string_append(line, uuidstr);
        }
        if (id) {
            if (line->len)
                g_string_append_c(line, ' ');
            if (vsh_domain_get_id(dom) >= 0)
                g_string_append_printf(line, "%d", vsh_domain_get_id(dom));
            else
                g_string_append_c(line, '-');
        }
        if (name) {
            if (line->len)
                g_string_append_c(line, ' ');
            g_string_append(line, vsh_domain_get_name(dom));
        }
        shell_print(ctl, "%s\n", line->str);
    }
}

static void
list_add_row(shell_table *table, vsh_domain *dom, bool type, bool title)
{
    g_autofree char *id = NULL;
    g_autofree char *title_str = NULL;
    const char *cells[6] = { NULL };
    int state = VSH_DOMAIN_NOSTATE;
    int reason = 0;
    int n = 0;

    if (vsh_domain_get_id(dom) >= 0)
        id = g_strdup_printf("%d", vsh_domain_get_id(dom));
    /* the state the listing read: one store read per domain, like the id */
    vsh_domain_get_last_state(dom, &state, &reason);
    cells[n++] = id ? id : "-";
    cells[n++] = vsh_domain_get_name(dom);
    cells[n++] = vsh_domain_state_to_string(state);
    if (type)
        cells[n++] = vsh_domain_get_type(dom);
    if (title) {
        title_str = vsh_domain_get_title(dom, NULL);
        cells[n++] = title_str ? title_str : "";
    }
    shell_table_add_row(table, cells);
}

static bool
cmd_list(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) doms = NULL;
    const char *type = shell_cmd_string(cmd, "type");
    bool with_type = g_strv_length((char **) vsh_conn_get_types(ctl->conn)) > 1;
    bool with_title = shell_cmd_has(cmd, "title");
    const char *header[6] = { "Id", "Name", "State", NULL, NULL, NULL };
    shell_table *table;
    guint i;

    if (shell_cmd_has(cmd, "table")) {
        static const char *const plain[] = { "name", "uuid", "id" };

        for (i = 0; i < G_N_ELEMENTS(plain); i++) {
            if (shell_cmd_has(cmd, plain[i])) {
                shell_error(ctl, "options --table and --%s are mutually exclusive", plain[i]);
                return false;
            }
        }
    }
    if (!list_check_type(ctl, type))
        return false;
    if (vsh_conn_list_domains(ctl->conn, type, list_flags(cmd), &doms, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to list domains");
        return false;
    }
    g_ptr_array_sort(doms, list_compare);
    if (shell_cmd_has(cmd, "name") || shell_cmd_has(cmd, "uuid") || shell_cmd_has(cmd, "id")) {
        list_print_plain(ctl, cmd, doms);
        return true;
    }
    /* The Type column sits before Title so that a title with blanks stays last. */
    i = 3;
    if (with_type)
        header[i++] = "Type";
    if (with_title)
        header[i++] = "Title";
    table = shell_table_new(header);
    for (i = 0; i < doms->len; i++)
        list_add_row(table, doms->pdata[i], with_type, with_title);
    shell_table_print_free(ctl, table);
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* define, create, undefine                                                             */

char *
shell_read_xml_file(shell_ctl *ctl, const char *path)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    char chunk[4096];
    FILE *f = fopen(path, "re");
    size_t n;

    if (!f) {
        shell_error(ctl, "failed to open file '%s': %s", path, g_strerror(errno));
        return NULL;
    }
    /* a bound, so that "define /dev/zero" ends */
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf->len <= SHELL_XML_MAX)
        g_string_append_len(buf, chunk, n);
    if (ferror(f)) {
        shell_error(ctl, "failed to read file '%s': %s", path, g_strerror(errno));
        fclose(f);
        return NULL;
    }
    fclose(f);
    if (buf->len > SHELL_XML_MAX) {
        shell_error(ctl, "file '%s' is too large for a domain definition", path);
        return NULL;
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static bool
cmd_define(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *file = shell_cmd_string(cmd, "file");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = shell_read_xml_file(ctl, file);
    g_autoptr(vsh_domain) dom = NULL;

    if (!xml)
        return false;
    if (!(dom = vsh_domain_define_xml(ctl->conn, xml, file, &err))) {
        shell_error_gerror(ctl, err, "failed to define domain from %s", file);
        return false;
    }
    shell_print_extra(ctl, "Domain '%s' defined from %s\n", vsh_domain_get_name(dom), file);
    return true;
}

static bool
cmd_create(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *file = shell_cmd_string(cmd, "file");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = shell_read_xml_file(ctl, file);
    g_autoptr(vsh_domain) dom = NULL;
    unsigned int flags = (shell_cmd_has(cmd, "paused") ? VSH_DOMAIN_START_PAUSED : 0) |
        (shell_cmd_has(cmd, "autodestroy") ? VSH_DOMAIN_START_AUTODESTROY : 0);

    if (!xml)
        return false;
    if (!(dom = vsh_domain_create_xml(ctl->conn, xml, file, flags, &err))) {
        shell_error_gerror(ctl, err, "failed to create domain from %s", file);
        return false;
    }
    shell_print_extra(ctl, "Domain '%s' created from %s\n", vsh_domain_get_name(dom), file);
    if (shell_cmd_has(cmd, "console"))
        return shell_console_attach(ctl, dom, false);
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* Lifecycle verbs: one handler, a table of what each does and says                     */

typedef struct {
    const char *name;
    int (*fn)(vsh_domain *dom, unsigned int flags, GError **error);
    const char *done;           /* "Domain 'NAME' <done>", virsh's words */
} lifecycle_verb;

static int
lifecycle_start(vsh_domain *dom, unsigned int flags, GError **error)
{
    return vsh_domain_start(dom, flags, error);
}

#define LIFECYCLE_NO_FLAGS(verb) \
    static int \
    lifecycle_##verb(vsh_domain *dom, unsigned int flags, GError **error) \
    { \
        (void) flags; \
        return vsh_domain_##verb(dom, error); \
    }
LIFECYCLE_NO_FLAGS(destroy)
LIFECYCLE_NO_FLAGS(suspend)
LIFECYCLE_NO_FLAGS(resume)
LIFECYCLE_NO_FLAGS(undefine)

static const lifecycle_verb lifecycle_verbs[] = {
    { "start", lifecycle_start, "started" },
    { "shutdown", vsh_domain_shutdown_flags, "is being shutdown" },
    { "destroy", lifecycle_destroy, "destroyed" },
    { "reboot", vsh_domain_reboot_flags, "is being rebooted" },
    { "suspend", lifecycle_suspend, "suspended" },
    { "resume", lifecycle_resume, "resumed" },
    { "undefine", lifecycle_undefine, "has been undefined" },
};

/* shutdown and reboot --mode: virsh's comma-separated ways, as VSH_DOMAIN_SHUTDOWN_*
 * flags. */
static bool
shutdown_mode_flags(shell_ctl *ctl, const char *verb, const char *modes,
                    unsigned int *ret_flags)
{
    g_auto(GStrv) words = g_strsplit(modes, ",", -1);
    guint i;

    *ret_flags = 0;
    for (i = 0; words[i]; i++) {
        unsigned int flag;

        for (flag = 1; vsh_domain_shutdown_mode_to_string(flag); flag <<= 1) {
            if (strcmp(words[i], vsh_domain_shutdown_mode_to_string(flag)) == 0)
                break;
        }
        if (!vsh_domain_shutdown_mode_to_string(flag)) {
            shell_error(ctl, "unknown %s mode '%s' (expected acpi, agent, initctl, "
                        "signal or paravirt)", verb, words[i]);
            return false;
        }
        *ret_flags |= flag;
    }
    return true;
}

static bool
cmd_lifecycle(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    const lifecycle_verb *verb = NULL;
    const char *mode = shell_cmd_string(cmd, "mode");
    unsigned int flags = 0;
    gsize i;

    for (i = 0; i < G_N_ELEMENTS(lifecycle_verbs); i++) {
        if (strcmp(lifecycle_verbs[i].name, cmd->def->name) == 0)
            verb = &lifecycle_verbs[i];
    }
    g_assert(verb);
    if (mode && !shutdown_mode_flags(ctl, verb->name, mode, &flags))
        return false;
    if (verb->fn == lifecycle_start && shell_cmd_has(cmd, "paused"))
        flags |= VSH_DOMAIN_START_PAUSED;
    if (verb->fn == lifecycle_start && shell_cmd_has(cmd, "autodestroy"))
        flags |= VSH_DOMAIN_START_AUTODESTROY;
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (verb->fn(dom, flags, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to %s domain '%s'", verb->name,
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print_extra(ctl, "Domain '%s' %s\n", vsh_domain_get_name(dom), verb->done);
    if (verb->fn == lifecycle_start && shell_cmd_has(cmd, "console"))
        return shell_console_attach(ctl, dom, false);
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* Queries                                                                              */

/* libvirt's <os><type>: containers and jails run executables, VMs are full machines. */
static const char *
dominfo_os_type(vsh_domain *dom)
{
    return strcmp(vsh_domain_get_type(dom), "qemu") == 0 ? "hvm" : "exe";
}

static bool
cmd_dominfo(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    vsh_domain_info info = { 0 };
    char uuid[VSH_UUID_STRING_BUFLEN];
    bool autostart = false;
    int persistent;

    if (!dom)
        return false;
    if (vsh_domain_get_info(dom, &info, &err) < 0 ||
        (persistent = vsh_domain_is_persistent(dom, &err)) < 0 ||
        vsh_domain_get_autostart(dom, &autostart, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get information about domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    vsh_domain_get_uuid_string(dom, uuid);
    if (vsh_domain_get_id(dom) >= 0)
        shell_print(ctl, "%-15s %d\n", "Id:", vsh_domain_get_id(dom));
    else
        shell_print(ctl, "%-15s %s\n", "Id:", "-");
    shell_print(ctl, "%-15s %s\n", "Name:", vsh_domain_get_name(dom));
    shell_print(ctl, "%-15s %s\n", "UUID:", uuid);
    shell_print(ctl, "%-15s %s\n", "OS Type:", dominfo_os_type(dom));
    shell_print(ctl, "%-15s %s\n", "State:", vsh_domain_state_to_string(info.state));
    shell_print(ctl, "%-15s %u\n", "CPU(s):", info.nr_vcpus);
    if (info.cpu_time_ns)
        shell_print(ctl, "%-15s %.1lfs\n", "CPU time:", (double) info.cpu_time_ns / 1e9);
    shell_print(ctl, "%-15s %" G_GUINT64_FORMAT " KiB\n", "Max memory:", info.max_memory_kib);
    shell_print(ctl, "%-15s %" G_GUINT64_FORMAT " KiB\n", "Used memory:", info.memory_kib);
    shell_print(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    shell_print(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    shell_print(ctl, "%-15s %s\n", "Managed save:", "no");
    shell_print(ctl, "%-15s %s\n", "Security model:", "none");
    shell_print(ctl, "%-15s %s\n", "Security DOI:", "0");
    /* vsh's addition, last so that virsh's keys keep their order */
    shell_print(ctl, "%-15s %s\n", "Type:", vsh_domain_get_type(dom));
    return true;
}

static bool
cmd_domstate(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    int state;
    int reason;

    if (!dom)
        return false;
    if (vsh_domain_get_state(dom, &state, &reason, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get the state of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    if (shell_cmd_has(cmd, "reason"))
        shell_print(ctl, "%s (%s)\n", vsh_domain_state_to_string(state),
                    vsh_domain_state_reason_to_string(state, reason));
    else
        shell_print(ctl, "%s\n", vsh_domain_state_to_string(state));
    return true;
}

static bool
cmd_domid(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");

    if (!dom)
        return false;
    if (vsh_domain_get_id(dom) >= 0)
        shell_print(ctl, "%d\n", vsh_domain_get_id(dom));
    else
        shell_print(ctl, "-\n");
    return true;
}

static bool
cmd_domname(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");

    if (!dom)
        return false;
    shell_print(ctl, "%s\n", vsh_domain_get_name(dom));
    return true;
}

static bool
cmd_domuuid(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    char uuid[VSH_UUID_STRING_BUFLEN];

    if (!dom)
        return false;
    vsh_domain_get_uuid_string(dom, uuid);
    shell_print(ctl, "%s\n", uuid);
    return true;
}

static bool
cmd_dumpxml(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = shell_cmd_has(cmd, "inactive") ? VSH_DOMAIN_XML_INACTIVE : 0;
    const char *xpath = shell_cmd_string(cmd, "xpath");

    if (!dom)
        return false;
    if (!(xml = vsh_domain_get_xml(dom, flags, &err))) {
        shell_error_gerror(ctl, err, "failed to get the XML of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    /* --wrap without --xpath has nothing to wrap: the whole document, as virsh prints it */
    if (xpath) {
        g_autofree char *nodes = vsh_xml_xpath(xml, xpath, shell_cmd_has(cmd, "wrap") ?
                                               VSH_XML_XPATH_WRAP : 0, &err);

        if (!nodes) {
            shell_error_gerror(ctl, err, "failed to select in the XML of domain '%s'",
                               vsh_domain_get_name(dom));
            return false;
        }
        shell_print(ctl, "%s", nodes);
        return true;
    }
    shell_print(ctl, "%s%s", xml, g_str_has_suffix(xml, "\n") ? "" : "\n");
    return true;
}

static bool
cmd_autostart(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    bool enable = !shell_cmd_has(cmd, "disable");

    if (!dom)
        return false;
    if (vsh_domain_set_autostart(dom, enable, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to %smark domain '%s' as autostarted",
                           enable ? "" : "un", vsh_domain_get_name(dom));
        return false;
    }
    shell_print_extra(ctl, enable ? "Domain '%s' marked as autostarted\n" :
                      "Domain '%s' unmarked as autostarted\n", vsh_domain_get_name(dom));
    return true;
}

/* What a host does when it boots (lxc-autostart's job): every domain is tried, so one that
 * cannot start does not keep the others down. */
static bool
cmd_autostart_all(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(GError) err = NULL;
    int started;

    (void) cmd;
    started = vsh_conn_start_autostart_domains(ctl->conn, &err);
    if (started < 0) {
        shell_error_gerror(ctl, err, "failed to start the autostart domains");
        return false;
    }
    shell_print_extra(ctl, "Started %d autostart domain%s\n", started, started == 1 ? "" : "s");
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* Memory and vcpus                                                                     */

static bool
cmd_setmem(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    bool max = strcmp(cmd->def->name, "setmaxmem") == 0;
    unsigned int flags;
    guint64 kib;
    int rc;

    if (shell_cmd_scaled_kib(cmd, "size", &kib) < 0 || shell_cmd_impact(cmd, &flags) < 0)
        return false;
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (max)
        rc = vsh_domain_set_max_memory(dom, kib, flags, &err);
    else
        rc = vsh_domain_set_memory(dom, kib, flags, &err);
    if (rc < 0) {
        shell_error_gerror(ctl, err, "failed to set the %smemory of domain '%s'",
                           max ? "maximum " : "", vsh_domain_get_name(dom));
        return false;
    }
    return true;
}

static bool
cmd_setvcpus(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    unsigned int flags;
    unsigned int count;

    if (shell_cmd_uint(cmd, "count", &count) < 0 || shell_cmd_impact(cmd, &flags) < 0)
        return false;
    if (count == 0) {
        shell_error(ctl, "numeric value '0' for <count> option is malformed or out of range");
        return false;
    }
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (vsh_domain_set_vcpus(dom, count, flags, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to set the vcpus of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* schedinfo and memtune                                                                */

/* Applies one "name=value" of schedinfo --set to @params. */
static bool
schedinfo_parse_set(shell_ctl *ctl, const char *spec, vsh_sched_params *params)
{
    g_auto(GStrv) kv = g_strsplit(spec, "=", 2);
    gint64 svalue;
    guint64 uvalue;

    if (!kv[0] || !kv[1] || !*kv[0]) {
        shell_error(ctl, "invalid syntax for --set, expecting name=value");
        return false;
    }
    if (strcmp(kv[0], "vcpu_quota") == 0) {
        if (!g_ascii_string_to_signed(kv[1], 10, -1, G_MAXINT64, &svalue, NULL))
            goto bad_value;
        params->has_vcpu_quota = true;
        params->vcpu_quota = svalue;
        return true;
    }
    if (strcmp(kv[0], "cpu_shares") != 0 && strcmp(kv[0], "vcpu_period") != 0) {
        shell_error(ctl, "invalid scheduler option: %s", kv[0]);
        return false;
    }
    if (!g_ascii_string_to_unsigned(kv[1], 10, 0, G_MAXUINT64, &uvalue, NULL))
        goto bad_value;
    if (kv[0][0] == 'c') {
        params->has_cpu_shares = true;
        params->cpu_shares = uvalue;
    } else {
        params->has_vcpu_period = true;
        params->vcpu_period = uvalue;
    }
    return true;

 bad_value:
    shell_error(ctl, "invalid value '%s' for scheduler option %s", kv[1], kv[0]);
    return false;
}

static bool
schedinfo_set(shell_ctl *ctl, const shell_cmd *cmd, vsh_domain *dom, unsigned int flags)
{
    g_autofree const char **sets = shell_cmd_strings(cmd, "set");
    g_autoptr(GError) err = NULL;
    vsh_sched_params params = { 0 };
    gsize i;

    if (!shell_check_writable(ctl, cmd->def->name))
        return false;
    for (i = 0; sets[i]; i++) {
        if (!schedinfo_parse_set(ctl, sets[i], &params))
            return false;
    }
    if (vsh_domain_set_sched_params(dom, &params, flags, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to set scheduler parameters of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    return true;
}

static bool
cmd_schedinfo(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    vsh_sched_params params = { 0 };
    unsigned int flags;

    if (shell_cmd_impact(cmd, &flags) < 0 || !(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (shell_cmd_has(cmd, "set") && !schedinfo_set(ctl, cmd, dom, flags))
        return false;
    if (vsh_domain_get_sched_params(dom, flags, &params, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get scheduler parameters of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print(ctl, "%-15s: %s\n", "Scheduler", "posix");
    shell_print(ctl, "%-15s: %" G_GUINT64_FORMAT "\n", "cpu_shares", params.cpu_shares);
    shell_print(ctl, "%-15s: %" G_GUINT64_FORMAT "\n", "vcpu_period", params.vcpu_period);
    shell_print(ctl, "%-15s: %" G_GINT64_FORMAT "\n", "vcpu_quota", params.vcpu_quota);
    return true;
}

/* A memtune value: a scaled size, or -1 / "unlimited" for no limit. */
static int
memtune_option(shell_ctl *ctl, const shell_cmd *cmd, const char *name, bool *ret_has,
               guint64 *ret_kib)
{
    const char *str = shell_cmd_string(cmd, name);

    if (!str)
        return 0;
    *ret_has = true;
    if (strcmp(str, "-1") == 0 || strcmp(str, "unlimited") == 0) {
        *ret_kib = VSH_MEMORY_UNLIMITED;
        return 1;
    }
    return shell_cmd_scaled_kib(cmd, name, ret_kib);
}

static void
memtune_print(shell_ctl *ctl, const char *name, guint64 kib)
{
    if (kib >= VSH_MEMORY_UNLIMITED)
        shell_print(ctl, "%-15s: unlimited\n", name);
    else
        shell_print(ctl, "%-15s: %" G_GUINT64_FORMAT "\n", name, kib);
}

static bool
cmd_memtune(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    vsh_memtune_params params = { 0 };
    unsigned int flags;

    if (shell_cmd_impact(cmd, &flags) < 0 ||
        memtune_option(ctl, cmd, "hard-limit", &params.has_hard_limit, &params.hard_limit) < 0 ||
        memtune_option(ctl, cmd, "soft-limit", &params.has_soft_limit, &params.soft_limit) < 0 ||
        memtune_option(ctl, cmd, "swap-hard-limit", &params.has_swap_hard_limit,
                       &params.swap_hard_limit) < 0)
        return false;
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (params.has_hard_limit || params.has_soft_limit || params.has_swap_hard_limit) {
        if (!shell_check_writable(ctl, cmd->def->name))
            return false;
        if (vsh_domain_set_memtune(dom, &params, flags, &err) < 0) {
            shell_error_gerror(ctl, err, "failed to set memory parameters of domain '%s'",
                               vsh_domain_get_name(dom));
            return false;
        }
        return true;
    }
    if (vsh_domain_get_memtune(dom, flags, &params, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get memory parameters of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    memtune_print(ctl, "hard_limit", params.hard_limit);
    memtune_print(ctl, "soft_limit", params.soft_limit);
    memtune_print(ctl, "swap_hard_limit", params.swap_hard_limit);
    return true;
}

/* virsh blkiotune's per-device options, in the order of vsh_blkio_device_field, and the
 * names it prints them under. */
static const struct {
    const char *option;
    const char *label;
} blkiotune_fields[VSH_BLKIO_DEVICE_FIELD_LAST] = {
    { "device-weights", "device_weight" },
    { "device-read-iops-sec", "device_read_iops_sec" },
    { "device-write-iops-sec", "device_write_iops_sec" },
    { "device-read-bytes-sec", "device_read_bytes_sec" },
    { "device-write-bytes-sec", "device_write_bytes_sec" },
};

/* The entry of @path in @devices, added when missing. */
static vsh_blkio_device *
blkiotune_device(GPtrArray *devices, const char *path)
{
    vsh_blkio_device *dev;
    guint i;

    for (i = 0; i < devices->len; i++) {
        dev = g_ptr_array_index(devices, i);
        if (strcmp(dev->path, path) == 0)
            return dev;
    }
    dev = g_new0(vsh_blkio_device, 1);
    dev->path = g_strdup(path);
    g_ptr_array_add(devices, dev);
    return dev;
}

/* --device-weights /dev/sda,500,/dev/sdb,300 (and the other four): path and value pairs. */
static bool
blkiotune_device_option(shell_ctl *ctl, const shell_cmd *cmd, int field, GPtrArray *devices)
{
    const char *str = shell_cmd_string(cmd, blkiotune_fields[field].option);
    g_auto(GStrv) parts = NULL;
    guint n;
    guint i;

    if (!str)
        return true;
    parts = g_strsplit(str, ",", -1);
    n = g_strv_length(parts);
    if (n == 0 || n % 2 != 0) {
        shell_error(ctl, "--%s: expected pairs of a device and a value "
                    "(/dev/sda,500,...), got '%s'", blkiotune_fields[field].option, str);
        return false;
    }
    for (i = 0; i < n; i += 2) {
        vsh_blkio_device *dev;
        guint64 value;

        if (!g_ascii_string_to_unsigned(parts[i + 1], 10, 0, G_MAXUINT64, &value, NULL)) {
            shell_error(ctl, "--%s: invalid value '%s' for device '%s'",
                        blkiotune_fields[field].option, parts[i + 1], parts[i]);
            return false;
        }
        dev = blkiotune_device(devices, parts[i]);
        dev->value[field] = value;
        dev->given |= 1u << field;
    }
    return true;
}

/* "/dev/sda,500,/dev/sdb,300": the devices that have @field set, as virsh prints them. */
static char *
blkiotune_list(const GPtrArray *devices, int field)
{
    GString *out = g_string_new(NULL);
    guint i;

    for (i = 0; devices && i < devices->len; i++) {
        const vsh_blkio_device *dev = g_ptr_array_index(devices, i);

        if (!dev->value[field])
            continue;
        g_string_append_printf(out, "%s%s,%" G_GUINT64_FORMAT, out->len ? "," : "", dev->path,
                               dev->value[field]);
    }
    return g_string_free(out, FALSE);
}

static bool
cmd_blkiotune(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) devices =
        g_ptr_array_new_with_free_func((GDestroyNotify) vsh_blkio_device_free);
    vsh_blkiotune_params params = { 0 };
    unsigned int flags;
    int field;
    int r;

    if (shell_cmd_impact(cmd, &flags) < 0 ||
        (r = shell_cmd_uint(cmd, "weight", &params.weight)) < 0)
        return false;
    params.has_weight = r > 0;
    for (field = 0; field < VSH_BLKIO_DEVICE_FIELD_LAST; field++) {
        if (!blkiotune_device_option(ctl, cmd, field, devices))
            return false;
    }
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (params.has_weight || devices->len > 0) {
        if (!shell_check_writable(ctl, cmd->def->name))
            return false;
        params.devices = devices;
        if (vsh_domain_set_blkiotune(dom, &params, flags, &err) < 0) {
            shell_error_gerror(ctl, err, "failed to set blkio parameters of domain '%s'",
                               vsh_domain_get_name(dom));
            return false;
        }
        return true;
    }
    if (vsh_domain_get_blkiotune(dom, flags, &params, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get blkio parameters of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print(ctl, "%-15s: %u\n", "weight", params.weight);
    for (field = 0; field < VSH_BLKIO_DEVICE_FIELD_LAST; field++) {
        g_autofree char *list = blkiotune_list(params.devices, field);

        shell_print(ctl, "%-15s: %s\n", blkiotune_fields[field].label, list);
    }
    vsh_blkiotune_params_clear(&params);
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* Statistics                                                                           */

static bool
cmd_dommemstat(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) stats = NULL;
    guint i;

    if (!dom)
        return false;
    if (vsh_domain_get_memory_stats(dom, &stats, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get memory statistics of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    for (i = 0; i < stats->len; i++) {
        const vsh_stat *st = &g_array_index(stats, vsh_stat, i);

        shell_print(ctl, "%s %" G_GUINT64_FORMAT "\n", st->name, st->value);
    }
    return true;
}

static void
cpu_stats_line(shell_ctl *ctl, const char *name, guint64 ns)
{
    shell_print(ctl, "\t%-12s%20.9f seconds\n", name, (double) ns / 1e9);
}

/*
 * virsh cpu-stats: the cpu time of each CPU from --start (0), --count of them (all), then
 * the total with its user and system parts. --start or --count alone show only CPUs,
 * --total alone only the total. Where the time cannot be split by CPU (a cgroup v2 host,
 * the stub) only the total is shown, and asking for CPUs is an error.
 */
static bool
cmd_cpu_stats(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) percpu = NULL;
    vsh_domain_cpu_total total;
    bool show_total = shell_cmd_has(cmd, "total");
    bool show_cpus;
    int start = 0;
    int count = -1;
    int r_start;
    int r_count;
    int i;

    if (!dom || (r_start = shell_cmd_int(cmd, "start", &start)) < 0 ||
        (r_count = shell_cmd_int(cmd, "count", &count)) < 0)
        return false;
    if (start < 0) {
        shell_error(ctl, "invalid value for start CPU: %d", start);
        return false;
    }
    if (r_count > 0 && count < 0) {
        shell_error(ctl, "invalid value for number of CPUs to show: %d", count);
        return false;
    }
    show_cpus = r_start > 0 || r_count > 0;
    if (!show_total && !show_cpus)
        show_total = show_cpus = true;
    if (vsh_domain_get_cpu_stats(dom, &total, &percpu, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get the CPU statistics of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    if (show_cpus && percpu->len == 0 && (r_start > 0 || r_count > 0)) {
        shell_error(ctl, "the cpu time of domain '%s' is not known per CPU (a cgroup v2 "
                    "host, or a modelled VM, counts it as a whole): use --total",
                    vsh_domain_get_name(dom));
        return false;
    }
    if (show_cpus && percpu->len > 0) {
        if ((guint) start >= percpu->len) {
            shell_error(ctl, "start CPU %d is out of range (min: 0, max: %u)", start,
                        percpu->len - 1);
            return false;
        }
        if (count < 0)
            count = (int) percpu->len - start;
        if ((guint) start + (guint) count > percpu->len) {
            shell_print(ctl, "Only %u CPUs available to show\n", percpu->len);
            count = (int) percpu->len - start;
        }
        for (i = start; i < start + count; i++) {
            shell_print(ctl, "CPU%d:\n", i);
            cpu_stats_line(ctl, "cpu_time", g_array_index(percpu, guint64, i));
        }
    }
    if (show_total) {
        shell_print(ctl, "Total:\n");
        cpu_stats_line(ctl, "cpu_time", total.cpu_time_ns);
        if (total.user_time_ns >= 0)
            cpu_stats_line(ctl, "user_time", (guint64) total.user_time_ns);
        if (total.system_time_ns >= 0)
            cpu_stats_line(ctl, "system_time", (guint64) total.system_time_ns);
    }
    return true;
}

/* virsh's statistics groups: the option that asks for one, and the prefix of its names.
 * vsh reports the first five; the others are left out, or refused with --enforce. */
static const struct {
    const char *option;
    const char *prefix;
    bool reported;
} domstats_groups[] = {
    { "state", "state.", true },
    { "cpu-total", "cpu.", true },
    { "balloon", "balloon.", true },
    { "vcpu", "vcpu.", true },
    { "interface", "net.", true },
    { "block", "block.", false },
    { "perf", "perf.", false },
    { "iothread", "iothread.", false },
    { "memory", "memory.", false },
    { "dirtyrate", "dirtyrate.", false },
    { "vm", "vm.", false },
};

/* Whether @name belongs to a group @cmd asks for; every group when it names none. */
static bool
domstats_wanted(const shell_cmd *cmd, const char *name)
{
    bool any = false;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(domstats_groups); i++) {
        if (!shell_cmd_has(cmd, domstats_groups[i].option))
            continue;
        any = true;
        if (g_str_has_prefix(name, domstats_groups[i].prefix))
            return true;
    }
    return !any;
}

static bool
domstats_print(shell_ctl *ctl, const shell_cmd *cmd, vsh_domain *dom)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) stats = NULL;
    guint i;

    if (vsh_domain_get_stats(dom, &stats, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get statistics of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print(ctl, "Domain: '%s'\n", vsh_domain_get_name(dom));
    for (i = 0; i < stats->len; i++) {
        const vsh_stat *st = &g_array_index(stats, vsh_stat, i);

        if (!domstats_wanted(cmd, st->name))
            continue;
        if (st->string)
            shell_print(ctl, "  %s=%s\n", st->name, st->string);
        else
            shell_print(ctl, "  %s=%" G_GUINT64_FORMAT "\n", st->name, st->value);
    }
    return true;
}

/* virsh domiflist: the host-side device, how it is connected, the model and the MAC. */
static bool
cmd_domiflist(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) ifaces = NULL;
    unsigned int flags = shell_cmd_has(cmd, "inactive") ? VSH_DOMAIN_XML_INACTIVE : 0;
    static const char *const header[] = { "Interface", "Type", "Source", "Model", "MAC",
                                          NULL };
    shell_table *table;
    guint i;

    if (!dom)
        return false;
    if (vsh_domain_get_interfaces(dom, flags, &ifaces, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get the interfaces of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    table = shell_table_new(header);
    for (i = 0; i < ifaces->len; i++) {
        const vsh_domain_interface *iface = &g_array_index(ifaces, vsh_domain_interface, i);
        const char *row[] = {
            iface->target ? iface->target : "-",
            iface->type,
            iface->source ? iface->source : "-",
            iface->model ? iface->model : "-",
            iface->mac ? iface->mac : "-",
        };

        shell_table_add_row(table, row);
    }
    shell_table_print_free(ctl, table);
    return true;
}

static void
domifstat_print(shell_ctl *ctl, const char *device, const vsh_domain_interface_stats *st)
{
    const struct {
        const char *name;
        gint64 value;
    } counters[] = {
        { "rx_bytes", st->rx_bytes }, { "rx_packets", st->rx_packets },
        { "rx_errs", st->rx_errs }, { "rx_drop", st->rx_drop },
        { "tx_bytes", st->tx_bytes }, { "tx_packets", st->tx_packets },
        { "tx_errs", st->tx_errs }, { "tx_drop", st->tx_drop },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(counters); i++) {
        if (counters[i].value >= 0)
            shell_print(ctl, "%s %s %" G_GINT64_FORMAT "\n", device, counters[i].name,
                        counters[i].value);
    }
}

/* virsh domifstat: one line per counter the driver knows, after the interface as given. */
static bool
cmd_domifstat(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    const char *device = shell_cmd_string(cmd, "interface");
    g_autoptr(GError) err = NULL;
    vsh_domain_interface_stats st;

    if (!dom)
        return false;
    if (vsh_domain_get_interface_stats(dom, device, &st, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get interface statistics of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    domifstat_print(ctl, device, &st);
    return true;
}

/* --list-*: the filters of list, in virsh's words for domstats */
static unsigned int
domstats_list_flags(const shell_cmd *cmd)
{
    static const option_flag filters[] = {
        { "list-active", VSH_LIST_ACTIVE }, { "list-inactive", VSH_LIST_INACTIVE },
        { "list-persistent", VSH_LIST_PERSISTENT }, { "list-transient", VSH_LIST_TRANSIENT },
        { "list-running", VSH_LIST_RUNNING }, { "list-paused", VSH_LIST_PAUSED },
        { "list-shutoff", VSH_LIST_SHUTOFF }, { "list-other", VSH_LIST_OTHER },
    };

    return option_flags(cmd, filters, G_N_ELEMENTS(filters));
}

/* Whether @dom is among @doms (the same domain, by UUID). */
static bool
domstats_among(GPtrArray *doms, vsh_domain *dom)
{
    char uuid[VSH_UUID_STRING_BUFLEN];
    char other[VSH_UUID_STRING_BUFLEN];
    guint i;

    vsh_domain_get_uuid_string(dom, uuid);
    for (i = 0; i < doms->len; i++) {
        vsh_domain_get_uuid_string(doms->pdata[i], other);
        if (strcmp(uuid, other) == 0)
            return true;
    }
    return false;
}

/*
 * virsh domstats: every group, or those asked for (--enforce refuses a group vsh does not
 * report), of the domains named or, without names, of every domain; the --list-* filters
 * apply to either. --raw, --nowait and --backing change nothing: the values are printed
 * raw, nothing is waited for, and there are no block statistics to follow.
 */
static bool
cmd_domstats(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autofree const char **names = shell_cmd_strings(cmd, "domain");
    unsigned int flags = domstats_list_flags(cmd);
    g_autoptr(GPtrArray) doms = NULL;
    g_autoptr(GPtrArray) listed = NULL;
    g_autoptr(GError) err = NULL;
    bool ok = true;
    guint i;

    if (shell_cmd_has(cmd, "enforce")) {
        for (i = 0; i < G_N_ELEMENTS(domstats_groups); i++) {
            if (!domstats_groups[i].reported && shell_cmd_has(cmd, domstats_groups[i].option)) {
                shell_error(ctl, "statistics group --%s is not supported",
                            domstats_groups[i].option);
                return false;
            }
        }
    }
    if ((!names[0] || flags) && vsh_conn_list_domains(ctl->conn, NULL, flags, &listed, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to list domains");
        return false;
    }
    if (names[0]) {
        doms = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_domain_unref);
        for (i = 0; names[i]; i++) {
            vsh_domain *dom = shell_domain_lookup_string(ctl, names[i]);

            if (!dom)
                return false;
            if (listed && !domstats_among(listed, dom))
                vsh_domain_unref(dom);
            else
                g_ptr_array_add(doms, dom);
        }
    } else {
        doms = g_steal_pointer(&listed);
        g_ptr_array_sort(doms, list_compare);
    }
    /* records apart by a blank line, as virsh prints them */
    for (i = 0; i < doms->len; i++) {
        if (i)
            shell_print(ctl, "\n");
        ok = domstats_print(ctl, cmd, doms->pdata[i]) && ok;
    }
    return ok;
}

/* ------------------------------------------------------------------------------------ */
/* exec                                                                                 */

static bool
cmd_exec(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autofree const char **argv = shell_cmd_strings(cmd, "cmd");
    g_autoptr(GError) err = NULL;
    int status = 0;

    if (!dom)
        return false;
    fflush(stdout);
    if (vsh_domain_exec(dom, argv, &status, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to run '%s' in domain '%s'", argv[0],
                           vsh_domain_get_name(dom));
        return false;
    }
    /* the shell exits with the command's own status */
    ctl->exit_status = status;
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* The table                                                                            */

#define OPT_DOMAIN(what) \
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL, \
      "domain name, id or uuid", what }
#define OPT_IMPACT \
    { "config", SHELL_OPT_BOOL, 0, "affect next boot", 0 }, \
    { "live", SHELL_OPT_BOOL, 0, "affect running domain", 0 }, \
    { "current", SHELL_OPT_BOOL, 0, "affect current domain", 0 }

static const shell_opt_def opts_list[] = {
    { "inactive", SHELL_OPT_BOOL, 0, "list inactive domains", 0 },
    { "all", SHELL_OPT_BOOL, 0, "list inactive & active domains", 0 },
    { "transient", SHELL_OPT_BOOL, 0, "list transient domains", 0 },
    { "persistent", SHELL_OPT_BOOL, 0, "list persistent domains", 0 },
    { "state-running", SHELL_OPT_BOOL, 0, "list domains in running state", 0 },
    { "state-paused", SHELL_OPT_BOOL, 0, "list domains in paused state", 0 },
    { "state-shutoff", SHELL_OPT_BOOL, 0, "list domains in shutoff state", 0 },
    { "state-other", SHELL_OPT_BOOL, 0, "list domains in other states", 0 },
    { "autostart", SHELL_OPT_BOOL, 0, "list domains with autostart enabled", 0 },
    { "no-autostart", SHELL_OPT_BOOL, 0, "list domains with autostart disabled", 0 },
    { "type", SHELL_OPT_STRING, 0, "list domains of one type (lxc, chroot, qemu)",
      SHELL_COMPLETE_TYPE },
    { "uuid", SHELL_OPT_BOOL, 0, "list uuid's only", 0 },
    { "name", SHELL_OPT_BOOL, 0, "list domain names only", 0 },
    { "id", SHELL_OPT_BOOL, 0, "list domain IDs only", 0 },
    { "table", SHELL_OPT_BOOL, 0, "list table (default)", 0 },
    { "title", SHELL_OPT_BOOL, 0, "show domain title", 0 },
    { NULL },
};

/* virsh's --validate asks for what vsh always does: every definition is checked against
 * the schema before anything is written or started. */
#define OPT_VALIDATE \
    { "validate", SHELL_OPT_BOOL, 0, "validate the XML against the schema (always done)", 0 }

static const shell_opt_def opts_define[] = {
    { "file", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "file containing an XML domain description", SHELL_COMPLETE_FILE },
    OPT_VALIDATE,
    { NULL },
};

static const shell_opt_def opts_create[] = {
    { "file", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "file containing an XML domain description", SHELL_COMPLETE_FILE },
    { "console", SHELL_OPT_BOOL, 0, "attach to console after creation", 0 },
    { "paused", SHELL_OPT_BOOL, 0, "leave the guest paused after creation", 0 },
    { "autodestroy", SHELL_OPT_BOOL, 0, "automatically destroy the guest when vsh quits", 0 },
    OPT_VALIDATE,
    { NULL },
};

static const shell_opt_def opts_start[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_INACTIVE),
    { "console", SHELL_OPT_BOOL, 0, "attach to console after creation", 0 },
    { "paused", SHELL_OPT_BOOL, 0, "leave the guest paused after creation", 0 },
    { "autodestroy", SHELL_OPT_BOOL, 0, "automatically destroy the guest when vsh quits", 0 },
    { NULL },
};

static const shell_opt_def opts_shutdown[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_ACTIVE),
    { "mode", SHELL_OPT_STRING, 0,
      "shutdown mode: acpi|agent|initctl|signal|paravirt", 0 },
    { NULL },
};

static const shell_opt_def opts_reboot[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_ACTIVE),
    { "mode", SHELL_OPT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt", 0 },
    { NULL },
};

static const shell_opt_def opts_dom_all[] = { OPT_DOMAIN(SHELL_COMPLETE_DOMAIN), { NULL } };
static const shell_opt_def opts_dom_active[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_ACTIVE), { NULL }
};
static const shell_opt_def opts_cpu_stats[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_ACTIVE),
    { "total", SHELL_OPT_BOOL, 0, "Show total statistics only", 0 },
    { "start", SHELL_OPT_NUMBER, 0, "Show statistics from this CPU", 0 },
    { "count", SHELL_OPT_NUMBER, 0, "Number of shown CPUs at most", 0 },
    { NULL }
};
static const shell_opt_def opts_dom_running[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_RUNNING), { NULL }
};
static const shell_opt_def opts_dom_paused[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_PAUSED), { NULL }
};
static const shell_opt_def opts_dom_persistent[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_PERSISTENT), { NULL }
};

static const shell_opt_def opts_domstate[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "reason", SHELL_OPT_BOOL, 0, "also print reason for the state", 0 },
    { NULL },
};

/* --security-info asks virsh to keep passwords and the like in the dump; a vsh
 * definition holds none, so the dump is whole either way */
static const shell_opt_def opts_dumpxml[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "inactive", SHELL_OPT_BOOL, 0, "show inactive defined XML", 0 },
    { "security-info", SHELL_OPT_BOOL, 0, "include security sensitive information in XML dump",
      0 },
    { "xpath", SHELL_OPT_STRING, 0, "xpath expression to filter the XML document", 0 },
    { "wrap", SHELL_OPT_BOOL, 0, "wrap xpath results in an common root element", 0 },
    { NULL },
};

static const shell_opt_def opts_autostart[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_PERSISTENT),
    { "disable", SHELL_OPT_BOOL, 0, "disable autostarting", 0 },
    { NULL },
};

static const shell_opt_def opts_setmem[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "size", SHELL_OPT_NUMBER, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "new memory size, as scaled integer (default KiB)", 0 },
    OPT_IMPACT,
    { NULL },
};

static const shell_opt_def opts_setvcpus[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "count", SHELL_OPT_NUMBER, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "number of virtual CPUs", 0 },
    OPT_IMPACT,
    { NULL },
};

static const shell_opt_def opts_schedinfo[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "current", SHELL_OPT_BOOL, 0, "get/set current scheduler info", 0 },
    { "config", SHELL_OPT_BOOL, 0, "get/set value to be used on next boot", 0 },
    { "live", SHELL_OPT_BOOL, 0, "get/set value from running domain", 0 },
    { "set", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL | SHELL_OPT_MULTI,
      "parameter=value (cpu_shares, vcpu_period, vcpu_quota)", 0 },
    { NULL },
};

static const shell_opt_def opts_memtune[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "hard-limit", SHELL_OPT_NUMBER, 0, "max memory, as scaled integer (default KiB)", 0 },
    { "soft-limit", SHELL_OPT_NUMBER, 0,
      "memory during contention, as scaled integer (default KiB)", 0 },
    { "swap-hard-limit", SHELL_OPT_NUMBER, 0,
      "max memory plus swap, as scaled integer (default KiB)", 0 },
    OPT_IMPACT,
    { NULL },
};

static const shell_opt_def opts_blkiotune[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "weight", SHELL_OPT_NUMBER, 0, "IO Weight", 0 },
    { "device-weights", SHELL_OPT_STRING, 0,
      "per-device IO Weights, in the form of /path/to/device,weight,...", 0 },
    { "device-read-iops-sec", SHELL_OPT_STRING, 0,
      "per-device read I/O limit per second, in the form of /path/to/device,read_iops_sec,...",
      0 },
    { "device-write-iops-sec", SHELL_OPT_STRING, 0,
      "per-device write I/O limit per second, in the form of "
      "/path/to/device,write_iops_sec,...", 0 },
    { "device-read-bytes-sec", SHELL_OPT_STRING, 0,
      "per-device bytes read per second, in the form of /path/to/device,read_bytes_sec,...", 0 },
    { "device-write-bytes-sec", SHELL_OPT_STRING, 0,
      "per-device bytes written per second, in the form of "
      "/path/to/device,write_bytes_sec,...", 0 },
    OPT_IMPACT,
    { NULL },
};

static const shell_opt_def opts_domiflist[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN),
    { "inactive", SHELL_OPT_BOOL, 0, "get inactive rather than running configuration", 0 },
    { NULL },
};

static const shell_opt_def opts_domifstat[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_ACTIVE),
    { "interface", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "interface device specified by name or MAC address", SHELL_COMPLETE_INTERFACE },
    { NULL },
};

static const shell_opt_def opts_domstats[] = {
    { "state", SHELL_OPT_BOOL, 0, "report domain state", 0 },
    { "cpu-total", SHELL_OPT_BOOL, 0, "report domain physical cpu usage", 0 },
    { "balloon", SHELL_OPT_BOOL, 0, "report domain balloon statistics", 0 },
    { "vcpu", SHELL_OPT_BOOL, 0, "report domain virtual cpu information", 0 },
    { "interface", SHELL_OPT_BOOL, 0, "report domain network interface information", 0 },
    { "block", SHELL_OPT_BOOL, 0, "report domain block device statistics", 0 },
    { "perf", SHELL_OPT_BOOL, 0, "report domain perf event statistics", 0 },
    { "iothread", SHELL_OPT_BOOL, 0, "report domain IOThread information", 0 },
    { "memory", SHELL_OPT_BOOL, 0, "report domain memory usage", 0 },
    { "dirtyrate", SHELL_OPT_BOOL, 0, "report domain dirty rate information", 0 },
    { "vm", SHELL_OPT_BOOL, 0, "report hypervisor-specific statistics", 0 },
    { "list-active", SHELL_OPT_BOOL, 0, "list only active domains", 0 },
    { "list-inactive", SHELL_OPT_BOOL, 0, "list only inactive domains", 0 },
    { "list-persistent", SHELL_OPT_BOOL, 0, "list only persistent domains", 0 },
    { "list-transient", SHELL_OPT_BOOL, 0, "list only transient domains", 0 },
    { "list-running", SHELL_OPT_BOOL, 0, "list only running domains", 0 },
    { "list-paused", SHELL_OPT_BOOL, 0, "list only paused domains", 0 },
    { "list-shutoff", SHELL_OPT_BOOL, 0, "list only shutoff domains", 0 },
    { "list-other", SHELL_OPT_BOOL, 0, "list only domains in other states", 0 },
    { "raw", SHELL_OPT_BOOL, 0, "do not pretty-print the fields", 0 },
    { "enforce", SHELL_OPT_BOOL, 0, "enforce requested stats parameters", 0 },
    { "backing", SHELL_OPT_BOOL, 0, "add backing chain information to block stats", 0 },
    { "nowait", SHELL_OPT_BOOL, 0, "report only stats that are accessible instantly", 0 },
    { "domain", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL | SHELL_OPT_MULTI,
      "list of domains to get stats for (all when none)", SHELL_COMPLETE_DOMAIN },
    { NULL },
};

static const shell_opt_def opts_exec[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_RUNNING),
    { "cmd", SHELL_OPT_ARGV, SHELL_OPT_REQUIRED, "the command and its arguments", 0 },
    { NULL },
};

/* virsh's own options; vsh sets no security label on the command, so --noseclabel, which
 * asks not to, is always satisfied */
static const shell_opt_def opts_lxc_enter_namespace[] = {
    OPT_DOMAIN(SHELL_COMPLETE_DOMAIN_RUNNING),
    { "noseclabel", SHELL_OPT_BOOL, 0, "Do not change process security label", 0 },
    { "cmd", SHELL_OPT_ARGV, SHELL_OPT_REQUIRED, "the command and its arguments", 0 },
    { NULL },
};

#define DOM SHELL_GROUP_DOMAIN
#define MON SHELL_GROUP_MONITOR
#define MUT SHELL_CMD_MUTATING

const shell_cmd_def shell_domain_cmds[] = {
    { "list", cmd_list, opts_list, "list domains",
      "Returns the list of domains: active ones (running or paused) by default, every one\n"
      "with --all; the --state-* options keep those in the states named.\n"
      "A Type column appears when the connection serves several domain types.", 0, MON },
    { "define", cmd_define, opts_define, "define (but don't start) a domain from an XML file",
      "Define a domain.", MUT | SHELL_CMD_PARSES_XML, DOM },
    { "undefine", cmd_lifecycle, opts_dom_persistent, "undefine a domain",
      "Undefine an inactive domain, or convert a running one to transient.", MUT, DOM },
    { "create", cmd_create, opts_create, "create a domain from an XML file",
      "Create a transient domain and start it.", MUT | SHELL_CMD_PARSES_XML, DOM },
    { "start", cmd_lifecycle, opts_start, "start a (previously defined) inactive domain",
      "Start a domain.", MUT, DOM },
    { "shutdown", cmd_lifecycle, opts_shutdown, "gracefully shutdown a domain",
      "Ask the domain to shut down: a container through its /dev/initctl when it has\n"
      "one, else with SIGTERM and SIGPWR to its init; every process of a jail with\n"
      "SIGTERM. --mode initctl or --mode signal asks only that way.", MUT, DOM },
    { "destroy", cmd_lifecycle, opts_dom_active, "destroy (stop) a domain",
      "Stop a domain at once, without asking it.", MUT, DOM },
    { "reboot", cmd_lifecycle, opts_reboot, "reboot a domain",
      "Run a reboot in the target domain: its init is started afresh at once. With\n"
      "--mode, the domain is asked to reboot itself instead: a container through its\n"
      "/dev/initctl (initctl) or with SIGINT to its init (signal), as LXC asks one.", MUT,
      DOM },
    { "suspend", cmd_lifecycle, opts_dom_running, "suspend a domain",
      "Suspend a running domain (freeze every process in it).", MUT, DOM },
    { "resume", cmd_lifecycle, opts_dom_paused, "resume a domain",
      "Resume a previously suspended domain.", MUT, DOM },
    { "dominfo", cmd_dominfo, opts_dom_all, "domain information",
      "Returns basic information about the domain.", 0, MON },
    { "domstate", cmd_domstate, opts_domstate, "domain state",
      "Returns state about a domain.", 0, MON },
    { "domid", cmd_domid, opts_dom_all, "convert a domain name or UUID to domain id",
      "Convert a domain name (or UUID) to a domain id; '-' for an inactive domain.", 0, DOM },
    { "domname", cmd_domname, opts_dom_all, "convert a domain id or UUID to domain name",
      "Convert a domain id (or UUID) to a domain name.", 0, DOM },
    { "domuuid", cmd_domuuid, opts_dom_all, "convert a domain name or id to domain UUID",
      "Convert a domain name (or id) to a domain UUID.", 0, DOM },
    { "dumpxml", cmd_dumpxml, opts_dumpxml, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", 0, DOM },
    { "autostart", cmd_autostart, opts_autostart, "autostart a domain",
      "Configure a domain to be automatically started at boot.", MUT, DOM },
    { "autostart-all", cmd_autostart_all, NULL, "start every autostart domain",
      "Start every persistent domain marked for autostart that is not running, as the\n"
      "host does when it boots. Every such domain is tried, even when one fails.", MUT, DOM },
    { "setmem", cmd_setmem, opts_setmem, "change memory allocation",
      "Change the current memory allocation in the guest domain.", MUT, DOM },
    { "setmaxmem", cmd_setmem, opts_setmem, "change maximum memory limit",
      "Change the maximum memory allocation limit in the guest domain.", MUT, DOM },
    { "setvcpus", cmd_setvcpus, opts_setvcpus, "change number of virtual CPUs",
      "Change the number of virtual CPUs in the guest domain.", MUT, DOM },
    { "schedinfo", cmd_schedinfo, opts_schedinfo, "show/set scheduler parameters",
      "Show/Set scheduler parameters: cpu_shares, vcpu_period and vcpu_quota.", 0, DOM },
    { "blkiotune", cmd_blkiotune, opts_blkiotune, "get or set blkio parameters",
      "Get or set the current blkio parameters for a guest domain: its I/O weight (100 to\n"
      "1000) and, per block device, a weight and limits of operations and bytes per second\n"
      "(0 removes one). To get the blkio parameters use following command:\n\n"
      "    vsh # blkiotune <domain>", 0, DOM },
    { "memtune", cmd_memtune, opts_memtune, "get or set memory parameters",
      "Get or set the current memory parameters for a guest domain.\n"
      "To get the memory parameters use following command:\n\n"
      "    vsh # memtune <domain>", 0, DOM },
    { "cpu-stats", cmd_cpu_stats, opts_cpu_stats, "show domain cpu statistics",
      "Display per-CPU and total statistics about the domain's CPUs: for a jail or a\n"
      "container, the time its cgroup spent on each of the host's CPUs, and in all with\n"
      "the user and system parts. A cgroup v2 host counts a group as a whole only: the\n"
      "total is shown alone.", 0, MON },
    { "dommemstat", cmd_dommemstat, opts_dom_all, "get memory statistics for a domain",
      "Get memory statistics for a domain.", 0, MON },
    { "domiflist", cmd_domiflist, opts_domiflist, "list all domain virtual interfaces",
      "Get network interfaces' summary for a domain: the host-side device (once it\n"
      "runs), how it is connected, the model and the MAC address.", 0, MON },
    { "domifstat", cmd_domifstat, opts_domifstat, "get network interface stats for a domain",
      "Get network interface stats for a running domain: INTERFACE is the host-side\n"
      "device that domiflist shows, or the MAC address.", 0, MON },
    { "domstats", cmd_domstats, opts_domstats, "get statistics about one or multiple domains",
      "Gets statistics about one or more (or all) domains.", 0, MON },
    { "exec", cmd_exec, opts_exec, "run a command inside a domain",
      "Run a command in the namespaces, root, cgroup and user of a running domain,\n"
      "with the terminal's input and output; vsh exits with the command's status.",
      MUT, DOM },
    { "lxc-enter-namespace", cmd_exec, opts_lxc_enter_namespace, "LXC Guest Enter Namespace",
      "Run an arbitrary command in a lxc guest namespace; use at your own risk\n"
      "(the long name of exec).", MUT, DOM },
    { NULL },
};
