/*
 * error.c — the VSH_ERROR domain. The errno and XML line ride along as GLib extended
 * error data, so nothing has to be parsed back out of a message.
 */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "error.h"

typedef struct {
    int sys_errno;
    int line;
} VshErrorPrivate;

static void
vsh_error_private_init(VshErrorPrivate *priv)
{
    priv->sys_errno = 0;
    priv->line = 0;
}

static void
vsh_error_private_copy(const VshErrorPrivate *src, VshErrorPrivate *dest)
{
    *dest = *src;
}

static void
vsh_error_private_clear(VshErrorPrivate *priv)
{
    (void) priv;
}

/* Defines vsh_error_quark() and vsh_error_get_private(). */
G_DEFINE_EXTENDED_ERROR(VshError, vsh_error)

static int
vsh_error_setv(GError **error, vsh_error_code code, int errnum, int line, const char *prefix,
               const char *fmt, va_list ap) G_GNUC_PRINTF(6, 0);

static int
vsh_error_setv(GError **error, vsh_error_code code, int errnum, int line, const char *prefix,
               const char *fmt, va_list ap)
{
    g_autofree char *msg = NULL;
    VshErrorPrivate *priv;
    GError *err;

    if (!error)
        return -1;
    msg = g_strdup_vprintf(fmt, ap);
    if (prefix)
        err = g_error_new(VSH_ERROR, code, "%s%s", prefix, msg);
    else
        err = g_error_new_literal(VSH_ERROR, code, msg);
    priv = vsh_error_get_private(err);
    priv->sys_errno = errnum;
    priv->line = line;
    g_propagate_error(error, err);
    return -1;
}

int
vsh_error_set(GError **error, vsh_error_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsh_error_setv(error, code, 0, 0, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

int
vsh_error_set_code_errno(GError **error, vsh_error_code code, int errnum, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsh_error_setv(error, code, errnum, 0, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

int
vsh_error_set_errno(GError **error, int errnum, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (!error)
        return -1;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return vsh_error_set_code_errno(error, VSH_ERROR_SYSTEM, errnum, "%s: %s", msg,
                                    g_strerror(errnum));
}

int
vsh_error_set_xml_line(GError **error, const char *filename, int line, const char *fmt, ...)
{
    g_autofree char *prefix = NULL;
    va_list ap;

    if (!error)
        return -1;
    if (line > 0)
        prefix = g_strdup_printf("%s:%d: ", filename ? filename : "<string>", line);
    else
        prefix = g_strdup_printf("%s: ", filename ? filename : "<string>");
    va_start(ap, fmt);
    vsh_error_setv(error, VSH_ERROR_INVALID_XML, 0, line, prefix, fmt, ap);
    va_end(ap);
    return -1;
}

int
vsh_error_set_xml(GError **error, const xmlNode *node, const char *fmt, ...)
{
    g_autofree char *prefix = NULL;
    const char *filename = NULL;
    int line = 0;
    va_list ap;

    if (!error)
        return -1;
    if (node) {
        line = (int) xmlGetLineNo(node);
        if (node->doc && node->doc->URL)
            filename = (const char *) node->doc->URL;
    }
    if (line > 0)
        prefix = g_strdup_printf("%s:%d: ", filename ? filename : "<string>", line);
    else
        prefix = g_strdup_printf("%s: ", filename ? filename : "<string>");
    va_start(ap, fmt);
    vsh_error_setv(error, VSH_ERROR_INVALID_XML, 0, line > 0 ? line : 0, prefix, fmt, ap);
    va_end(ap);
    return -1;
}

int
vsh_error_line(const GError *err)
{
    VshErrorPrivate *priv;

    if (!err || err->domain != VSH_ERROR)
        return 0;
    priv = vsh_error_get_private(err);
    return priv ? priv->line : 0;
}

int
vsh_error_errno(const GError *err)
{
    VshErrorPrivate *priv;

    if (!err || err->domain != VSH_ERROR)
        return 0;
    priv = vsh_error_get_private(err);
    return priv ? priv->sys_errno : 0;
}
