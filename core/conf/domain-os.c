/*
 * domain-os.c — <os> (how the domain boots: an init program for containers and jails, boot
 * devices for virtual machines) and <idmap> (user namespace mappings).
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_os_type, VSH_OS_TYPE_LAST, "exe", "hvm");
VSH_ENUM_IMPL(vsh_boot_dev, VSH_BOOT_LAST, "hd", "cdrom", "network", "fd");

void
vsh_env_var_free(vsh_env_var *var)
{
    if (!var)
        return;
    g_free(var->name);
    g_free(var->value);
    g_free(var);
}

void
vsh_domain_os_init(vsh_domain_def *def)
{
    def->os.initargs = g_ptr_array_new_with_free_func(g_free);
    def->os.initenv = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_env_var_free);
    def->os.boot = g_array_new(FALSE, TRUE, sizeof(int));
    def->idmap.uid = g_array_new(FALSE, TRUE, sizeof(vsh_idmap_entry));
    def->idmap.gid = g_array_new(FALSE, TRUE, sizeof(vsh_idmap_entry));
}

void
vsh_domain_os_clear(vsh_domain_def *def)
{
    vsh_os_def *os = &def->os;

    g_clear_pointer(&os->arch, g_free);
    g_clear_pointer(&os->machine, g_free);
    g_clear_pointer(&os->init, g_free);
    g_clear_pointer(&os->initargs, g_ptr_array_unref);
    g_clear_pointer(&os->initenv, g_ptr_array_unref);
    g_clear_pointer(&os->initdir, g_free);
    g_clear_pointer(&os->inituser, g_free);
    g_clear_pointer(&os->initgroup, g_free);
    g_clear_pointer(&os->boot, g_array_unref);
    g_clear_pointer(&def->idmap.uid, g_array_unref);
    g_clear_pointer(&def->idmap.gid, g_array_unref);
}

/* ------------------------------------------------------------------ parse */

static char *
vsh_os_text(xmlXPathContext *ctxt, const char *xpath)
{
    xmlNode *node = vsh_xpath_node(xpath, ctxt);

    return node ? g_strstrip(vsh_xml_content(node)) : NULL;
}

static int
vsh_os_type_parse_xml(vsh_os_def *os, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *node = vsh_xpath_node("./os/type", ctxt);
    g_autofree char *text = NULL;
    int value;

    if (!node)
        return 0;
    text = g_strstrip(vsh_xml_content(node));
    if ((value = vsh_os_type_from_string(text)) < 0)
        return vsh_xml_error(error, node, "unknown os type '%s' (expected 'exe' or 'hvm')",
                             text);
    os->type = value;
    os->arch = vsh_xml_prop(node, "arch");
    os->machine = vsh_xml_prop(node, "machine");
    return 0;
}

static int
vsh_os_lists_parse_xml(vsh_os_def *os, xmlXPathContext *ctxt, GError **error)
{
    g_autofree xmlNode **args = NULL;
    g_autofree xmlNode **envs = NULL;
    g_autofree xmlNode **boots = NULL;
    int n;
    int i;

    /* initarg keeps its text exactly: spaces may matter to the program. */
    n = vsh_xpath_nodes("./os/initarg", ctxt, &args);
    for (i = 0; i < n; i++)
        g_ptr_array_add(os->initargs, vsh_xml_content(args[i]));
    n = vsh_xpath_nodes("./os/initenv", ctxt, &envs);
    for (i = 0; i < n; i++) {
        vsh_env_var *var = g_new0(vsh_env_var, 1);

        g_ptr_array_add(os->initenv, var);
        var->value = vsh_xml_content(envs[i]);
        if (!(var->name = vsh_xml_prop(envs[i], "name")))
            return vsh_xml_error(error, envs[i], "missing attribute 'name'");
    }
    n = vsh_xpath_nodes("./os/boot", ctxt, &boots);
    for (i = 0; i < n; i++) {
        int dev;

        if (vsh_xml_prop_enum(boots[i], "dev", vsh_boot_dev_from_string,
                              VSH_XML_PROP_REQUIRED, &dev, error) < 0)
            return -1;
        g_array_append_val(os->boot, dev);
    }
    return 0;
}

