/*
 * domain-general.c — name, uuid, title, description, metadata (vsh's own namespace and
 * everything else kept verbatim), features and the on_* lifecycle actions.
 */
#include <config.h>

#include <linux/capability.h>
#include <string.h>
#include <sys/resource.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_lifecycle_action, VSH_LIFECYCLE_LAST,
              "destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
              "coredump-restart");
VSH_ENUM_IMPL(vsh_caps_policy, VSH_CAPS_POLICY_LAST, "default", "allow", "deny");

/* The capabilities libvirt's <features><capabilities> names, in its order (which is the
 * order of its output). */
static const struct {
    const char *name;
    int cap;
} vsh_cap_names[] = {
    { "audit_control", CAP_AUDIT_CONTROL }, { "audit_write", CAP_AUDIT_WRITE },
    { "block_suspend", CAP_BLOCK_SUSPEND }, { "chown", CAP_CHOWN },
    { "dac_override", CAP_DAC_OVERRIDE }, { "dac_read_search", CAP_DAC_READ_SEARCH },
    { "fowner", CAP_FOWNER }, { "fsetid", CAP_FSETID }, { "ipc_lock", CAP_IPC_LOCK },
    { "ipc_owner", CAP_IPC_OWNER }, { "kill", CAP_KILL }, { "lease", CAP_LEASE },
    { "linux_immutable", CAP_LINUX_IMMUTABLE }, { "mac_admin", CAP_MAC_ADMIN },
    { "mac_override", CAP_MAC_OVERRIDE }, { "mknod", CAP_MKNOD },
    { "net_admin", CAP_NET_ADMIN }, { "net_bind_service", CAP_NET_BIND_SERVICE },
    { "net_broadcast", CAP_NET_BROADCAST }, { "net_raw", CAP_NET_RAW },
    { "setgid", CAP_SETGID }, { "setfcap", CAP_SETFCAP }, { "setpcap", CAP_SETPCAP },
    { "setuid", CAP_SETUID }, { "sys_admin", CAP_SYS_ADMIN }, { "sys_boot", CAP_SYS_BOOT },
    { "sys_chroot", CAP_SYS_CHROOT }, { "sys_module", CAP_SYS_MODULE },
    { "sys_nice", CAP_SYS_NICE }, { "sys_pacct", CAP_SYS_PACCT },
    { "sys_ptrace", CAP_SYS_PTRACE }, { "sys_rawio", CAP_SYS_RAWIO },
    { "sys_resource", CAP_SYS_RESOURCE }, { "sys_time", CAP_SYS_TIME },
    { "sys_tty_config", CAP_SYS_TTY_CONFIG }, { "syslog", CAP_SYSLOG },
    { "wake_alarm", CAP_WAKE_ALARM },
};

/* The kernel's capabilities by number (<linux/capability.h>), without "CAP_". */
static const char *const vsh_cap_kernel_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
    "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
    "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
    "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
    "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int
vsh_cap_from_kernel_name(const char *name)
{
    size_t i;

    if (!name)
        return -1;
    if (g_ascii_strncasecmp(name, "CAP_", 4) == 0)
        name += 4;
    for (i = 0; i < G_N_ELEMENTS(vsh_cap_kernel_names); i++) {
        if (g_ascii_strcasecmp(name, vsh_cap_kernel_names[i]) == 0)
            return (int) i;
    }
    return -1;
}

const char *
vsh_cap_to_string(int cap)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(vsh_cap_names); i++) {
        if (vsh_cap_names[i].cap == cap)
            return vsh_cap_names[i].name;
    }
    return NULL;
}

int
vsh_cap_from_string(const char *name)
{
    size_t i;

    for (i = 0; name && i < G_N_ELEMENTS(vsh_cap_names); i++) {
        if (strcmp(vsh_cap_names[i].name, name) == 0)
            return vsh_cap_names[i].cap;
    }
    return -1;
}

#define VSH_DOMAIN_NAME_MAX 64
#define VSH_NAME_RULE "1-64 characters of A-Z a-z 0-9 _ . -, not starting with '.' or '-'"

