/*
 * error.h — setting VSH_ERROR errors inside the library.
 *
 * Each setter returns -1 so that a failing check is one line:
 *     return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "invalid name '%s'", name);
 * Set an error once, where the cause is known; callers pass -1/NULL up untouched or add
 * context with g_prefix_error().
 */
#ifndef VSH_CORE_ERROR_H
#define VSH_CORE_ERROR_H

#include <libxml/tree.h>

#include "vsh.h"

int vsh_error_set(GError **error, vsh_error_code code, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* VSH_ERROR_SYSTEM with @errnum attached; the message gets ": strerror(errnum)" appended. */
int vsh_error_set_errno(GError **error, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* VSH_ERROR_INVALID_XML about @node: the message is "FILE:LINE: MESSAGE", with FILE from
 * the node's document URL ("<string>" when it has none) and the line attached. */
int vsh_error_set_xml(GError **error, const xmlNode *node, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* VSH_ERROR_INVALID_XML with an explicit file name and line (for parser errors). */
int vsh_error_set_xml_line(GError **error, const char *filename, int line, const char *fmt,
                           ...) G_GNUC_PRINTF(4, 5);
/* Like vsh_error_set with an errno attached (for codes other than SYSTEM, e.g. BUSY). */
int vsh_error_set_code_errno(GError **error, vsh_error_code code, int errnum, const char *fmt,
                             ...) G_GNUC_PRINTF(4, 5);

#endif /* VSH_CORE_ERROR_H */
