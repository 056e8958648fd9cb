/*
 * vsh.c — the vsh shell: command line, splitting and parsing of command lines, dispatch,
 * the interactive session (readline, history, completion) and the helpers every command
 * file uses (vsh-shell.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vsh-heap.h"
#include "vsh-readline.h"
#include "vsh-shell.h"

#define SHELL_HISTORY_LINES 1000

/*
 * Every command file contributes one NULL-terminated table; adding a file adds one line
 * here. The X-macro also declares the tables, so nothing else has to change.
 */
#define SHELL_CMD_TABLES(X) \
    X(shell_builtin_cmds) \
    SHELL_CMD_TABLES_EXTERN(X)
#define SHELL_CMD_TABLES_EXTERN(X) \
    X(shell_host_cmds) \
    X(shell_domain_cmds) \
    X(shell_console_cmds) \
    X(shell_event_cmds) \
    X(shell_edit_cmds) \
    X(shell_clone_cmds) \
    X(shell_device_cmds)

static bool cmd_complete(shell_ctl *ctl, const shell_cmd *cmd);

static const shell_opt_def opts_complete[] = {
    { "words", SHELL_OPT_ARGV, 0, "the words of the line, the last one being completed", 0 },
    { NULL },
};

static const shell_cmd_def shell_builtin_cmds[] = {
    { "complete", cmd_complete, opts_complete, "complete the current command",
      "Print what TAB completion offers for the last word (used by bash completion).",
      SHELL_CMD_NO_CONNECT, SHELL_GROUP_SHELL },
    { NULL },
};

#define SHELL_DECLARE_TABLE(t) extern const shell_cmd_def t[];
SHELL_CMD_TABLES_EXTERN(SHELL_DECLARE_TABLE)
#define SHELL_LIST_TABLE(t) t,
static const shell_cmd_def *const shell_tables[] = { SHELL_CMD_TABLES(SHELL_LIST_TABLE) NULL };

static const struct {
    const char *title;
    const char *keyword;
} shell_groups[SHELL_GROUP_LAST] = {
    [SHELL_GROUP_DOMAIN] = { "Domain Management", "domain" },
    [SHELL_GROUP_MONITOR] = { "Domain Monitoring", "monitor" },
    [SHELL_GROUP_HOST] = { "Host and Hypervisor", "host" },
    [SHELL_GROUP_SHELL] = { "vsh itself", "vsh" },
};

/* The shell of this process, for the readline completion callbacks. */
static shell_ctl *shell_completion_ctl;

/* ------------------------------------------------------------------------------------ */
/* Suggestions                                                                          */

/* Edit distance counting a swap of two neighbours as one edit ("strat" -> "start"). */
static gsize
shell_edit_distance(const char *a, const char *b)
{
    gsize la = strlen(a);
    gsize lb = strlen(b);
    g_autofree gsize *d = g_new0(gsize, (la + 1) * (lb + 1));
    gsize i;
    gsize j;

#define D(x, y) d[(x) * (lb + 1) + (y)]
    for (i = 0; i <= la; i++)
        D(i, 0) = i;
    for (j = 0; j <= lb; j++)
        D(0, j) = j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            gsize cost = a[i - 1] == b[j - 1] ? 0 : 1;
            gsize best = MIN(D(i - 1, j) + 1, D(i, j - 1) + 1);

            best = MIN(best, D(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = MIN(best, D(i - 2, j - 2) + 1);
            D(i, j) = best;
        }
    }
    return D(la, lb);
#undef D
}

const char *
shell_suggest(const char *word, const char *const *names)
{
    const char *best = NULL;
    gsize best_distance = G_MAXSIZE;
    gsize limit = strlen(word) <= 3 ? 1 : 2;
    gsize i;

    for (i = 0; names[i]; i++) {
        gsize distance = shell_edit_distance(word, names[i]);

        if (distance < best_distance) {
            best_distance = distance;
            best = names[i];
        }
    }
    return best_distance <= limit ? best : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Command tables                                                                       */

void
shell_cmd_foreach(void (*fn)(const shell_cmd_def *def, void *opaque), void *opaque)
{
    gsize t;
    gsize i;

    for (t = 0; shell_tables[t]; t++) {
        for (i = 0; shell_tables[t][i].name; i++)
            fn(&shell_tables[t][i], opaque);
    }
}

const shell_cmd_def *
shell_cmd_lookup(const char *name)
{
    gsize t;
    gsize i;

    for (t = 0; shell_tables[t]; t++) {
        for (i = 0; shell_tables[t][i].name; i++) {
            if (strcmp(shell_tables[t][i].name, name) == 0)
                return &shell_tables[t][i];
        }
    }
    return NULL;
}

static void
shell_collect_name(const shell_cmd_def *def, void *opaque)
{
    g_ptr_array_add(opaque, (gpointer) def->name);
}

/* Every command name, sorted, NULL-terminated (free the array only). */
static const char **
shell_cmd_names(void)
{
    GPtrArray *names = g_ptr_array_new();

    shell_cmd_foreach(shell_collect_name, names);
    g_ptr_array_sort(names, (GCompareFunc) g_strcmp0);
    /* g_ptr_array_sort hands pointers to the elements */
    g_ptr_array_add(names, NULL);
    return (const char **) g_ptr_array_free(names, FALSE);
}

static int
shell_compare_defs(gconstpointer a, gconstpointer b)
{
    const shell_cmd_def *da = *(const shell_cmd_def *const *) a;
    const shell_cmd_def *db = *(const shell_cmd_def *const *) b;

    return strcmp(da->name, db->name);
}

static void
shell_collect_def(const shell_cmd_def *def, void *opaque)
{
    g_ptr_array_add(opaque, (gpointer) def);
}

bool
shell_print_command_list(shell_ctl *ctl, const char *group_keyword)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    bool found = false;
    int g;
    guint i;

    shell_cmd_foreach(shell_collect_def, defs);
    g_ptr_array_sort(defs, shell_compare_defs);
    if (!group_keyword)
        shell_print(ctl, "Grouped commands:\n\n");
    for (g = 0; g < SHELL_GROUP_LAST; g++) {
        if (group_keyword && strcmp(group_keyword, shell_groups[g].keyword) != 0)
            continue;
        found = true;
        shell_print(ctl, " %s (help keyword '%s'):\n", shell_groups[g].title,
                    shell_groups[g].keyword);
        for (i = 0; i < defs->len; i++) {
            const shell_cmd_def *def = defs->pdata[i];

            if (def->group == (shell_group) g)
                shell_print(ctl, "    %-30s %s\n", def->name, def->synopsis);
        }
        shell_print(ctl, "\n");
    }
    return found;
}