/* ------------------------------------------------------------------ names */

bool
vsh_domain_name_is_valid(const char *name)
{
    size_t len;
    size_t i;

    if (!name)
        return false;
    len = strlen(name);
    if (len == 0 || len > VSH_DOMAIN_NAME_MAX || name[0] == '.' || name[0] == '-')
        return false;
    /* The name becomes a file name, a cgroup name and a hostname: a small alphabet keeps
     * it safe in all three. */
    for (i = 0; i < len; i++) {
        if (!g_ascii_isalnum(name[i]) && !strchr("_.-", name[i]))
            return false;
    }
    return true;
}

int
vsh_domain_name_check(const char *name, GError **error)
{
    if (vsh_domain_name_is_valid(name))
        return 0;
    return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                         "invalid domain name '%s' (" VSH_NAME_RULE ")", name ? name : "");
}

/* ------------------------------------------------------------------ vsh metadata */

typedef struct {
    const char *name;
    int resource;
} vsh_rlimit_name;

static const vsh_rlimit_name vsh_rlimit_names[] = {
    { "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
    { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS },
    { "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
    { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS },
    { "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME },
    { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
};

static int
vsh_rlimit_from_string(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(vsh_rlimit_names); i++) {
        if (strcmp(vsh_rlimit_names[i].name, name) == 0)
            return vsh_rlimit_names[i].resource;
    }
    return -1;
}

static const char *
vsh_rlimit_to_string(int resource)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(vsh_rlimit_names); i++) {
        if (vsh_rlimit_names[i].resource == resource)
            return vsh_rlimit_names[i].name;
    }
    return NULL;
}

/* An rlimit value: a number or "unlimited" (RLIM_INFINITY). */
static int
vsh_rlimit_value_parse(const xmlNode *node, const char *attr, guint64 *ret_value,
                       GError **error)
{
    g_autofree char *str = vsh_xml_prop(node, attr);

    if (!str)
        return vsh_xml_error(error, node, "missing attribute '%s'", attr);
    if (strcmp(str, "unlimited") == 0) {
        *ret_value = RLIM_INFINITY;
        return 0;
    }
    if (!vsh_str_to_uint64(str, ret_value) || *ret_value == RLIM_INFINITY)
        return vsh_xml_error(error, node, "invalid value '%s' for attribute '%s' "
                             "(expected a number or 'unlimited')", str, attr);
    return 0;
}

static int
vsh_metadata_rlimit_parse(vsh_metadata_def *md, const xmlNode *node, GError **error)
{
    vsh_rlimit_def rl = { 0 };

    if (vsh_xml_prop_enum(node, "name", vsh_rlimit_from_string, VSH_XML_PROP_REQUIRED,
                          &rl.resource, error) < 0 ||
        vsh_rlimit_value_parse(node, "soft", &rl.soft, error) < 0 ||
        vsh_rlimit_value_parse(node, "hard", &rl.hard, error) < 0)
        return -1;
    g_array_append_val(md->rlimits, rl);
    return 0;
}

static int
vsh_metadata_capability_parse(vsh_metadata_def *md, const xmlNode *node, GError **error)
{
    g_autofree char *name = vsh_xml_prop(node, "name");
    bool keep = true;
    size_t i;

    if (!name)
        return vsh_xml_error(error, node, "missing attribute 'name'");
    if (g_ascii_strncasecmp(name, "CAP_", 4) != 0 || name[4] == '\0')
        return vsh_xml_error(error, node, "invalid capability '%s' (expected CAP_NAME)", name);
    for (i = 4; name[i]; i++) {
        if (!g_ascii_isalnum(name[i]) && name[i] != '_')
            return vsh_xml_error(error, node, "invalid capability '%s' (expected CAP_NAME)",
                                 name);
        name[i] = g_ascii_toupper(name[i]);
    }
    memcpy(name, "CAP_", 4);
    if (vsh_cap_from_kernel_name(name) < 0)
        return vsh_xml_error(error, node, "unknown capability '%s'", name);
    if (vsh_xml_prop_bool(node, "keep", VSH_XML_PROP_REQUIRED, &keep, error) < 0)
        return -1;
    g_ptr_array_add(keep ? md->caps_keep : md->caps_drop, g_steal_pointer(&name));
    return 0;
}

static int
vsh_metadata_child_parse(vsh_metadata_def *md, const xmlNode *node, GError **error)
{
    const char *name = vsh_xml_node_name(node);
    bool flag = false;

    if (strcmp(name, "pids") == 0) {
        if (vsh_xml_prop_uint64(node, "limit", VSH_XML_PROP_REQUIRED | VSH_XML_PROP_NONZERO,
                                &md->pids_limit, error) < 0)
            return -1;
        md->has_pids_limit = true;
    } else if (strcmp(name, "capability") == 0) {
        return vsh_metadata_capability_parse(md, node, error);
    } else if (strcmp(name, "seccomp") == 0) {
        if (vsh_xml_prop_bool(node, "enabled", VSH_XML_PROP_REQUIRED, &flag, error) < 0)
            return -1;
        md->seccomp = flag ? VSH_TRISTATE_YES : VSH_TRISTATE_NO;
    } else if (strcmp(name, "rlimit") == 0) {
        return vsh_metadata_rlimit_parse(md, node, error);
    } else {
        return vsh_xml_error(error, node, "element '%s' is not allowed here", name);
    }
    return 0;
}

static int
vsh_metadata_vsh_parse(vsh_metadata_def *md, const xmlNode *node, GError **error)
{
    const xmlNode *child;

    if (md->present)
        return vsh_xml_error(error, node, "duplicate vsh metadata element");
    md->present = true;
    for (child = node->children; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (!vsh_xml_node_in_ns(child, VSH_METADATA_NS))
            return vsh_xml_error(error, child, "element '%s' is not allowed here",
                                 vsh_xml_node_name(child));
        if (vsh_metadata_child_parse(md, child, error) < 0)
            return -1;
    }
    return 0;
}

static int
vsh_metadata_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *metadata = vsh_xpath_node("./metadata", ctxt);
    g_autoptr(GString) other = g_string_new(NULL);
    const xmlNode *child;

    if (!metadata)
        return 0;
    for (child = metadata->children; child; child = child->next) {
        g_autofree char *text = NULL;

        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (vsh_xml_node_in_ns(child, VSH_METADATA_NS) &&
            strcmp(vsh_xml_node_name(child), "vsh") == 0) {
            if (vsh_metadata_vsh_parse(&def->vsh, child, error) < 0)
                return -1;
            continue;
        }
        /* Somebody else's data: kept as it was, laid out at its depth in our output. */
        text = vsh_xml_node_dump(child, 2);
        g_string_append_printf(other, "    %s\n", text);
    }
    if (other->len > 0)
        def->metadata_other = g_string_free(g_steal_pointer(&other), FALSE);
    return 0;
}

