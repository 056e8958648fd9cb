/*
 * domain-sections.h — what domain-conf.c calls in each section file (private to core/conf).
 *
 * Every section has the same four steps:
 *   _parse_xml  reads its elements below ctxt->node (the <domain> element) and checks what
 *               one element can tell on its own (numbers, units, enums); -1 with @error set.
 *   _format     writes its elements, leaving out what was absent from the input.
 *   _validate   checks the rules across fields. @ctxt is the parsed document when the def
 *               came from XML (errors then carry the line of the offending element) or
 *               NULL when it was built in code.
 *   _clear      frees what the section owns in the def.
 */
#ifndef VSH_CONF_DOMAIN_SECTIONS_H
#define VSH_CONF_DOMAIN_SECTIONS_H

#include "conf/domain-conf.h"
#include "util/xml.h"

/*
 * Reports a semantic error about the element that @xpath (absolute, may carry indexes:
 * "/domain/devices/filesystem[2]/target") selects in @ctxt's document: "FILE:LINE: PATH:
 * MESSAGE", PATH being @xpath without indexes. When @ctxt is NULL or nothing matches, the
 * message is "PATH: MESSAGE" without a line. Returns -1.
 */
int vsh_def_error(GError **error, xmlXPathContext *ctxt, const char *xpath,
                  const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* A size in KiB from an element's text and its @unit_attr ("unit", or "units" for
 * <source usage>). Errors name @node. */
int vsh_xml_memory_parse(const xmlNode *node, const char *text, const char *unit_attr,
                         guint64 *ret_kib, GError **error);

/* domain-general.c: name, uuid, title, description, metadata, features, on_* */
int vsh_domain_general_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error);
void vsh_domain_general_format_head(const vsh_domain_def *def, vsh_xml_writer *w);
void vsh_domain_general_format_tail(const vsh_domain_def *def, vsh_xml_writer *w);
int vsh_domain_general_post_parse(vsh_domain_def *def, GError **error);
int vsh_domain_general_validate(const vsh_domain_def *def, xmlXPathContext *ctxt,
                                GError **error);
void vsh_domain_general_init(vsh_domain_def *def);
void vsh_domain_general_clear(vsh_domain_def *def);

/* domain-tune.c: memory, currentMemory, memtune, vcpu, cputune */
int vsh_domain_tune_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error);
void vsh_domain_tune_format(const vsh_domain_def *def, vsh_xml_writer *w);
int vsh_domain_tune_post_parse(vsh_domain_def *def, GError **error);
int vsh_domain_tune_validate(const vsh_domain_def *def, xmlXPathContext *ctxt,
                             GError **error);
void vsh_domain_tune_clear(vsh_domain_def *def);

/* domain-os.c: os, idmap */
int vsh_domain_os_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error);
void vsh_domain_os_format(const vsh_domain_def *def, vsh_xml_writer *w);
int vsh_domain_os_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error);
void vsh_domain_os_init(vsh_domain_def *def);
void vsh_domain_os_clear(vsh_domain_def *def);

/* domain-fs.c */
vsh_fs_def *vsh_fs_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, GError **error);
void vsh_fs_def_format(const vsh_fs_def *fs, vsh_xml_writer *w);
int vsh_domain_fs_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error);

/* domain-net.c */
vsh_net_def *vsh_net_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags,
                                   GError **error);
void vsh_net_def_format(const vsh_net_def *net, vsh_xml_writer *w);
int vsh_domain_net_post_parse(vsh_domain_def *def, GError **error);
int vsh_domain_net_validate(const vsh_domain_def *def, xmlXPathContext *ctxt,
                            GError **error);

/* domain-console.c; @flags are vsh_domain_def_parse_flags / _format_flags */
vsh_console_def *vsh_console_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt,
                                           unsigned int flags, GError **error);
void vsh_console_def_format(const vsh_console_def *console, unsigned int flags,
                            vsh_xml_writer *w);
int vsh_domain_console_validate(const vsh_domain_def *def, xmlXPathContext *ctxt,
                                GError **error);

/* domain-disk.c */
vsh_disk_def *vsh_disk_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, GError **error);
void vsh_disk_def_format(const vsh_disk_def *disk, vsh_xml_writer *w);
int vsh_domain_disk_validate(const vsh_domain_def *def, xmlXPathContext *ctxt,
                             GError **error);

#endif /* VSH_CONF_DOMAIN_SECTIONS_H */
