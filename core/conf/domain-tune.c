/*
 * domain-tune.c — <memory>, <currentMemory>, <blkiotune>, <memtune>, <vcpu> and <cputune>.
 */
#include <config.h>

#include <string.h>

#include "error.h"
#include "conf/domain-sections.h"

/* cpuset entries address CPUs below this, as libvirt's CPU masks do. */
#define VSH_CPUSET_MAX 4096

#define VSH_CPUTUNE_PERIOD_MIN 1000
#define VSH_CPUTUNE_PERIOD_MAX 1000000
#define VSH_CPUTUNE_QUOTA_MIN 1000
#define VSH_CPUTUNE_QUOTA_MAX G_GINT64_CONSTANT(17592186044415)

/* ------------------------------------------------------------------ sizes */

/* libvirt's units, case-insensitive: "b"/"byte"/"bytes"; a single letter or "XiB" for powers
 * of 1024; "XB" for powers of 1000. NULL or "" means KiB. */
static int
vsh_memory_unit_scale(const char *unit, guint64 *ret_scale)
{
    static const char prefixes[] = "kmgtpe";
    const char *p;
    guint64 base;
    guint64 scale = 1;
    int i;

    if (!unit || !*unit) {
        *ret_scale = 1024;
        return 0;
    }
    if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
        g_ascii_strcasecmp(unit, "bytes") == 0) {
        *ret_scale = 1;
        return 0;
    }
    if (!(p = strchr(prefixes, g_ascii_tolower(unit[0]))))
        return -1;
    if (unit[1] == '\0' || g_ascii_strcasecmp(unit + 1, "iB") == 0)
        base = 1024;
    else if (g_ascii_strcasecmp(unit + 1, "B") == 0)
        base = 1000;
    else
        return -1;
    for (i = 0; i <= p - prefixes; i++)
        scale *= base;
    *ret_scale = scale;
    return 0;
}

int
vsh_memory_parse_kib(const char *value, const char *unit, guint64 *ret_kib)
{
    guint64 number;
    guint64 scale;
    guint64 bytes;

    if (vsh_memory_unit_scale(unit, &scale) < 0 || !vsh_str_to_uint64(value, &number))
        return -1;
    if (number != 0 && scale > G_MAXUINT64 / number)
        return -1;
    bytes = number * scale;
    /* Round up: a limit never ends below what was asked for. */
    *ret_kib = bytes / 1024 + (bytes % 1024 != 0);
    return 0;
}

int
vsh_xml_memory_parse(const xmlNode *node, const char *text, const char *unit_attr,
                     guint64 *ret_kib, GError **error)
{
    g_autofree char *unit = vsh_xml_prop(node, unit_attr);
    g_autofree char *value = g_strstrip(g_strdup(text ? text : ""));
    guint64 scale;
    guint64 number;

    if (vsh_memory_unit_scale(unit, &scale) < 0)
        return vsh_xml_error(error, node, "unknown unit '%s'", unit);
    if (!vsh_str_to_uint64(value, &number)) {
        if (value[0] == '-')
            return vsh_xml_error(error, node, "size '%s' must not be negative", value);
        return vsh_xml_error(error, node, "invalid size '%s' (expected a whole number)",
                             value);
    }
    if (vsh_memory_parse_kib(value, unit, ret_kib) < 0)
        return vsh_xml_error(error, node, "size '%s %s' is too large", value,
                             unit ? unit : "KiB");
    return 0;
}

/* ------------------------------------------------------------------ blkiotune */

static const char *const vsh_blkio_field_names[VSH_BLKIO_FIELD_LAST] = {
    "weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec", "write_bytes_sec",
};

const char *
vsh_blkio_field_to_string(int field)
{
    return field >= 0 && field < VSH_BLKIO_FIELD_LAST ? vsh_blkio_field_names[field] : NULL;
}

void
vsh_blkio_device_def_free(vsh_blkio_device_def *dev)
{
    if (!dev)
        return;
    g_free(dev->path);
    g_free(dev);
}

bool
vsh_blkiotune_is_set(const vsh_blkiotune_def *bt)
{
    return bt->weight || (bt->devices && bt->devices->len > 0);
}

vsh_blkio_device_def *
vsh_blkiotune_find_device(const vsh_blkiotune_def *bt, const char *path)
{
    guint i;

    for (i = 0; i < bt->devices->len; i++) {
        vsh_blkio_device_def *dev = g_ptr_array_index(bt->devices, i);

        if (strcmp(dev->path, path) == 0)
            return dev;
    }
    return NULL;
}

