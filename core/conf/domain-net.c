/*
 * domain-net.c — <interface> of type 'bridge' (a veth pair with one end on a host bridge)
 * and 'ethernet' (a veth pair left to the host to configure), with addresses and routes
 * set inside the domain.
 */
#include <config.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "conf/domain-sections.h"

VSH_ENUM_IMPL(vsh_net_type, VSH_NET_TYPE_LAST, "bridge", "ethernet");

static void
vsh_net_ip_def_free(vsh_net_ip_def *ip)
{
    if (!ip)
        return;
    g_free(ip->address);
    g_free(ip->peer);
    g_free(ip);
}

static void
vsh_net_route_def_free(vsh_net_route_def *route)
{
    if (!route)
        return;
    g_free(route->address);
    g_free(route->gateway);
    g_free(route);
}

void
vsh_net_def_free(vsh_net_def *net)
{
    if (!net)
        return;
    g_free(net->bridge);
    g_free(net->mac);
    g_free(net->target_dev);
    g_free(net->guest_dev);
    g_free(net->model);
    g_ptr_array_unref(net->ips);
    g_ptr_array_unref(net->routes);
    g_free(net);
}

/* ------------------------------------------------------------------ parse */

/* family='ipv4|ipv6', or guessed from the address when absent. */
static int
vsh_net_family_parse(const xmlNode *node, const char *address, int *ret_family,
                     GError **error)
{
    g_autofree char *family = vsh_xml_prop(node, "family");

    if (!family) {
        *ret_family = address && strchr(address, ':') ? AF_INET6 : AF_INET;
        return 0;
    }
    if (strcmp(family, "ipv4") == 0)
        *ret_family = AF_INET;
    else if (strcmp(family, "ipv6") == 0)
        *ret_family = AF_INET6;
    else
        return vsh_xml_error(error, node, "unknown address family '%s' "
                             "(expected 'ipv4' or 'ipv6')", family);
    return 0;
}

static int
vsh_net_ips_parse_xml(vsh_net_def *net, xmlXPathContext *ctxt, GError **error)
{
    g_autofree xmlNode **nodes = NULL;
    int n = vsh_xpath_nodes("./ip", ctxt, &nodes);
    int i;

    for (i = 0; i < n; i++) {
        vsh_net_ip_def *ip = g_new0(vsh_net_ip_def, 1);

        g_ptr_array_add(net->ips, ip);
        ip->address = vsh_xml_prop(nodes[i], "address");
        ip->peer = vsh_xml_prop(nodes[i], "peer");
        if (vsh_net_family_parse(nodes[i], ip->address, &ip->family, error) < 0 ||
            vsh_xml_prop_uint(nodes[i], "prefix", 0, &ip->prefix, error) < 0)
            return -1;
    }
    return 0;
}

static int
vsh_net_routes_parse_xml(vsh_net_def *net, xmlXPathContext *ctxt, GError **error)
{
    g_autofree xmlNode **nodes = NULL;
    int n = vsh_xpath_nodes("./route", ctxt, &nodes);
    int i;

    for (i = 0; i < n; i++) {
        vsh_net_route_def *route = g_new0(vsh_net_route_def, 1);

        g_ptr_array_add(net->routes, route);
        route->address = vsh_xml_prop(nodes[i], "address");
        route->gateway = vsh_xml_prop(nodes[i], "gateway");
        if (vsh_net_family_parse(nodes[i], route->address, &route->family, error) < 0 ||
            vsh_xml_prop_uint(nodes[i], "prefix", 0, &route->prefix, error) < 0)
            return -1;
    }
    return 0;
}

vsh_net_def *
vsh_net_def_new(void)
{
    vsh_net_def *net = g_new0(vsh_net_def, 1);

    net->ips = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_net_ip_def_free);
    net->routes = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_net_route_def_free);
    return net;
}

/* The lxc driver's name for the host end of a container's veth pair: "vsh", the first 8
 * hex digits of the uuid, "-", the interface's index. */
static bool
vsh_net_target_is_container_end(const char *dev)
{
    size_t i;

    if (!g_str_has_prefix(dev, "vsh"))
        return false;
    for (i = 3; i < 11; i++) {
        if (!g_ascii_isdigit(dev[i]) && !(dev[i] >= 'a' && dev[i] <= 'f'))
            return false;
    }
    if (dev[11] != '-' || !dev[12])
        return false;
    for (i = 12; dev[i]; i++) {
        if (!g_ascii_isdigit(dev[i]))
            return false;
    }
    return true;
}

/* Host device names that drivers generate when a definition names none: qemu-stub's
 * vnetN, the lxc driver's container ends, and the macvtap and macvlan names of the
 * drivers that make such devices. As libvirt does, a definition does not keep them (a
 * live XML defined again would claim a name that another domain has or may be given);
 * the live definition, which records the name in use, does. */
static bool
vsh_net_target_is_generated(const char *dev)
{
    static const char *const prefixes[] = { "vnet", "macvtap", "macvlan" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(dev, prefixes[i]))
            return true;
    }
    return vsh_net_target_is_container_end(dev);
}