static const char *
shell_opt_argname(const shell_opt_def *opt)
{
    return opt->type == SHELL_OPT_NUMBER ? "<number>" : "<string>";
}

static void
shell_cmd_append_synopsis(GString *out, const shell_opt_def *opt)
{
    if (opt->type == SHELL_OPT_BOOL)
        g_string_append_printf(out, " [--%s]", opt->name);
    else if (opt->type == SHELL_OPT_ARGV)
        g_string_append_printf(out, " -- <%s>...", opt->name);
    else if ((opt->flags & SHELL_OPT_POSITIONAL) && (opt->flags & SHELL_OPT_MULTI))
        g_string_append_printf(out, " [[--%s] %s]...", opt->name, shell_opt_argname(opt));
    else if ((opt->flags & SHELL_OPT_POSITIONAL) && (opt->flags & SHELL_OPT_REQUIRED))
        g_string_append_printf(out, " <%s>", opt->name);
    else if (opt->flags & SHELL_OPT_POSITIONAL)
        g_string_append_printf(out, " [<%s>]", opt->name);
    else if (opt->flags & SHELL_OPT_REQUIRED)
        g_string_append_printf(out, " --%s %s", opt->name, shell_opt_argname(opt));
    else
        g_string_append_printf(out, " [--%s %s]", opt->name, shell_opt_argname(opt));
}

static void
shell_cmd_print_option(shell_ctl *ctl, const shell_opt_def *opt)
{
    g_autofree char *label = NULL;

    if (opt->type == SHELL_OPT_BOOL)
        label = g_strdup_printf("--%s", opt->name);
    else if (opt->type == SHELL_OPT_ARGV)
        label = g_strdup_printf("-- <%s>...", opt->name);
    else if (opt->flags & SHELL_OPT_POSITIONAL)
        label = g_strdup_printf("[--%s] %s", opt->name, shell_opt_argname(opt));
    else
        label = g_strdup_printf("--%s %s", opt->name, shell_opt_argname(opt));
    shell_print(ctl, "    %-15s  %s\n", label, opt->help);
}

void
shell_cmd_print_help(shell_ctl *ctl, const shell_cmd_def *def)
{
    g_autoptr(GString) synopsis = g_string_new(def->name);
    g_auto(GStrv) lines = NULL;
    const shell_opt_def *opt;
    gsize i;

    for (opt = def->opts; opt && opt->name; opt++)
        shell_cmd_append_synopsis(synopsis, opt);
    shell_print(ctl, "  NAME\n    %s - %s\n\n", def->name, def->synopsis);
    shell_print(ctl, "  SYNOPSIS\n    %s\n\n", synopsis->str);
    shell_print(ctl, "  DESCRIPTION\n");
    lines = g_strsplit(def->help, "\n", -1);
    for (i = 0; lines[i]; i++)
        shell_print(ctl, "    %s\n", lines[i]);
    shell_print(ctl, "\n");
    if (def->opts && def->opts->name) {
        shell_print(ctl, "  OPTIONS\n");
        for (opt = def->opts; opt->name; opt++)
            shell_cmd_print_option(ctl, opt);
        shell_print(ctl, "\n");
    }
}

/* ------------------------------------------------------------------------------------ */
/* Splitting a line into commands and words                                             */

typedef struct {
    GPtrArray *cmds;            /* of GPtrArray * of char * (one per command) */
    GPtrArray *cur;             /* the words of the command being read */
    GString *word;
    bool in_word;
} shell_splitter;

static void
shell_split_end_word(shell_splitter *sp)
{
    if (!sp->in_word)
        return;
    g_ptr_array_add(sp->cur, g_strdup(sp->word->str));
    g_string_truncate(sp->word, 0);
    sp->in_word = false;
}

static void
shell_split_end_cmd(shell_splitter *sp)
{
    shell_split_end_word(sp);
    if (sp->cur->len > 0) {
        g_ptr_array_add(sp->cmds, sp->cur);
        sp->cur = g_ptr_array_new_with_free_func(g_free);
    }
}

/* Reads a quoted part starting after the opening quote; returns the position after the
 * closing quote, or NULL when it is missing. Inside "..." a backslash escapes " and \. */
static const char *
shell_split_quoted(shell_splitter *sp, const char *p, char quote)
{
    for (; *p && *p != quote; p++) {
        if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        g_string_append_c(sp->word, *p);
    }
    return *p ? p + 1 : NULL;
}

/*
 * Splits @line as a POSIX shell would split simple words: blanks separate words, ';' and
 * newlines separate commands, '#' at the start of a word comments out the rest of the
 * line, '...' is literal, "..." honours \" and \\, a backslash outside quotes escapes the
 * next character. Returns a GPtrArray of commands (each a GPtrArray of words), or NULL
 * with *ret_error set to a message. With @lenient (completion), an open quote ends the
 * line instead of failing.
 */