static void
vsh_rlimit_value_format(vsh_xml_writer *w, const char *attr, guint64 value)
{
    if (value == RLIM_INFINITY)
        vsh_xml_writer_attr(w, attr, "unlimited");
    else
        vsh_xml_writer_attr_printf(w, attr, "%" G_GUINT64_FORMAT, value);
}

static void
vsh_metadata_caps_format(vsh_xml_writer *w, const GPtrArray *caps, const char *keep)
{
    guint i;

    for (i = 0; i < caps->len; i++) {
        vsh_xml_writer_open(w, "vsh:capability");
        vsh_xml_writer_attr(w, "name", g_ptr_array_index(caps, i));
        vsh_xml_writer_attr(w, "keep", keep);
        vsh_xml_writer_close(w);
    }
}

static void
vsh_metadata_vsh_format(const vsh_metadata_def *md, vsh_xml_writer *w)
{
    guint i;

    vsh_xml_writer_open(w, "vsh:vsh");
    vsh_xml_writer_attr(w, "xmlns:vsh", VSH_METADATA_NS);
    if (!md->has_pids_limit && md->caps_keep->len == 0 && md->caps_drop->len == 0 &&
        md->seccomp == VSH_TRISTATE_ABSENT && md->rlimits->len == 0) {
        vsh_xml_writer_close(w);
        return;
    }
    vsh_xml_writer_children(w);
    if (md->has_pids_limit) {
        vsh_xml_writer_open(w, "vsh:pids");
        vsh_xml_writer_attr_printf(w, "limit", "%" G_GUINT64_FORMAT, md->pids_limit);
        vsh_xml_writer_close(w);
    }
    vsh_metadata_caps_format(w, md->caps_keep, "yes");
    vsh_metadata_caps_format(w, md->caps_drop, "no");
    if (md->seccomp != VSH_TRISTATE_ABSENT) {
        vsh_xml_writer_open(w, "vsh:seccomp");
        vsh_xml_writer_attr(w, "enabled", vsh_tristate_to_string(md->seccomp));
        vsh_xml_writer_close(w);
    }
    for (i = 0; i < md->rlimits->len; i++) {
        const vsh_rlimit_def *rl = &g_array_index(md->rlimits, vsh_rlimit_def, i);

        vsh_xml_writer_open(w, "vsh:rlimit");
        vsh_xml_writer_attr(w, "name", vsh_rlimit_to_string(rl->resource));
        vsh_rlimit_value_format(w, "soft", rl->soft);
        vsh_rlimit_value_format(w, "hard", rl->hard);
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_end(w, "vsh:vsh");
}

/* ------------------------------------------------------------------ parse */

static int
vsh_lifecycle_parse_xml(xmlXPathContext *ctxt, const char *element,
                        vsh_lifecycle_action *ret_action, bool *ret_present, GError **error)
{
    g_autofree char *xpath = g_strdup_printf("./%s", element);
    xmlNode *node = vsh_xpath_node(xpath, ctxt);
    g_autofree char *text = NULL;
    int value;

    if (!node)
        return 0;
    text = vsh_xml_content(node);
    g_strstrip(text);
    if ((value = vsh_lifecycle_action_from_string(text)) < 0)
        return vsh_xml_error(error, node, "unknown action '%s'", text);
    *ret_action = value;
    *ret_present = true;
    return 0;
}

/* <features><capabilities policy='default|allow|deny'> with one element per capability
 * and its state='on|off', as libvirt's; an element without a state changes nothing, as in
 * libvirt, and is left out. Kept in libvirt's order. */
static int
vsh_features_caps_parse(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *node = vsh_xpath_node("./features/capabilities", ctxt);
    signed char state[G_N_ELEMENTS(vsh_cap_names)];
    const xmlNode *child;
    int policy = VSH_CAPS_POLICY_DEFAULT;
    size_t i;

    if (!node)
        return 0;
    if (vsh_xml_prop_enum(node, "policy", vsh_caps_policy_from_string, VSH_XML_PROP_OPTIONAL,
                          &policy, error) < 0)
        return -1;
    memset(state, -1, sizeof(state));
    for (child = node->children; child; child = child->next) {
        const char *name = vsh_xml_node_name(child);
        g_autofree char *value = NULL;

        if (child->type != XML_ELEMENT_NODE)
            continue;
        for (i = 0; i < G_N_ELEMENTS(vsh_cap_names); i++) {
            if (strcmp(vsh_cap_names[i].name, name) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(vsh_cap_names))
            return vsh_xml_error(error, child, "unknown capability '%s'", name);
        if (state[i] != -1)
            return vsh_xml_error(error, child, "capability '%s' is given twice", name);
        state[i] = 2;
        if (!(value = vsh_xml_prop(child, "state")))
            continue;
        if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
            return vsh_xml_error(error, child, "invalid value '%s' for attribute 'state' "
                                 "(expected 'on' or 'off')", value);
        state[i] = strcmp(value, "on") == 0;
    }
    def->has_caps = true;
    def->caps_policy = (vsh_caps_policy) policy;
    for (i = 0; i < G_N_ELEMENTS(vsh_cap_names); i++) {
        vsh_cap_state cs = { vsh_cap_names[i].cap, state[i] == 1 };

        if (state[i] == 0 || state[i] == 1)
            g_array_append_val(def->cap_states, cs);
    }
    return 0;
}

static int
vsh_uuid_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *node = vsh_xpath_node("./uuid", ctxt);
    g_autofree char *text = NULL;

    if (!node)
        return 0;
    text = vsh_xml_content(node);
    g_strstrip(text);
    if (vsh_uuid_parse(text, def->uuid) < 0)
        return vsh_xml_error(error, node, "invalid uuid '%s'", text);
    return 0;
}

static char *
vsh_text_child(xmlXPathContext *ctxt, const char *xpath)
{
    xmlNode *node = vsh_xpath_node(xpath, ctxt);

    return node ? vsh_xml_content(node) : NULL;
}

int
vsh_domain_general_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    def->name = vsh_text_child(ctxt, "./name");
    if (def->name)
        g_strstrip(def->name);
    def->title = vsh_text_child(ctxt, "./title");
    /* An empty title is no title (libvirt's schema has no empty one). */
    if (def->title && !*def->title)
        g_clear_pointer(&def->title, g_free);
    def->description = vsh_text_child(ctxt, "./description");
    if (vsh_uuid_parse_xml(def, ctxt, error) < 0 ||
        vsh_metadata_parse_xml(def, ctxt, error) < 0 ||
        vsh_lifecycle_parse_xml(ctxt, "on_poweroff", &def->on_poweroff,
                                &def->has_on_poweroff, error) < 0 ||
        vsh_lifecycle_parse_xml(ctxt, "on_reboot", &def->on_reboot,
                                &def->has_on_reboot, error) < 0 ||
        vsh_lifecycle_parse_xml(ctxt, "on_crash", &def->on_crash,
                                &def->has_on_crash, error) < 0 ||
        vsh_features_caps_parse(def, ctxt, error) < 0)
        return -1;
    if (vsh_xpath_node("./features/privnet", ctxt))
        def->privnet = VSH_TRISTATE_YES;
    return 0;
}

