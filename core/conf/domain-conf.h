/*
 * domain-conf.h — the in-memory form of a domain definition (libvirt's domain XML) and its
 * parse/format/validate entry points.
 *
 * One file pair per section does the work (domain-general, domain-os, domain-tune,
 * domain-fs, domain-net, domain-console, domain-disk); domain-conf.c holds the <domain>
 * skeleton and delegates each child element.
 *
 * Pipeline: vsh_xml_parse -> RelaxNG (xml-schemas/domain.rng) -> parse -> post_parse
 * (defaults: uuid, currentMemory, vcpus ...) -> validate (cross-field rules).
 * Formatting is deterministic and leaves out what was absent from the input, so
 * format(parse(format(x))) == format(x).
 *
 * Memory sizes are kept in KiB, as libvirt does; all units are accepted on input and
 * formatted as unit='KiB'.
 */
#ifndef VSH_CONF_DOMAIN_CONF_H
#define VSH_CONF_DOMAIN_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "util/enum.h"

typedef enum {
    VSH_TRISTATE_ABSENT = 0,
    VSH_TRISTATE_YES,
    VSH_TRISTATE_NO,
    VSH_TRISTATE_LAST
} vsh_tristate;
VSH_ENUM_DECL(vsh_tristate);   /* "default", "yes", "no" */

typedef enum {
    VSH_DOMAIN_TYPE_LXC = 0,
    VSH_DOMAIN_TYPE_CHROOT,
    VSH_DOMAIN_TYPE_QEMU,
    VSH_DOMAIN_TYPE_LAST
} vsh_domain_type;
VSH_ENUM_DECL(vsh_domain_type); /* "lxc", "chroot", "qemu" */

typedef enum {
    VSH_OS_TYPE_EXE = 0,        /* containers and jails: run an init program */
    VSH_OS_TYPE_HVM,            /* virtual machines */
    VSH_OS_TYPE_LAST
} vsh_os_type;
VSH_ENUM_DECL(vsh_os_type);     /* "exe", "hvm" */

typedef enum {
    VSH_LIFECYCLE_DESTROY = 0,
    VSH_LIFECYCLE_RESTART,
    VSH_LIFECYCLE_RESTART_RENAME,
    VSH_LIFECYCLE_PRESERVE,
    VSH_LIFECYCLE_COREDUMP_DESTROY,
    VSH_LIFECYCLE_COREDUMP_RESTART,
    VSH_LIFECYCLE_LAST
} vsh_lifecycle_action;
/* "destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart" */
VSH_ENUM_DECL(vsh_lifecycle_action);

typedef enum {
    VSH_BOOT_HD = 0,
    VSH_BOOT_CDROM,
    VSH_BOOT_NETWORK,
    VSH_BOOT_FD,
    VSH_BOOT_LAST
} vsh_boot_dev;
VSH_ENUM_DECL(vsh_boot_dev);    /* "hd", "cdrom", "network", "fd" */

/* ---------------------------------------------------------------- <os> (domain-os.c) */

typedef struct {
    char *name;
    char *value;
} vsh_env_var;

typedef struct {
    vsh_os_type type;
    char *arch;                 /* <type arch='x86_64'>, NULL if absent */
    char *machine;              /* <type machine='...'>, NULL if absent */
    char *init;                 /* <init> */
    GPtrArray *initargs;        /* of char *, <initarg> in order (never NULL) */
    GPtrArray *initenv;         /* of vsh_env_var *, <initenv name='...'> (never NULL) */
    char *initdir;              /* <initdir> */
    char *inituser;             /* <inituser>: a name or a number */
    char *initgroup;            /* <initgroup>: a name or a number */
    GArray *boot;               /* of int vsh_boot_dev, <boot dev='...'/> in order (never NULL) */
} vsh_os_def;

/* ---------------------------------------------------------------- <idmap> (domain-os.c) */

typedef struct {
    unsigned int start;         /* first id inside */
    unsigned int target;        /* first id outside */
    unsigned int count;
} vsh_idmap_entry;

typedef struct {
    GArray *uid;                /* of vsh_idmap_entry (never NULL) */
    GArray *gid;                /* of vsh_idmap_entry (never NULL) */
} vsh_idmap_def;

/* ------------------------------------------- <cputune>, <memtune>, <vcpu> (domain-tune.c) */

typedef struct {
    bool has_shares;
    guint64 shares;
    bool has_period;
    guint64 period;             /* microseconds, 1000..1000000 */
    bool has_quota;
    gint64 quota;               /* microseconds, -1 or 1000..17592186044415 */
} vsh_cputune_def;