static GPtrArray *
shell_split_line(const char *line, bool lenient, char **ret_error)
{
    shell_splitter sp = { 0 };
    const char *p = line;

    sp.cmds = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
    sp.cur = g_ptr_array_new_with_free_func(g_free);
    sp.word = g_string_new(NULL);
    while (p && *p) {
        char c = *p;

        if (c == ' ' || c == '\t' || c == '\r') {
            shell_split_end_word(&sp);
            p++;
        } else if (c == ';' || c == '\n') {
            shell_split_end_cmd(&sp);
            p++;
        } else if (c == '#' && !sp.in_word) {
            p = strchr(p, '\n');
        } else if (c == '\\') {
            sp.in_word = true;
            if (p[1])
                g_string_append_c(sp.word, p[1]);
            p += p[1] ? 2 : 1;
        } else if (c == '\'' || c == '"') {
            const char *next = shell_split_quoted(&sp, p + 1, c);

            sp.in_word = true;
            if (!next && !lenient) {
                *ret_error = g_strdup_printf("missing closing %c quote", c);
                g_ptr_array_unref(sp.cmds);
                g_ptr_array_unref(sp.cur);
                g_string_free(sp.word, TRUE);
                return NULL;
            }
            p = next;
        } else {
            sp.in_word = true;
            g_string_append_c(sp.word, c);
            p++;
        }
    }
    shell_split_end_word(&sp);
    /* the last command stays even when empty, so completion sees where it is */
    g_ptr_array_add(sp.cmds, sp.cur);
    g_string_free(sp.word, TRUE);
    return sp.cmds;
}

/* ------------------------------------------------------------------------------------ */
/* Parsing the words of one command                                                     */

static void
shell_arg_free(shell_arg *arg)
{
    g_free(arg->value);
    g_free(arg);
}