/* ------------------------------------------------------------------ format */

void
vsh_domain_general_format_head(const vsh_domain_def *def, vsh_xml_writer *w)
{
    char uuid[37];

    vsh_xml_writer_text_element(w, "name", def->name);
    vsh_uuid_format(def->uuid, uuid);
    vsh_xml_writer_text_element(w, "uuid", uuid);
    vsh_xml_writer_text_element(w, "title", def->title);
    vsh_xml_writer_text_element(w, "description", def->description);
    if (def->vsh.present || def->metadata_other) {
        vsh_xml_writer_open(w, "metadata");
        vsh_xml_writer_children(w);
        if (def->vsh.present)
            vsh_metadata_vsh_format(&def->vsh, w);
        if (def->metadata_other)
            vsh_xml_writer_raw(w, def->metadata_other);
        vsh_xml_writer_end(w, "metadata");
    }
}

static void
vsh_lifecycle_format(vsh_xml_writer *w, const char *element, bool present,
                     vsh_lifecycle_action action)
{
    if (present)
        vsh_xml_writer_text_element(w, element, vsh_lifecycle_action_to_string(action));
}

void
vsh_domain_general_format_tail(const vsh_domain_def *def, vsh_xml_writer *w)
{
    guint i;

    if (def->privnet == VSH_TRISTATE_YES || def->has_caps) {
        vsh_xml_writer_open(w, "features");
        vsh_xml_writer_children(w);
        if (def->privnet == VSH_TRISTATE_YES) {
            vsh_xml_writer_open(w, "privnet");
            vsh_xml_writer_close(w);
        }
        if (def->has_caps) {
            vsh_xml_writer_open(w, "capabilities");
            vsh_xml_writer_attr(w, "policy", vsh_caps_policy_to_string(def->caps_policy));
            if (def->cap_states->len == 0) {
                vsh_xml_writer_close(w);
            } else {
                vsh_xml_writer_children(w);
                for (i = 0; i < def->cap_states->len; i++) {
                    const vsh_cap_state *cs = &g_array_index(def->cap_states, vsh_cap_state, i);

                    vsh_xml_writer_open(w, vsh_cap_to_string(cs->cap));
                    vsh_xml_writer_attr(w, "state", cs->on ? "on" : "off");
                    vsh_xml_writer_close(w);
                }
                vsh_xml_writer_end(w, "capabilities");
            }
        }
        vsh_xml_writer_end(w, "features");
    }
    vsh_lifecycle_format(w, "on_poweroff", def->has_on_poweroff, def->on_poweroff);
    vsh_lifecycle_format(w, "on_reboot", def->has_on_reboot, def->on_reboot);
    vsh_lifecycle_format(w, "on_crash", def->has_on_crash, def->on_crash);
}

