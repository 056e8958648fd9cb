/*
 * events.c — the lifecycle event log and event streams.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "events.h"
#include "util/file.h"

/* ---------------------------------------------------------------- words (virsh's) */

static const char *const event_type_words[VSH_EVENT_LAST] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};

static const char *const defined_words[] = { "Added", "Updated", "Renamed", "Snapshot", NULL };
static const char *const undefined_words[] = { "Removed", "Renamed", NULL };
static const char *const started_words[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL };
static const char *const suspended_words[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error",
    "Post-copy", "Post-copy Error", NULL };
static const char *const resumed_words[] = {
    "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error", NULL };
static const char *const stopped_words[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot", NULL };
static const char *const shutdown_words[] = {
    "Finished", "Finished after guest request", "Finished after host request", NULL };
static const char *const pmsuspended_words[] = { "Memory", "Disk", NULL };
static const char *const crashed_words[] = { "Panicked", "Crashloaded", NULL };

static const char *const *const detail_words[VSH_EVENT_LAST] = {
    defined_words, undefined_words, started_words, suspended_words, resumed_words,
    stopped_words, shutdown_words, pmsuspended_words, crashed_words,
};

const char *
vsh_event_type_to_string(int event)
{
    if (event < 0 || event >= VSH_EVENT_LAST)
        return "unknown";
    return event_type_words[event];
}

const char *
vsh_event_detail_to_string(int event, int detail)
{
    const char *const *words;
    int i;

    if (event < 0 || event >= VSH_EVENT_LAST || detail < 0)
        return "unknown";
    words = detail_words[event];
    for (i = 0; words[i]; i++) {
        if (i == detail)
            return words[i];
    }
    return "unknown";
}

/* ---------------------------------------------------------------- writing */

int
vsh_event_append(const char *events_path, const char *name, const unsigned char uuid[16],
                 const char *type, int event, int detail, GError **error)
{
    char uuidstr[VSH_UUID_STRING_BUFLEN];
    g_autofree char *line = NULL;

    vsh_uuid_format(uuid, uuidstr);
    line = g_strdup_printf("%" G_GINT64_FORMAT " %d %d %s %s %s\n", g_get_real_time(), event,
                           detail, type, uuidstr, name);
    return vsh_file_append(events_path, line, strlen(line), 0600, error);
}

void
vsh_event_emit(const vsh_domain_obj *obj, int event, int detail)
{
    (void) vsh_event_append(obj->paths.events_path, obj->name, obj->uuid, obj->driver->name,
                            event, detail, NULL);
}

void
vsh_event_free(vsh_event *ev)
{
    if (!ev)
        return;
    g_free(ev->domain);
    g_free(ev->type);
    g_free(ev);
}

static bool
vsh_event_parse_int(const char *s, gint64 min, gint64 max, gint64 *ret)
{
    return g_ascii_string_to_signed(s, 10, min, max, ret, NULL);
}

vsh_event *
vsh_event_parse_line(const char *line, GError **error)
{
    g_auto(GStrv) f = g_strsplit(line, " ", 6);
    g_autoptr(vsh_event) ev = g_new0(vsh_event, 1);
    unsigned char uuid[16];
    gint64 event;
    gint64 detail;

    if (g_strv_length(f) != 6 ||
        !vsh_event_parse_int(f[0], 0, G_MAXINT64, &ev->timestamp_us) ||
        !vsh_event_parse_int(f[1], 0, VSH_EVENT_LAST - 1, &event) ||
        !vsh_event_parse_int(f[2], 0, G_MAXINT, &detail) ||
        vsh_uuid_parse(f[4], uuid) < 0 ||
        !vsh_domain_name_is_valid(f[5])) {
        vsh_error_set(error, VSH_ERROR_INTERNAL, "malformed event line '%s'", line);
        return NULL;
    }
    ev->event = (int) event;
    ev->detail = (int) detail;
    ev->type = g_strdup(f[3]);
    ev->domain = g_strdup(f[5]);
    vsh_uuid_format(uuid, ev->uuid);
    return g_steal_pointer(&ev);
}

/* ---------------------------------------------------------------- streams */

struct vsh_event_stream {
    vsh_conn *conn;
    char *path;                 /* STATE/events */
    int inotify_fd;
    off_t offset;               /* where the next unread line starts */
    GQueue pending;             /* of vsh_event *, read but not handed out yet */
};

void
vsh_event_stream_free(vsh_event_stream *stream)
{
    if (!stream)
        return;
    g_queue_clear_full(&stream->pending, (GDestroyNotify) vsh_event_free);
    if (stream->inotify_fd >= 0)
        (void) close(stream->inotify_fd);
    g_free(stream->path);
    vsh_conn_unref(stream->conn);
    g_free(stream);
}

vsh_event_stream *
vsh_event_stream_open(vsh_conn *conn, GError **error)
{
    g_autoptr(vsh_event_stream) stream = g_new0(vsh_event_stream, 1);
    struct stat st;

    stream->conn = vsh_conn_ref(conn);
    stream->inotify_fd = -1;
    g_queue_init(&stream->pending);
    stream->path = g_build_filename(conn->state_dir, "events", NULL);
    stream->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (stream->inotify_fd < 0) {
        vsh_error_set_errno(error, errno, "cannot create an inotify instance");
        return NULL;
    }
    /* Watch the directory, not the file: the log may not exist yet, and any process may
     * create it with its first event. */
    if (inotify_add_watch(stream->inotify_fd, conn->state_dir,
                          IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0) {
        vsh_error_set_errno(error, errno, "cannot watch '%s'", conn->state_dir);
        return NULL;
    }
    /* Only events from now on: start at the current end of the log. */
    if (stat(stream->path, &st) == 0)
        stream->offset = st.st_size;
    return g_steal_pointer(&stream);
}

int
vsh_event_stream_get_fd(vsh_event_stream *stream)
{
    return stream->inotify_fd;
}

static void
vsh_event_stream_drain(vsh_event_stream *stream)
{
    char buf[4096];

    while (read(stream->inotify_fd, buf, sizeof(buf)) > 0)
        ;
}

/* Queues the complete line @line if it parses and is of one of the connection's types. */
static void
vsh_event_stream_take_line(vsh_event_stream *stream, const char *line)
{
    g_autoptr(vsh_event) ev = NULL;

    /* A line another writer garbled is skipped: one bad record must not stop the stream. */
    if (!(ev = vsh_event_parse_line(line, NULL)))
        return;
    if (!g_strv_contains(stream->conn->types, ev->type))
        return;
    g_queue_push_tail(&stream->pending, g_steal_pointer(&ev));
}

/* Reads the lines appended since the last call. */
static int
vsh_event_stream_read(vsh_event_stream *stream, GError **error)
{
    vsh_autoclose int fd = -1;
    g_autoptr(GString) buf = g_string_new(NULL);
    struct stat st;
    char chunk[8192];
    char *start;
    char *nl;
    ssize_t n;

    if ((fd = open(stream->path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno == ENOENT)
            return 0;
        return vsh_error_set_errno(error, errno, "cannot open '%s'", stream->path);
    }
    /* A log shorter than what we read was truncated or replaced: start it over. */
    if (fstat(fd, &st) == 0 && st.st_size < stream->offset)
        stream->offset = 0;
    while ((n = pread(fd, chunk, sizeof(chunk), stream->offset + (off_t) buf->len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return vsh_error_set_errno(error, errno, "cannot read '%s'", stream->path);
        g_string_append_len(buf, chunk, n);
    }
    /* Only complete lines: a writer's record is one write(2), but we may read mid-way. */
    for (start = buf->str; (nl = memchr(start, '\n', buf->len - (gsize) (start - buf->str)));
         start = nl + 1) {
        *nl = '\0';
        if (nl - start < VSH_EVENT_LINE_MAX)
            vsh_event_stream_take_line(stream, start);
    }
    stream->offset += (off_t) (start - buf->str);
    return 0;
}

int
vsh_event_stream_next(vsh_event_stream *stream, vsh_event **ret_event, GError **error)
{
    if (g_queue_is_empty(&stream->pending)) {
        vsh_event_stream_drain(stream);
        if (vsh_event_stream_read(stream, error) < 0)
            return -1;
    }
    if (g_queue_is_empty(&stream->pending))
        return 0;
    *ret_event = g_queue_pop_head(&stream->pending);
    return 1;
}