typedef struct {
    /* KiB; 0 = absent (not limited) */
    guint64 hard_limit;
    guint64 soft_limit;
    guint64 swap_hard_limit;
} vsh_memtune_def;

/* ------------------------------------------------------------ <blkiotune> (domain-tune.c) */

/* The settings of one block device, in libvirt's order of them (and vsh.h's
 * vsh_blkio_device_field). */
typedef enum {
    VSH_BLKIO_WEIGHT = 0,           /* 100..1000 */
    VSH_BLKIO_READ_IOPS_SEC,
    VSH_BLKIO_WRITE_IOPS_SEC,
    VSH_BLKIO_READ_BYTES_SEC,
    VSH_BLKIO_WRITE_BYTES_SEC,
    VSH_BLKIO_FIELD_LAST
} vsh_blkio_field;

/* libvirt's element name of @field ("read_iops_sec") */
const char *vsh_blkio_field_to_string(int field);

#define VSH_BLKIO_WEIGHT_MIN 100
#define VSH_BLKIO_WEIGHT_MAX 1000

typedef struct {
    char *path;                             /* <path>: a block device */
    guint64 value[VSH_BLKIO_FIELD_LAST];    /* 0 = not set */
} vsh_blkio_device_def;

typedef struct {
    unsigned int weight;        /* <weight>, 0 = absent */
    GPtrArray *devices;         /* of vsh_blkio_device_def * (never NULL) */
} vsh_blkiotune_def;

void vsh_blkio_device_def_free(vsh_blkio_device_def *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_blkio_device_def, vsh_blkio_device_def_free)
/* Whether @bt sets anything (a weight or a device). */
bool vsh_blkiotune_is_set(const vsh_blkiotune_def *bt);
/* The entry of @path in @bt, or NULL. */
vsh_blkio_device_def *vsh_blkiotune_find_device(const vsh_blkiotune_def *bt, const char *path);

/* ---------------------------------------------------------------- devices */

typedef enum {
    VSH_FS_TYPE_MOUNT = 0,      /* bind mount of a host directory */
    VSH_FS_TYPE_RAM,            /* tmpfs */
    VSH_FS_TYPE_LAST
} vsh_fs_type;
VSH_ENUM_DECL(vsh_fs_type);     /* "mount", "ram" */

typedef enum {
    VSH_FS_ACCESS_DEFAULT = 0,  /* absent */
    VSH_FS_ACCESS_PASSTHROUGH,
    VSH_FS_ACCESS_MAPPED,
    VSH_FS_ACCESS_SQUASH,
    VSH_FS_ACCESS_LAST
} vsh_fs_access;
VSH_ENUM_DECL(vsh_fs_access);   /* "default", "passthrough", "mapped", "squash" */

typedef struct {                /* <filesystem> (domain-fs.c) */
    vsh_fs_type type;
    vsh_fs_access accessmode;
    char *source;               /* <source dir='...'/> for mount; NULL for ram */
    guint64 usage_kib;          /* <source usage='...' units='...'/> for ram; 0 = no limit */
    char *target;               /* <target dir='...'/> */
    bool readonly;              /* <readonly/> */
} vsh_fs_def;

typedef enum {
    VSH_NET_TYPE_BRIDGE = 0,
    VSH_NET_TYPE_ETHERNET,
    VSH_NET_TYPE_LAST
} vsh_net_type;
VSH_ENUM_DECL(vsh_net_type);    /* "bridge", "ethernet" */

typedef struct {
    char *address;              /* "192.168.122.10" or an IPv6 address */
    int family;                 /* AF_INET / AF_INET6 */
    unsigned int prefix;        /* 0 = absent */
    char *peer;                 /* NULL if absent */
} vsh_net_ip_def;

typedef struct {
    char *address;              /* destination; "0.0.0.0" for a default route */
    int family;
    unsigned int prefix;
    char *gateway;
} vsh_net_route_def;

typedef struct {                /* <interface> (domain-net.c) */
    vsh_net_type type;
    char *bridge;               /* <source bridge='...'/> for type bridge */
    char *mac;                  /* <mac address='...'/>, normalised lowercase; generated in
                                 * post_parse when absent (libvirt's 52:54:00 prefix) */
    bool mac_generated;         /* the mac was generated, not given */
    char *target_dev;           /* <target dev='...'/>: host-side name */
    char *guest_dev;            /* <guest dev='...'/>: name inside the container */
    char *model;                /* <model type='...'/>, NULL if absent */
    GPtrArray *ips;             /* of vsh_net_ip_def * (never NULL) */
    GPtrArray *routes;          /* of vsh_net_route_def * (never NULL) */
} vsh_net_def;

