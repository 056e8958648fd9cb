/*
 * cmd-edit.c — the edit command: the user's editor on a copy of the persistent definition,
 * redefined when it changed and is valid; on an invalid result the question virsh asks.
 * And desc, which shows or sets a domain's description or title, in the editor too.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vsh-shell.h"

int
shell_run_editor(shell_ctl *ctl, const char *path)
{
    const char *editor = g_getenv("VISUAL");
    g_autoptr(GError) err = NULL;
    int wait_status = 0;

    if (!editor || !*editor)
        editor = g_getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    {
        /* through sh, so that EDITOR='emacs -nw' works as it does everywhere else */
        const char *argv[] = { "/bin/sh", "-c", "exec $VSH_EDITOR \"$1\"", "sh", path, NULL };
        g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "VSH_EDITOR", editor, TRUE);

        fflush(stdout);
        if (!g_spawn_sync(NULL, (char **) argv, envp, G_SPAWN_CHILD_INHERITS_STDIN, NULL,
                          NULL, NULL, NULL, &wait_status, &err)) {
            shell_error_gerror(ctl, err, "cannot run editor '%s'", editor);
            return -1;
        }
    }
    if (!g_spawn_check_wait_status(wait_status, &err)) {
        shell_error_gerror(ctl, err, "editor '%s' failed", editor);
        return -1;
    }
    return 0;
}

int
shell_ask(shell_ctl *ctl, const char *question)
{
    g_autoptr(GString) line = g_string_new(NULL);
    int c;

    shell_print(ctl, "%s", question);
    fflush(stdout);
    /* A line, from the terminal or from a script: the first non-blank character counts. */
    while ((c = getchar()) != EOF && c != '\n')
        g_string_append_c(line, (char) c);
    if (c == EOF && line->len == 0)
        return EOF;
    g_strstrip(line->str);
    return line->str[0] ? g_ascii_tolower(line->str[0]) : '\n';
}

typedef enum {
    EDIT_AGAIN,                 /* run the editor again */
    EDIT_RETRY,                 /* define the same file again */
    EDIT_GIVE_UP,
} edit_choice;

static edit_choice
edit_ask_again(shell_ctl *ctl)
{
    for (;;) {
        int c = shell_ask(ctl, "Failed. Try again? [y,n,f,?]:");

        if (!ctl->interactive || !isatty(STDIN_FILENO))
            shell_print(ctl, "\n"); /* the answer read from a script was not echoed */
        switch (c) {
        case 'y':
            return EDIT_AGAIN;
        case 'n':
        case EOF:
            return EDIT_GIVE_UP;
        case 'f':
            return EDIT_RETRY;
        case '?':
            shell_print(ctl, "y - yes, start editor again\n"
                        "n - no, throw away my changes\n"
                        "f - force, try to define the same file again (vsh never stores an "
                        "invalid definition)\n"
                        "? - print this help\n");
            break;
        default:
            break;
        }
    }
}

/* Writes @xml to a new private temporary file named after @name and ending in @suffix;
 * returns its path, or NULL. */
static char *
edit_write_tmp(shell_ctl *ctl, const char *name, const char *suffix, const char *xml)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *tmpl = g_strdup_printf("vsh-edit-%s-XXXXXX%s", name, suffix);
    char *path = NULL;
    int fd = g_file_open_tmp(tmpl, &path, &err);

    if (fd < 0) {
        shell_error_gerror(ctl, err, "cannot create a temporary file");
        return NULL;
    }
    close(fd);
    if (!g_file_set_contents(path, xml, -1, &err)) {
        shell_error_gerror(ctl, err, "cannot write '%s'", path);
        (void) unlink(path);
        g_free(path);
        return NULL;
    }
    return path;
}

/* One round: editor (unless @retry), compare, define. Returns 1 done, 0 failed (ask), -1
 * a failure that asking cannot fix. *ret_changed tells whether anything was edited. */
static int
edit_round(shell_ctl *ctl, vsh_domain *dom, const char *orig, const char *path, bool retry,
           bool *ret_changed)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *edited = NULL;
    g_autoptr(vsh_domain) newdom = NULL;

    if (!retry && shell_run_editor(ctl, path) < 0)
        return -1;
    if (!g_file_get_contents(path, &edited, NULL, &err)) {
        shell_error_gerror(ctl, err, "cannot read the edited file");
        return -1;
    }
    *ret_changed = strcmp(edited, orig) != 0;
    if (!*ret_changed)
        return 1;
    if (!(newdom = vsh_domain_define_xml(ctl->conn, edited, path, &err))) {
        shell_error_gerror(ctl, err, NULL);
        return 0;
    }
    return 1;
}