/* The number in @node's text: a weight (100..1000), else any unsigned 64-bit value (0
 * sets nothing, as in libvirt). */
static int
vsh_blkio_number_parse(const xmlNode *node, bool weight, guint64 *ret, GError **error)
{
    g_autofree char *text = g_strstrip(vsh_xml_content(node));

    if (!vsh_str_to_uint64(text, ret))
        return vsh_xml_error(error, node, "invalid value '%s' (expected a whole number)",
                             text);
    if (weight && (*ret < VSH_BLKIO_WEIGHT_MIN || *ret > VSH_BLKIO_WEIGHT_MAX))
        return vsh_xml_error(error, node, "weight %s is out of range (%d to %d)", text,
                             VSH_BLKIO_WEIGHT_MIN, VSH_BLKIO_WEIGHT_MAX);
    return 0;
}

static int
vsh_blkio_device_parse(vsh_blkiotune_def *bt, const xmlNode *node, GError **error)
{
    g_autoptr(vsh_blkio_device_def) dev = g_new0(vsh_blkio_device_def, 1);
    const xmlNode *child;
    int field;

    for (child = node->children; child; child = child->next) {
        const char *name = vsh_xml_node_name(child);

        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name, "path") == 0) {
            g_free(dev->path);
            dev->path = g_strstrip(vsh_xml_content(child));
            if (!g_path_is_absolute(dev->path))
                return vsh_xml_error(error, child, "device path '%s' is not absolute",
                                     dev->path);
            continue;
        }
        for (field = 0; field < VSH_BLKIO_FIELD_LAST; field++) {
            if (strcmp(name, vsh_blkio_field_names[field]) == 0)
                break;
        }
        if (field == VSH_BLKIO_FIELD_LAST)
            return vsh_xml_error(error, child, "element '%s' is not allowed here", name);
        if (vsh_blkio_number_parse(child, field == VSH_BLKIO_WEIGHT, &dev->value[field],
                                   error) < 0)
            return -1;
    }
    if (!dev->path)
        return vsh_xml_error(error, node, "missing element 'path'");
    if (vsh_blkiotune_find_device(bt, dev->path))
        return vsh_xml_error(error, node, "device '%s' is given twice", dev->path);
    g_ptr_array_add(bt->devices, g_steal_pointer(&dev));
    return 0;
}

/* <blkiotune>: <weight>, then any number of <device> with a <path> and its settings. */
static int
vsh_blkiotune_parse_xml(vsh_blkiotune_def *bt, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *node = vsh_xpath_node("./blkiotune", ctxt);
    const xmlNode *child;
    guint64 weight;

    if (!node)
        return 0;
    for (child = node->children; child; child = child->next) {
        const char *name = vsh_xml_node_name(child);

        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name, "weight") == 0) {
            if (vsh_blkio_number_parse(child, true, &weight, error) < 0)
                return -1;
            bt->weight = (unsigned int) weight;
        } else if (strcmp(name, "device") == 0) {
            if (vsh_blkio_device_parse(bt, child, error) < 0)
                return -1;
        } else {
            return vsh_xml_error(error, child, "element '%s' is not allowed here", name);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ parse */

/* A size element below ctxt->node: 0 absent, 1 found, -1 error. */
static int
vsh_size_element_parse(xmlXPathContext *ctxt, const char *xpath, guint64 *ret_kib,
                       GError **error)
{
    xmlNode *node = vsh_xpath_node(xpath, ctxt);
    g_autofree char *text = NULL;

    if (!node)
        return 0;
    text = vsh_xml_content(node);
    if (vsh_xml_memory_parse(node, text, "unit", ret_kib, error) < 0)
        return -1;
    return 1;
}

static int
vsh_memtune_parse_xml(vsh_memtune_def *mt, xmlXPathContext *ctxt, GError **error)
{
    static const char *const names[] = { "hard_limit", "soft_limit", "swap_hard_limit" };
    guint64 *fields[] = { &mt->hard_limit, &mt->soft_limit, &mt->swap_hard_limit };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *xpath = g_strdup_printf("./memtune/%s", names[i]);
        int rc = vsh_size_element_parse(ctxt, xpath, fields[i], error);

        if (rc < 0)
            return -1;
        if (rc > 0 && *fields[i] == 0)
            return vsh_xml_error(error, vsh_xpath_node(xpath, ctxt),
                                 "limit must be greater than zero");
    }
    return 0;
}