static void
shell_cmd_free(shell_cmd *cmd)
{
    if (!cmd)
        return;
    if (cmd->args)
        g_ptr_array_unref(cmd->args);
    g_free(cmd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(shell_cmd, shell_cmd_free)

static const shell_opt_def *
shell_opt_lookup(const shell_cmd_def *def, const char *name)
{
    const shell_opt_def *opt;

    for (opt = def->opts; opt && opt->name; opt++) {
        if (strcmp(opt->name, name) == 0)
            return opt;
    }
    return NULL;
}

static bool
shell_cmd_given(const shell_cmd *cmd, const shell_opt_def *opt)
{
    guint i;

    for (i = 0; i < cmd->args->len; i++) {
        if (((shell_arg *) cmd->args->pdata[i])->opt == opt)
            return true;
    }
    return false;
}

static void
shell_cmd_add(shell_cmd *cmd, const shell_opt_def *opt, const char *value)
{
    shell_arg *arg = g_new0(shell_arg, 1);

    arg->opt = opt;
    arg->value = g_strdup(value);
    g_ptr_array_add(cmd->args, arg);
}

/* The next positional option still free for a bare word, or NULL. */
static const shell_opt_def *
shell_next_positional(const shell_cmd *cmd)
{
    const shell_opt_def *opt;

    for (opt = cmd->def->opts; opt && opt->name; opt++) {
        if (!(opt->flags & SHELL_OPT_POSITIONAL))
            continue;
        if ((opt->flags & SHELL_OPT_MULTI) || !shell_cmd_given(cmd, opt))
            return opt;
    }
    return NULL;
}

static const shell_opt_def *
shell_argv_opt(const shell_cmd_def *def)
{
    const shell_opt_def *opt;

    for (opt = def->opts; opt && opt->name; opt++) {
        if (opt->type == SHELL_OPT_ARGV)
            return opt;
    }
    return NULL;
}

static char *
shell_unknown_option_message(const shell_cmd_def *def, const char *name)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const shell_opt_def *opt;
    const char *hint;

    for (opt = def->opts; opt && opt->name; opt++)
        g_ptr_array_add(names, (gpointer) opt->name);
    g_ptr_array_add(names, (gpointer) "help");
    g_ptr_array_add(names, NULL);
    hint = shell_suggest(name, (const char *const *) names->pdata);
    if (hint)
        return g_strdup_printf("command '%s' doesn't support option --%s (did you mean "
                               "'--%s'?)", def->name, name, hint);
    return g_strdup_printf("command '%s' doesn't support option --%s", def->name, name);
}

/* Handles "--name" or "--name=value" at words[*i]; advances *i past a value. */
static bool
shell_parse_option(shell_cmd *cmd, GPtrArray *words, guint *i, char **ret_error)
{
    const char *word = (const char *) words->pdata[*i] + 2;
    g_autofree char *name = g_strdup(word);
    char *eq = strchr(name, '=');
    const shell_opt_def *opt;

    if (eq)
        *eq = '\0';
    if (strcmp(name, "help") == 0 && !shell_opt_lookup(cmd->def, "help")) {
        cmd->help_requested = true;
        return true;
    }
    if (!(opt = shell_opt_lookup(cmd->def, name)) || opt->type == SHELL_OPT_ARGV) {
        *ret_error = shell_unknown_option_message(cmd->def, name);
        return false;
    }
    if (shell_cmd_given(cmd, opt) && !(opt->flags & SHELL_OPT_MULTI)) {
        *ret_error = g_strdup_printf("option --%s already seen", name);
        return false;
    }
    if (opt->type == SHELL_OPT_BOOL) {
        if (eq) {
            *ret_error = g_strdup_printf("option --%s takes no value", name);
            return false;
        }
        shell_cmd_add(cmd, opt, NULL);
        return true;
    }
    if (eq) {
        shell_cmd_add(cmd, opt, eq + 1);
        return true;
    }
    if (*i + 1 >= words->len) {
        *ret_error = g_strdup_printf("expected syntax: --%s %s", name,
                                     shell_opt_argname(opt));
        return false;
    }
    (*i)++;
    shell_cmd_add(cmd, opt, words->pdata[*i]);
    return true;
}

static bool
shell_parse_check_required(shell_cmd *cmd, char **ret_error)
{
    const shell_opt_def *opt;

    if (cmd->help_requested)
        return true;
    for (opt = cmd->def->opts; opt && opt->name; opt++) {
        if ((opt->flags & SHELL_OPT_REQUIRED) && !shell_cmd_given(cmd, opt)) {
            if (opt->type == SHELL_OPT_ARGV)
                *ret_error = g_strdup_printf("command '%s' requires a command to run after "
                                             "'--'", cmd->def->name);
            else
                *ret_error = g_strdup_printf("command '%s' requires <%s> option",
                                             cmd->def->name, opt->name);
            return false;
        }
    }
    return true;
}

const shell_cmd_def *
shell_cmd_suggest(const char *word)
{
    g_autofree const char **names = shell_cmd_names();
    const char *hint = shell_suggest(word, names);

    return hint ? shell_cmd_lookup(hint) : NULL;
}

static char *
shell_unknown_command_message(const char *name)
{
    const shell_cmd_def *hint = shell_cmd_suggest(name);

    if (hint)
        return g_strdup_printf("unknown command: '%s' (did you mean '%s'?)", name, hint->name);
    return g_strdup_printf("unknown command: '%s'", name);
}

/* Parses the words of one command. Returns the command, or NULL with *ret_error set. */
static shell_cmd *
shell_cmd_parse(GPtrArray *words, char **ret_error)
{
    g_autoptr(shell_cmd) cmd = g_new0(shell_cmd, 1);
    const shell_cmd_def *def = shell_cmd_lookup(words->pdata[0]);
    bool only_data = false;
    guint i;

    if (!def) {
        *ret_error = shell_unknown_command_message(words->pdata[0]);
        return NULL;
    }
    cmd->def = def;
    cmd->args = g_ptr_array_new_with_free_func((GDestroyNotify) shell_arg_free);
    for (i = 1; i < words->len; i++) {
        const char *word = words->pdata[i];
        const shell_opt_def *opt;

        if (!only_data && strcmp(word, "--") == 0) {
            /* after "--" come the command to run (exec) or plain data (virsh) */
            if ((opt = shell_argv_opt(def))) {
                for (i++; i < words->len; i++)
                    shell_cmd_add(cmd, opt, words->pdata[i]);
                break;
            }
            only_data = true;
        } else if (!only_data && g_str_has_prefix(word, "--") && word[2]) {
            if (!shell_parse_option(cmd, words, &i, ret_error))
                return NULL;
        } else if ((opt = shell_next_positional(cmd))) {
            shell_cmd_add(cmd, opt, word);
        } else {
            *ret_error = g_strdup_printf("unexpected data '%s'", word);
            return NULL;
        }
    }
    if (!shell_parse_check_required(cmd, ret_error))
        return NULL;
    return g_steal_pointer(&cmd);
}

/* ------------------------------------------------------------------------------------ */
/* Option access                                                                        */

static const shell_arg *
shell_cmd_find(const shell_cmd *cmd, const char *name)
{
    const shell_arg *found = NULL;
    guint i;

    for (i = 0; i < cmd->args->len; i++) {
        const shell_arg *arg = cmd->args->pdata[i];

        if (strcmp(arg->opt->name, name) == 0)
            found = arg;
    }
    return found;
}

bool
shell_cmd_has(const shell_cmd *cmd, const char *name)
{
    return shell_cmd_find(cmd, name) != NULL;
}

const char *
shell_cmd_string(const shell_cmd *cmd, const char *name)
{
    const shell_arg *arg = shell_cmd_find(cmd, name);

    return arg ? arg->value : NULL;
}

const char **
shell_cmd_strings(const shell_cmd *cmd, const char *name)
{
    GPtrArray *values = g_ptr_array_new();
    guint i;

    for (i = 0; i < cmd->args->len; i++) {
        const shell_arg *arg = cmd->args->pdata[i];

        if (strcmp(arg->opt->name, name) == 0)
            g_ptr_array_add(values, arg->value);
    }
    g_ptr_array_add(values, NULL);
    return (const char **) g_ptr_array_free(values, FALSE);
}

int
shell_cmd_int(const shell_cmd *cmd, const char *name, int *ret_value)
{
    const char *str = shell_cmd_string(cmd, name);
    gint64 value;

    if (!str)
        return 0;
    if (!g_ascii_string_to_signed(str, 10, G_MININT, G_MAXINT, &value, NULL)) {
        shell_error(NULL, "numeric value '%s' for <%s> option is malformed or out of range",
                    str, name);
        return -1;
    }
    *ret_value = (int) value;
    return 1;
}

int
shell_cmd_uint(const shell_cmd *cmd, const char *name, unsigned int *ret_value)
{
    const char *str = shell_cmd_string(cmd, name);
    guint64 value;

    if (!str)
        return 0;
    if (!g_ascii_string_to_unsigned(str, 10, 0, G_MAXUINT, &value, NULL)) {
        shell_error(NULL, "numeric value '%s' for <%s> option is malformed or out of range",
                    str, name);
        return -1;
    }
    *ret_value = (unsigned int) value;
    return 1;
}

/* The multiplier of a size suffix (virsh's and libvirt's: powers of 1024 except the
 * "KB"/"MB"... forms, which are powers of 1000), or 0 when unknown. Plain numbers are KiB. */
static guint64
shell_scale_for_suffix(const char *suffix)
{
    static const char units[] = "kmgtpe";
    const char *u;
    guint64 base;
    guint64 scale = 1;
    int power;

    if (!*suffix)
        return 1024;
    if (g_ascii_strcasecmp(suffix, "b") == 0 || g_ascii_strcasecmp(suffix, "bytes") == 0)
        return 1;
    if (!(u = strchr(units, g_ascii_tolower(suffix[0]))))
        return 0;
    if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "ib") == 0)
        base = 1024;
    else if (g_ascii_strcasecmp(suffix + 1, "b") == 0)
        base = 1000;
    else
        return 0;
    for (power = (int) (u - units) + 1; power > 0; power--)
        scale *= base;
    return scale;
}

