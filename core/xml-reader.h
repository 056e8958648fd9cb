/*
 * xml-reader.h — the XML parser, loaded only when something has to be parsed.
 *
 * libxml2 (with the ICU and C++ runtime it brings along) costs every process that links
 * it about 3 ms of start-up on our machines, more than a whole `vsh list`. So libvsh does
 * not link it: the parsing half of core/conf (the schema, the XPath readers, the status
 * document) is built into a separate module, vsh-xml.so, that libvsh opens with dlopen()
 * the first time it parses. Formatting, copying and every hot path (start, destroy, list,
 * through the store's binary cache) never need it. See docs/architecture.md, "The XML
 * module".
 */
#ifndef VSH_CORE_XML_READER_H
#define VSH_CORE_XML_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/domain-conf.h"

/* Bumped whenever this table or a structure it passes changes. */
#define VSH_XML_READER_ABI 3

/* The status document of an active domain, STATE/NAME.xml (core/store.c). */
typedef struct {
    int state;
    int reason;
    int id;
    int pid;
    int monitor_pid;
    vsh_domain_def *live;
} vsh_status_doc;

typedef struct {
    unsigned int abi;           /* VSH_XML_READER_ABI */
    const char *version;        /* PACKAGE_VERSION: a module from another build is refused */
    vsh_domain_def *(*parse_string)(const char *xml, const char *filename,
                                    unsigned int flags, GError **error);
    vsh_domain_def *(*parse_file)(const char *path, unsigned int flags, GError **error);
    int (*validate)(const vsh_domain_def *def, GError **error);
    int (*parse_status)(const char *path, const char *buf, size_t len, vsh_status_doc *ret,
                        GError **error);
    char *(*xpath)(const char *xml, const char *expr, bool wrap, GError **error);
    /* vsh_domain_def_parse_with_device() (conf/domain-conf.h) */
    vsh_domain_def *(*parse_with_device)(const char *domain_xml, unsigned int flags,
                                         const char *device_xml, const char *filename,
                                         vsh_device_kind *ret_kind, GError **error);
} vsh_xml_reader;

/* The symbol the module exports. */
#define VSH_XML_READER_SYMBOL "vsh_xml_reader_module"

/*
 * The parser, loaded on first use: $VSH_XML_MODULE when set; else the build tree's module
 * when this code runs from the build tree (so tests never load a stale installed one);
 * else the installed one. Returns NULL with @error set when it cannot be loaded; later
 * calls retry.
 */
const vsh_xml_reader *vsh_xml_reader_get(GError **error);

/* The same calls, loading the module when needed (NULL / -1 with @error set). */
vsh_domain_def *vsh_xml_parse_domain(const char *xml, const char *filename,
                                     unsigned int flags, GError **error);
vsh_domain_def *vsh_xml_parse_domain_file(const char *path, unsigned int flags,
                                          GError **error);
int vsh_xml_validate_domain(const vsh_domain_def *def, GError **error);
int vsh_xml_parse_status(const char *path, const char *buf, size_t len, vsh_status_doc *ret,
                         GError **error);
char *vsh_xml_select(const char *xml, const char *expr, bool wrap, GError **error);
vsh_domain_def *vsh_xml_parse_with_device(const char *domain_xml, unsigned int flags,
                                          const char *device_xml, const char *filename,
                                          vsh_device_kind *ret_kind, GError **error);

#endif /* VSH_CORE_XML_READER_H */
