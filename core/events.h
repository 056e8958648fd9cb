/*
 * events.h — the lifecycle event log (STATE/events) as the core writes and reads it.
 *
 * One line per event, appended with O_APPEND in a single write(2) so that the core in any
 * number of processes and every vsh-monitor can log side by side (drivers/common/launch.h):
 *     "TIMESTAMP_US EVENT DETAIL TYPE UUID NAME\n"
 * Streams (vsh_event_stream_*, vsh.h) follow the file with inotify on the state directory.
 */
#ifndef VSH_CORE_EVENTS_H
#define VSH_CORE_EVENTS_H

#include "internal.h"

/* Largest line the reader accepts; longer ones are skipped as garbage. */
#define VSH_EVENT_LINE_MAX 512

/* Appends one event to the log at @events_path. Returns 0, or -1 with @error set. */
int vsh_event_append(const char *events_path, const char *name,
                     const unsigned char uuid[16], const char *type, int event, int detail,
                     GError **error);

/*
 * Appends @event/@detail for @obj to its log. A failure is deliberately dropped: the
 * lifecycle change has already happened, and reporting it as failed because its log line
 * could not be written would make the caller retry something that succeeded.
 */
void vsh_event_emit(const vsh_domain_obj *obj, int event, int detail);

/* Parses one log line (without its newline). Returns a new event, or NULL with @error set
 * (VSH_ERROR_INTERNAL "malformed event line ..."). */
vsh_event *vsh_event_parse_line(const char *line, GError **error);

#endif /* VSH_CORE_EVENTS_H */
