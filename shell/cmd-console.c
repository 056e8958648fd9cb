/*
 * cmd-console.c — the console command: relays a domain's console to the terminal until
 * Ctrl+] (or the console closes), with the terminal in raw mode while it runs.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vsh-shell.h"

#define CONSOLE_ESCAPE 0x1d     /* Ctrl+] */

/* Set by the signals that end a console session; the relay loop checks it. */
static volatile sig_atomic_t console_stop;

static void
console_on_signal(int signo)
{
    console_stop = signo;
}

typedef struct {
    bool raw;                   /* the terminal was switched to raw mode */
    struct termios saved;
    struct sigaction old[4];
} console_term;

static const int console_signals[4] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

/* Raw mode, so that every key (Ctrl+C included) goes to the domain; and handlers for the
 * signals that could still end the shell, so the terminal is restored on every path. */
static void
console_term_setup(console_term *term)
{
    struct sigaction sa;
    struct termios raw;
    gsize i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = console_on_signal;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: poll() must return so the loop sees console_stop */
    for (i = 0; i < G_N_ELEMENTS(console_signals); i++)
        sigaction(console_signals[i], &sa, &term->old[i]);
    console_stop = 0;
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &term->saved) == 0) {
        raw = term->saved;
        cfmakeraw(&raw);
        /* TCSADRAIN, not TCSAFLUSH: what the user typed ahead belongs to the domain */
        if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
            term->raw = true;
    }
}

static void
console_term_restore(console_term *term)
{
    gsize i;

    if (term->raw)
        (void) tcsetattr(STDIN_FILENO, TCSADRAIN, &term->saved);
    for (i = 0; i < G_N_ELEMENTS(console_signals); i++)
        sigaction(console_signals[i], &term->old[i], NULL);
}

/* Writes all of @buf; false when the other end is gone. */
static bool
console_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t) n;
    }
    return true;
}

/* Copies what stdin has to the console; false on Ctrl+], end of input or error. */
static bool
console_from_terminal(int fd)
{
    char buf[1024];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    char *esc;

    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0)
        return false;
    if ((esc = memchr(buf, CONSOLE_ESCAPE, (size_t) n))) {
        /* what was typed before the escape still goes to the domain */
        (void) console_write_all(fd, buf, (size_t) (esc - buf));
        return false;
    }
    return console_write_all(fd, buf, (size_t) n);
}

static bool
console_to_terminal(int fd)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));

    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0)
        return false;
    return console_write_all(STDOUT_FILENO, buf, (size_t) n);
}

static void
console_relay(int fd)
{
    struct pollfd fds[2] = {
        { .fd = STDIN_FILENO, .events = POLLIN },
        { .fd = fd, .events = POLLIN },
    };

    while (!console_stop) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!console_to_terminal(fd))
                break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!console_from_terminal(fd))
                break;
        }
    }
}

bool
shell_console_attach(shell_ctl *ctl, vsh_domain *dom, bool force)
{
    g_autoptr(GError) err = NULL;
    console_term term = { 0 };
    int fd = -1;

    if (vsh_domain_open_console(dom, force ? VSH_DOMAIN_CONSOLE_FORCE : 0, &fd, &err) < 0) {
        shell_error_gerror(ctl, err, "failed to open the console of domain '%s'",
                           vsh_domain_get_name(dom));
        return false;
    }
    shell_print_extra(ctl, "Connected to domain '%s'\n", vsh_domain_get_name(dom));
    shell_print_extra(ctl, "Escape character is ^] (Ctrl + ])\n");
    fflush(stdout);
    console_term_setup(&term);
    console_relay(fd);
    console_term_restore(&term);
    close(fd);
    /* the domain's last line may not end with one */
    shell_print_extra(ctl, "\n");
    return true;
}

static bool
cmd_console(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");

    if (!dom)
        return false;
    return shell_console_attach(ctl, dom, shell_cmd_has(cmd, "force"));
}

static const shell_opt_def opts_console[] = {
    { "domain", SHELL_OPT_STRING, SHELL_OPT_REQUIRED | SHELL_OPT_POSITIONAL,
      "domain name, id or uuid", SHELL_COMPLETE_DOMAIN_ACTIVE },
    { "force", SHELL_OPT_BOOL, 0,
      "force console connection (disconnect already connected sessions)", 0 },
    { NULL },
};

const shell_cmd_def shell_console_cmds[] = {
    { "console", cmd_console, opts_console, "connect to the guest console",
      "Connect to the console of a running domain. Ctrl+] leaves it; the domain keeps\n"
      "running.", SHELL_CMD_MUTATING, SHELL_GROUP_DOMAIN },
    { NULL },
};
