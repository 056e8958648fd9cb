/*
 * cmd-event.c — the event command: waits for lifecycle events and prints them as virsh
 * does ("event 'lifecycle' for domain 'web': Started Booted").
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "vsh-shell.h"

static volatile sig_atomic_t event_interrupted;

static void
event_on_sigint(int signo)
{
    event_interrupted = 1;
}

typedef struct {
    shell_ctl *ctl;
    char uuid[VSH_UUID_STRING_BUFLEN]; /* only this domain's events, when set */
    bool timestamp;
    bool loop;
    unsigned int count;
} event_watch;

static void
event_print(event_watch *w, const vsh_event *ev)
{
    g_autofree char *stamp = NULL;

    if (w->timestamp) {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(ev->timestamp_us / 1000000);
        g_autofree char *base = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S") : NULL;

        stamp = g_strdup_printf("%s.%03d+0000: ", base ? base : "?",
                                (int) (ev->timestamp_us % 1000000 / 1000));
    }
    shell_print(w->ctl, "%sevent 'lifecycle' for domain '%s': %s %s\n", stamp ? stamp : "",
                ev->domain, vsh_event_type_to_string(ev->event),
                vsh_event_detail_to_string(ev->event, ev->detail));
    fflush(stdout);
}

/* Prints the pending events; false on error or when the watch is over. */
static bool
event_drain(event_watch *w, vsh_event_stream *stream, bool *ret_error)
{
    g_autoptr(GError) err = NULL;

    for (;;) {
        g_autoptr(vsh_event) ev = NULL;
        int rc = vsh_event_stream_next(stream, &ev, &err);

        if (rc < 0) {
            shell_error_gerror(w->ctl, err, "failed to read events");
            *ret_error = true;
            return false;
        }
        if (rc == 0)
            return true;
        if (w->uuid[0] && strcmp(w->uuid, ev->uuid) != 0)
            continue;
        event_print(w, ev);
        w->count++;
        if (!w->loop)
            return false;
    }
}

/* Waits for events until one arrived (or, with --loop, the timeout or Ctrl+C). */
static bool
event_wait(event_watch *w, vsh_event_stream *stream, int timeout_s)
{
    gint64 deadline = timeout_s > 0 ? g_get_monotonic_time() + timeout_s * G_USEC_PER_SEC : 0;
    struct pollfd pfd = { .fd = vsh_event_stream_get_fd(stream), .events = POLLIN };
    bool error = false;

    while (!event_interrupted) {
        int wait_ms = -1;

        if (!event_drain(w, stream, &error))
            return !error;
        if (deadline) {
            gint64 left = deadline - g_get_monotonic_time();

            if (left <= 0) {
                shell_print(w->ctl, "event loop timed out\n");
                return true;
            }
            wait_ms = (int) ((left + 999) / 1000);
        }
        if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
            shell_error(w->ctl, "failed to wait for events: %s", g_strerror(errno));
            return false;
        }
    }
    return true;
}

static bool
event_check_options(shell_ctl *ctl, const shell_cmd *cmd)
{
    const char *event = shell_cmd_string(cmd, "event");

    if (!event && !shell_cmd_has(cmd, "all") && !shell_cmd_has(cmd, "list")) {
        shell_error(ctl, "one of --list, --all, or --event <type> is required");
        return false;
    }
    if (event && shell_cmd_has(cmd, "all")) {
        shell_error(ctl, "options --event and --all are mutually exclusive");
        return false;
    }
    if (event && strcmp(event, "lifecycle") != 0) {
        shell_error(ctl, "unknown event type %s (vsh has 'lifecycle')", event);
        return false;
    }
    return true;
}

static bool
cmd_event(shell_ctl *ctl, const shell_cmd *cmd)
{
    g_autoptr(vsh_event_stream) stream = NULL;
    g_autoptr(GError) err = NULL;
    event_watch w = { .ctl = ctl };
    struct sigaction sa = { 0 };
    struct sigaction old;
    int timeout = 0;
    bool ok;

    if (!event_check_options(ctl, cmd) || shell_cmd_int(cmd, "timeout", &timeout) < 0)
        return false;
    if (shell_cmd_has(cmd, "list")) {
        shell_print(ctl, "lifecycle\n");
        return true;
    }
    if (timeout < 0 || (shell_cmd_has(cmd, "timeout") && timeout == 0)) {
        shell_error(ctl, "invalid timeout '%s': expected a number of seconds above 0",
                    shell_cmd_string(cmd, "timeout"));
        return false;
    }
    if (shell_cmd_has(cmd, "domain")) {
        g_autoptr(vsh_domain) dom = shell_domain_lookup(ctl, cmd, "domain");

        if (!dom)
            return false;
        vsh_domain_get_uuid_string(dom, w.uuid);
    }
    w.timestamp = shell_cmd_has(cmd, "timestamp");
    w.loop = shell_cmd_has(cmd, "loop");
    if (!(stream = vsh_event_stream_open(ctl->conn, &err))) {
        shell_error_gerror(ctl, err, "failed to watch events");
        return false;
    }
    /* Ctrl+C ends the wait, not the shell */
    sa.sa_handler = event_on_sigint;
    sigemptyset(&sa.sa_mask);
    event_interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    ok = event_wait(&w, stream, timeout);
    sigaction(SIGINT, &old, NULL);
    if (!ok)
        return false;
    shell_print(ctl, "events received: %u\n", w.count);
    return w.count > 0;
}

static const shell_opt_def opts_event[] = {
    { "domain", SHELL_OPT_STRING, 0, "filter by domain name, id or uuid",
      SHELL_COMPLETE_DOMAIN },
    { "event", SHELL_OPT_STRING, 0, "which event type to wait for", SHELL_COMPLETE_EVENT },
    { "all", SHELL_OPT_BOOL, 0, "wait for all events instead of just one type", 0 },
    { "loop", SHELL_OPT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot", 0 },
    { "timeout", SHELL_OPT_NUMBER, 0, "timeout seconds", 0 },
    { "list", SHELL_OPT_BOOL, 0, "list valid event types", 0 },
    { "timestamp", SHELL_OPT_BOOL, 0, "show timestamp for each printed event", 0 },
    { NULL },
};

const shell_cmd_def shell_event_cmds[] = {
    { "event", cmd_event, opts_event, "Domain Events",
      "List event types, or wait for domain events to occur.", 0, SHELL_GROUP_MONITOR },
    { NULL },
};