/* The text of element @xpath as a number: 0 absent, 1 found, -1 error. */
static int
vsh_number_element_parse(xmlXPathContext *ctxt, const char *xpath, bool is_signed,
                         guint64 *ret_unsigned, gint64 *ret_signed, GError **error)
{
    xmlNode *node = vsh_xpath_node(xpath, ctxt);
    g_autofree char *text = NULL;
    bool ok;

    if (!node)
        return 0;
    text = g_strstrip(vsh_xml_content(node));
    ok = is_signed ? vsh_str_to_int64(text, ret_signed) : vsh_str_to_uint64(text, ret_unsigned);
    if (!ok)
        return vsh_xml_error(error, node, "invalid number '%s'", text);
    return 1;
}

static int
vsh_cputune_parse_xml(vsh_cputune_def *ct, xmlXPathContext *ctxt, GError **error)
{
    int rc;

    if ((rc = vsh_number_element_parse(ctxt, "./cputune/shares", false, &ct->shares, NULL,
                                       error)) < 0)
        return -1;
    ct->has_shares = rc > 0;
    if ((rc = vsh_number_element_parse(ctxt, "./cputune/period", false, &ct->period, NULL,
                                       error)) < 0)
        return -1;
    ct->has_period = rc > 0;
    if ((rc = vsh_number_element_parse(ctxt, "./cputune/quota", true, NULL, &ct->quota,
                                       error)) < 0)
        return -1;
    ct->has_quota = rc > 0;
    return 0;
}

static int
vsh_vcpu_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    xmlNode *node = vsh_xpath_node("./vcpu", ctxt);
    g_autofree char *text = NULL;
    guint64 count;

    if (!node)
        return 0;
    text = g_strstrip(vsh_xml_content(node));
    if (!vsh_str_to_uint64(text, &count))
        return vsh_xml_error(error, node, "invalid vcpu count '%s'", text);
    if (count > G_MAXUINT)
        return vsh_xml_error(error, node, "vcpu count '%s' is too large", text);
    def->vcpus = (unsigned int) count;
    def->cpuset = vsh_xml_prop(node, "cpuset");
    if (vsh_xml_prop_uint(node, "current", VSH_XML_PROP_NONZERO, &def->vcpus_current,
                          error) < 0)
        return -1;
    return 0;
}

