/*
 * lxc-net.c — veth pairs, bridges, addresses and routes for containers, spoken directly
 * over rtnetlink.
 *
 * Plain libc: this file is linked into vsh-monitor and parts of it run in the container's
 * init before exec. Running `ip` instead would cost a fork+exec per step (several
 * milliseconds each, against a start budget of ten) and would depend on what is installed
 * on the host and visible in the container.
 *
 * Lifetime of a pair: prepare (monitor, host namespace) creates it with its peer already in
 * init's network namespace, under a temporary name "vp<monitor pid>.<idx>";
 * lxc_net_setup_guest (the monitor, inside that namespace) renames it to eth0/<guest dev>,
 * sets MAC, addresses, routes.
 * When the container's network namespace goes away the kernel deletes the peer and with it
 * the host end; teardown deletes host ends that are still there anyway (a failed start).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lxc-priv.h"

#define LXC_NL_BUFSIZE 1024

/* One request: header plus attributes, built in place. */
typedef struct {
    alignas(struct nlmsghdr) char buf[LXC_NL_BUFSIZE];
} lxc_nl_msg;

/* The monitor's pid at prepare time: the temporary peer names derive from it, and
 * lxc_net_setup_guest finds the peers by them. */
static pid_t lxc_net_owner_pid;

/* The rtnetlink socket lxc_net_prepare() opened in the host's namespace, kept until
 * teardown, which deletes the host ends through it. */
static int lxc_net_host_fd = -1;

/* Which host ends this monitor created: only those are ever deleted, so a start that fails
 * because a <target dev> name is taken never removes another domain's interface. */
#define LXC_NET_MAX 1000
static unsigned char lxc_net_created[LXC_NET_MAX];

/* Step names that carry an interface name. The monitor and init are single-threaded. */
static char lxc_net_step_buf[96];

static const char *
lxc_net_step(const char *what, const char *name)
{
    snprintf(lxc_net_step_buf, sizeof(lxc_net_step_buf), "%s '%s'", what, name);
    return lxc_net_step_buf;
}

static struct nlmsghdr *
lxc_nl_init(lxc_nl_msg *msg, int type, int flags, const void *body, size_t body_len)
{
    struct nlmsghdr *nh = (struct nlmsghdr *) msg->buf;

    memset(msg->buf, 0, sizeof(msg->buf));
    nh->nlmsg_len = NLMSG_LENGTH(body_len);
    nh->nlmsg_type = type;
    nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    memcpy(NLMSG_DATA(nh), body, body_len);
    return nh;
}

/* Appends an attribute; returns it, or NULL (errno ENOBUFS) when the message is full. */
static struct rtattr *
lxc_nl_put(struct nlmsghdr *nh, int type, const void *data, size_t len)
{
    struct rtattr *rta = (struct rtattr *) ((char *) nh + NLMSG_ALIGN(nh->nlmsg_len));
    size_t total = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(RTA_LENGTH(len));

    if (total > LXC_NL_BUFSIZE) {
        errno = ENOBUFS;
        return NULL;
    }
    rta->rta_type = type;
    rta->rta_len = RTA_LENGTH(len);
    if (len)
        memcpy(RTA_DATA(rta), data, len);
    nh->nlmsg_len = total;
    return rta;
}

static struct rtattr *
lxc_nl_put_str(struct nlmsghdr *nh, int type, const char *s)
{
    return lxc_nl_put(nh, type, s, strlen(s) + 1);
}

/* A nested attribute ends where the message currently ends. */
static void
lxc_nl_nest_end(struct nlmsghdr *nh, struct rtattr *nest)
{
    nest->rta_len = (char *) nh + nh->nlmsg_len - (char *) nest;
}