static int
vsh_idmap_parse_xml(GArray *map, xmlXPathContext *ctxt, const char *xpath, GError **error)
{
    g_autofree xmlNode **nodes = NULL;
    int n = vsh_xpath_nodes(xpath, ctxt, &nodes);
    int i;

    for (i = 0; i < n; i++) {
        vsh_idmap_entry entry = { 0 };

        if (vsh_xml_prop_uint(nodes[i], "start", VSH_XML_PROP_REQUIRED, &entry.start,
                              error) < 0 ||
            vsh_xml_prop_uint(nodes[i], "target", VSH_XML_PROP_REQUIRED, &entry.target,
                              error) < 0 ||
            vsh_xml_prop_uint(nodes[i], "count", VSH_XML_PROP_REQUIRED | VSH_XML_PROP_NONZERO,
                              &entry.count, error) < 0)
            return -1;
        if ((guint64) entry.start + entry.count > G_MAXUINT32 + (guint64) 1 ||
            (guint64) entry.target + entry.count > G_MAXUINT32 + (guint64) 1)
            return vsh_xml_error(error, nodes[i], "id range goes past 4294967295");
        g_array_append_val(map, entry);
    }
    return 0;
}

int
vsh_domain_os_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    vsh_os_def *os = &def->os;

    if (vsh_os_type_parse_xml(os, ctxt, error) < 0 ||
        vsh_os_lists_parse_xml(os, ctxt, error) < 0 ||
        vsh_idmap_parse_xml(def->idmap.uid, ctxt, "./idmap/uid", error) < 0 ||
        vsh_idmap_parse_xml(def->idmap.gid, ctxt, "./idmap/gid", error) < 0)
        return -1;
    os->init = vsh_os_text(ctxt, "./os/init");
    os->initdir = vsh_os_text(ctxt, "./os/initdir");
    os->inituser = vsh_os_text(ctxt, "./os/inituser");
    os->initgroup = vsh_os_text(ctxt, "./os/initgroup");
    return 0;
}

/* ------------------------------------------------------------------ format */

static void
vsh_os_lists_format(const vsh_os_def *os, vsh_xml_writer *w)
{
    guint i;

    for (i = 0; i < os->initargs->len; i++)
        vsh_xml_writer_text_element(w, "initarg", g_ptr_array_index(os->initargs, i));
    for (i = 0; i < os->initenv->len; i++) {
        const vsh_env_var *var = g_ptr_array_index(os->initenv, i);

        vsh_xml_writer_open(w, "initenv");
        vsh_xml_writer_attr(w, "name", var->name);
        vsh_xml_writer_text_close(w, "initenv", var->value ? var->value : "");
    }
}

static void
vsh_idmap_format(const vsh_idmap_def *idmap, vsh_xml_writer *w)
{
    const GArray *maps[] = { idmap->uid, idmap->gid };
    static const char *const names[] = { "uid", "gid" };
    guint m;
    guint i;

    if (idmap->uid->len == 0 && idmap->gid->len == 0)
        return;
    vsh_xml_writer_open(w, "idmap");
    vsh_xml_writer_children(w);
    for (m = 0; m < G_N_ELEMENTS(maps); m++) {
        for (i = 0; i < maps[m]->len; i++) {
            const vsh_idmap_entry *e = &g_array_index(maps[m], vsh_idmap_entry, i);

            vsh_xml_writer_open(w, names[m]);
            vsh_xml_writer_attr_printf(w, "start", "%u", e->start);
            vsh_xml_writer_attr_printf(w, "target", "%u", e->target);
            vsh_xml_writer_attr_printf(w, "count", "%u", e->count);
            vsh_xml_writer_close(w);
        }
    }
    vsh_xml_writer_end(w, "idmap");
}

