/*
 * cmd-device.c — devices added to and removed from a domain, as virsh does it:
 * attach-device and detach-device take an element from a file, attach-interface and
 * detach-interface write it from their options.
 */
#include <config.h>

#include <string.h>

#include "vsh-shell.h"

/*
 * virsh's impact options for a device change: --persistent is --config, and --live too
 * when the domain runs; none at all is --live, as virsh's attach-device without options
 * (so an inactive domain is refused: "domain is not running").
 */
static int
device_impact(shell_ctl *ctl, const shell_cmd *cmd, vsh_domain *dom, unsigned int *ret_flags)
{
    bool persistent = shell_cmd_has(cmd, "persistent");
    g_autoptr(GError) err = NULL;
    int active;

    if (persistent && shell_cmd_has(cmd, "current")) {
        shell_error(ctl, "options --persistent and --current are mutually exclusive");
        return -1;
    }
    if (shell_cmd_impact(cmd, ret_flags) < 0)
        return -1;
    if (persistent) {
        if ((active = vsh_domain_is_active(dom, &err)) < 0) {
            shell_error_gerror(ctl, err, NULL);
            return -1;
        }
        *ret_flags |= VSH_DOMAIN_AFFECT_CONFIG | (active ? VSH_DOMAIN_AFFECT_LIVE : 0);
    } else if (*ret_flags == 0 && !shell_cmd_has(cmd, "current")) {
        *ret_flags = VSH_DOMAIN_AFFECT_LIVE;
    }
    return 0;
}

static bool
cmd_attach_device(shell_ctl *ctl, const shell_cmd *cmd)
{
    bool attach = strcmp(cmd->def->name, "attach-device") == 0;
    const char *file = shell_cmd_string(cmd, "file");
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags;
    int r;

    if (!dom || device_impact(ctl, cmd, dom, &flags) < 0 ||
        !(xml = shell_read_xml_file(ctl, file)))
        return false;
    r = attach ? vsh_domain_attach_device(dom, xml, file, flags, &err)
               : vsh_domain_detach_device(dom, xml, file, flags, &err);
    if (r < 0) {
        shell_error_gerror(ctl, err, "failed to %s device from %s", attach ? "attach" : "detach",
                           file);
        return false;
    }
    shell_print_extra(ctl, "Device %s successfully\n", attach ? "attached" : "detached");
    return true;
}

/* The interface types vsh's domains have. */
static bool
interface_type_check(shell_ctl *ctl, const char *type)
{
    if (strcmp(type, "bridge") == 0 || strcmp(type, "ethernet") == 0)
        return true;
    shell_error(ctl, "interface type '%s' is not supported: vsh's interfaces are of type "
                "'bridge' or 'ethernet'", type);
    return false;
}

static void
xml_attr_element(GString *xml, const char *element, const char *attr, const char *value)
{
    g_autofree char *escaped = NULL;

    if (!value)
        return;
    escaped = g_markup_escape_text(value, -1);
    g_string_append_printf(xml, "  <%s %s='%s'/>\n", element, attr, escaped);
}

static bool
cmd_attach_interface(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *type = shell_cmd_string(cmd, "type");
    const char *source = shell_cmd_string(cmd, "source");
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    unsigned int flags;

    if (!interface_type_check(ctl, type))
        return false;
    if (strcmp(type, "bridge") == 0 && !source) {
        shell_error(ctl, "an interface of type 'bridge' needs a source: the bridge's name");
        return false;
    }
    if (strcmp(type, "ethernet") == 0 && source) {
        shell_error(ctl, "an interface of type 'ethernet' has no source; its host-side device "
                    "is named with --target");
        return false;
    }
    /* In virsh's order. */
    g_string_append_printf(xml, "<interface type='%s'>\n", type);
    xml_attr_element(xml, "source", "bridge", source);
    xml_attr_element(xml, "target", "dev", shell_cmd_string(cmd, "target"));
    xml_attr_element(xml, "mac", "address", shell_cmd_string(cmd, "mac"));
    xml_attr_element(xml, "model", "type", shell_cmd_string(cmd, "model"));
    g_string_append(xml, "</interface>\n");
    if (shell_cmd_has(cmd, "print-xml")) {
        shell_print(ctl, "%s", xml->str);
        return true;
    }
    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")) ||
        device_impact(ctl, cmd, dom, &flags) < 0)
        return false;
    if (vsh_domain_attach_device(dom, xml->str, NULL, flags, &err) < 0) {
        /* The element is ours, not a file of the user's: its name and line say nothing. */
        g_autofree char *where = g_strdup_printf("<string>:%d: ", vsh_error_line(err));
        const char *msg = err->message;

        if (g_str_has_prefix(msg, where))
            msg += strlen(where);
        shell_error(ctl, "failed to attach interface: %s", msg);
        return false;
    }
    shell_print_extra(ctl, "Interface attached successfully\n");
    return true;
}

/*
 * virsh's detach-interface: the interface of type TYPE (with --mac, the one with that
 * address) in the definition the options name; more than one without --mac is refused.
 * With --print-xml its element is printed instead.
 */