static int
lxc_nl_open(void)
{
    return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* Sends @nh and waits for the kernel's acknowledgement. Returns 0, or -1 with errno set to
 * the kernel's answer. */
static int
lxc_nl_talk(int fd, struct nlmsghdr *nh)
{
    static unsigned int seq;
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    alignas(struct nlmsghdr) char reply[LXC_NL_BUFSIZE];
    ssize_t n;

    nh->nlmsg_seq = ++seq;
    if (sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0)
        return -1;
    for (;;) {
        struct nlmsghdr *r;

        do {
            n = recv(fd, reply, sizeof(reply), 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return -1;
        for (r = (struct nlmsghdr *) reply; NLMSG_OK(r, (size_t) n); r = NLMSG_NEXT(r, n)) {
            struct nlmsgerr *err = NLMSG_DATA(r);

            if (r->nlmsg_seq != nh->nlmsg_seq || r->nlmsg_type != NLMSG_ERROR)
                continue;
            if (err->error == 0)
                return 0;
            errno = -err->error;
            return -1;
        }
    }
}

/* Sends one RTM_NEWLINK about an existing link @index with optional changes. */
static int
lxc_nl_link_change(int fd, int index, const char *new_name, const unsigned char *mac,
                   int master, int up)
{
    lxc_nl_msg msg;
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
    struct nlmsghdr *nh;

    if (up) {
        ifi.ifi_flags = IFF_UP;
        ifi.ifi_change = IFF_UP;
    }
    nh = lxc_nl_init(&msg, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
    if (new_name && !lxc_nl_put_str(nh, IFLA_IFNAME, new_name))
        return -1;
    if (mac && !lxc_nl_put(nh, IFLA_ADDRESS, mac, 6))
        return -1;
    if (master > 0 && !lxc_nl_put(nh, IFLA_MASTER, &master, sizeof(master)))
        return -1;
    return lxc_nl_talk(fd, nh);
}

/*
 * Creates a veth pair: @host in the namespace of @fd, @peer in the network namespace
 * @peer_ns_fd (-1: beside @host). Made there at once, the peer never moves: moving a link
 * to another namespace unregisters it first, and the kernel waits for RCU to finish with
 * it (about 13 ms a link here).
 */
static int
lxc_nl_veth_create(int fd, const char *host, const char *peer, int peer_ns_fd)
{
    lxc_nl_msg msg;
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nlmsghdr *nh;
    struct rtattr *linkinfo;
    struct rtattr *data;
    struct rtattr *peer_info;
    unsigned int ufd = (unsigned int) peer_ns_fd;

    nh = lxc_nl_init(&msg, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
    if (!lxc_nl_put_str(nh, IFLA_IFNAME, host) ||
        !(linkinfo = lxc_nl_put(nh, IFLA_LINKINFO, NULL, 0)) ||
        !lxc_nl_put_str(nh, IFLA_INFO_KIND, "veth") ||
        !(data = lxc_nl_put(nh, IFLA_INFO_DATA, NULL, 0)) ||
        !(peer_info = lxc_nl_put(nh, VETH_INFO_PEER, &ifi, sizeof(ifi))) ||
        !lxc_nl_put_str(nh, IFLA_IFNAME, peer) ||
        (peer_ns_fd >= 0 && !lxc_nl_put(nh, IFLA_NET_NS_FD, &ufd, sizeof(ufd))))
        return -1;
    lxc_nl_nest_end(nh, peer_info);
    lxc_nl_nest_end(nh, data);
    lxc_nl_nest_end(nh, linkinfo);
    return lxc_nl_talk(fd, nh);
}

int
lxc_net_probe_veth(void)
{
    int fd = lxc_nl_open();
    int r;
    int saved;

    if (fd < 0)
        return -1;
    r = lxc_nl_veth_create(fd, "vshprobe0", "vshprobe1", -1);
    saved = errno;
    (void) close(fd);
    errno = saved;
    return r;
}

static int
lxc_nl_link_delete(int fd, const char *name)
{
    lxc_nl_msg msg;
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nlmsghdr *nh;

    nh = lxc_nl_init(&msg, RTM_DELLINK, 0, &ifi, sizeof(ifi));
    if (!lxc_nl_put_str(nh, IFLA_IFNAME, name))
        return -1;
    return lxc_nl_talk(fd, nh);
}

int
lxc_net_host_dev_name(const char *uuid, size_t idx, char buf[IFNAMSIZ])
{
    char hex[9];
    size_t i;
    size_t n = 0;
    int len;

    for (i = 0; uuid && uuid[i] && n < 8; i++) {
        if (uuid[i] != '-')
            hex[n++] = uuid[i];
    }
    hex[n] = '\0';
    len = snprintf(buf, IFNAMSIZ, "vsh%s-%zu", hex, idx);
    if (len < 0 || len >= IFNAMSIZ) {
        errno = ERANGE;
        return -1;
    }
    return 0;
}

static void
lxc_net_peer_name(size_t idx, char buf[IFNAMSIZ])
{
    /* pid_max is at most 2^22, seven digits: "vp" + 7 + "." + 3 fits in IFNAMSIZ. */
    snprintf(buf, IFNAMSIZ, "vp%u.%u", (unsigned int) lxc_net_owner_pid % 10000000u,
             (unsigned int) (idx % 1000));
}

/* Creates pair @idx, its peer in @netns_fd, and wires its host end. */
static int
lxc_net_prepare_one(int fd, const struct vsh_launch_net *net, size_t idx, int netns_fd,
                    const char **ret_step)
{
    char peer[IFNAMSIZ];
    int master = 0;
    int host_index;

    if (net->type == VSH_LAUNCH_NET_BRIDGE) {
        master = (int) if_nametoindex(net->bridge);
        if (master == 0) {
            errno = ENODEV;
            *ret_step = lxc_net_step("find bridge", net->bridge);
            return -1;
        }
    }
    lxc_net_peer_name(idx, peer);
    if (lxc_nl_veth_create(fd, net->host_dev, peer, netns_fd) < 0) {
        *ret_step = lxc_net_step("create veth pair", net->host_dev);
        return -1;
    }
    lxc_net_created[idx] = 1;
    host_index = (int) if_nametoindex(net->host_dev);
    if (host_index == 0 || lxc_nl_link_change(fd, host_index, NULL, NULL, master, 1) < 0) {
        *ret_step = master ? lxc_net_step("attach veth to bridge", net->bridge)
                           : lxc_net_step("bring up veth", net->host_dev);
        return -1;
    }
    return 0;
}

int
lxc_net_prepare(const struct vsh_launch *l, int netns_fd, const char **ret_step)
{
    size_t i;

    lxc_net_owner_pid = getpid();
    if (l->n_nets == 0)
        return 0;
    memset(lxc_net_created, 0, sizeof(lxc_net_created));
    if (l->n_nets > LXC_NET_MAX) {
        errno = E2BIG;
        *ret_step = "too many network interfaces";
        return -1;
    }
    if (lxc_net_host_fd < 0 && (lxc_net_host_fd = lxc_nl_open()) < 0) {
        *ret_step = "open rtnetlink socket";
        return -1;
    }
    for (i = 0; i < l->n_nets; i++) {
        if (lxc_net_prepare_one(lxc_net_host_fd, &l->nets[i], i, netns_fd, ret_step) < 0) {
            int saved = errno;

            lxc_net_teardown(l);
            errno = saved;
            return -1;
        }
    }
    return 0;
}

/* Parses @text as an address of @family into @buf (16 bytes); returns its length or -1. */
static int
lxc_net_addr_parse(int family, const char *text, unsigned char buf[16])
{
    if (inet_pton(family, text, buf) != 1) {
        errno = EINVAL;
        return -1;
    }
    return family == AF_INET ? 4 : 16;
}

static int
lxc_net_addr_add(int fd, int index, const struct vsh_launch_ip *ip)
{
    lxc_nl_msg msg;
    struct ifaddrmsg ifa = { .ifa_family = ip->family, .ifa_index = index };
    struct nlmsghdr *nh;
    unsigned char addr[16];
    int len;

    if ((len = lxc_net_addr_parse(ip->family, ip->address, addr)) < 0)
        return -1;
    ifa.ifa_prefixlen = ip->prefix ? ip->prefix : (ip->family == AF_INET ? 24 : 64);
    nh = lxc_nl_init(&msg, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
    if (!lxc_nl_put(nh, IFA_LOCAL, addr, len) || !lxc_nl_put(nh, IFA_ADDRESS, addr, len))
        return -1;
    if (ip->family == AF_INET && ifa.ifa_prefixlen < 31) {
        uint32_t a;
        uint32_t host_bits = 0xffffffffu >> ifa.ifa_prefixlen;

        memcpy(&a, addr, 4);
        a = htonl(ntohl(a) | host_bits);
        if (!lxc_nl_put(nh, IFA_BROADCAST, &a, 4))
            return -1;
    }
    return lxc_nl_talk(fd, nh);
}

static int
lxc_net_route_add(int fd, int index, const struct vsh_launch_route *route)
{
    lxc_nl_msg msg;
    struct rtmsg rtm = {
        .rtm_family = route->family,
        .rtm_dst_len = route->prefix,
        .rtm_table = RT_TABLE_MAIN,
        .rtm_protocol = RTPROT_BOOT,
        .rtm_scope = route->gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
        .rtm_type = RTN_UNICAST,
    };
    struct nlmsghdr *nh;
    unsigned char addr[16];
    int len;

    nh = lxc_nl_init(&msg, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof(rtm));
    if (route->prefix > 0) {
        if ((len = lxc_net_addr_parse(route->family, route->dest, addr)) < 0 ||
            !lxc_nl_put(nh, RTA_DST, addr, len))
            return -1;
    }
    if (route->gateway) {
        if ((len = lxc_net_addr_parse(route->family, route->gateway, addr)) < 0 ||
            !lxc_nl_put(nh, RTA_GATEWAY, addr, len))
            return -1;
    }
    if (!lxc_nl_put(nh, RTA_OIF, &index, sizeof(index)))
        return -1;
    return lxc_nl_talk(fd, nh);
}

static int
lxc_net_mac_parse(const char *text, unsigned char mac[6])
{
    unsigned int b[6];
    int i;

    if (!text || sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4],
                        &b[5]) != 6) {
        errno = EINVAL;
        return -1;
    }
    for (i = 0; i < 6; i++)
        mac[i] = (unsigned char) b[i];
    return 0;
}

/* In the container's namespace: the peer end named @peer becomes @net's guest end. */
static int
lxc_net_setup_link(int fd, const char *peer, const struct vsh_launch_net *net,
                   const char **ret_step)
{
    unsigned char mac[6];
    int index;
    size_t i;

    if ((index = (int) if_nametoindex(peer)) == 0) {
        *ret_step = lxc_net_step("find veth in the container", peer);
        return -1;
    }
    if (lxc_net_mac_parse(net->mac, mac) < 0 ||
        lxc_nl_link_change(fd, index, net->guest_dev, mac, 0, 0) < 0) {
        *ret_step = lxc_net_step("rename and set the MAC of", net->guest_dev);
        return -1;
    }
    if (lxc_nl_link_change(fd, index, NULL, NULL, 0, 1) < 0) {
        *ret_step = lxc_net_step("bring up", net->guest_dev);
        return -1;
    }
    for (i = 0; i < net->n_ips; i++) {
        if (lxc_net_addr_add(fd, index, &net->ips[i]) < 0) {
            *ret_step = lxc_net_step("add address", net->ips[i].address);
            return -1;
        }
    }
    for (i = 0; i < net->n_routes; i++) {
        if (lxc_net_route_add(fd, index, &net->routes[i]) < 0) {
            *ret_step = lxc_net_step("add route to", net->routes[i].dest);
            return -1;
        }
    }
    return 0;
}

static int
lxc_net_setup_one(int fd, const struct vsh_launch_net *net, size_t idx, const char **ret_step)
{
    char peer[IFNAMSIZ];

    lxc_net_peer_name(idx, peer);
    return lxc_net_setup_link(fd, peer, net, ret_step);
}

int
lxc_net_setup_lo(const char **ret_step)
{
    int fd;
    int ret;
    int saved;

    if ((fd = lxc_nl_open()) < 0) {
        *ret_step = "open rtnetlink socket";
        return -1;
    }
    /* lo is index 1 in every network namespace (LOOPBACK_IFINDEX): no lookup needed */
    ret = lxc_nl_link_change(fd, 1, NULL, NULL, 0, 1);
    saved = errno;
    close(fd);
    errno = saved;
    if (ret < 0)
        *ret_step = "bring up lo";
    return ret;
}

int
lxc_net_setup_guest(const struct vsh_launch *l, const char **ret_step)
{
    size_t i;
    int fd;
    int saved;

    if ((fd = lxc_nl_open()) < 0) {
        *ret_step = "open rtnetlink socket";
        return -1;
    }
    for (i = 0; i < l->n_nets; i++) {
        if (lxc_net_setup_one(fd, &l->nets[i], i, ret_step) < 0) {
            saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
    }
    close(fd);
    return 0;
}

/* The answer to RTM_GETLINK carries every attribute of the link (the IPv6 settings and
 * counters alone take over a kilobyte), more than requests ever need. */
#define LXC_NL_LINK_BUFSIZE 16384

/* Copies IFLA_STATS64 out of the RTM_NEWLINK message @r. */
static int
lxc_nl_link_stats64(struct nlmsghdr *r, struct rtnl_link_stats64 *ret_stats)
{
    struct rtattr *rta = IFLA_RTA((struct ifinfomsg *) NLMSG_DATA(r));
    int len = (int) IFLA_PAYLOAD(r);

    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        size_t n = RTA_PAYLOAD(rta);

        if (rta->rta_type != IFLA_STATS64)
            continue;
        /* An older or newer kernel may know fewer or more counters than this header. */
        memset(ret_stats, 0, sizeof(*ret_stats));
        memcpy(ret_stats, RTA_DATA(rta), n < sizeof(*ret_stats) ? n : sizeof(*ret_stats));
        return 0;
    }
    errno = ENODATA;
    return -1;
}

/* Sends the RTM_GETLINK @nh and reads the link out of the kernel's answer. */
static int
lxc_nl_link_query(int fd, struct nlmsghdr *nh, struct rtnl_link_stats64 *ret_stats)
{
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    alignas(struct nlmsghdr) char reply[LXC_NL_LINK_BUFSIZE];
    ssize_t n;

    nh->nlmsg_seq = 1;          /* the socket is ours alone and asks once */
    if (sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0)
        return -1;
    for (;;) {
        struct nlmsghdr *r;

        do {
            n = recv(fd, reply, sizeof(reply), MSG_TRUNC);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return -1;
        if ((size_t) n > sizeof(reply)) {
            errno = EMSGSIZE;
            return -1;
        }
        for (r = (struct nlmsghdr *) reply; NLMSG_OK(r, (size_t) n); r = NLMSG_NEXT(r, n)) {
            if (r->nlmsg_seq != nh->nlmsg_seq)
                continue;
            if (r->nlmsg_type == RTM_NEWLINK)
                return lxc_nl_link_stats64(r, ret_stats);
            if (r->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *err = NLMSG_DATA(r);

                errno = err->error ? -err->error : EPROTO;
                return -1;
            }
        }
    }
}

typedef struct {
    int ns_fd;                  /* the namespace to enter */
    int fd;                     /* out: the socket, or -1 */
    int err;                    /* out: errno when fd is -1 */
} lxc_nl_open_args;

/* The whole life of a thread that enters a network namespace to make a socket in it; the
 * namespace goes with the thread, the socket stays with the process. */
static void *
lxc_nl_open_thread(void *opaque)
{
    lxc_nl_open_args *a = opaque;

    if (setns(a->ns_fd, CLONE_NEWNET) < 0 || (a->fd = lxc_nl_open()) < 0)
        a->err = errno;
    return NULL;
}

/* A netlink socket of the network namespace @ns_fd refers to. A socket keeps the
 * namespace it was made in, so a short-lived thread enters it to make one and the process
 * itself never changes namespace; no thread when it is ours already. */
static int
lxc_nl_open_ns(int ns_fd)
{
    lxc_nl_open_args a = { .ns_fd = ns_fd, .fd = -1, .err = 0 };
    struct stat theirs;
    struct stat ours;
    pthread_t thread;
    int r;

    if (fstat(ns_fd, &theirs) == 0 && stat("/proc/thread-self/ns/net", &ours) == 0 &&
        theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
        return lxc_nl_open();
    if ((r = pthread_create(&thread, NULL, lxc_nl_open_thread, &a)) == 0)
        r = pthread_join(thread, NULL);
    if (r != 0) {
        if (a.fd >= 0)
            close(a.fd);
        errno = r;
        return -1;
    }
    errno = a.err;
    return a.fd;
}

/* The same for the network namespace process @pid is in; ours when @pid is 0. */
static int
lxc_nl_open_in(pid_t pid)
{
    char path[64];
    int ns_fd;
    int fd;
    int saved;

    if (pid <= 0)
        return lxc_nl_open();
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) pid);
    if ((ns_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    fd = lxc_nl_open_ns(ns_fd);
    saved = errno;
    close(ns_fd);
    errno = saved;
    return fd;
}

int
lxc_net_link_stats(pid_t netns_pid, const char *name, struct rtnl_link_stats64 *ret_stats)
{
    lxc_nl_msg msg;
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nlmsghdr *nh;
    int fd;
    int ret = -1;
    int saved;

    if ((fd = lxc_nl_open_in(netns_pid)) < 0)
        return -1;
    nh = lxc_nl_init(&msg, RTM_GETLINK, 0, &ifi, sizeof(ifi));
    nh->nlmsg_flags = NLM_F_REQUEST; /* the answer is the link itself, no acknowledgement */
    if (lxc_nl_put_str(nh, IFLA_IFNAME, name))
        ret = lxc_nl_link_query(fd, nh, ret_stats);
    saved = errno;
    close(fd);
    errno = saved;
    return ret;
}

/* ------------------------------------------------------------------ hot-plugging */

typedef struct {
    int host_ns;                        /* where the host end goes (the monitor's) */
    int guest_ns;                       /* the container's */
    const struct vsh_launch_net *net;
    char guest[IFNAMSIZ];               /* out: the guest end's name */
    char step[96];                      /* out: what failed */
    int err;                            /* out: its errno, 0 on success */
} lxc_hotplug_args;

static void
lxc_hotplug_fail(lxc_hotplug_args *a, const char *what, const char *name)
{
    a->err = errno ? errno : EIO;
    if (name)
        snprintf(a->step, sizeof(a->step), "%s '%s'", what, name);
    else
        snprintf(a->step, sizeof(a->step), "%s", what);
}

/* The first ethN this namespace does not have. */
static void
lxc_hotplug_guest_name(char buf[IFNAMSIZ])
{
    unsigned int i;

    for (i = 0; i < 1000; i++) {
        snprintf(buf, IFNAMSIZ, "eth%u", i);
        if (if_nametoindex(buf) == 0)
            return;
    }
}

/*
 * The whole plug, in a thread of its own that enters the namespaces in turn (a thread's
 * network namespace is its own, and goes with it): the pair made from the host's, its peer
 * made in the container's at once and named after this thread so that no other plug or
 * start can take the name, and set up there. On failure the host end is deleted, and with
 * it the peer.
 */
static void *
lxc_hotplug_thread(void *opaque)
{
    lxc_hotplug_args *a = opaque;
    struct vsh_launch_net net = *a->net;
    char peer[IFNAMSIZ];
    int host_fd = -1;
    int guest_fd = -1;
    int created = 0;
    int master = 0;
    int index;

    snprintf(peer, sizeof(peer), "vh%u", (unsigned int) gettid() % 10000000u);
    errno = 0;
    if (setns(a->host_ns, CLONE_NEWNET) < 0) {
        lxc_hotplug_fail(a, "enter the network namespace of the container's monitor", NULL);
        goto out;
    }
    if ((host_fd = lxc_nl_open()) < 0) {
        lxc_hotplug_fail(a, "open rtnetlink socket", NULL);
        goto out;
    }
    if (net.type == VSH_LAUNCH_NET_BRIDGE && (master = (int) if_nametoindex(net.bridge)) == 0) {
        errno = ENODEV;
        lxc_hotplug_fail(a, "find bridge", net.bridge);
        goto out;
    }
    if (lxc_nl_veth_create(host_fd, net.host_dev, peer, a->guest_ns) < 0) {
        lxc_hotplug_fail(a, "create veth pair", net.host_dev);
        goto out;
    }
    created = 1;
    if ((index = (int) if_nametoindex(net.host_dev)) == 0 ||
        lxc_nl_link_change(host_fd, index, NULL, NULL, master, 1) < 0) {
        lxc_hotplug_fail(a, master ? "attach veth to bridge" : "bring up veth",
                         master ? net.bridge : net.host_dev);
        goto out;
    }
    if (setns(a->guest_ns, CLONE_NEWNET) < 0) {
        lxc_hotplug_fail(a, "enter the container's network namespace", NULL);
        goto out;
    }
    if (net.guest_dev)
        snprintf(a->guest, sizeof(a->guest), "%s", net.guest_dev);
    else
        lxc_hotplug_guest_name(a->guest);
    net.guest_dev = a->guest;
    if (if_nametoindex(a->guest) != 0) {
        errno = EEXIST;
        lxc_hotplug_fail(a, "name the interface in the container", a->guest);
        goto out;
    }
    if ((guest_fd = lxc_nl_open()) < 0) {
        lxc_hotplug_fail(a, "open rtnetlink socket in the container", NULL);
        goto out;
    }
    {
        const char *step = NULL;

        if (lxc_net_setup_link(guest_fd, peer, &net, &step) < 0)
            lxc_hotplug_fail(a, step ? step : "set up the interface", NULL);
    }
out:
    if (a->err && created)
        (void) lxc_nl_link_delete(host_fd, net.host_dev);
    if (guest_fd >= 0)
        (void) close(guest_fd);
    if (host_fd >= 0)
        (void) close(host_fd);
    return NULL;
}

int
lxc_net_hotplug(pid_t host_pid, pid_t init_pid, const struct vsh_launch_net *net,
                char ret_guest[IFNAMSIZ], char ret_step[96])
{
    lxc_hotplug_args a = { .host_ns = -1, .guest_ns = -1, .net = net };
    char path[64];
    pthread_t thread;
    int r;

    snprintf(ret_step, 96, "open the container's network namespace");
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) init_pid);
    if ((a.guest_ns = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) host_pid);
    if ((a.host_ns = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        r = errno;
        snprintf(ret_step, 96, "open the network namespace of the container's monitor");
        (void) close(a.guest_ns);
        errno = r;
        return -1;
    }
    if ((r = pthread_create(&thread, NULL, lxc_hotplug_thread, &a)) == 0)
        r = pthread_join(thread, NULL);
    else
        snprintf(a.step, sizeof(a.step), "start a thread");
    (void) close(a.guest_ns);
    (void) close(a.host_ns);
    if (r == 0 && a.err == 0) {
        memcpy(ret_guest, a.guest, IFNAMSIZ);
        return 0;
    }
    memcpy(ret_step, a.step, 96);
    errno = r ? r : a.err;
    return -1;
}

bool
lxc_net_same_netns(pid_t a, pid_t b)
{
    char path[64];
    struct stat sa;
    struct stat sb;

    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) a);
    if (stat(path, &sa) < 0)
        return false;
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) b);
    return stat(path, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Deletes the link @name through the netlink socket @fd (-1: it could not be opened),
 * which it closes: 0 also when there is no such link. */
static int
lxc_net_link_delete_with(int fd, const char *name)
{
    int ret;
    int saved;

    if (fd < 0)
        return -1;
    ret = lxc_nl_link_delete(fd, name);
    saved = errno;
    close(fd);
    if (ret < 0 && saved == ENODEV)
        return 0;
    errno = saved;
    return ret;
}

int
lxc_net_link_delete_ns(int ns_fd, const char *name)
{
    return lxc_net_link_delete_with(lxc_nl_open_ns(ns_fd), name);
}

int
lxc_net_link_delete_in(pid_t netns_pid, const char *name)
{
    return lxc_net_link_delete_with(lxc_nl_open_in(netns_pid), name);
}

int
lxc_net_link_delete(const char *name)
{
    return lxc_net_link_delete_with(lxc_nl_open(), name);
}

void
lxc_net_reclaim(const struct vsh_launch *l)
{
    size_t i;
    int fd;

    if (l->n_nets == 0 || (fd = lxc_nl_open()) < 0)
        return;
    for (i = 0; i < l->n_nets; i++)
        (void) lxc_nl_link_delete(fd, l->nets[i].host_dev);
    close(fd);
}

void
lxc_net_teardown(const struct vsh_launch *l)
{
    size_t i;

    if (lxc_net_host_fd < 0)
        return;
    for (i = 0; i < l->n_nets && i < LXC_NET_MAX; i++) {
        if (lxc_net_created[i])
            (void) lxc_nl_link_delete(lxc_net_host_fd, l->nets[i].host_dev);
        lxc_net_created[i] = 0;
    }
    close(lxc_net_host_fd);
    lxc_net_host_fd = -1;
}
