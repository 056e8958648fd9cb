/*
 * vsh-readline.h — GNU readline, opened when an interactive session starts.
 *
 * Most vsh processes run one command and exit; loading readline and its terminfo
 * library at start-up cost each of them about 25 page faults (0.7 ms on our machines).
 * So vsh does not link readline: shell_rl_load() dlopens it (READLINE_SONAME, found by
 * configure; $VSH_READLINE names another file) the first time a session needs it, and
 * the session calls it through shell_rl. The headers still give every type, so the calls are
 * checked as usual. A statically linked vsh (configure's --enable-static-vsh) has readline
 * inside instead, where an unused library costs nothing: shell_rl then points at it.
 */
#ifndef VSH_SHELL_READLINE_H
#define VSH_SHELL_READLINE_H

#include <stdio.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <glib.h>

typedef struct {
    /* functions */
    __typeof__(readline) *readline;
    __typeof__(rl_getc) *getc;
    __typeof__(rl_replace_line) *replace_line;
    __typeof__(rl_crlf) *crlf;
    __typeof__(rl_on_new_line) *on_new_line;
    __typeof__(rl_redisplay) *redisplay;
    __typeof__(rl_completion_matches) *completion_matches;
    __typeof__(using_history) *using_history;
    __typeof__(stifle_history) *stifle_history;
    __typeof__(read_history) *read_history;
    __typeof__(add_history) *add_history;
    __typeof__(append_history) *append_history;
    __typeof__(history_truncate_file) *history_truncate_file;
    /* variables: the addresses of readline's own */
    __typeof__(rl_line_buffer) *line_buffer;
    __typeof__(rl_attempted_completion_over) *attempted_completion_over;
    __typeof__(rl_readline_name) *readline_name;
    __typeof__(rl_attempted_completion_function) *attempted_completion_function;
    __typeof__(rl_completer_word_break_characters) *completer_word_break_characters;
    __typeof__(rl_catch_signals) *catch_signals;
    __typeof__(rl_getc_function) *getc_function;
} shell_rl_api;

/* Set by shell_rl_load(); NULL before. */
extern const shell_rl_api *shell_rl;

/* Opens readline. Returns FALSE with @error set ("cannot load readline (NAME): ...") when it
 * cannot; loading again after success is a no-op. */
gboolean shell_rl_load(GError **error);

#endif /* VSH_SHELL_READLINE_H */
