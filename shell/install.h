/*
 * install.h — the pieces of vsh-install: the domain XML it builds, the root filesystem
 * templates (busybox, debian, tar, oci), the safe file-tree primitives they share, and the
 * console relay.
 *
 * vsh-install is a front end: it reaches the library only through vsh.h. Errors use the
 * public VSH_ERROR domain so that every failure, ours or the library's, prints the same way.
 */
#ifndef VSH_SHELL_INSTALL_H
#define VSH_SHELL_INSTALL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <glib.h>

#include "vsh.h"

/* Sets @error (VSH_ERROR, @code) and returns -1: one-line failure paths. */
int install_error(GError **error, vsh_error_code code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Like install_error with VSH_ERROR_SYSTEM and ": strerror(@errnum)" appended. */
int install_error_errno(GError **error, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Set by vsh-install's SIGINT/SIGTERM/SIGHUP handler; long loops (unpacking, layers) poll
 * it so that an interrupted run still removes what it created. */
extern volatile sig_atomic_t install_interrupted;
/* -1 with @error set ("interrupted") once a signal came, else 0. */
int install_check_interrupt(GError **error);

/* ---------------------------------------------------------------- install-xml.c */

typedef struct {
    char *source;               /* host directory */
    char *target;               /* path inside, "/" for the root */
} install_fs;

typedef struct {
    char *bridge;
    char *mac;                  /* lowercase, always set (generated when not given) */
} install_net;

typedef struct {
    char *path;
    guint64 size_gib;           /* 0 = not given */
    char *target_dev;           /* "vda", "vdb" ... */
} install_disk;

typedef struct {
    char *name;
    char *uuid;                 /* always set (generated) */
    char *type;                 /* "lxc", "chroot", "qemu" */
    guint64 memory_kib;
    unsigned int vcpus;
    char *init;                 /* NULL: none (VMs) */
    GPtrArray *initargs;        /* of char * */
    GPtrArray *initenv;         /* of char * "NAME=VALUE" */
    char *initdir;
    char *inituser;
    char *initgroup;
    GPtrArray *filesystems;     /* of install_fs * */
    GPtrArray *nets;            /* of install_net * */
    bool network_none;          /* --network none: a private network namespace, no nics */
    GPtrArray *disks;           /* of install_disk * */
    GArray *boot;               /* of const char * ("hd", "cdrom", "network") */
} install_spec;

install_spec *install_spec_new(void);
void install_spec_free(install_spec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(install_spec, install_spec_free)

/* The <domain> document for @spec: libvirt's format, 2-space indent, every text and
 * attribute escaped. Never fails. */
char *install_xml_build(const install_spec *spec);

/* "52:54:00:xx:xx:xx" with random low bytes (the prefix libvirt uses for its guests). */
char *install_mac_generate(void);
/* Lowercases and checks "xx:xx:xx:xx:xx:xx" (unicast); NULL when @mac is not one. */
char *install_mac_normalize(const char *mac);

/* ---------------------------------------------------------------- install-fs.c */

/* Opens @path inside the tree whose root is @rootfd, resolving every component (symlinks
 * included) as if @rootfd were "/", so nothing outside the tree is ever reached
 * (openat2 RESOLVE_IN_ROOT). @flags are open(2) flags; O_CLOEXEC is added. Returns the
 * fd, or -1 with errno set. */
int install_openat_in_root(int rootfd, const char *path, int flags, mode_t mode);

/* Creates the directory @path inside @rootfd and its missing parents (mode 0755, which
 * a later chmod may change). Returns 0, or -1 with errno set. */
int install_mkdir_p_in_root(int rootfd, const char *path);

/* Writes the @len bytes of @data to the file @path inside @rootfd (created or truncated,
 * then given @mode whatever the umask). */
int install_write_buf_in_root(int rootfd, const char *path, const char *data, size_t len,
                              mode_t mode, GError **error);
/* The same for a NUL-terminated string. */
int install_write_in_root(int rootfd, const char *path, const char *data, mode_t mode,
                          GError **error);

/* Removes @name in directory @dirfd and, when it is a directory, everything below it,
 * never following symlinks. ENOENT is success. Returns 0, or -1 with errno set. */
int install_remove_at(int dirfd, const char *name);
/* install_remove_at on a host path; a missing path is success. */
int install_remove_tree(const char *path, GError **error);

/* Removes every entry of the directory @dirfd (not the directory itself). */
int install_empty_dir(int dirfd);

/* ---------------------------------------------------------------- install-tar.c */

typedef enum {
    /* Apply OCI layer semantics: ".wh.NAME" removes NAME from lower layers,
     * ".wh..wh..opq" hides the lower layers' content of its directory. */
    INSTALL_TAR_OCI_WHITEOUTS = 1 << 0,
    /* Refuse members that pass through a symlink the archive itself created (a plain
     * rootfs tarball never needs that; a layer may, over an earlier layer's tree). */
    INSTALL_TAR_NO_SYMLINK_PATHS = 1 << 1,
} install_tar_flags;

/*
 * Unpacks the tar archive @path (plain, gzip, xz or zstd: told by its first bytes) into
 * the directory @dest. Every member is checked before anything is written: an absolute
 * name, a ".." component, a hard link leaving the archive and (with
 * INSTALL_TAR_NO_SYMLINK_PATHS) a path through an archive symlink refuse the whole archive
 * with an error naming the member. Extraction then resolves every path inside @dest, so
 * even a symlink already in @dest cannot send a write outside it. Owners, modes, times,
 * symlinks, hard links, devices and fifos are restored (owners and devices as root only).
 */
int install_tar_extract(const char *path, const char *dest, unsigned int flags,
                        GError **error);

/* ---------------------------------------------------------------- install-json.c */

typedef enum {
    INSTALL_JSON_NULL = 0,
    INSTALL_JSON_BOOL,
    INSTALL_JSON_NUMBER,
    INSTALL_JSON_STRING,
    INSTALL_JSON_ARRAY,
    INSTALL_JSON_OBJECT,
} install_json_type;

typedef struct install_json install_json;

struct install_json {
    install_json_type type;
    bool boolean;
    double number;
    char *string;               /* STRING */
    GPtrArray *items;           /* ARRAY: of install_json *; OBJECT: of install_json * */
    char *key;                  /* the member name when this value sits in an object */
};

/* Parses a JSON document (RFC 8259; nesting bounded). Returns a new value
 * (install_json_free) or NULL with @error naming @what and the offset. */
install_json *install_json_parse(const char *text, gsize len, const char *what,
                                 GError **error);
void install_json_free(install_json *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(install_json, install_json_free)

/* The member @key of an object, or NULL (also when @obj is NULL or no object). */
const install_json *install_json_get(const install_json *obj, const char *key);
/* The string member @key, or NULL when missing or not a string. */
const char *install_json_get_string(const install_json *obj, const char *key);

/* ---------------------------------------------------------------- install-oci.c */

/* What an image's config says about how to run it. */
typedef struct {
    char *init;
    GPtrArray *initargs;        /* of char * */
    GPtrArray *initenv;         /* of char * "NAME=VALUE" */
    char *initdir;
    char *inituser;
    char *initgroup;
} install_image_config;

install_image_config *install_image_config_new(void);
void install_image_config_free(install_image_config *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(install_image_config, install_image_config_free)

/* The OCI architecture name of this machine ("amd64", "arm64" ...). */
const char *install_oci_arch(void);

/*
 * Unpacks the OCI image layout @layout_dir into @dest: index.json -> the manifest for this
 * architecture (through a nested image index when there is one) -> its layers in order
 * (tar, tar+gzip, tar+zstd) with whiteouts applied, every blob's sha256 checked before it
 * is used. The image config's Entrypoint/Cmd/Env/WorkingDir/User go to *ret_config.
 * With @dest NULL only the config is read (nothing is unpacked).
 */
int install_oci_unpack(const char *layout_dir, const char *dest,
                       install_image_config **ret_config, GError **error);

/* The primary group of @user (a name or a uid) in the root filesystem @root's /etc/passwd
 * (read inside @root), or "0" when there is no such entry or @root is NULL: what a
 * container runtime uses for an image whose User names no group. */
char *install_rootfs_user_gid(const char *root, const char *user);

/* ---------------------------------------------------------------- install-template.c */

typedef enum {
    INSTALL_TEMPLATE_BUSYBOX = 0,
    INSTALL_TEMPLATE_DEBIAN,
    INSTALL_TEMPLATE_TAR,
    INSTALL_TEMPLATE_OCI,
    INSTALL_TEMPLATE_OCI_ARCHIVE,
} install_template_kind;

typedef struct {
    install_template_kind kind;
    char *arg;                  /* suite, tar file, layout dir or archive; NULL for busybox */
} install_template;

/* Parses "busybox", "debian[:SUITE]", "tar=FILE", "oci=DIR", "oci-archive=FILE" and checks
 * what can be checked before anything is created (the file or directory exists, the
 * tools are installed). */
install_template *install_template_parse(const char *text, GError **error);
void install_template_free(install_template *tmpl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(install_template, install_template_free)

/* Fills the empty directory @dest. @quiet silences progress output. *ret_config gets the
 * image config for OCI templates and the default init for the others. With @dest NULL
 * nothing is created in the store: only *ret_config is filled (--print-xml, --dry-run). */
int install_template_run(const install_template *tmpl, const char *dest, bool quiet,
                         install_image_config **ret_config, GError **error);

/* The init script the busybox template installs (also used for a debian root that has no
 * /sbin/init). */
extern const char install_init_script[];

/* ---------------------------------------------------------------- install-console.c */

/* Relays between the terminal (stdin/stdout) and the console stream @fd until Ctrl+]
 * is typed, stdin ends or the console closes. The terminal is put in raw mode when it is
 * one, and restored. Does not close @fd. */
int install_console_relay(int fd, GError **error);

#endif /* VSH_SHELL_INSTALL_H */