static bool
cmd_detach_interface(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *type = shell_cmd_string(cmd, "type");
    const char *mac = shell_cmd_string(cmd, "mac");
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) ifaces = NULL;
    g_autofree char *xml = NULL;
    const vsh_domain_interface *found = NULL;
    guint found_idx = 0;
    guint matching = 0;
    unsigned int flags;
    guint i;

    if (!(dom = shell_domain_lookup(ctl, cmd, "domain")) ||
        device_impact(ctl, cmd, dom, &flags) < 0)
        return false;
    if (vsh_domain_get_interfaces(dom, (flags & VSH_DOMAIN_AFFECT_CONFIG) ?
                                  VSH_DOMAIN_XML_INACTIVE : 0, &ifaces, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to detach interface");
        return false;
    }
    for (i = 0; i < ifaces->len; i++) {
        const vsh_domain_interface *iface = &g_array_index(ifaces, vsh_domain_interface, i);

        if (strcmp(iface->type, type) != 0 || (mac && g_ascii_strcasecmp(iface->mac, mac) != 0))
            continue;
        if (!found) {
            found = iface;
            found_idx = i;
        }
        matching++;
    }
    if (!found) {
        if (mac)
            shell_error(ctl, "domain '%s' has no interface of type '%s' with MAC address %s",
                        vsh_domain_get_name(dom), type, mac);
        else
            shell_error(ctl, "domain '%s' has no interface of type '%s'",
                        vsh_domain_get_name(dom), type);
        return false;
    }
    if (matching > 1) {
        shell_error(ctl, "domain '%s' has %u interfaces of type '%s': name the one to detach "
                    "with --mac", vsh_domain_get_name(dom), matching, type);
        return false;
    }
    if (shell_cmd_has(cmd, "print-xml")) {
        g_autofree char *dom_xml = NULL;
        g_autofree char *expr = g_strdup_printf("/domain/devices/interface[%u]",
                                                found_idx + 1);

        if (!(dom_xml = vsh_domain_get_xml(dom, (flags & VSH_DOMAIN_AFFECT_CONFIG) ?
                                           VSH_DOMAIN_XML_INACTIVE : 0, &err)) ||
            !(xml = vsh_xml_xpath(dom_xml, expr, 0, &err))) {
            shell_error_gerror(ctl, err, "failed to get the interface's XML");
            return false;
        }
        shell_print(ctl, "%s", xml);
        return true;
    }
    xml = g_strdup_printf("<interface type='%s'>\n  <mac address='%s'/>\n</interface>\n",
                          found->type, found->mac);
    if (vsh_domain_detach_device(dom, xml, NULL, flags, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to detach interface");
        return false;
    }
    shell_print_extra(ctl, "Interface detached successfully\n");
    return true;
}

#define OPTS_DEVICE_IMPACT \
    { "persistent", SHELL_OPT_BOOL, 0, "make live change persistent", 0 }, \
    { "config", SHELL_OPT_BOOL, 0, "affect next boot", 0 }, \
    { "live", SHELL_OPT_BOOL, 0, "affect running domain", 0 }, \
    { "current", SHELL_OPT_BOOL, 0, "affect current domain", 0 }

static const shell_opt_def opts_device[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN },
    { "file", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL, "XML file",
      SHELL_COMPLETE_FILE },
    OPTS_DEVICE_IMPACT,
    { NULL },
};

static const shell_opt_def opts_attach_interface[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN },
    { "type", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "network interface type", 0 },
    { "source", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL, "source of network interface", 0 },
    { "target", SHELL_OPT_STRING, 0, "target network name", 0 },
    { "mac", SHELL_OPT_STRING, 0, "MAC address", 0 },
    { "model", SHELL_OPT_STRING, 0, "model type", 0 },
    OPTS_DEVICE_IMPACT,
    { "print-xml", SHELL_OPT_BOOL, 0, "print XML document rather than attach the interface",
      0 },
    { NULL },
};

static const shell_opt_def opts_detach_interface[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN },
    { "type", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "network interface type", 0 },
    { "mac", SHELL_OPT_STRING, 0, "MAC address", 0 },
    OPTS_DEVICE_IMPACT,
    { "print-xml", SHELL_OPT_BOOL, 0, "print XML document rather than detach the interface",
      0 },
    { NULL },
};

const shell_cmd_def shell_device_cmds[] = {
    { "attach-device", cmd_attach_device, opts_device, "attach device from an XML file",
      "Add the device an XML file describes (one <interface>, <filesystem> or <disk>\n"
      "element) to a domain. --config changes its definition; --live, the default,\n"
      "the running domain, where its driver can: a container takes a new interface at\n"
      "once, a veth pair whose peer is set up in its network namespace.",
      SHELL_CMD_MUTATING | SHELL_CMD_PARSES_XML, SHELL_GROUP_DOMAIN },
    { "detach-device", cmd_attach_device, opts_device, "detach device from an XML file",
      "Remove the device an XML file describes from a domain: an interface found by its\n"
      "MAC address (or, without one, by what else the element gives), a filesystem by its\n"
      "target directory, a disk by its target device. --config, --live and --persistent\n"
      "as for attach-device.", SHELL_CMD_MUTATING | SHELL_CMD_PARSES_XML,
      SHELL_GROUP_DOMAIN },
    { "attach-interface", cmd_attach_interface, opts_attach_interface,
      "attach network interface",
      "Add a network interface to a domain: of type bridge, on the bridge SOURCE, or of\n"
      "type ethernet, whose host end --target names. A running container takes it at\n"
      "once. --print-xml prints the element instead.",
      SHELL_CMD_MUTATING | SHELL_CMD_PARSES_XML, SHELL_GROUP_DOMAIN },
    { "detach-interface", cmd_detach_interface, opts_detach_interface,
      "detach network interface",
      "Remove the interface of type TYPE from a domain; with more than one, --mac names\n"
      "it. --print-xml prints its element instead.",
      SHELL_CMD_MUTATING | SHELL_CMD_PARSES_XML, SHELL_GROUP_DOMAIN },
    { NULL },
};