vsh_net_def *
vsh_net_def_parse_xml(xmlNode *node, xmlXPathContext *ctxt, unsigned int flags,
                      GError **error)
{
    g_autoptr(vsh_net_def) net = vsh_net_def_new();
    VSH_XPATH_NODE_AUTORESTORE(ctxt);
    g_autofree char *mac = NULL;
    int type = 0;

    ctxt->node = node;
    if (vsh_xml_prop_enum(node, "type", vsh_net_type_from_string, VSH_XML_PROP_REQUIRED,
                          &type, error) < 0)
        return NULL;
    net->type = type;
    net->bridge = vsh_xpath_string("string(./source/@bridge)", ctxt);
    /* MACs compare and print in lowercase, as the kernel shows them. */
    if ((mac = vsh_xpath_string("string(./mac/@address)", ctxt)))
        net->mac = g_ascii_strdown(mac, -1);
    net->target_dev = vsh_xpath_string("string(./target/@dev)", ctxt);
    if (net->target_dev && !(flags & VSH_DOMAIN_DEF_PARSE_LIVE) &&
        vsh_net_target_is_generated(net->target_dev))
        g_clear_pointer(&net->target_dev, g_free);
    net->guest_dev = vsh_xpath_string("string(./guest/@dev)", ctxt);
    net->model = vsh_xpath_string("string(./model/@type)", ctxt);
    if (vsh_net_ips_parse_xml(net, ctxt, error) < 0 ||
        vsh_net_routes_parse_xml(net, ctxt, error) < 0)
        return NULL;
    return g_steal_pointer(&net);
}

/* ------------------------------------------------------------------ format */

static const char *
vsh_net_family_to_string(int family)
{
    return family == AF_INET6 ? "ipv6" : "ipv4";
}

static void
vsh_net_ip_format(const vsh_net_def *net, vsh_xml_writer *w)
{
    guint i;

    for (i = 0; i < net->ips->len; i++) {
        const vsh_net_ip_def *ip = g_ptr_array_index(net->ips, i);

        vsh_xml_writer_open(w, "ip");
        vsh_xml_writer_attr(w, "address", ip->address);
        vsh_xml_writer_attr(w, "family", vsh_net_family_to_string(ip->family));
        if (ip->prefix)
            vsh_xml_writer_attr_printf(w, "prefix", "%u", ip->prefix);
        vsh_xml_writer_attr(w, "peer", ip->peer);
        vsh_xml_writer_close(w);
    }
    for (i = 0; i < net->routes->len; i++) {
        const vsh_net_route_def *route = g_ptr_array_index(net->routes, i);

        vsh_xml_writer_open(w, "route");
        vsh_xml_writer_attr(w, "family", vsh_net_family_to_string(route->family));
        vsh_xml_writer_attr(w, "address", route->address);
        if (route->prefix)
            vsh_xml_writer_attr_printf(w, "prefix", "%u", route->prefix);
        vsh_xml_writer_attr(w, "gateway", route->gateway);
        vsh_xml_writer_close(w);
    }
}

static void
vsh_net_element_format(vsh_xml_writer *w, const char *element, const char *attr,
                       const char *value)
{
    if (!value)
        return;
    vsh_xml_writer_open(w, element);
    vsh_xml_writer_attr(w, attr, value);
    vsh_xml_writer_close(w);
}

void
vsh_net_def_format(const vsh_net_def *net, vsh_xml_writer *w)
{
    vsh_xml_writer_open(w, "interface");
    vsh_xml_writer_attr(w, "type", vsh_net_type_to_string(net->type));
    vsh_xml_writer_children(w);
    vsh_net_element_format(w, "mac", "address", net->mac);
    vsh_net_element_format(w, "source", "bridge", net->bridge);
    vsh_net_ip_format(net, w);
    vsh_net_element_format(w, "target", "dev", net->target_dev);
    vsh_net_element_format(w, "guest", "dev", net->guest_dev);
    vsh_net_element_format(w, "model", "type", net->model);
    vsh_xml_writer_end(w, "interface");
}

/* ------------------------------------------------------------------ post-parse, validate */

int
vsh_domain_net_post_parse(vsh_domain_def *def, GError **error)
{
    guint i;

    for (i = 0; i < def->interfaces->len; i++) {
        vsh_net_def *net = g_ptr_array_index(def->interfaces, i);

        if (net->mac)
            continue;
        /* libvirt's locally administered prefix, so both tools recognise their own. */
        net->mac = g_strdup_printf("52:54:00:%02x:%02x:%02x", g_random_int_range(0, 256),
                                   g_random_int_range(0, 256), g_random_int_range(0, 256));
        net->mac_generated = true;
    }
    return 0;
}

static bool
vsh_mac_is_valid_unicast(const char *mac)
{
    int i;

    if (strlen(mac) != 17)
        return false;
    for (i = 0; i < 17; i++) {
        if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit(mac[i]))
            return false;
    }
    return (g_ascii_xdigit_value(mac[1]) & 1) == 0;
}

