/*
 * install-xml.c — the domain XML vsh-install defines: libvirt's format, written so that the
 * lxc and qemu documents also validate against libvirt's own schema (DESIGN.md).
 */
#include <config.h>

#include <string.h>

#include "install.h"

static void
install_fs_free(install_fs *fs)
{
    if (!fs)
        return;
    g_free(fs->source);
    g_free(fs->target);
    g_free(fs);
}

static void
install_net_free(install_net *net)
{
    if (!net)
        return;
    g_free(net->bridge);
    g_free(net->mac);
    g_free(net);
}

static void
install_disk_free(install_disk *disk)
{
    if (!disk)
        return;
    g_free(disk->path);
    g_free(disk->target_dev);
    g_free(disk);
}

install_spec *
install_spec_new(void)
{
    install_spec *spec = g_new0(install_spec, 1);

    spec->vcpus = 1;
    spec->initargs = g_ptr_array_new_with_free_func(g_free);
    spec->initenv = g_ptr_array_new_with_free_func(g_free);
    spec->filesystems = g_ptr_array_new_with_free_func((GDestroyNotify) install_fs_free);
    spec->nets = g_ptr_array_new_with_free_func((GDestroyNotify) install_net_free);
    spec->disks = g_ptr_array_new_with_free_func((GDestroyNotify) install_disk_free);
    spec->boot = g_array_new(FALSE, FALSE, sizeof(const char *));
    return spec;
}

void
install_spec_free(install_spec *spec)
{
    if (!spec)
        return;
    g_free(spec->name);
    g_free(spec->uuid);
    g_free(spec->type);
    g_free(spec->init);
    g_ptr_array_unref(spec->initargs);
    g_ptr_array_unref(spec->initenv);
    g_free(spec->initdir);
    g_free(spec->inituser);
    g_free(spec->initgroup);
    g_ptr_array_unref(spec->filesystems);
    g_ptr_array_unref(spec->nets);
    g_ptr_array_unref(spec->disks);
    g_array_unref(spec->boot);
    g_free(spec);
}

char *
install_mac_generate(void)
{
    return g_strdup_printf("52:54:00:%02x:%02x:%02x", g_random_int_range(0, 256),
                           g_random_int_range(0, 256), g_random_int_range(0, 256));
}

char *
install_mac_normalize(const char *mac)
{
    g_autofree char *lower = g_ascii_strdown(mac, -1);
    size_t i;

    if (strlen(lower) != 17)
        return NULL;
    for (i = 0; i < 17; i++) {
        if (i % 3 == 2 ? lower[i] != ':' : !g_ascii_isxdigit(lower[i]))
            return NULL;
    }
    /* a multicast address cannot name one interface */
    if (g_ascii_xdigit_value(lower[1]) & 1)
        return NULL;
    return g_steal_pointer(&lower);
}

/* <NAME>TEXT</NAME> on its own line, escaped. */
static void
xml_text(GString *out, int indent, const char *name, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text, -1);

    g_string_append_printf(out, "%*s<%s>%s</%s>\n", indent, "", name, esc, name);
}

static void
xml_os_exe(GString *out, const install_spec *spec)
{
    guint i;

    xml_text(out, 4, "type", "exe");
    if (spec->init)
        xml_text(out, 4, "init", spec->init);
    for (i = 0; i < spec->initargs->len; i++)
        xml_text(out, 4, "initarg", g_ptr_array_index(spec->initargs, i));
    for (i = 0; i < spec->initenv->len; i++) {
        const char *var = g_ptr_array_index(spec->initenv, i);
        const char *eq = strchr(var, '=');
        g_autofree char *name = g_markup_escape_text(var, eq ? eq - var : -1);
        g_autofree char *value = g_markup_escape_text(eq ? eq + 1 : "", -1);

        g_string_append_printf(out, "    <initenv name='%s'>%s</initenv>\n", name, value);
    }
    if (spec->initdir)
        xml_text(out, 4, "initdir", spec->initdir);
    if (spec->inituser)
        xml_text(out, 4, "inituser", spec->inituser);
    if (spec->initgroup)
        xml_text(out, 4, "initgroup", spec->initgroup);
}

static void
xml_os(GString *out, const install_spec *spec)
{
    guint i;

    g_string_append(out, "  <os>\n");
    if (strcmp(spec->type, "qemu") == 0) {
        g_string_append(out, "    <type arch='x86_64'>hvm</type>\n");
        for (i = 0; i < spec->boot->len; i++)
            g_string_append_printf(out, "    <boot dev='%s'/>\n",
                                   g_array_index(spec->boot, const char *, i));
    } else {
        xml_os_exe(out, spec);
    }
    g_string_append(out, "  </os>\n");
}

static void
xml_devices(GString *out, const install_spec *spec)
{
    guint i;

    g_string_append(out, "  <devices>\n");
    for (i = 0; i < spec->disks->len; i++) {
        const install_disk *d = g_ptr_array_index(spec->disks, i);
        g_autofree char *src = g_markup_escape_text(d->path, -1);

        g_string_append_printf(out,
                               "    <disk type='file' device='disk'>\n"
                               "      <driver name='qemu' type='raw'/>\n"
                               "      <source file='%s'/>\n"
                               "      <target dev='%s' bus='virtio'/>\n"
                               "    </disk>\n", src, d->target_dev);
    }
    for (i = 0; i < spec->filesystems->len; i++) {
        const install_fs *fs = g_ptr_array_index(spec->filesystems, i);
        g_autofree char *src = g_markup_escape_text(fs->source, -1);
        g_autofree char *dst = g_markup_escape_text(fs->target, -1);

        g_string_append_printf(out,
                               "    <filesystem type='mount'>\n"
                               "      <source dir='%s'/>\n"
                               "      <target dir='%s'/>\n"
                               "    </filesystem>\n", src, dst);
    }
    for (i = 0; i < spec->nets->len; i++) {
        const install_net *net = g_ptr_array_index(spec->nets, i);
        g_autofree char *br = g_markup_escape_text(net->bridge, -1);

        g_string_append_printf(out,
                               "    <interface type='bridge'>\n"
                               "      <mac address='%s'/>\n"
                               "      <source bridge='%s'/>\n"
                               "    </interface>\n", net->mac, br);
    }
    g_string_append(out, "    <console type='pty'/>\n");
    g_string_append(out, "  </devices>\n");
}

char *
install_xml_build(const install_spec *spec)
{
    g_autoptr(GString) out = g_string_new("");

    g_string_append_printf(out, "<domain type='%s'>\n", spec->type);
    xml_text(out, 2, "name", spec->name);
    xml_text(out, 2, "uuid", spec->uuid);
    g_string_append_printf(out, "  <memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>\n",
                           spec->memory_kib);
    g_string_append_printf(out, "  <vcpu>%u</vcpu>\n", spec->vcpus);
    xml_os(out, spec);
    /* --network none: a network namespace of its own with only loopback (libvirt's
     * <privnet/>); without it a container with no interface shares the host's network */
    if (spec->network_none && strcmp(spec->type, "lxc") == 0)
        g_string_append(out, "  <features>\n    <privnet/>\n  </features>\n");
    xml_devices(out, spec);
    g_string_append(out, "</domain>\n");
    return g_string_free(g_steal_pointer(&out), FALSE);
}