typedef enum {
    VSH_CONSOLE_TYPE_PTY = 0,
    VSH_CONSOLE_TYPE_LAST
} vsh_console_type;
VSH_ENUM_DECL(vsh_console_type); /* "pty" */

typedef struct {                /* <console> (domain-console.c) */
    vsh_console_type type;
    char *target_type;          /* <target type='lxc'/>, NULL if absent */
    int target_port;            /* <target port='0'/>, -1 if absent */
    char *source_path;          /* live XML only: <source path='/dev/pts/3'/> */
} vsh_console_def;

typedef enum {
    VSH_DISK_TYPE_FILE = 0,
    VSH_DISK_TYPE_BLOCK,
    VSH_DISK_TYPE_LAST
} vsh_disk_type;
VSH_ENUM_DECL(vsh_disk_type);   /* "file", "block" */

typedef enum {
    VSH_DISK_DEVICE_DISK = 0,
    VSH_DISK_DEVICE_CDROM,
    VSH_DISK_DEVICE_LAST
} vsh_disk_device;
VSH_ENUM_DECL(vsh_disk_device); /* "disk", "cdrom" */

typedef struct {                /* <disk> (domain-disk.c) */
    vsh_disk_type type;
    vsh_disk_device device;
    char *driver_name;          /* <driver name='qemu' type='raw'/>, NULL if absent */
    char *driver_type;
    char *source;               /* <source file='...'/> or <source dev='...'/> */
    char *target_dev;           /* <target dev='vda' bus='virtio'/> */
    char *target_bus;           /* NULL if absent */
    bool readonly;
} vsh_disk_def;

/* ------------------------------------ <features><capabilities> (domain-general.c) */

typedef enum {
    VSH_CAPS_POLICY_DEFAULT = 0,    /* the driver's bounding set, changed one by one */
    VSH_CAPS_POLICY_ALLOW,          /* every capability but those turned off */
    VSH_CAPS_POLICY_DENY,           /* none but those turned on */
    VSH_CAPS_POLICY_LAST
} vsh_caps_policy;
VSH_ENUM_DECL(vsh_caps_policy);     /* "default", "allow", "deny" */

typedef struct {
    int cap;                        /* CAP_* number */
    bool on;                        /* state='on' or 'off' */
} vsh_cap_state;

/* libvirt's name of capability @cap ("sys_time" for CAP_SYS_TIME), or NULL when libvirt's
 * format has none; and back, -1 for an unknown name. */
const char *vsh_cap_to_string(int cap);
int vsh_cap_from_string(const char *name);
/* A capability's number from the kernel's name of it, with or without "CAP_", in either
 * case ("CAP_NET_ADMIN", "net_admin"), for every capability up to CAP_CHECKPOINT_RESTORE;
 * -1 for an unknown name. */
int vsh_cap_from_kernel_name(const char *name);

/* ---------------------------------------------------------------- vsh's own metadata */

#define VSH_METADATA_NS "urn:vsh:domain:1.0"

typedef struct {
    int resource;               /* RLIMIT_* */
    guint64 soft;               /* RLIM_INFINITY for unlimited */
    guint64 hard;
} vsh_rlimit_def;

/* <metadata><vsh:vsh xmlns:vsh='VSH_METADATA_NS'> ... </vsh:vsh></metadata> */
typedef struct {
    bool present;               /* the vsh element was in the input */
    bool has_pids_limit;
    guint64 pids_limit;         /* <vsh:pids limit='N'/> */
    GPtrArray *caps_keep;       /* of char * "CAP_NET_ADMIN" (<vsh:capability name= keep=yes>) */
    GPtrArray *caps_drop;       /* of char *, likewise with keep='no' */
    vsh_tristate seccomp;       /* <vsh:seccomp enabled='yes|no'/> */
    GArray *rlimits;            /* of vsh_rlimit_def (<vsh:rlimit name='nofile' soft= hard=/>) */
} vsh_metadata_def;

/* ---------------------------------------------------------------- the domain */

typedef struct vsh_domain_def vsh_domain_def;

struct vsh_domain_def {
    vsh_domain_type type;
    int id;                     /* live XML only: <domain id='...'>, -1 otherwise */

