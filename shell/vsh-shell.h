/*
 * vsh-shell.h — what a command file of the vsh shell needs: the command table types,
 * access to parsed options, domain lookup and output helpers.
 *
 * A command is one shell_cmd_def entry {name, handler, options, synopsis, help} in a
 * NULL-terminated array exported by its file (shell_domain_cmds in cmd-domain.c ...);
 * shell/vsh.c merges the arrays (see SHELL_CMD_TABLES there). A handler returns true on
 * success and false after printing its error with shell_error*(): the shell turns that
 * into exit status 1 (one-shot) or goes on (interactive).
 *
 * The shell talks to the library through core/vsh.h only.
 */
#ifndef VSH_SHELL_H
#define VSH_SHELL_H

#include <stdbool.h>
#include <glib.h>

#include "core/vsh.h"

typedef enum {
    SHELL_OPT_BOOL,             /* --flag */
    SHELL_OPT_STRING,           /* --name VALUE, shown as <string> */
    SHELL_OPT_NUMBER,           /* --name VALUE, shown as <number>; the handler parses it */
    SHELL_OPT_ARGV,             /* every word after "--" (exec) */
} shell_opt_type;

enum {
    SHELL_OPT_REQUIRED = 1 << 0,
    SHELL_OPT_POSITIONAL = 1 << 1, /* may be given without its --name, in table order */
    SHELL_OPT_MULTI = 1 << 2,      /* may be given several times (schedinfo --set) */
};

/* What TAB completes for an option's value. */
typedef enum {
    SHELL_COMPLETE_NONE = 0,
    SHELL_COMPLETE_DOMAIN,          /* every domain */
    SHELL_COMPLETE_DOMAIN_ACTIVE,   /* running or paused */
    SHELL_COMPLETE_DOMAIN_INACTIVE, /* shut off */
    SHELL_COMPLETE_DOMAIN_RUNNING,  /* running, not paused */
    SHELL_COMPLETE_DOMAIN_PAUSED,
    SHELL_COMPLETE_DOMAIN_PERSISTENT,
    SHELL_COMPLETE_FILE,
    SHELL_COMPLETE_COMMAND,         /* help CMD */
    SHELL_COMPLETE_EVENT,           /* event --event */
    SHELL_COMPLETE_TYPE,            /* list --type */
    SHELL_COMPLETE_INTERFACE,       /* an interface of the command's --domain */
} shell_complete;

typedef struct {
    const char *name;           /* without the leading "--"; NULL ends a table */
    shell_opt_type type;
    unsigned int flags;
    const char *help;
    shell_complete complete;
} shell_opt_def;

typedef enum {
    SHELL_GROUP_DOMAIN,         /* Domain Management */
    SHELL_GROUP_MONITOR,        /* Domain Monitoring */
    SHELL_GROUP_HOST,           /* Host and Hypervisor */
    SHELL_GROUP_SHELL,          /* vsh itself */
    SHELL_GROUP_LAST
} shell_group;

enum {
    SHELL_CMD_MUTATING = 1 << 0,   /* refused on a read-only (-r) shell */
    SHELL_CMD_NO_CONNECT = 1 << 1, /* runs without opening a connection */
    SHELL_CMD_PARSES_XML = 1 << 2, /* parses domain XML: its heap grows in huge pages
                                    * (vsh-heap.h) */
};

typedef struct shell_ctl shell_ctl;
typedef struct shell_cmd shell_cmd;

typedef bool (*shell_handler)(shell_ctl *ctl, const shell_cmd *cmd);

typedef struct {
    const char *name;           /* NULL ends a table */
    shell_handler handler;
    const shell_opt_def *opts;  /* terminated by an entry with name NULL; NULL = none */
    const char *synopsis;       /* one line: "start a (previously defined) inactive domain" */
    const char *help;           /* the DESCRIPTION paragraph */
    unsigned int flags;         /* SHELL_CMD_* */
    shell_group group;
} shell_cmd_def;

/* The state of one shell: connection, modes. */
struct shell_ctl {
    vsh_conn *conn;             /* opened on first use (shell_conn) */
    char *uri;                  /* what -c or connect asked for; NULL = the default */
    bool quiet;                 /* -q: no headers, no success messages */
    bool read_only;             /* -r */
    bool interactive;           /* a terminal session (prompt, readline) */
    bool quit;                  /* set by quit/exit: stop reading commands */
    int exit_status;            /* exec sets the command's status here (else 0/1) */
};

/* One parsed command: its definition and the options given. */
struct shell_cmd {
    const shell_cmd_def *def;
    GPtrArray *args;            /* of shell_arg *, in the order given */
    bool help_requested;        /* "CMD --help": print the help instead of running */
};

typedef struct {
    const shell_opt_def *opt;
    char *value;                /* NULL for a boolean */
} shell_arg;

/* ---- option access (names without "--") ---- */

/* True when the option was given (a boolean set, or a value given). */
bool shell_cmd_has(const shell_cmd *cmd, const char *name);
/* The (last) value given for @name, or NULL; borrowed from @cmd. */
const char *shell_cmd_string(const shell_cmd *cmd, const char *name);
/* Every value given for a SHELL_OPT_MULTI or SHELL_OPT_ARGV option, NULL-terminated; free
 * the array with g_free (the strings are borrowed from @cmd). */
