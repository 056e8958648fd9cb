/*
 * cmd-host.c — commands about the host and the shell itself: connect, uri, version,
 * hostname, nodeinfo, capabilities, host-validate, echo, help, quit/exit.
 */
#include <config.h>

#include <string.h>
#include <sys/utsname.h>

#include "vsh-shell.h"

static bool
cmd_connect(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *uri = shell_cmd_string(cmd, "name");

    if (ctl->conn) {
        vsh_conn_unref(ctl->conn);
        ctl->conn = NULL;
    }
    g_free(ctl->uri);
    ctl->uri = g_strdup(uri);
    if (shell_cmd_has(cmd, "readonly"))
        ctl->read_only = true;
    return shell_conn(ctl) != NULL;
}

static bool
cmd_uri(shell_ctl *ctl, const shell_cmd *cmd)
{
    shell_print(ctl, "%s\n", vsh_conn_get_uri(ctl->conn));
    return true;
}

static bool
cmd_version(shell_ctl *ctl, const shell_cmd *cmd)
{
    struct utsname uts;

    shell_print(ctl, "Compiled against library: vsh %s\n", PACKAGE_VERSION);
    shell_print(ctl, "Using library: vsh %s\n", vsh_version_string());
    shell_print(ctl, "Using API: vsh %s\n", vsh_version_string());
    /* Jails and containers run on the host kernel: that is the hypervisor (libvirt's LXC
     * driver reports it the same way). */
    if (uname(&uts) == 0)
        shell_print(ctl, "Running hypervisor: Linux %s\n", uts.release);
    return true;
}

static bool
cmd_hostname(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *name = vsh_conn_get_hostname(ctl->conn, &err);

    if (!name) {
        shell_error_gerror(ctl, err, "failed to get hostname");
        return false;
    }
    shell_print(ctl, "%s\n", name);
    return true;
}

static bool
cmd_nodeinfo(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(GError) err = NULL;
    vsh_node_info info = { { 0 } };

    if (vsh_conn_get_node_info(ctl->conn, &info, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to get node information");
        return false;
    }
    shell_print(ctl, "%-20s %s\n", "CPU model:", info.model);
    shell_print(ctl, "%-20s %u\n", "CPU(s):", info.cpus);
    shell_print(ctl, "%-20s %u MHz\n", "CPU frequency:", info.mhz);
    shell_print(ctl, "%-20s %u\n", "CPU socket(s):", info.sockets);
    shell_print(ctl, "%-20s %u\n", "Core(s) per socket:", info.cores);
    shell_print(ctl, "%-20s %u\n", "Thread(s) per core:", info.threads);
    shell_print(ctl, "%-20s %u\n", "NUMA cell(s):", info.nodes);
    shell_print(ctl, "%-20s %" G_GUINT64_FORMAT " KiB\n", "Memory size:", info.memory_kib);
    return true;
}

static bool
cmd_capabilities(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = vsh_conn_get_capabilities(ctl->conn, &err);

    if (!xml) {
        shell_error_gerror(ctl, err, "failed to get capabilities");
        return false;
    }
    shell_print(ctl, "%s%s", xml, g_str_has_suffix(xml, "\n") ? "" : "\n");
    return true;
}

/* Quotes @word for a POSIX shell when it needs it (echo --shell). */
static char *
echo_shell_quote(const char *word)
{
    GString *out;
    const char *p;

    if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_-+=.,/:@%") == strlen(word))
        return g_strdup(word);
    out = g_string_new("'");
    for (p = word; *p; p++) {
        if (*p == '\'')
            g_string_append(out, "'\\''");
        else
            g_string_append_c(out, *p);
    }
    g_string_append_c(out, '\'');
    return g_string_free(out, FALSE);
}

static bool
cmd_echo(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autofree const char **words = shell_cmd_strings(cmd, "string");
    g_autoptr(GString) out = g_string_new(NULL);
    gsize i;

    for (i = 0; words[i]; i++) {
        g_autofree char *word = NULL;

        if (shell_cmd_has(cmd, "xml"))
            word = g_markup_escape_text(words[i], -1);
        else if (shell_cmd_has(cmd, "shell"))
            word = echo_shell_quote(words[i]);
        else
            word = g_strdup(words[i]);
        g_string_append_printf(out, "%s%s", i ? " " : "", word);
    }
    shell_print(ctl, "%s\n", out->str);
    return true;
}

static bool
cmd_help(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *what = shell_cmd_string(cmd, "command");
    const shell_cmd_def *def;

    if (!what)
        return shell_print_command_list(ctl, NULL);
    if ((def = shell_cmd_lookup(what))) {
        shell_cmd_print_help(ctl, def);
        return true;
    }
    if (shell_print_command_list(ctl, what))
        return true;
    if ((def = shell_cmd_suggest(what)))
        shell_error(ctl, "command or command group '%s' doesn't exist (did you mean '%s'?)",
                    what, def->name);
    else
        shell_error(ctl, "command or command group '%s' doesn't exist", what);
    return false;
}

/* virt-host-validate's lines: "   LXC: Checking for namespace pid    : PASS". Exit status
 * 1 when a check failed; a warning concerns only some definitions. */
static bool
cmd_host_validate(shell_ctl *ctl, const shell_cmd *cmd)
{
    static const char *const results[] = { "PASS", "WARN", "FAIL" };
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) checks = NULL;
    int failed;
    guint i;

    if ((failed = vsh_host_validate(shell_cmd_string(cmd, "type"), &checks, &err)) < 0) {
        shell_error_gerror(ctl, err, "cannot validate the host");
        return false;
    }
    for (i = 0; i < checks->len; i++) {
        const vsh_host_check *check = &g_array_index(checks, vsh_host_check, i);
        g_autofree char *prefix = g_ascii_strup(check->type, -1);

        shell_print(ctl, "%6s: Checking %-60s: %s", prefix, check->what,
                    results[check->result]);
        shell_print(ctl, check->hint ? " (%s)\n" : "\n", check->hint);
    }
    return failed == 0;
}