void
vsh_domain_os_format(const vsh_domain_def *def, vsh_xml_writer *w)
{
    const vsh_os_def *os = &def->os;
    guint i;

    vsh_xml_writer_open(w, "os");
    vsh_xml_writer_children(w);
    vsh_xml_writer_open(w, "type");
    vsh_xml_writer_attr(w, "arch", os->arch);
    vsh_xml_writer_attr(w, "machine", os->machine);
    vsh_xml_writer_text_close(w, "type", vsh_os_type_to_string(os->type));
    vsh_xml_writer_text_element(w, "init", os->init);
    vsh_os_lists_format(os, w);
    vsh_xml_writer_text_element(w, "initdir", os->initdir);
    vsh_xml_writer_text_element(w, "inituser", os->inituser);
    vsh_xml_writer_text_element(w, "initgroup", os->initgroup);
    for (i = 0; i < os->boot->len; i++) {
        vsh_xml_writer_open(w, "boot");
        vsh_xml_writer_attr(w, "dev", vsh_boot_dev_to_string(g_array_index(os->boot, int, i)));
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_end(w, "os");
    vsh_idmap_format(&def->idmap, w);
}

/* ------------------------------------------------------------------ validate */

static bool
vsh_env_name_is_valid(const char *name)
{
    size_t i;

    if (!name || !(g_ascii_isalpha(name[0]) || name[0] == '_'))
        return false;
    for (i = 1; name[i]; i++) {
        if (!g_ascii_isalnum(name[i]) && name[i] != '_')
            return false;
    }
    return true;
}

/* A user or group: a name or a number, as libvirt's schema allows. */
static bool
vsh_account_is_valid(const char *name)
{
    size_t i;

    if (!name || !*name)
        return false;
    for (i = 0; name[i]; i++) {
        if (!g_ascii_isalnum(name[i]) && !strchr("_+-", name[i]))
            return false;
    }
    return true;
}

static int
vsh_os_exe_validate(const vsh_os_def *os, xmlXPathContext *ctxt, GError **error)
{
    guint i;

    if (os->machine)
        return vsh_def_error(error, ctxt, "/domain/os/type",
                             "attribute 'machine' needs os type 'hvm'");
    if (os->boot->len > 0)
        return vsh_def_error(error, ctxt, "/domain/os/boot",
                             "boot devices need os type 'hvm'");
    if (os->init && (os->init[0] != '/' || os->init[1] == '\0'))
        return vsh_def_error(error, ctxt, "/domain/os/init",
                             "init '%s' must be an absolute path", os->init);
    /* libvirt's schema wants something after the slash, so '/' (the default) is left out. */
    if (os->initdir && (os->initdir[0] != '/' || os->initdir[1] == '\0'))
        return vsh_def_error(error, ctxt, "/domain/os/initdir",
                             "initdir '%s' must be an absolute path below '/' "
                             "(leave it out for '/')", os->initdir);
    for (i = 0; i < os->initenv->len; i++) {
        const vsh_env_var *var = g_ptr_array_index(os->initenv, i);
        g_autofree char *xpath = g_strdup_printf("/domain/os/initenv[%u]", i + 1);

        if (!vsh_env_name_is_valid(var->name))
            return vsh_def_error(error, ctxt, xpath, "invalid variable name '%s'",
                                 var->name ? var->name : "");
    }
    if (!os->inituser != !os->initgroup)
        return vsh_def_error(error, ctxt, os->inituser ? "/domain/os/inituser" :
                             "/domain/os/initgroup",
                             "inituser and initgroup must be given together");
    if (os->inituser && !vsh_account_is_valid(os->inituser))
        return vsh_def_error(error, ctxt, "/domain/os/inituser",
                             "invalid user '%s'", os->inituser);
    if (os->initgroup && !vsh_account_is_valid(os->initgroup))
        return vsh_def_error(error, ctxt, "/domain/os/initgroup",
                             "invalid group '%s'", os->initgroup);
    return 0;
}

static int
vsh_os_hvm_validate(const vsh_os_def *os, xmlXPathContext *ctxt, GError **error)
{
    if (os->init || os->initargs->len > 0 || os->initenv->len > 0 || os->initdir ||
        os->inituser || os->initgroup)
        return vsh_def_error(error, ctxt, "/domain/os",
                             "init settings need os type 'exe'");
    return 0;
}

/* A container's user namespace must map its root, or nothing inside could own files. */
static int
vsh_idmap_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    const GArray *maps[] = { def->idmap.uid, def->idmap.gid };
    static const char *const names[] = { "uid", "gid" };
    guint m;
    guint i;

    if (def->idmap.uid->len == 0 && def->idmap.gid->len == 0)
        return 0;
    if (def->type != VSH_DOMAIN_TYPE_LXC)
        return vsh_def_error(error, ctxt, "/domain/idmap",
                             "'idmap' is only supported by domains of type 'lxc', not '%s'",
                             vsh_domain_type_to_string(def->type));
    for (m = 0; m < G_N_ELEMENTS(maps); m++) {
        bool has_root = false;

        for (i = 0; i < maps[m]->len; i++)
            has_root |= g_array_index(maps[m], vsh_idmap_entry, i).start == 0;
        if (!has_root)
            return vsh_def_error(error, ctxt, "/domain/idmap",
                                 "the %s map must map id 0 of the container", names[m]);
    }
    return 0;
}

int
vsh_domain_os_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    vsh_os_type want = def->type == VSH_DOMAIN_TYPE_QEMU ? VSH_OS_TYPE_HVM : VSH_OS_TYPE_EXE;

    if (def->os.type != want)
        return vsh_def_error(error, ctxt, "/domain/os/type",
                             "a domain of type '%s' needs os type '%s', not '%s'",
                             vsh_domain_type_to_string(def->type),
                             vsh_os_type_to_string(want), vsh_os_type_to_string(def->os.type));
    if (want == VSH_OS_TYPE_EXE && vsh_os_exe_validate(&def->os, ctxt, error) < 0)
        return -1;
    if (want == VSH_OS_TYPE_HVM && vsh_os_hvm_validate(&def->os, ctxt, error) < 0)
        return -1;
    return vsh_idmap_validate(def, ctxt, error);
}