int
shell_parse_scaled_kib(const char *str, guint64 *ret_kib)
{
    char *end = NULL;
    guint64 value;
    guint64 scale;

    if (!g_ascii_isdigit(str[0]))
        return -1;
    errno = 0;
    value = g_ascii_strtoull(str, &end, 10);
    if (errno != 0 || end == str)
        return -1;
    if ((scale = shell_scale_for_suffix(end)) == 0)
        return -1;
    if (value > G_MAXUINT64 / scale)
        return -1;
    value *= scale;
    /* round up to whole KiB, as virsh does */
    *ret_kib = value / 1024 + (value % 1024 ? 1 : 0);
    return 0;
}

int
shell_cmd_scaled_kib(const shell_cmd *cmd, const char *name, guint64 *ret_kib)
{
    const char *str = shell_cmd_string(cmd, name);

    if (!str)
        return 0;
    if (shell_parse_scaled_kib(str, ret_kib) < 0) {
        shell_error(NULL, "scaled numeric value '%s' for <%s> option is malformed or out "
                    "of range", str, name);
        return -1;
    }
    return 1;
}

int
shell_cmd_impact(const shell_cmd *cmd, unsigned int *ret_flags)
{
    bool current = shell_cmd_has(cmd, "current");
    bool live = shell_cmd_has(cmd, "live");
    bool config = shell_cmd_has(cmd, "config");

    if (current && (live || config)) {
        shell_error(NULL, "options --current and --%s are mutually exclusive",
                    live ? "live" : "config");
        return -1;
    }
    *ret_flags = (live ? VSH_DOMAIN_AFFECT_LIVE : 0) | (config ? VSH_DOMAIN_AFFECT_CONFIG : 0);
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Connection and domains                                                               */

vsh_conn *
shell_conn(shell_ctl *ctl)
{
    g_autoptr(GError) err = NULL;
    unsigned int flags = ctl->read_only ? VSH_CONN_READ_ONLY : 0;

    if (ctl->conn)
        return ctl->conn;
    if (!(ctl->conn = vsh_conn_open(ctl->uri, flags, &err)))
        shell_error_gerror(ctl, err, "failed to connect to '%s'",
                           ctl->uri ? ctl->uri : g_getenv("VSH_DEFAULT_URI") ?
                           g_getenv("VSH_DEFAULT_URI") : "vsh:///system");
    return ctl->conn;
}

static bool
shell_looks_like_uuid(const char *str)
{
    gsize i;

    if (strlen(str) != 36)
        return false;
    for (i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? str[i] != '-' : !g_ascii_isxdigit(str[i]))
            return false;
    }
    return true;
}

/* virsh's order: an id, then a UUID, then a name; a miss falls through silently. */
static vsh_domain *
shell_domain_find(vsh_conn *conn, const char *str)
{
    vsh_domain *dom = NULL;
    gint64 id;

    if (g_ascii_string_to_signed(str, 10, 0, G_MAXINT, &id, NULL))
        dom = vsh_domain_lookup_by_id(conn, (int) id, NULL);
    if (!dom && shell_looks_like_uuid(str))
        dom = vsh_domain_lookup_by_uuid_string(conn, str, NULL);
    if (!dom)
        dom = vsh_domain_lookup_by_name(conn, str, NULL);
    return dom;
}

vsh_domain *
shell_domain_lookup_string(shell_ctl *ctl, const char *str)
{
    vsh_conn *conn = shell_conn(ctl);
    vsh_domain *dom;

    if (!conn)
        return NULL;
    if (!(dom = shell_domain_find(conn, str)))
        shell_error(ctl, "failed to get domain '%s'", str);
    return dom;
}

vsh_domain *
shell_domain_lookup(shell_ctl *ctl, const shell_cmd *cmd, const char *optname)
{
    const char *str = shell_cmd_string(cmd, optname);

    if (!str) {
        shell_error(ctl, "command '%s' requires <%s> option", cmd->def->name, optname);
        return NULL;
    }
    return shell_domain_lookup_string(ctl, str);
}

char **
shell_domain_names(shell_ctl *ctl, shell_complete filter)
{
    g_autoptr(GPtrArray) doms = NULL;
    GPtrArray *names = g_ptr_array_new();
    unsigned int flags = 0;
    guint i;

    if (filter == SHELL_COMPLETE_DOMAIN_ACTIVE)
        flags = VSH_LIST_ACTIVE;
    else if (filter == SHELL_COMPLETE_DOMAIN_RUNNING)
        flags = VSH_LIST_RUNNING;
    else if (filter == SHELL_COMPLETE_DOMAIN_PAUSED)
        flags = VSH_LIST_PAUSED;
    else if (filter == SHELL_COMPLETE_DOMAIN_INACTIVE)
        flags = VSH_LIST_INACTIVE;
    else if (filter == SHELL_COMPLETE_DOMAIN_PERSISTENT)
        flags = VSH_LIST_PERSISTENT;
    if (ctl->conn || shell_conn(ctl)) {
        if (vsh_conn_list_domains(ctl->conn, NULL, flags, &doms, NULL) < 0)
            doms = NULL;
    }
    for (i = 0; doms && i < doms->len; i++)
        g_ptr_array_add(names, g_strdup(vsh_domain_get_name(doms->pdata[i])));
    g_ptr_array_add(names, NULL);
    return (char **) g_ptr_array_free(names, FALSE);
}

/* The interfaces of the domain @cmd names, as domifstat takes them: each one's host-side
 * device, or its MAC while it has none. Errors are ignored (no names). */