int
vsh_domain_tune_parse_xml(vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    int rc;

    if (vsh_size_element_parse(ctxt, "./memory", &def->max_memory_kib, error) < 0)
        return -1;
    if ((rc = vsh_size_element_parse(ctxt, "./currentMemory", &def->cur_memory_kib,
                                     error)) < 0)
        return -1;
    def->has_cur_memory = rc > 0;
    if (vsh_blkiotune_parse_xml(&def->blkiotune, ctxt, error) < 0 ||
        vsh_memtune_parse_xml(&def->memtune, ctxt, error) < 0 ||
        vsh_vcpu_parse_xml(def, ctxt, error) < 0 ||
        vsh_cputune_parse_xml(&def->cputune, ctxt, error) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ format */

static void
vsh_size_element_format(vsh_xml_writer *w, const char *name, guint64 kib)
{
    g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, kib);

    vsh_xml_writer_open(w, name);
    vsh_xml_writer_attr(w, "unit", "KiB");
    vsh_xml_writer_text_close(w, name, text);
}

static void
vsh_memtune_format(const vsh_memtune_def *mt, vsh_xml_writer *w)
{
    if (!mt->hard_limit && !mt->soft_limit && !mt->swap_hard_limit)
        return;
    vsh_xml_writer_open(w, "memtune");
    vsh_xml_writer_children(w);
    if (mt->hard_limit)
        vsh_size_element_format(w, "hard_limit", mt->hard_limit);
    if (mt->soft_limit)
        vsh_size_element_format(w, "soft_limit", mt->soft_limit);
    if (mt->swap_hard_limit)
        vsh_size_element_format(w, "swap_hard_limit", mt->swap_hard_limit);
    vsh_xml_writer_end(w, "memtune");
}

static void
vsh_number_element_format(vsh_xml_writer *w, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void vsh_blkiotune_format(const vsh_blkiotune_def *bt, vsh_xml_writer *w);

static void
vsh_number_element_format(vsh_xml_writer *w, const char *name, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vsh_xml_writer_text_element(w, name, text);
}

static void
vsh_cputune_format(const vsh_cputune_def *ct, vsh_xml_writer *w)
{
    if (!ct->has_shares && !ct->has_period && !ct->has_quota)
        return;
    vsh_xml_writer_open(w, "cputune");
    vsh_xml_writer_children(w);
    if (ct->has_shares)
        vsh_number_element_format(w, "shares", "%" G_GUINT64_FORMAT, ct->shares);
    if (ct->has_period)
        vsh_number_element_format(w, "period", "%" G_GUINT64_FORMAT, ct->period);
    if (ct->has_quota)
        vsh_number_element_format(w, "quota", "%" G_GINT64_FORMAT, ct->quota);
    vsh_xml_writer_end(w, "cputune");
}

static void
vsh_blkiotune_format(const vsh_blkiotune_def *bt, vsh_xml_writer *w)
{
    guint i;
    int field;

    if (!vsh_blkiotune_is_set(bt))
        return;
    vsh_xml_writer_open(w, "blkiotune");
    vsh_xml_writer_children(w);
    if (bt->weight)
        vsh_number_element_format(w, "weight", "%u", bt->weight);
    for (i = 0; i < bt->devices->len; i++) {
        const vsh_blkio_device_def *dev = g_ptr_array_index(bt->devices, i);

        vsh_xml_writer_open(w, "device");
        vsh_xml_writer_children(w);
        vsh_xml_writer_text_element(w, "path", dev->path);
        for (field = 0; field < VSH_BLKIO_FIELD_LAST; field++) {
            if (dev->value[field])
                vsh_number_element_format(w, vsh_blkio_field_names[field],
                                          "%" G_GUINT64_FORMAT, dev->value[field]);
        }
        vsh_xml_writer_end(w, "device");
    }
    vsh_xml_writer_end(w, "blkiotune");
}

void
vsh_domain_tune_format(const vsh_domain_def *def, vsh_xml_writer *w)
{
    g_autofree char *vcpus = g_strdup_printf("%u", def->vcpus);

    vsh_size_element_format(w, "memory", def->max_memory_kib);
    /* libvirt always writes currentMemory; a def built in code may not have it yet. */
    vsh_size_element_format(w, "currentMemory",
                            def->cur_memory_kib ? def->cur_memory_kib : def->max_memory_kib);
    vsh_blkiotune_format(&def->blkiotune, w);
    vsh_memtune_format(&def->memtune, w);
    vsh_xml_writer_open(w, "vcpu");
    vsh_xml_writer_attr(w, "cpuset", def->cpuset);
    if (def->vcpus_current)
        vsh_xml_writer_attr_printf(w, "current", "%u", def->vcpus_current);
    vsh_xml_writer_text_close(w, "vcpu", vcpus);
    vsh_cputune_format(&def->cputune, w);
}

/* ------------------------------------------------------------------ post-parse, validate */

int
vsh_domain_tune_post_parse(vsh_domain_def *def, GError **error)
{
    if (!def->has_cur_memory || def->cur_memory_kib == 0)
        def->cur_memory_kib = def->max_memory_kib;
    return 0;
}

guint64
vsh_domain_def_memory_limit_kib(const vsh_domain_def *def)
{
    return def->memtune.hard_limit ? def->memtune.hard_limit : def->max_memory_kib;
}

/* libvirt's CPU list syntax: "0-3,^2,6", items applied left to right. Returns a table of
 * VSH_CPUSET_MAX flags, or NULL when @cpuset is malformed, names a CPU at or above
 * VSH_CPUSET_MAX or leaves no CPU selected. */
static gboolean *
vsh_cpuset_parse(const char *cpuset)
{
    g_auto(GStrv) items = g_strsplit(cpuset, ",", -1);
    g_autofree gboolean *set = g_new0(gboolean, VSH_CPUSET_MAX);
    gsize i;
    guint64 cpu;

    for (i = 0; items[i]; i++) {
        const char *item = g_strstrip(items[i]);
        bool exclude = item[0] == '^';
        g_auto(GStrv) range = g_strsplit(item + exclude, "-", 2);
        guint64 first;
        guint64 last;

        if (!vsh_str_to_uint64(range[0], &first))
            return NULL;
        last = first;
        if (range[1] && (exclude || !vsh_str_to_uint64(range[1], &last)))
            return NULL;
        if (first > last || last >= VSH_CPUSET_MAX)
            return NULL;
        for (cpu = first; cpu <= last; cpu++)
            set[cpu] = !exclude;
    }
    for (cpu = 0; cpu < VSH_CPUSET_MAX; cpu++) {
        if (set[cpu])
            return g_steal_pointer(&set);
    }
    return NULL;
}

static bool
vsh_cpuset_is_valid(const char *cpuset)
{
    g_autofree gboolean *set = vsh_cpuset_parse(cpuset);

    return set != NULL;
}

char *
vsh_cpuset_to_list(const char *cpuset)
{
    g_autofree gboolean *set = vsh_cpuset_parse(cpuset);
    GString *list;
    guint cpu = 0;

    if (!set)
        return NULL;
    list = g_string_new(NULL);
    while (cpu < VSH_CPUSET_MAX) {
        guint last;

        if (!set[cpu]) {
            cpu++;
            continue;
        }
        for (last = cpu; last + 1 < VSH_CPUSET_MAX && set[last + 1]; last++)
            ;
        g_string_append_printf(list, "%s%u", list->len ? "," : "", cpu);
        if (last > cpu)
            g_string_append_printf(list, "-%u", last);
        cpu = last + 1;
    }
    return g_string_free(list, FALSE);
}

static int
vsh_cputune_validate(const vsh_cputune_def *ct, xmlXPathContext *ctxt, GError **error)
{
    if (ct->has_period &&
        (ct->period < VSH_CPUTUNE_PERIOD_MIN || ct->period > VSH_CPUTUNE_PERIOD_MAX))
        return vsh_def_error(error, ctxt, "/domain/cputune/period",
                             "period %" G_GUINT64_FORMAT " is out of range (%d-%d)",
                             ct->period, VSH_CPUTUNE_PERIOD_MIN, VSH_CPUTUNE_PERIOD_MAX);
    if (ct->has_quota && ct->quota != -1 &&
        (ct->quota < VSH_CPUTUNE_QUOTA_MIN || ct->quota > VSH_CPUTUNE_QUOTA_MAX))
        return vsh_def_error(error, ctxt, "/domain/cputune/quota",
                             "quota %" G_GINT64_FORMAT " is out of range "
                             "(-1 or %d-%" G_GINT64_FORMAT ")",
                             ct->quota, VSH_CPUTUNE_QUOTA_MIN, VSH_CPUTUNE_QUOTA_MAX);
    return 0;
}

static int
vsh_vcpu_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    if (def->vcpus == 0)
        return vsh_def_error(error, ctxt, "/domain/vcpu", "vcpu count must be at least 1");
    if (def->vcpus_current > def->vcpus)
        return vsh_def_error(error, ctxt, "/domain/vcpu",
                             "current vcpus (%u) exceed the maximum (%u)",
                             def->vcpus_current, def->vcpus);
    if (def->cpuset && !vsh_cpuset_is_valid(def->cpuset))
        return vsh_def_error(error, ctxt, "/domain/vcpu",
                             "invalid cpuset '%s' (expected a list like '0-3,^2,6' of CPUs "
                             "below %d)", def->cpuset, VSH_CPUSET_MAX);
    return 0;
}

int
vsh_domain_tune_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    const vsh_memtune_def *mt = &def->memtune;

    if (def->max_memory_kib == 0)
        return vsh_def_error(error, ctxt, "/domain/memory",
                             "memory size must be greater than zero");
    if (def->cur_memory_kib > def->max_memory_kib)
        return vsh_def_error(error, ctxt, "/domain/currentMemory",
                             "current memory (%" G_GUINT64_FORMAT " KiB) exceeds the maximum "
                             "memory (%" G_GUINT64_FORMAT " KiB)",
                             def->cur_memory_kib, def->max_memory_kib);
    if (mt->hard_limit && mt->swap_hard_limit && mt->swap_hard_limit < mt->hard_limit)
        return vsh_def_error(error, ctxt, "/domain/memtune/swap_hard_limit",
                             "swap_hard_limit must not be lower than hard_limit");
    if (vsh_vcpu_validate(def, ctxt, error) < 0 ||
        vsh_cputune_validate(&def->cputune, ctxt, error) < 0)
        return -1;
    return 0;
}

void
vsh_domain_tune_clear(vsh_domain_def *def)
{
    g_clear_pointer(&def->cpuset, g_free);
    g_clear_pointer(&def->blkiotune.devices, g_ptr_array_unref);
}
