/*
 * vsh-readline.c — opens GNU readline on demand (vsh-readline.h).
 */
#include <config.h>

#include <dlfcn.h>

#include "vsh-readline.h"

const shell_rl_api *shell_rl;

#ifdef SHELL_RL_LINKED

/* A static vsh (configure's --enable-static-vsh) has readline inside: nothing to open, and
 * $VSH_READLINE does not apply. */
gboolean
shell_rl_load(GError **error)
{
    static const shell_rl_api linked = {
        .readline = readline,
        .getc = rl_getc,
        .replace_line = rl_replace_line,
        .crlf = rl_crlf,
        .on_new_line = rl_on_new_line,
        .redisplay = rl_redisplay,
        .completion_matches = rl_completion_matches,
        .using_history = using_history,
        .stifle_history = stifle_history,
        .read_history = read_history,
        .add_history = add_history,
        .append_history = append_history,
        .history_truncate_file = history_truncate_file,
        .line_buffer = &rl_line_buffer,
        .attempted_completion_over = &rl_attempted_completion_over,
        .readline_name = &rl_readline_name,
        .attempted_completion_function = &rl_attempted_completion_function,
        .completer_word_break_characters = &rl_completer_word_break_characters,
        .catch_signals = &rl_catch_signals,
        .getc_function = &rl_getc_function,
    };

    shell_rl = &linked;
    return TRUE;
}

#else /* !SHELL_RL_LINKED */

static shell_rl_api api;

/* Every symbol, in the table's order: a name and where its address goes. */
#define RL_SYM(field, name) { #name, (void **) &api.field }

gboolean
shell_rl_load(GError **error)
{
    const struct {
        const char *name;
        void **slot;
    } syms[] = {
        RL_SYM(readline, readline),
        RL_SYM(getc, rl_getc),
        RL_SYM(replace_line, rl_replace_line),
        RL_SYM(crlf, rl_crlf),
        RL_SYM(on_new_line, rl_on_new_line),
        RL_SYM(redisplay, rl_redisplay),
        RL_SYM(completion_matches, rl_completion_matches),
        RL_SYM(using_history, using_history),
        RL_SYM(stifle_history, stifle_history),
        RL_SYM(read_history, read_history),
        RL_SYM(add_history, add_history),
        RL_SYM(append_history, append_history),
        RL_SYM(history_truncate_file, history_truncate_file),
        RL_SYM(line_buffer, rl_line_buffer),
        RL_SYM(attempted_completion_over, rl_attempted_completion_over),
        RL_SYM(readline_name, rl_readline_name),
        RL_SYM(attempted_completion_function, rl_attempted_completion_function),
        RL_SYM(completer_word_break_characters, rl_completer_word_break_characters),
        RL_SYM(catch_signals, rl_catch_signals),
        RL_SYM(getc_function, rl_getc_function),
    };
    const char *env = g_getenv("VSH_READLINE");
    const char *name = env && *env ? env : READLINE_SONAME;
    void *handle;
    size_t i;

    if (shell_rl)
        return TRUE;
    /* RTLD_NODELETE: readline keeps hooks and its terminal state for the whole process */
    if (!(handle = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot load readline (%s): %s",
                    name, dlerror());
        return FALSE;
    }
    for (i = 0; i < G_N_ELEMENTS(syms); i++) {
        if (!(*syms[i].slot = dlsym(handle, syms[i].name))) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                        "cannot load readline (%s): no symbol '%s'", name, syms[i].name);
            dlclose(handle);
            return FALSE;
        }
    }
    shell_rl = &api;
    return TRUE;
}

#endif /* SHELL_RL_LINKED */