static bool
vsh_ifname_is_valid(const char *name)
{
    size_t i;

    if (!name || !*name || strlen(name) >= IFNAMSIZ || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0)
        return false;
    for (i = 0; name[i]; i++) {
        if (name[i] == '/' || name[i] == ':' || g_ascii_isspace(name[i]) ||
            !g_ascii_isprint(name[i]))
            return false;
    }
    return true;
}

static bool
vsh_ip_is_valid(int family, const char *address)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return address && inet_pton(family, address, buf) == 1;
}

static int
vsh_net_ip_validate(const vsh_net_def *net, const char *xp, xmlXPathContext *ctxt,
                    GError **error)
{
    guint i;

    for (i = 0; i < net->ips->len; i++) {
        const vsh_net_ip_def *ip = g_ptr_array_index(net->ips, i);
        g_autofree char *xpi = g_strdup_printf("%s/ip[%u]", xp, i + 1);
        const char *fam = vsh_net_family_to_string(ip->family);

        if (!vsh_ip_is_valid(ip->family, ip->address))
            return vsh_def_error(error, ctxt, xpi, "invalid %s address '%s'", fam,
                                 ip->address ? ip->address : "");
        if (ip->prefix > (ip->family == AF_INET6 ? 128u : 32u))
            return vsh_def_error(error, ctxt, xpi, "invalid prefix %u for %s address '%s'",
                                 ip->prefix, fam, ip->address);
        if (ip->peer && !vsh_ip_is_valid(ip->family, ip->peer))
            return vsh_def_error(error, ctxt, xpi, "invalid %s peer address '%s'", fam,
                                 ip->peer);
    }
    return 0;
}

static int
vsh_net_route_validate(const vsh_net_def *net, const char *xp, xmlXPathContext *ctxt,
                       GError **error)
{
    guint i;

    for (i = 0; i < net->routes->len; i++) {
        const vsh_net_route_def *route = g_ptr_array_index(net->routes, i);
        g_autofree char *xpr = g_strdup_printf("%s/route[%u]", xp, i + 1);
        const char *fam = vsh_net_family_to_string(route->family);

        if (!vsh_ip_is_valid(route->family, route->address))
            return vsh_def_error(error, ctxt, xpr, "invalid %s route address '%s'", fam,
                                 route->address ? route->address : "");
        if (route->prefix > (route->family == AF_INET6 ? 128u : 32u))
            return vsh_def_error(error, ctxt, xpr, "invalid prefix %u for %s route", route->prefix,
                                 fam);
        if (!vsh_ip_is_valid(route->family, route->gateway))
            return vsh_def_error(error, ctxt, xpr, "invalid %s gateway '%s'", fam,
                                 route->gateway ? route->gateway : "");
    }
    return 0;
}

static int
vsh_net_validate_one(const vsh_net_def *net, const char *xp, xmlXPathContext *ctxt,
                     GError **error)
{
    g_autofree char *xp_mac = g_strdup_printf("%s/mac", xp);
    g_autofree char *xp_target = g_strdup_printf("%s/target", xp);
    g_autofree char *xp_guest = g_strdup_printf("%s/guest", xp);

    if (net->type == VSH_NET_TYPE_BRIDGE && !net->bridge)
        return vsh_def_error(error, ctxt, xp, "interface of type 'bridge' needs "
                             "<source bridge='...'/>");
    if (net->type != VSH_NET_TYPE_BRIDGE && net->bridge)
        return vsh_def_error(error, ctxt, xp, "a source bridge needs interface type "
                             "'bridge'");
    if (net->bridge && !vsh_ifname_is_valid(net->bridge))
        return vsh_def_error(error, ctxt, xp, "invalid bridge name '%s'", net->bridge);
    if (net->mac && !vsh_mac_is_valid_unicast(net->mac))
        return vsh_def_error(error, ctxt, xp_mac, "invalid MAC address '%s' (expected a "
                             "unicast address like 52:54:00:12:34:56)", net->mac);
    if (net->target_dev && !vsh_ifname_is_valid(net->target_dev))
        return vsh_def_error(error, ctxt, xp_target, "invalid interface name '%s'",
                             net->target_dev);
    if (net->guest_dev && !vsh_ifname_is_valid(net->guest_dev))
        return vsh_def_error(error, ctxt, xp_guest, "invalid interface name '%s'",
                             net->guest_dev);
    if (vsh_net_ip_validate(net, xp, ctxt, error) < 0 ||
        vsh_net_route_validate(net, xp, ctxt, error) < 0)
        return -1;
    return 0;
}

int
vsh_domain_net_validate(const vsh_domain_def *def, xmlXPathContext *ctxt, GError **error)
{
    guint i;

    if (def->interfaces->len > 0 && def->type == VSH_DOMAIN_TYPE_CHROOT)
        return vsh_def_error(error, ctxt, "/domain/devices/interface",
                             "interfaces are not supported by domains of type 'chroot' "
                             "(a jail shares the host's network)");
    for (i = 0; i < def->interfaces->len; i++) {
        g_autofree char *xp = g_strdup_printf("/domain/devices/interface[%u]", i + 1);

        if (vsh_net_validate_one(g_ptr_array_index(def->interfaces, i), xp, ctxt,
                                 error) < 0)
            return -1;
    }
    return 0;
}