    /* domain-general.c */
    char *name;
    unsigned char uuid[16];     /* generated in post_parse when absent */
    bool uuid_generated;        /* post_parse made it up: no other domain can have it. A
                                 * fact about one parse, kept neither in XML nor in the
                                 * binary form */
    char *title;
    char *description;
    char *metadata_other;       /* the other children of <metadata>, serialised verbatim */
    vsh_metadata_def vsh;       /* vsh's own metadata */
    vsh_lifecycle_action on_poweroff;   /* defaults: destroy, restart, destroy */
    vsh_lifecycle_action on_reboot;
    vsh_lifecycle_action on_crash;
    bool has_on_poweroff;       /* present in the input (formatting leaves defaults out) */
    bool has_on_reboot;
    bool has_on_crash;
    vsh_tristate privnet;       /* <features><privnet/></features> (YES when present) */
    bool has_caps;              /* <features><capabilities policy=...> present */
    vsh_caps_policy caps_policy;
    GArray *cap_states;         /* of vsh_cap_state, in libvirt's order (never NULL) */

    /* domain-tune.c */
    guint64 max_memory_kib;     /* <memory> */
    guint64 cur_memory_kib;     /* <currentMemory>; equal to max_memory_kib when absent */
    bool has_cur_memory;
    unsigned int vcpus;         /* <vcpu> (default 1) */
    unsigned int vcpus_current; /* <vcpu current='N'>; 0 = absent */
    char *cpuset;               /* <vcpu cpuset='...'>, NULL if absent */
    vsh_cputune_def cputune;
    vsh_memtune_def memtune;
    vsh_blkiotune_def blkiotune;

    /* domain-os.c */
    vsh_os_def os;
    vsh_idmap_def idmap;

    /* devices */
    char *emulator;             /* <emulator>, NULL if absent */
    GPtrArray *disks;           /* of vsh_disk_def * (never NULL) */
    GPtrArray *filesystems;     /* of vsh_fs_def * (never NULL) */
    GPtrArray *interfaces;      /* of vsh_net_def * (never NULL) */
    GPtrArray *consoles;        /* of vsh_console_def * (never NULL) */
};

/* An empty definition with every list allocated and the defaults set (id -1, vcpus 1...). */
vsh_domain_def *vsh_domain_def_new(void);
void vsh_domain_def_free(vsh_domain_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_domain_def, vsh_domain_def_free)

typedef enum {
    VSH_DOMAIN_DEF_PARSE_LIVE = 1 << 0,   /* accept live-only data (id, console source) */
    VSH_DOMAIN_DEF_PARSE_NO_SCHEMA = 1 << 1, /* skip RelaxNG (for the store's own files) */
    VSH_DOMAIN_DEF_PARSE_NO_VALIDATE = 1 << 2, /* skip the cross-field rules (a device
                                                * described only to be found and removed) */
} vsh_domain_def_parse_flags;

/*
 * Parses, schema-validates, post-parses and validates a domain document.
 * @filename names the document in errors ("web.xml:4: ..."); NULL means "<string>".
 * Returns a new def, or NULL with @error set (VSH_ERROR_INVALID_XML, with the line).
 */
vsh_domain_def *vsh_domain_def_parse_string(const char *xml, const char *filename,
                                            unsigned int flags, GError **error);
vsh_domain_def *vsh_domain_def_parse_file(const char *path, unsigned int flags,
                                          GError **error);

/* The kinds of device a definition lists, and that can be added to one or removed. */
typedef enum {
    VSH_DEVICE_DISK = 0,
    VSH_DEVICE_FILESYSTEM,
    VSH_DEVICE_INTERFACE,
    VSH_DEVICE_LAST
} vsh_device_kind;
VSH_ENUM_DECL(vsh_device_kind); /* "disk", "filesystem", "interface": the element names */

/*
 * @domain_xml (a definition as vsh_domain_def_format() writes it) with the device element
 * that @device_xml holds appended to its <devices>, parsed with @flags: the device is the
 * last of its kind in the result, *ret_kind says which. Errors about the device carry
 * @filename (NULL: "<string>") and its line in @device_xml. With
 * VSH_DOMAIN_DEF_PARSE_NO_VALIDATE the device is still checked on its own and against the
 * schema, but not against the rest of the definition (it may repeat a device there).
 */
vsh_domain_def *vsh_domain_def_parse_with_device(const char *domain_xml, unsigned int flags,
                                                 const char *device_xml, const char *filename,
                                                 vsh_device_kind *ret_kind, GError **error);

/* The list of @kind in @def (of vsh_disk_def *, vsh_fs_def * or vsh_net_def *). */
GPtrArray *vsh_domain_def_devices(const vsh_domain_def *def, vsh_device_kind kind);