static char **
shell_interface_names(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *str = shell_cmd_string(cmd, "domain");
    GPtrArray *names = g_ptr_array_new();
    g_autoptr(vsh_domain) dom = NULL;
    g_autoptr(GArray) ifaces = NULL;
    guint i;

    if (str && (ctl->conn || shell_conn(ctl)) && (dom = shell_domain_find(ctl->conn, str))) {
        if (vsh_domain_get_interfaces(dom, 0, &ifaces, NULL) < 0)
            ifaces = NULL;
    }
    for (i = 0; ifaces && i < ifaces->len; i++) {
        const vsh_domain_interface *iface = &g_array_index(ifaces, vsh_domain_interface, i);

        if (iface->target || iface->mac)
            g_ptr_array_add(names, g_strdup(iface->target ? iface->target : iface->mac));
    }
    g_ptr_array_add(names, NULL);
    return (char **) g_ptr_array_free(names, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Running commands                                                                     */

bool
shell_check_writable(shell_ctl *ctl, const char *cmdname)
{
    if (!ctl->read_only)
        return true;
    shell_error(ctl, "command '%s' changes domains and the connection is read-only (-r)",
                cmdname);
    return false;
}

static bool
shell_cmd_run(shell_ctl *ctl, const shell_cmd *cmd)
{
    const shell_cmd_def *def = cmd->def;

    if (cmd->help_requested) {
        shell_cmd_print_help(ctl, def);
        return true;
    }
    if ((def->flags & SHELL_CMD_MUTATING) && !shell_check_writable(ctl, def->name))
        return false;
    if (def->flags & SHELL_CMD_PARSES_XML)
        shell_heap_huge_pages();
    if (!(def->flags & SHELL_CMD_NO_CONNECT) && !shell_conn(ctl))
        return false;
    return def->handler(ctl, cmd);
}

/* Whether the blank line virsh prints after every command is printed after this one:
 * not after quit, and not after exec, whose output belongs to the command it ran. */
static bool
shell_cmd_has_trailer(const shell_cmd_def *def)
{
    return def->handler != shell_cmd_lookup("quit")->handler &&
           def->handler != shell_cmd_lookup("exec")->handler;
}

/*
 * Runs a list of commands (each a GPtrArray of words). As virsh does, every command is
 * parsed before any runs, so a mistake anywhere runs nothing; then each runs in turn and
 * the result is the last command's. Returns the exit status.
 */
static int
shell_run_words(shell_ctl *ctl, GPtrArray *cmds)
{
    g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify) shell_cmd_free);
    int status = 0;
    guint i;

    for (i = 0; i < cmds->len; i++) {
        GPtrArray *words = cmds->pdata[i];
        g_autofree char *message = NULL;
        shell_cmd *cmd;

        if (words->len == 0)
            continue;
        if (!(cmd = shell_cmd_parse(words, &message))) {
            shell_error(ctl, "%s", message);
            return 1;
        }
        g_ptr_array_add(parsed, cmd);
    }
    for (i = 0; i < parsed->len && !ctl->quit; i++) {
        const shell_cmd *cmd = parsed->pdata[i];

        ctl->exit_status = -1;
        if (shell_cmd_run(ctl, cmd))
            status = ctl->exit_status >= 0 ? ctl->exit_status : 0;
        else
            status = ctl->exit_status >= 0 ? ctl->exit_status : 1;
        if (!ctl->quit && shell_cmd_has_trailer(cmd->def))
            shell_print_extra(ctl, "\n");
        fflush(stdout);
    }
    return status;
}

static int
shell_run_line(shell_ctl *ctl, const char *line)
{
    g_autofree char *message = NULL;
    g_autoptr(GPtrArray) cmds = shell_split_line(line, false, &message);

    if (!cmds) {
        shell_error(ctl, "%s", message);
        return 1;
    }
    return shell_run_words(ctl, cmds);
}

/* ------------------------------------------------------------------------------------ */
/* Completion                                                                           */

static char **shell_completion_list;
static gsize shell_completion_index;

static char *
shell_completion_next(const char *text, int state)
{
    gsize len = strlen(text);

    if (!state)
        shell_completion_index = 0;
    while (shell_completion_list && shell_completion_list[shell_completion_index]) {
        const char *cand = shell_completion_list[shell_completion_index++];

        if (strncmp(cand, text, len) == 0)
            return strdup(cand); /* readline frees it with free() */
    }
    return NULL;
}

static void
shell_complete_add_options(GPtrArray *out, const shell_cmd *cmd)
{
    const shell_opt_def *opt;

    for (opt = cmd->def->opts; opt && opt->name; opt++) {
        if (opt->type == SHELL_OPT_ARGV)
            g_ptr_array_add(out, g_strdup("--"));
        else if ((opt->flags & SHELL_OPT_MULTI) || !shell_cmd_given(cmd, opt))
            g_ptr_array_add(out, g_strdup_printf("--%s", opt->name));
    }
    g_ptr_array_add(out, g_strdup("--help"));
}

/* @cmd: the words before, parsed (NULL when completing a command name). */
static void
shell_complete_add_values(GPtrArray *out, shell_complete what, const shell_cmd *cmd)
{
    g_auto(GStrv) names = NULL;
    gsize i;

    if (what == SHELL_COMPLETE_COMMAND) {
        g_autofree const char **cmds = shell_cmd_names();

        for (i = 0; cmds[i]; i++)
            g_ptr_array_add(out, g_strdup(cmds[i]));
        return;
    }
    if (what == SHELL_COMPLETE_EVENT) {
        g_ptr_array_add(out, g_strdup("lifecycle"));
        return;
    }
    if (what == SHELL_COMPLETE_TYPE && shell_conn(shell_completion_ctl))
        names = g_strdupv((char **) vsh_conn_get_types(shell_completion_ctl->conn));
    else if (what >= SHELL_COMPLETE_DOMAIN && what <= SHELL_COMPLETE_DOMAIN_PERSISTENT)
        names = shell_domain_names(shell_completion_ctl, what);
    else if (what == SHELL_COMPLETE_INTERFACE && cmd)
        names = shell_interface_names(shell_completion_ctl, cmd);
    for (i = 0; names && names[i]; i++)
        g_ptr_array_add(out, g_strdup(names[i]));
}

