/*
 * domain-console.c — <console type='pty'>: the terminal the domain's init talks to. The pty
 * path exists only while the domain runs, so it appears in live definitions only.
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_console_type, VSH_CONSOLE_TYPE_LAST, "pty");

void
vsh_console_def_free(vsh_console_def *console)
{
    if (!console)
        return;
    g_free(console->target_type);
    g_free(console->source_path);
    g_free(console);
}

vsh_console_def *
vsh_console_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags,
                          GError **error)
{
    g_autoptr(vsh_console_def) console = g_new0(vsh_console_def, 1);
    VSH_XPATH_NODE_AUTORESTORE(ctxt);
    xmlNode *target;
    int type = VSH_CONSOLE_TYPE_PTY;
    unsigned int port = 0;

    ctxt->node = node;
    console->target_port = -1;
    if (vsh_xml_prop_enum(node, "type", vsh_console_type_from_string, VSH_XML_PROP_REQUIRED,
                          &type, error) < 0)
        return NULL;
    console->type = type;
    if ((target = vsh_xpath_node("./target", ctxt))) {
        console->target_type = vsh_xml_prop(target, "type");
        if (vsh_xml_prop_uint(target, "port", 0, &port, error) < 0)
            return NULL;
        if (xmlHasProp(target, (const xmlChar *) "port")) {
            if (port > G_MAXINT) {
                vsh_xml_error(error, target, "port %u is too large", port);
                return NULL;
            }
            console->target_port = (int) port;
        }
    }
    /* A stale pty path in a persistent definition would point at someone else's tty. */
    if (flags & VSH_DOMAIN_DEF_PARSE_LIVE)
        console->source_path = vsh_xpath_string("string(./source/@path)", ctxt);
    return g_steal_pointer(&console);
}

void
vsh_console_def_format(const vsh_console_def *console, unsigned int flags, vsh_xml_writer *w)
{
    bool live = (flags & VSH_DOMAIN_DEF_FORMAT_LIVE) && console->source_path;

    vsh_xml_writer_open(w, "console");
    vsh_xml_writer_attr(w, "type", vsh_console_type_to_string(console->type));
    if (live)
        vsh_xml_writer_attr(w, "tty", console->source_path);
    if (!live && !console->target_type && console->target_port < 0) {
        vsh_xml_writer_close(w);
        return;
    }
    vsh_xml_writer_children(w);
    if (live) {
        vsh_xml_writer_open(w, "source");
        vsh_xml_writer_attr(w, "path", console->source_path);
        vsh_xml_writer_close(w);
    }
    if (console->target_type || console->target_port >= 0) {
        vsh_xml_writer_open(w, "target");
        vsh_xml_writer_attr(w, "type", console->target_type);
        if (console->target_port >= 0)
            vsh_xml_writer_attr_printf(w, "port", "%d", console->target_port);
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_end(w, "console");
}

int
vsh_domain_console_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    guint i;
    guint j;

    for (i = 0; i < def->consoles->len; i++) {
        const vsh_console_def *console = g_ptr_array_index(def->consoles, i);
        g_autofree char *xp = g_strdup_printf("/domain/devices/console[%u]/target", i + 1);

        if (console->source_path && console->source_path[0] != '/')
            return vsh_def_error(error, ctxt, xp, "console source '%s' must be an absolute "
                                 "path", console->source_path);
        for (j = 0; j < i && console->target_port >= 0; j++) {
            const vsh_console_def *other = g_ptr_array_index(def->consoles, j);

            if (other->target_port == console->target_port)
                return vsh_def_error(error, ctxt, xp, "duplicate console port %d",
                                     console->target_port);
        }
    }
    return 0;
}