typedef enum {
    VSH_DOMAIN_DEF_FORMAT_LIVE = 1 << 0,  /* include live-only data (id, console source) */
} vsh_domain_def_format_flags;

/* The XML text of @def (2-space indent, trailing newline). Never fails. */
char *vsh_domain_def_format(const vsh_domain_def *def, unsigned int flags);

/* A deep copy (by format + parse of the live form). */
vsh_domain_def *vsh_domain_def_copy(const vsh_domain_def *def);

/* Cross-field rules that the schema cannot express (currentMemory <= memory, a root
 * filesystem for lxc/chroot, unique targets ...). Called by parse; exposed for callers that
 * build a def in code (vsh-install). */
int vsh_domain_def_validate(const vsh_domain_def *def, GError **error);

/* Fills defaults (uuid, currentMemory, interface MACs). Called by parse. */
int vsh_domain_def_post_parse(vsh_domain_def *def, GError **error);

/* The <filesystem> whose target is "/", or NULL. */
const vsh_fs_def *vsh_domain_def_get_root_fs(const vsh_domain_def *def);

/* Domain names (DESIGN.md): 1-64 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
bool vsh_domain_name_is_valid(const char *name);
int vsh_domain_name_check(const char *name, GError **error);

/* UUIDs: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hyphens optional on input). */
int vsh_uuid_parse(const char *str, unsigned char ret_uuid[16]);
void vsh_uuid_format(const unsigned char uuid[16], char ret_buf[37]);
void vsh_uuid_generate(unsigned char ret_uuid[16]);

/* Memory sizes with libvirt's units: "b", "bytes", "k", "KB", "KiB", "M", "MB", "MiB", "G",
 * "GB", "GiB", "T", "TB", "TiB", "P", "PB", "PiB", "E", "EB", "EiB" (NULL = KiB).
 * Rounds up to whole KiB. Returns -1 on an unknown unit or overflow. */
int vsh_memory_parse_kib(const char *value, const char *unit, guint64 *ret_kib);
/* The memory limit a jail or container runs with, in KiB: <memtune><hard_limit> when
 * given, else <memory>, as libvirt's LXC driver has it. */
guint64 vsh_domain_def_memory_limit_kib(const vsh_domain_def *def);
/* A <vcpu cpuset> in libvirt's syntax ("0-3,^2,6") as the kernel's CPU list ("0-1,3,6"),
 * what cpuset.cpus takes; NULL when it is not a valid cpuset. */
char *vsh_cpuset_to_list(const char *cpuset);

/* The live <console> source and the like are filled by the core; lists of child structs
 * have their own _free for the GPtrArray free functions: */
void vsh_fs_def_free(vsh_fs_def *fs);
void vsh_net_def_free(vsh_net_def *net);
void vsh_console_def_free(vsh_console_def *console);
void vsh_disk_def_free(vsh_disk_def *disk);
void vsh_env_var_free(vsh_env_var *var);
/* An empty <interface> with its address lists (for parsers and decoders). */
vsh_net_def *vsh_net_def_new(void);

/*
 * The definition in vsh's own binary form (domain-bin.c): what the store caches beside
 * the XML so that the hot paths (start, destroy, list) need no XML parser. It is exact:
 * decode(encode(def)) is a deep copy, including what the XML cannot say (a generated
 * MAC, an absent <currentMemory>). Not an interchange format: the layout is tied to this
 * build (VSH_DOMAIN_BIN_VERSION), and a blob from any other layout decodes as NULL.
 */
void vsh_domain_def_encode(const vsh_domain_def *def, GByteArray *out);
/*
 * The binary form of what parsing the XML of @def reads back, for a @def as the parser made
 * it: what vsh_domain_def_encode() writes but for what the parser made up and the XML then
 * states (a generated MAC reads back as a given one; <currentMemory> is always written).
 * The store caches a definition it has just parsed this way instead of parsing the file it
 * wrote; tests/unit/test-xml2xml.c checks the two agree for every case.
 */
void vsh_domain_def_encode_reread(const vsh_domain_def *def, GByteArray *out);
vsh_domain_def *vsh_domain_def_decode(const guint8 *buf, gsize len);
/* Only the type and uuid of an encoded definition (they come first): 0, or -1 when @buf
 * is not one. */
int vsh_domain_def_decode_identity(const guint8 *buf, gsize len, vsh_domain_type *ret_type,
                                   unsigned char ret_uuid[16]);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_fs_def, vsh_fs_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_net_def, vsh_net_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_console_def, vsh_console_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_disk_def, vsh_disk_def_free)

#endif /* VSH_CONF_DOMAIN_CONF_H */
