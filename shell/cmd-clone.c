/*
 * cmd-clone.c — `vsh clone SRC NEW [--force]`: a copy of a domain with its own name, uuid,
 * MAC addresses and root filesystem (virt-clone, lxc-copy).
 */
#include <config.h>

#include "vsh-shell.h"

static bool
cmd_clone(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *new_name = shell_cmd_string(cmd, "newname");
    unsigned int flags = shell_cmd_has(cmd, "force") ? VSH_DOMAIN_CLONE_FORCE : 0;
    g_autoptr(vsh_domain) src = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;

    if (!src)
        return false;
    if (!(dom = vsh_domain_clone(src, new_name, flags, &err))) {
        shell_error_gerror(ctl, err, "failed to clone domain '%s'", vsh_domain_get_name(src));
        return false;
    }
    shell_print_extra(ctl, "Domain '%s' cloned from '%s'\n", vsh_domain_get_name(dom),
                      vsh_domain_get_name(src));
    return true;
}

static const shell_opt_def opts_clone[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid of the source", SHELL_COMPLETE_DOMAIN },
    { "newname", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "name of the new domain", SHELL_COMPLETE_NONE },
    { "force", SHELL_OPT_BOOL, 0, "copy a running domain's root filesystem as it is", 0 },
    { NULL },
};

const shell_cmd_def shell_clone_cmds[] = {
    { "clone", cmd_clone, opts_clone, "clone a domain",
      "Define a new domain from an existing one: the same definition with a new name, UUID\n"
      "and MAC addresses, and a copy of its root filesystem (a reflink where the file\n"
      "system can) under the store's rootfs directory. A running domain is refused unless\n"
      "--force is given.", SHELL_CMD_MUTATING, SHELL_GROUP_DOMAIN },
    { NULL },
};