/*
 * What the word being completed can be, from the words before it in the same command:
 * a command name, an option, or the value of an option (a domain filtered by what the
 * command acts on, a file, a command name).
 */
static shell_complete
shell_complete_candidates(GPtrArray *words, const char *text, GPtrArray *out)
{
    g_autoptr(shell_cmd) cmd = g_new0(shell_cmd, 1);
    const shell_opt_def *pending = NULL;
    const shell_opt_def *opt;
    guint i;

    if (words->len == 0) {
        shell_complete_add_values(out, SHELL_COMPLETE_COMMAND, NULL);
        return SHELL_COMPLETE_COMMAND;
    }
    if (!(cmd->def = shell_cmd_lookup(words->pdata[0])))
        return SHELL_COMPLETE_NONE;
    cmd->args = g_ptr_array_new_with_free_func((GDestroyNotify) shell_arg_free);
    for (i = 1; i < words->len; i++) {
        const char *word = words->pdata[i];

        if (strcmp(word, "--") == 0 && shell_argv_opt(cmd->def))
            return SHELL_COMPLETE_NONE; /* the command to run: not ours to complete */
        pending = NULL;
        if (g_str_has_prefix(word, "--") && (opt = shell_opt_lookup(cmd->def, word + 2))) {
            shell_cmd_add(cmd, opt, NULL);
            if (opt->type == SHELL_OPT_STRING || opt->type == SHELL_OPT_NUMBER)
                pending = opt;
        } else if ((opt = shell_next_positional(cmd))) {
            shell_cmd_add(cmd, opt, word);
        }
        if (pending && i + 1 < words->len) {
            i++;
            pending = NULL;
        }
    }
    if (!pending && text[0] == '-') {
        shell_complete_add_options(out, cmd);
        return SHELL_COMPLETE_NONE;
    }
    opt = pending ? pending : shell_next_positional(cmd);
    if (!opt)
        return SHELL_COMPLETE_NONE;
    shell_complete_add_values(out, opt->complete, cmd);
    return opt->complete;
}

static char **
shell_completion(const char *text, int start, int end)
{
    g_autofree char *before = g_strndup(*shell_rl->line_buffer, start);
    g_autoptr(GPtrArray) cmds = shell_split_line(before, true, NULL);
    g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func(g_free);
    shell_complete what;
    char **matches;

    *shell_rl->attempted_completion_over = 1;
    what = shell_complete_candidates(cmds->pdata[cmds->len - 1], text, cands);
    if (what == SHELL_COMPLETE_FILE) {
        *shell_rl->attempted_completion_over = 0; /* readline completes file names */
        return NULL;
    }
    g_ptr_array_add(cands, NULL);
    shell_completion_list = (char **) cands->pdata;
    matches = shell_rl->completion_matches(text, shell_completion_next);
    shell_completion_list = NULL;
    return matches;
}

/*
 * complete -- WORD... : what TAB would offer for the last word after the others, one per
 * line. The bash completion of one-shot commands asks this (virsh has the same command),
 * so both completions share one implementation.
 */
static bool
cmd_complete(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autofree const char **words = shell_cmd_strings(cmd, "words");
    g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func(g_free);
    const char *text = "";
    gsize n = g_strv_length((char **) words);
    gsize i;

    if (n > 0)
        text = words[n - 1];
    for (i = 0; i + 1 < n; i++) {
        if (strcmp(words[i], ";") == 0)
            g_ptr_array_set_size(before, 0);
        else
            g_ptr_array_add(before, g_strdup(words[i]));
    }
    shell_completion_ctl = ctl;
    (void) shell_complete_candidates(before, text, cands);
    for (i = 0; i < cands->len; i++) {
        if (g_str_has_prefix(cands->pdata[i], text))
            shell_print(ctl, "%s\n", (const char *) cands->pdata[i]);
    }
    return true;
}

/* ------------------------------------------------------------------------------------ */
/* Sessions                                                                             */

static char *
shell_history_path(void)
{
    const char *state = g_getenv("XDG_STATE_HOME");

    if (state && *state)
        return g_build_filename(state, "vsh", "history", NULL);
    return g_build_filename(g_get_home_dir(), ".vsh_history", NULL);
}

/* Creates the history file (and its directory) when missing. A history that cannot be
 * written is not worth an error: the session works without it. */
static void
shell_history_open(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd;

    (void) g_mkdir_with_parents(dir, 0700);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) >= 0)
        close(fd);
    (void) shell_rl->read_history(path);
}

/* Ctrl+C at the prompt throws the line away and gives a new prompt, as bash does, rather
 * than ending the session. The handler only writes a byte to a pipe; readline's input
 * function polls the terminal and that pipe together, so an interrupt that arrives while
 * readline is not blocked in read(2) is still seen (a flag checked after an interrupted
 * read would miss it and leave the session waiting with no prompt). */
static int shell_sigint_pipe[2] = { -1, -1 };

static void
shell_on_sigint(int signo)
{
    int saved_errno = errno;

    (void) signo;
    (void) !write(shell_sigint_pipe[1], "", 1);
    errno = saved_errno;
}

/* Forget interrupts that came while a command ran (exec, console): they must not clear
 * the next line. */
static void
shell_sigint_drain(void)
{
    char buf[64];

    while (read(shell_sigint_pipe[0], buf, sizeof(buf)) > 0)
        ;
}

static int
shell_getc(FILE *stream)
{
    struct pollfd fds[2] = {
        { .fd = fileno(stream), .events = POLLIN },
        { .fd = shell_sigint_pipe[0], .events = POLLIN },
    };

    for (;;) {
        if (poll(fds, G_N_ELEMENTS(fds), -1) < 0) {
            if (errno == EINTR)
                continue;
            return EOF;
        }
        if (fds[1].revents & POLLIN) {
            shell_sigint_drain();
            shell_rl->replace_line("", 0);
            shell_rl->crlf();
            shell_rl->on_new_line();
            shell_rl->redisplay();
            continue;
        }
        if (fds[0].revents)
            return shell_rl->getc(stream);
    }
}