/* ------------------------------------------------------------------ post-parse, validate */

int
vsh_domain_general_post_parse(vsh_domain_def *def, GError **error)
{
    static const unsigned char zero[16] = { 0 };

    if (memcmp(def->uuid, zero, sizeof(zero)) == 0) {
        vsh_uuid_generate(def->uuid);
        def->uuid_generated = true;
    }
    return 0;
}

static int
vsh_metadata_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    guint i;

    for (i = 0; i < def->vsh.rlimits->len; i++) {
        const vsh_rlimit_def *rl = &g_array_index(def->vsh.rlimits, vsh_rlimit_def, i);
        g_autofree char *xpath = NULL;

        if (rl->soft <= rl->hard)
            continue;
        xpath = g_strdup_printf("/domain/metadata/vsh:vsh/vsh:rlimit[%u]", i + 1);
        return vsh_def_error(error, ctxt, xpath, "soft limit of '%s' exceeds its hard limit",
                             vsh_rlimit_to_string(rl->resource));
    }
    return 0;
}

int
vsh_domain_general_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    if (!def->name)
        return vsh_def_error(error, ctxt, "/domain", "missing element 'name'");
    if (!vsh_domain_name_is_valid(def->name))
        return vsh_def_error(error, ctxt, "/domain/name",
                             "invalid domain name '%s' (" VSH_NAME_RULE ")", def->name);
    if (def->title && strchr(def->title, '\n'))
        return vsh_def_error(error, ctxt, "/domain/title", "title must be a single line");
    if (def->privnet == VSH_TRISTATE_YES && def->type != VSH_DOMAIN_TYPE_LXC)
        return vsh_def_error(error, ctxt, "/domain/features/privnet",
                             "'privnet' is only supported by domains of type 'lxc', "
                             "not '%s'", vsh_domain_type_to_string(def->type));
    if (def->has_caps && def->type == VSH_DOMAIN_TYPE_QEMU)
        return vsh_def_error(error, ctxt, "/domain/features/capabilities",
                             "process capabilities are only supported by domains of type "
                             "'lxc' and 'chroot', not '%s'",
                             vsh_domain_type_to_string(def->type));
    return vsh_metadata_validate(def, ctxt, error);
}

void
vsh_domain_general_init(vsh_domain_def *def)
{
    def->on_poweroff = VSH_LIFECYCLE_DESTROY;
    def->on_reboot = VSH_LIFECYCLE_RESTART;
    def->on_crash = VSH_LIFECYCLE_DESTROY;
    def->vsh.caps_keep = g_ptr_array_new_with_free_func(g_free);
    def->vsh.caps_drop = g_ptr_array_new_with_free_func(g_free);
    def->vsh.rlimits = g_array_new(FALSE, TRUE, sizeof(vsh_rlimit_def));
    def->cap_states = g_array_new(FALSE, TRUE, sizeof(vsh_cap_state));
}

void
vsh_domain_general_clear(vsh_domain_def *def)
{
    g_clear_pointer(&def->name, g_free);
    g_clear_pointer(&def->title, g_free);
    g_clear_pointer(&def->description, g_free);
    g_clear_pointer(&def->metadata_other, g_free);
    g_clear_pointer(&def->vsh.caps_keep, g_ptr_array_unref);
    g_clear_pointer(&def->vsh.caps_drop, g_ptr_array_unref);
    g_clear_pointer(&def->vsh.rlimits, g_array_unref);
    g_clear_pointer(&def->cap_states, g_array_unref);
}
