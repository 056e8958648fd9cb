/*
 * domain-disk.c — <disk>: a file or block device given to a virtual machine (or, as a block
 * device, to a container).
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_disk_type, VSH_DISK_TYPE_LAST, "file", "block");
VSH_ENUM_IMPL(vsh_disk_device, VSH_DISK_DEVICE_LAST, "disk", "cdrom");

void
vsh_disk_def_free(vsh_disk_def *disk)
{
    if (!disk)
        return;
    g_free(disk->driver_name);
    g_free(disk->driver_type);
    g_free(disk->source);
    g_free(disk->target_dev);
    g_free(disk->target_bus);
    g_free(disk);
}

vsh_disk_def *
vsh_disk_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, GError **error)
{
    g_autoptr(vsh_disk_def) disk = g_new0(vsh_disk_def, 1);
    VSH_XPATH_NODE_AUTORESTORE(ctxt);
    xmlNode *source;
    int type = VSH_DISK_TYPE_FILE;
    int device = VSH_DISK_DEVICE_DISK;

    ctxt->node = node;
    if (vsh_xml_prop_enum(node, "type", vsh_disk_type_from_string, VSH_XML_PROP_REQUIRED,
                          &type, error) < 0 ||
        vsh_xml_prop_enum(node, "device", vsh_disk_device_from_string, 0, &device,
                          error) < 0)
        return NULL;
    disk->type = type;
    disk->device = device;
    disk->driver_name = vsh_xpath_string("string(./driver/@name)", ctxt);
    disk->driver_type = vsh_xpath_string("string(./driver/@type)", ctxt);
    if ((source = vsh_xpath_node("./source", ctxt))) {
        const char *attr = type == VSH_DISK_TYPE_FILE ? "file" : "dev";
        const char *other = type == VSH_DISK_TYPE_FILE ? "dev" : "file";

        if (xmlHasProp(source, (const xmlChar *) other)) {
            vsh_xml_error(error, source, "attribute '%s' needs disk type '%s'", other,
                          type == VSH_DISK_TYPE_FILE ? "block" : "file");
            return NULL;
        }
        disk->source = vsh_xml_prop(source, attr);
    }
    disk->target_dev = vsh_xpath_string("string(./target/@dev)", ctxt);
    disk->target_bus = vsh_xpath_string("string(./target/@bus)", ctxt);
    disk->readonly = vsh_xpath_node("./readonly", ctxt) != NULL;
    return g_steal_pointer(&disk);
}

void
vsh_disk_def_format(const vsh_disk_def *disk, vsh_xml_writer *w)
{
    vsh_xml_writer_open(w, "disk");
    vsh_xml_writer_attr(w, "type", vsh_disk_type_to_string(disk->type));
    vsh_xml_writer_attr(w, "device", vsh_disk_device_to_string(disk->device));
    vsh_xml_writer_children(w);
    if (disk->driver_name || disk->driver_type) {
        vsh_xml_writer_open(w, "driver");
        vsh_xml_writer_attr(w, "name", disk->driver_name);
        vsh_xml_writer_attr(w, "type", disk->driver_type);
        vsh_xml_writer_close(w);
    }
    if (disk->source) {
        vsh_xml_writer_open(w, "source");
        vsh_xml_writer_attr(w, disk->type == VSH_DISK_TYPE_FILE ? "file" : "dev",
                            disk->source);
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_open(w, "target");
    vsh_xml_writer_attr(w, "dev", disk->target_dev);
    vsh_xml_writer_attr(w, "bus", disk->target_bus);
    vsh_xml_writer_close(w);
    if (disk->readonly) {
        vsh_xml_writer_open(w, "readonly");
        vsh_xml_writer_close(w);
    }
    vsh_xml_writer_end(w, "disk");
}

static int
vsh_disk_validate_one(const vsh_domain_def *def, guint idx, xmlXPathContext *ctxt,
                      GError **error)
{
    const vsh_disk_def *disk = g_ptr_array_index(def->disks, idx);
    g_autofree char *xp = g_strdup_printf("/domain/devices/disk[%u]", idx + 1);
    g_autofree char *xp_target = g_strdup_printf("%s/target", xp);
    g_autofree char *xp_source = g_strdup_printf("%s/source", xp);
    guint j;

    if (!disk->target_dev)
        return vsh_def_error(error, ctxt, xp, "disk needs <target dev='...'/>");
    if (disk->source && disk->source[0] != '/')
        return vsh_def_error(error, ctxt, xp_source, "disk source '%s' must be an absolute "
                             "path", disk->source);
    if (!disk->source && disk->device != VSH_DISK_DEVICE_CDROM)
        return vsh_def_error(error, ctxt, xp, "disk needs a source (only a cdrom may be "
                             "empty)");
    for (j = 0; j < idx; j++) {
        const vsh_disk_def *other = g_ptr_array_index(def->disks, j);

        if (strcmp(other->target_dev, disk->target_dev) == 0)
            return vsh_def_error(error, ctxt, xp_target, "duplicate disk target '%s'",
                                 disk->target_dev);
    }
    return 0;
}

int
vsh_domain_disk_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    guint i;

    if (def->disks->len > 0 && def->type == VSH_DOMAIN_TYPE_CHROOT)
        return vsh_def_error(error, ctxt, "/domain/devices/disk",
                             "disks are not supported by domains of type 'chroot'");
    for (i = 0; i < def->disks->len; i++) {
        if (vsh_disk_validate_one(def, i, ctxt, error) < 0)
            return -1;
    }
    return 0;
}