static void
shell_setup_readline(void)
{
    struct sigaction sa = { 0 };

    *shell_rl->readline_name = "vsh";
    *shell_rl->attempted_completion_function = shell_completion;
    *shell_rl->completer_word_break_characters = (char *) " \t\n;";
    *shell_rl->catch_signals = 0;
    if (pipe2(shell_sigint_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return;                 /* Ctrl+C then keeps its default: it ends the session */
    *shell_rl->getc_function = shell_getc;
    sa.sa_handler = shell_on_sigint;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

static int
shell_interactive(shell_ctl *ctl)
{
    g_autofree char *history = shell_history_path();
    const char *prompt = geteuid() == 0 ? "vsh # " : "vsh $ ";
    char *line;

    g_autoptr(GError) err = NULL;

    if (!shell_rl_load(&err)) {
        shell_error(ctl, "%s", err->message);
        return 1;
    }
    shell_completion_ctl = ctl;
    shell_setup_readline();
    shell_rl->using_history();
    shell_rl->stifle_history(SHELL_HISTORY_LINES);
    shell_history_open(history);
    shell_print_extra(ctl, "Welcome to vsh %s, the shell for jails, containers and virtual "
                      "machines.\n\nType:  'help' for help with commands\n       'quit' to "
                      "quit\n\n", vsh_version_string());
    while (!ctl->quit && (shell_sigint_drain(), line = shell_rl->readline(prompt))) {
        g_autofree char *stripped = g_strstrip(g_strdup(line));

        if (*stripped) {
            shell_rl->add_history(stripped);
            /* appended at once: a session killed later, or one running beside this
             * one, loses nothing */
            (void) shell_rl->append_history(1, history);
            (void) shell_run_line(ctl, stripped);
        }
        free(line);
    }
    if (!ctl->quit)
        putchar('\n');          /* Ctrl+D leaves the cursor after the prompt */
    (void) shell_rl->history_truncate_file(history, SHELL_HISTORY_LINES);
    return 0;
}

/* A script on stdin: every line runs, even after a failure, and the exit status says
 * whether any failed. */
static int
shell_script(shell_ctl *ctl)
{
    g_autoptr(GString) line = g_string_new(NULL);
    int status = 0;
    int c;

    while (!ctl->quit) {
        g_string_truncate(line, 0);
        while ((c = getchar()) != EOF && c != '\n')
            g_string_append_c(line, (char) c);
        if (line->len > 0 && shell_run_line(ctl, line->str) != 0)
            status = 1;
        if (c == EOF)
            break;
    }
    return status;
}

/* One-shot arguments: a single argument is a command line to split ("start a; list"),
 * several are the words of one command, taken as they are. */
static int
shell_oneshot(shell_ctl *ctl, int argc, char **argv)
{
    g_autoptr(GPtrArray) cmds = NULL;
    GPtrArray *words;
    int i;

    if (argc == 1)
        return shell_run_line(ctl, argv[0]);
    cmds = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
    words = g_ptr_array_new_with_free_func(g_free);
    for (i = 0; i < argc; i++)
        g_ptr_array_add(words, g_strdup(argv[i]));
    g_ptr_array_add(cmds, words);
    return shell_run_words(ctl, cmds);
}

static void
shell_usage(void)
{
    printf("\nvsh [options]... [<command_string>]\n"
           "vsh [options]... <command> [args...]\n\n"
           "  options:\n"
           "    -c | --connect=URI      connect to the domains of URI (vsh:///system,\n"
           "                            lxc:///, vsh:///embed?root=DIR ...)\n"
           "    -h | --help             this help\n"
           "    -q | --quiet            quiet mode: no headers, no success messages\n"
           "    -r | --readonly         refuse every command that changes domains\n"
           "    -v | --version          print the version and exit\n\n"
           "  commands (non interactive mode):\n\n");
    shell_print_command_list(&(shell_ctl){ 0 }, NULL);
    printf("  (specify help <group> for details about the commands in the group)\n\n"
           "  (specify help <command> for details about the command)\n\n");
}

/* Parses the options before the command; returns the index of the first command word,
 * or -1 when the program should exit with *ret_status. */
static int
shell_parse_argv(shell_ctl *ctl, int argc, char **argv, int *ret_status)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "version", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+c:qrvVh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(ctl->uri);
            ctl->uri = g_strdup(optarg);
            break;
        case 'q':
            ctl->quiet = true;
            break;
        case 'r':
            ctl->read_only = true;
            break;
        case 'v':
        case 'V':
            printf("%s\n", vsh_version_string());
            *ret_status = 0;
            return -1;
        case 'h':
            shell_usage();
            *ret_status = 0;
            return -1;
        default:
            if (optopt == 'c')
                shell_error(ctl, "option '-c' requires a URI");
            else if (optopt)
                shell_error(ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                shell_error(ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            *ret_status = 1;
            return -1;
        }
    }
    return optind;
}

int
main(int argc, char **argv)
{
    shell_ctl ctl = { 0 };
    int status = 0;
    int first;

    if ((first = shell_parse_argv(&ctl, argc, argv, &status)) < 0) {
        g_free(ctl.uri);
        return status;
    }
    if (first < argc) {
        status = shell_oneshot(&ctl, argc - first, argv + first);
    } else if (isatty(STDIN_FILENO)) {
        ctl.interactive = true;
        status = shell_interactive(&ctl);
    } else {
        status = shell_script(&ctl);
    }
    if (ctl.conn)
        vsh_conn_unref(ctl.conn);
    g_free(ctl.uri);
    fflush(stdout);
    return status;
}