static bool
cmd_edit(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");
    g_autoptr(GError) err = NULL;
    g_autofree char *orig = NULL;
    g_autofree char *path = NULL;
    edit_choice choice = EDIT_AGAIN;
    bool changed = false;
    int rc;

    if (!dom)
        return false;
    if (!(orig = vsh_domain_get_xml(dom, VSH_DOMAIN_XML_INACTIVE, &err))) {
        shell_error_gerror(ctl, err, "failed to get the XML of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    if (!(path = edit_write_tmp(ctl, vsh_domain_get_name(dom), ".xml", orig)))
        return false;
    while ((rc = edit_round(ctl, dom, orig, path, choice == EDIT_RETRY, &changed)) == 0) {
        if ((choice = edit_ask_again(ctl)) == EDIT_GIVE_UP)
            break;
    }
    (void) unlink(path);
    if (rc < 0 || choice == EDIT_GIVE_UP)
        return false;
    if (!changed)
        shell_print_extra(ctl, "Domain '%s' XML configuration not changed.\n",
                          vsh_domain_get_name(dom));
    else
        shell_print_extra(ctl, "Domain '%s' XML configuration edited.\n",
                          vsh_domain_get_name(dom));
    return true;
}

/* desc --edit: the text in the editor; NULL when it could not be edited. A title loses
 * the line break most editors add at its end. */
static char *
desc_edit(shell_ctl *ctl, vsh_domain *dom, const char *text, bool title)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = edit_write_tmp(ctl, vsh_domain_get_name(dom), ".txt",
                                           text ? text : "");
    char *edited = NULL;
    size_t len;

    if (!path)
        return NULL;
    if (shell_run_editor(ctl, path) < 0) {
        (void) unlink(path);
        return NULL;
    }
    if (!g_file_get_contents(path, &edited, &len, &err))
        shell_error_gerror(ctl, err, "cannot read '%s'", path);
    (void) unlink(path);
    if (edited && title && len > 0 && edited[len - 1] == '\n')
        edited[len - 1] = '\0';
    return edited;
}

/*
 * virsh desc: prints the description (the title with --title) of the definition the
 * impact options name, or sets it to the words of --new-desc, joined by spaces, or to what
 * the editor leaves with --edit. An empty text removes it.
 */
static bool
cmd_desc(shell_ctl *ctl, const shell_cmd *cmd)
{
    bool title = shell_cmd_has(cmd, "title");
    int type = title ? VSH_DOMAIN_METADATA_TITLE : VSH_DOMAIN_METADATA_DESCRIPTION;
    const char *what = title ? "title" : "description";
    g_autofree const char **words = shell_cmd_strings(cmd, "new-desc");
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    g_autofree char *edited = NULL;
    const char *new_text;
    unsigned int flags;

    if (shell_cmd_impact(cmd, &flags) < 0 || !(dom = shell_domain_lookup(ctl, cmd, "domain")))
        return false;
    if (words[0] && shell_cmd_has(cmd, "edit")) {
        shell_error(ctl, "options --new-desc and --edit are mutually exclusive");
        return false;
    }
    if (!words[0] || shell_cmd_has(cmd, "edit")) {
        text = vsh_domain_get_metadata(dom, type, flags, &err);
        if (err) {
            shell_error_gerror(ctl, err, "failed to get the %s of domain '%s'", what,
                               vsh_domain_get_name(dom));
            return false;
        }
    }
    /* as virsh prints them, without a line break: the one every command ends with (not
     * with -q) follows */
    if (!words[0] && !shell_cmd_has(cmd, "edit")) {
        if (text && *text)
            shell_print(ctl, "%s", text);
        else
            shell_print_extra(ctl, "No %s for domain: %s", what, vsh_domain_get_name(dom));
        return true;
    }
    if (words[0]) {
        new_text = edited = g_strjoinv(" ", (char **) words);
    } else {
        if (!(edited = desc_edit(ctl, dom, text, title)))
            return false;
        if (g_strcmp0(edited, text ? text : "") == 0) {
            shell_print_extra(ctl, "Domain %s not changed", what);
            return true;
        }
        new_text = edited;
    }
    if (vsh_domain_set_metadata(dom, type, new_text, flags, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to set the %s of domain '%s'", what,
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print_extra(ctl, "Domain %s updated successfully", what);
    return true;
}

static const shell_opt_def opts_desc[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN },
    { "live", SHELL_OPT_BOOL, 0, "modify/get running state", 0 },
    { "config", SHELL_OPT_BOOL, 0, "modify/get persistent configuration", 0 },
    { "current", SHELL_OPT_BOOL, 0, "modify/get current state configuration", 0 },
    { "title", SHELL_OPT_BOOL, 0, "modify/get the title instead of description", 0 },
    { "edit", SHELL_OPT_BOOL, 0, "open an editor to modify the description", 0 },
    /* virsh's [[--new-desc] <string>]...: named or not, every word is part of it */
    { "new-desc", SHELL_OPT_STRING, SHELL_OPT_POSITIONAL | SHELL_OPT_MULTI, "message", 0 },
    { NULL },
};

static const shell_opt_def opts_edit[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN_PERSISTENT },
    { NULL },
};

const shell_cmd_def shell_edit_cmds[] = {
    { "edit", cmd_edit, opts_edit, "edit XML configuration for a domain",
      "Edit the XML configuration for a domain in $VISUAL or $EDITOR (vi when neither\n"
      "is set). An unchanged file changes nothing; an invalid one is never stored.",
      SHELL_CMD_MUTATING | SHELL_CMD_PARSES_XML, SHELL_GROUP_DOMAIN },
    { "desc", cmd_desc, opts_desc, "show or set domain's description or title",
      "Print the description of a domain (its title with --title), or set it to the\n"
      "words of --new-desc, or to what $VISUAL or $EDITOR leaves with --edit. An empty\n"
      "text removes it. --live, --config and --current say which definition.",
      0, SHELL_GROUP_DOMAIN },
    { NULL },
};