const char **shell_cmd_strings(const shell_cmd *cmd, const char *name);
/* Parses option @name as an unsigned int. Returns 0 absent, 1 set, -1 after printing an
 * error naming the option. */
int shell_cmd_uint(const shell_cmd *cmd, const char *name, unsigned int *ret_value);
/* Parses option @name as an int ("--timeout"); same returns as shell_cmd_uint. */
int shell_cmd_int(const shell_cmd *cmd, const char *name, int *ret_value);
/* Parses option @name as a scaled integer as virsh does ("512M", "1G", "1024" = KiB, "b"
 * bytes, "KB" 1000 ...) and returns KiB rounded up. Same returns as shell_cmd_uint. */
int shell_cmd_scaled_kib(const shell_cmd *cmd, const char *name, guint64 *ret_kib);
/* Parses a scaled size string; 0 or -1 (no message). */
int shell_parse_scaled_kib(const char *str, guint64 *ret_kib);

/* Reads --config/--live/--current into a vsh_domain_modification_impact value. Returns
 * 0, or -1 after printing an error (--current with one of the others). */
int shell_cmd_impact(const shell_cmd *cmd, unsigned int *ret_flags);

/* ---- connection and domains ---- */

/* The open connection (opened on first use). NULL after printing the error. */
vsh_conn *shell_conn(shell_ctl *ctl);
/* Looks up the domain named by option @optname (usually "domain") as virsh does: an id,
 * then a UUID, then a name. Prints "error: failed to get domain 'X'" and returns NULL
 * when there is none. Free with vsh_domain_unref. */
vsh_domain *shell_domain_lookup(shell_ctl *ctl, const shell_cmd *cmd, const char *optname);
/* The same for a string. */
vsh_domain *shell_domain_lookup_string(shell_ctl *ctl, const char *str);

/* Names of the domains matching a completion filter, sorted; NULL-terminated, g_strfreev.
 * Errors are ignored (no names). */
char **shell_domain_names(shell_ctl *ctl, shell_complete filter);

/* ---- output ---- */

/* stdout, always. */
void shell_print(shell_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* stdout unless -q (headers, success messages). */
void shell_print_extra(shell_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "error: MESSAGE" on stderr, one line. */
void shell_error(shell_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "error: PREFIX: ERR->message" (or just the message when @fmt is NULL). */
void shell_error_gerror(shell_ctl *ctl, const GError *err, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* A table printed as virsh prints its tables: a header, a dash rule, rows; every column but
 * the last padded to its widest cell, cells separated by three spaces, a leading space. */
typedef struct shell_table shell_table;
shell_table *shell_table_new(const char *const *header);
/* Appends one row of as many cells as the header has (copied). */
void shell_table_add_row(shell_table *table, const char *const *cells);
/* Prints it (the header and rule only without -q) and frees it. */
void shell_table_print_free(shell_ctl *ctl, shell_table *table);

/* Refuses a change on a read-only (-r) shell, for commands that only sometimes change
 * things (schedinfo --set, memtune --hard-limit). Returns false after printing the error. */
bool shell_check_writable(shell_ctl *ctl, const char *cmdname);

/* The contents of the XML file @path named by the user, or NULL after printing an error
 * naming the file and the system's reason (cmd-domain.c). */
char *shell_read_xml_file(shell_ctl *ctl, const char *path);

/* Relays the console of @dom to the terminal until Ctrl+] or the console closes
 * (cmd-console.c). Returns false after printing an error. */
bool shell_console_attach(shell_ctl *ctl, vsh_domain *dom, bool force);

/* ---- the command tables ---- */

extern const shell_cmd_def shell_host_cmds[];
extern const shell_cmd_def shell_domain_cmds[];
extern const shell_cmd_def shell_console_cmds[];
extern const shell_cmd_def shell_event_cmds[];
extern const shell_cmd_def shell_edit_cmds[];

/* The definition of command @name, or NULL. */
const shell_cmd_def *shell_cmd_lookup(const char *name);
/* Prints the help of one command (NAME/SYNOPSIS/DESCRIPTION/OPTIONS). */
void shell_cmd_print_help(shell_ctl *ctl, const shell_cmd_def *def);
/* Prints the grouped command list; @group_keyword NULL for all groups. Returns false when
 * the keyword names no group. */
bool shell_print_command_list(shell_ctl *ctl, const char *group_keyword);
/* Calls @fn for every command definition of every table. */
void shell_cmd_foreach(void (*fn)(const shell_cmd_def *def, void *opaque), void *opaque);

/* The command whose name is closest to @word when near enough to suggest, else NULL. */
const shell_cmd_def *shell_cmd_suggest(const char *word);
/* The closest name to @word among @names when it is near enough to suggest, else NULL. */
const char *shell_suggest(const char *word, const char *const *names);

/* Runs the editor on a file for `edit` ($VISUAL, $EDITOR, vi). Returns 0, or -1 after
 * printing an error. */
int shell_run_editor(shell_ctl *ctl, const char *path);

/* Reads a one-character answer to a question: from the terminal when stdin is one, else
 * a line from stdin. Returns the character, or EOF. */
int shell_ask(shell_ctl *ctl, const char *question);

#endif /* VSH_SHELL_H */