static bool
cmd_quit(shell_ctl *ctl, const shell_cmd *cmd)
{
    ctl->quit = true;
    return true;
}

static const shell_opt_def opts_connect[] = {
    { "name", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL, "connection URI", SHELL_COMPLETE_NONE },
    { "readonly", SHELL_OPT_BOOL, 0, "read-only connection", SHELL_COMPLETE_NONE },
    { NULL },
};

static const shell_opt_def opts_echo[] = {
    { "shell", SHELL_OPT_BOOL, 0, "escape for shell use", SHELL_COMPLETE_NONE },
    { "xml", SHELL_OPT_BOOL, 0, "escape for XML use", SHELL_COMPLETE_NONE },
    { "string", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL | SHELL_OPT_MULTI, "arguments to echo",
      SHELL_COMPLETE_NONE },
    { NULL },
};

static const shell_opt_def opts_host_validate[] = {
    { "type", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL, "only the checks of this domain type "
      "(lxc, chroot)", SHELL_COMPLETE_NONE },
    { NULL },
};

static const shell_opt_def opts_help[] = {
    { "command", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL, "prints help about this command",
      SHELL_COMPLETE_COMMAND },
    { NULL },
};

const shell_cmd_def shell_host_cmds[] = {
    { "connect", cmd_connect, opts_connect, "(re)connect to a store of domains",
      "Connect to the domains of a URI: vsh:///system, lxc:///, chroot:///, qemu:///,\n"
      "or a private store with vsh:///embed?root=DIR. Without a URI, reconnect to the\n"
      "default one ($VSH_DEFAULT_URI or vsh:///system).",
      SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { "uri", cmd_uri, NULL, "print the connection URI",
      "Print the canonical URI of the connection.", 0, SHELL_GROUP_HOST },
    { "version", cmd_version, NULL, "show version",
      "Display the library and hypervisor versions.", 0, SHELL_GROUP_HOST },
    { "hostname", cmd_hostname, NULL, "print the host name",
      "Print the name of the host.", 0, SHELL_GROUP_HOST },
    { "nodeinfo", cmd_nodeinfo, NULL, "node information",
      "Returns basic information about the node (CPUs and memory).", 0, SHELL_GROUP_HOST },
    { "capabilities", cmd_capabilities, NULL, "capabilities",
      "Returns the capabilities of the host as XML: the host's facts and one <guest>\n"
      "per domain type this connection can run.", 0, SHELL_GROUP_HOST },
    { "host-validate", cmd_host_validate, opts_host_validate,
      "validate the host for running domains",
      "Check that this host can run domains of each type, or of one: kernel version,\n"
      "namespaces, cgroup controllers, veth devices. Prints PASS, WARN (only some\n"
      "definitions need it) or FAIL with the reason; exit status 1 when a check failed.",
      SHELL_CMD_NO_CONNECT, SHELL_GROUP_HOST },
    { "echo", cmd_echo, opts_echo, "echo arguments",
      "Echo back arguments, possibly with quoting.", SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { "help", cmd_help, opts_help, "print help",
      "Prints the list of commands, the commands of a group, or the help of one command.",
      SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { "quit", cmd_quit, NULL, "quit this interactive terminal",
      "Quit this interactive terminal.", SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { "exit", cmd_quit, NULL, "quit this interactive terminal",
      "Quit this interactive terminal.", SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { NULL },
};
