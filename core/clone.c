/*
 * clone.c — vsh_domain_clone: a new domain from an existing one (virt-clone, lxc-copy).
 *
 * The definition is copied with a new name, uuid and MAC addresses (and without host-side
 * interface names, which must stay unique); the root filesystem directory is copied to the
 * store's rootfs directory and file-backed disks next to their originals. The source's
 * operation lock is held while it is copied, so nobody starts it half-way.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/fs.h>

#include "internal.h"
#include "store.h"
#include "error.h"
#include "util/file.h"

typedef struct {
    int dst_root;               /* the new tree's root, for hard links */
    dev_t dev;                  /* the source tree's file system: mounts below are skipped */
    bool as_root;               /* owners and device nodes can be restored */
    GHashTable *inodes;         /* "dev:ino" of multiply-linked files -> path in the copy */
} clone_copy;

static int clone_copy_dir(clone_copy *c, int sfd, int dfd, const char *rel, GError **error);

/* ---------------------------------------------------------------- file contents */

/* Copies the data of @in to @out keeping holes (SEEK_DATA/SEEK_HOLE), for file systems
 * that cannot share extents. */
static int
clone_copy_data(int in, int out, off_t size, const char *rel, GError **error)
{
    off_t pos = 0;
    char buf[65536];

    while (pos < size) {
        off_t data = lseek(in, pos, SEEK_DATA);
        off_t hole;

        if (data < 0 && errno == ENXIO)
            break;
        if (data < 0 || (hole = lseek(in, data, SEEK_HOLE)) < 0)
            return vsh_error_set_errno(error, errno, "cannot read '%s'", rel);
        while (data < hole) {
            ssize_t n = pread(in, buf, (size_t) MIN((off_t) sizeof(buf), hole - data), data);

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return vsh_error_set_errno(error, n < 0 ? errno : EIO, "cannot read '%s'", rel);
            if (lseek(out, data, SEEK_SET) < 0 || vsh_safe_write(out, buf, (size_t) n, error) < 0)
                return -1;
            data += n;
        }
        pos = hole;
    }
    if (ftruncate(out, size) < 0)
        return vsh_error_set_errno(error, errno, "cannot write '%s'", rel);
    return 0;
}

/* Extended attributes carry file capabilities (ping's cap_net_raw) and ACLs. */
static void
clone_copy_xattrs(int in, int out)
{
    char names[4096];
    ssize_t len = flistxattr(in, names, sizeof(names));
    ssize_t off = 0;

    while (len > 0 && off < len) {
        const char *name = names + off;
        char value[4096];
        ssize_t vlen = fgetxattr(in, name, value, sizeof(value));

        if (vlen >= 0)
            (void) fsetxattr(out, name, value, (size_t) vlen, 0);
        off += (ssize_t) strlen(name) + 1;
    }
}

static int
clone_copy_file(int sfd, const char *sname, int dfd, const char *dname, const struct stat *st,
                const char *rel, GError **error)
{
    vsh_autoclose int in = openat(sfd, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    vsh_autoclose int out = -1;

    if (in < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", rel);
    out = openat(dfd, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        return vsh_error_set_errno(error, errno, "cannot create '%s'", rel);
    /* a reflink shares the extents (btrfs, xfs): instant, and no space used until written */
    if (ioctl(out, FICLONE, in) < 0 && clone_copy_data(in, out, st->st_size, rel, error) < 0)
        return -1;
    clone_copy_xattrs(in, out);
    return 0;
}

/* ---------------------------------------------------------------- entries */

static int
clone_set_attrs(clone_copy *c, int dfd, const char *name, const struct stat *st,
                const char *rel, GError **error)
{
    struct timespec ts[2] = { st->st_atim, st->st_mtim };

    if (c->as_root && fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return vsh_error_set_errno(error, errno, "cannot set the owner of '%s'", rel);
    /* after chown, which clears setuid/setgid */
    if (!S_ISLNK(st->st_mode) && fchmodat(dfd, name, st->st_mode & 07777, 0) < 0)
        return vsh_error_set_errno(error, errno, "cannot set the mode of '%s'", rel);
    if (utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
        return vsh_error_set_errno(error, errno, "cannot set the times of '%s'", rel);
    return 0;
}

static int
clone_copy_subdir(clone_copy *c, int sfd, int dfd, const char *name, const struct stat *st,
                  const char *rel, GError **error)
{
    vsh_autoclose int s = -1;
    vsh_autoclose int d = -1;

    if (mkdirat(dfd, name, 0700) < 0)
        return vsh_error_set_errno(error, errno, "cannot create '%s'", rel);
    /* another file system mounted in the tree (a jail's /proc): an empty mount point */
    if (st->st_dev != c->dev)
        return 0;
    if ((s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
        (d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", rel);
    if (clone_copy_dir(c, s, d, rel, error) < 0)
        return -1;
    clone_copy_xattrs(s, d);
    return 0;
}

/* A file with more links: the first copy is kept, the others become links to it. Returns
 * 1 when @name was linked, 0 when it must be copied, -1 on error. */
static int
clone_hard_link(clone_copy *c, int dfd, const char *name, const struct stat *st,
                const char *rel, GError **error)
{
    g_autofree char *key = NULL;
    const char *first;

    if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
        return 0;
    key = g_strdup_printf("%ju:%ju", (uintmax_t) st->st_dev, (uintmax_t) st->st_ino);
    if (!(first = g_hash_table_lookup(c->inodes, key))) {
        g_hash_table_insert(c->inodes, g_steal_pointer(&key), g_strdup(rel));
        return 0;
    }
    if (linkat(c->dst_root, first, dfd, name, 0) < 0)
        return vsh_error_set_errno(error, errno, "cannot link '%s'", rel);
    return 1;
}

static int
clone_copy_entry(clone_copy *c, int sfd, int dfd, const char *name, const char *rel,
                 GError **error)
{
    struct stat st;
    char target[PATH_MAX];
    ssize_t n;
    int rc;

    if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return vsh_error_set_errno(error, errno, "cannot stat '%s'", rel);
    if ((rc = clone_hard_link(c, dfd, name, &st, rel, error)) != 0)
        return rc < 0 ? -1 : 0;
    switch (st.st_mode & S_IFMT) {
    case S_IFDIR:
        rc = clone_copy_subdir(c, sfd, dfd, name, &st, rel, error);
        break;
    case S_IFREG:
        rc = clone_copy_file(sfd, name, dfd, name, &st, rel, error);
        break;
    case S_IFLNK:
        if ((n = readlinkat(sfd, name, target, sizeof(target) - 1)) < 0)
            return vsh_error_set_errno(error, errno, "cannot read link '%s'", rel);
        target[n] = '\0';
        if ((rc = symlinkat(target, dfd, name)) < 0)
            vsh_error_set_errno(error, errno, "cannot create link '%s'", rel);
        break;
    default:
        if (!c->as_root && !S_ISFIFO(st.st_mode))
            return 0;   /* device nodes need root; an unprivileged copy goes without */
        if ((rc = mknodat(dfd, name, st.st_mode & (S_IFMT | 0777), st.st_rdev)) < 0)
            vsh_error_set_errno(error, errno, "cannot create node '%s'", rel);
        break;
    }
    if (rc < 0)
        return -1;
    return clone_set_attrs(c, dfd, name, &st, rel, error);
}

static int
clone_copy_dir(clone_copy *c, int sfd, int dfd, const char *rel, GError **error)
{
    int lfd = openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir;
    struct dirent *ent;
    int rc = 0;

    if (lfd < 0 || !(dir = fdopendir(lfd))) {
        if (lfd >= 0)
            close(lfd);
        return vsh_error_set_errno(error, errno, "cannot read '%s'", rel);
    }
    while ((ent = readdir(dir))) {
        g_autofree char *child = NULL;

        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        child = *rel ? g_strconcat(rel, "/", ent->d_name, NULL) : g_strdup(ent->d_name);
        if ((rc = clone_copy_entry(c, sfd, dfd, ent->d_name, child, error)) < 0)
            break;
    }
    closedir(dir);
    return rc;
}

/* Copies the directory tree @src to the new directory @dst (which must not exist). */
static int
clone_copy_tree(const char *src, const char *dst, GError **error)
{
    vsh_autoclose int sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    vsh_autoclose int dfd = -1;
    g_autoptr(GHashTable) inodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                         g_free);
    struct stat st;
    clone_copy c = { -1, 0, geteuid() == 0, inodes };

    if (sfd < 0 || fstat(sfd, &st) < 0)
        return vsh_error_set_errno(error, errno, "cannot open root filesystem '%s'", src);
    if (mkdir(dst, 0700) < 0)
        return vsh_error_set_errno(error, errno, "cannot create '%s'", dst);
    if ((dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", dst);
    c.dst_root = dfd;
    c.dev = st.st_dev;
    if (clone_copy_dir(&c, sfd, dfd, "", error) < 0) {
        g_prefix_error(error, "copying '%s': ", src);
        return -1;
    }
    clone_copy_xattrs(sfd, dfd);
    if (c.as_root && fchown(dfd, st.st_uid, st.st_gid) < 0)
        return vsh_error_set_errno(error, errno, "cannot set the owner of '%s'", dst);
    if (fchmod(dfd, st.st_mode & 07777) < 0)
        return vsh_error_set_errno(error, errno, "cannot set the mode of '%s'", dst);
    return 0;
}

/* ---------------------------------------------------------------- removal on failure */

static void clone_remove_at(int dirfd, const char *name);

static void
clone_empty_dir(int fd)
{
    int lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir;
    struct dirent *ent;

    if (lfd < 0 || !(dir = fdopendir(lfd))) {
        if (lfd >= 0)
            close(lfd);
        return;
    }
    while ((ent = readdir(dir))) {
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            clone_remove_at(fd, ent->d_name);
    }
    closedir(dir);
}

/* Removes @name under @dirfd, never following a symlink out of the tree. */
static void
clone_remove_at(int dirfd, const char *name)
{
    struct stat st;
    int fd;

    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        (void) unlinkat(dirfd, name, 0);
        return;
    }
    if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return;
    clone_empty_dir(fd);
    close(fd);
    (void) unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void
clone_remove_tree(const char *path)
{
    g_autofree char *parent = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    vsh_autoclose int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (pfd >= 0)
        clone_remove_at(pfd, base);
}

/* ---------------------------------------------------------------- the definition */

/* What the copy created, removed again if a later step fails. */
typedef struct {
    char *rootfs;
    GPtrArray *disks;           /* of char * */
} clone_undo;

static void
clone_undo_run(clone_undo *u)
{
    guint i;

    if (u->rootfs)
        clone_remove_tree(u->rootfs);
    for (i = 0; i < u->disks->len; i++)
        (void) unlink(g_ptr_array_index(u->disks, i));
}

static char *
clone_mac_generate(const vsh_domain_def *def)
{
    for (;;) {
        g_autofree char *mac = g_strdup_printf("52:54:00:%02x:%02x:%02x",
                                               g_random_int_range(0, 256),
                                               g_random_int_range(0, 256),
                                               g_random_int_range(0, 256));
        guint i;

        for (i = 0; i < def->interfaces->len; i++) {
            const vsh_net_def *net = g_ptr_array_index(def->interfaces, i);

            if (net->mac && strcmp(net->mac, mac) == 0)
                break;
        }
        if (i == def->interfaces->len)
            return g_steal_pointer(&mac);
    }
}

/* New identity: name, uuid, MACs; host-side interface names are left for the driver to
 * choose, since two domains cannot own the same one. */
static void
clone_def_rename(vsh_domain_def *def, const char *new_name)
{
    guint i;

    g_free(def->name);
    def->name = g_strdup(new_name);
    vsh_uuid_generate(def->uuid);
    g_clear_pointer(&def->title, g_free);
    def->id = -1;
    for (i = 0; i < def->interfaces->len; i++) {
        vsh_net_def *net = g_ptr_array_index(def->interfaces, i);
        char *mac = clone_mac_generate(def);

        g_free(net->mac);
        net->mac = mac;
        net->mac_generated = false;
        g_clear_pointer(&net->target_dev, g_free);
    }
    for (i = 0; i < def->consoles->len; i++) {
        vsh_console_def *console = g_ptr_array_index(def->consoles, i);

        g_clear_pointer(&console->source_path, g_free);
    }
}

/* The root filesystem goes to ROOTFS_DIR/NEW. */
static int
clone_def_rootfs(vsh_conn *conn, vsh_domain_def *def, clone_undo *undo, GError **error)
{
    guint i;

    for (i = 0; i < def->filesystems->len; i++) {
        vsh_fs_def *fs = g_ptr_array_index(def->filesystems, i);
        g_autofree char *dst = NULL;

        if (fs->type != VSH_FS_TYPE_MOUNT || !fs->source || g_strcmp0(fs->target, "/") != 0)
            continue;
        dst = g_build_filename(conn->rootfs_dir, def->name, NULL);
        if (vsh_file_exists(dst))
            return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                                 "root filesystem directory '%s' already exists", dst);
        if (vsh_mkdir_p(conn->rootfs_dir, 0755, error) < 0)
            return -1;
        undo->rootfs = g_strdup(dst);
        if (clone_copy_tree(fs->source, dst, error) < 0)
            return -1;
        g_free(fs->source);
        fs->source = g_steal_pointer(&dst);
    }
    return 0;
}

/* File-backed disks are copied next to their originals as NEW-TARGET.EXT: two machines
 * writing one image would corrupt it. */
static int
clone_def_disks(vsh_domain_def *def, clone_undo *undo, GError **error)
{
    guint i;

    for (i = 0; i < def->disks->len; i++) {
        vsh_disk_def *disk = g_ptr_array_index(def->disks, i);
        g_autofree char *dir = NULL;
        g_autofree char *base = NULL;
        g_autofree char *dst = NULL;
        g_autofree char *dbase = NULL;
        vsh_autoclose int sfd = -1;
        const char *ext;
        struct stat st;

        if (disk->type != VSH_DISK_TYPE_FILE || disk->readonly || !disk->source ||
            disk->device == VSH_DISK_DEVICE_CDROM || stat(disk->source, &st) < 0)
            continue;
        dir = g_path_get_dirname(disk->source);
        base = g_path_get_basename(disk->source);
        ext = strrchr(base, '.');
        dst = g_strdup_printf("%s/%s-%s%s", dir, def->name, disk->target_dev,
                              ext ? ext : ".img");
        if (vsh_file_exists(dst))
            return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                                 "disk image '%s' already exists", dst);
        if ((sfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
            return vsh_error_set_errno(error, errno, "cannot open '%s'", dir);
        g_ptr_array_add(undo->disks, g_strdup(dst));
        dbase = g_path_get_basename(dst);
        if (clone_copy_file(sfd, base, sfd, dbase, &st, dst, error) < 0)
            return -1;
        (void) fchmodat(sfd, dbase, st.st_mode & 0777, 0);
        g_free(disk->source);
        disk->source = g_steal_pointer(&dst);
    }
    return 0;
}

/* ---------------------------------------------------------------- the public call */

/* The source's definition, read under its operation lock (held by the caller). */
static vsh_domain_def *
clone_source_def(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_store_load(dom->conn, dom->name,
                                                   VSH_STORE_LOAD_LOCKED, error);

    if (!obj)
        return NULL;
    if (obj->live && !(flags & VSH_DOMAIN_CLONE_FORCE)) {
        vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                      "domain '%s' is running: shut it down first, or force the copy of a "
                      "live root filesystem", dom->name);
        return NULL;
    }
    return vsh_domain_def_copy(obj->def ? obj->def : obj->live);
}

vsh_domain *
vsh_domain_clone(vsh_domain *dom, const char *new_name, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(vsh_domain) clone = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func(g_free);
    clone_undo undo = { NULL, disks };
    vsh_autoclose int op_fd = -1;
    unsigned char peek_uuid[16];
    vsh_domain_type peek_type;
    int taken;

    if (flags & ~(unsigned int) VSH_DOMAIN_CLONE_FORCE) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported clone flags 0x%x", flags);
        return NULL;
    }
    if (vsh_conn_check_writable(dom->conn, error) < 0 || vsh_domain_name_check(new_name, error) < 0)
        return NULL;
    if ((taken = vsh_store_peek(dom->conn, new_name, peek_uuid, &peek_type, error)) != 0) {
        if (taken > 0)
            vsh_error_set(error, VSH_ERROR_DOMAIN_EXISTS, "domain '%s' already exists",
                          new_name);
        return NULL;
    }
    if ((op_fd = vsh_store_lock_domain(dom->conn, dom->name, error)) < 0 ||
        !(def = clone_source_def(dom, flags, error)))
        return NULL;
    clone_def_rename(def, new_name);
    if (clone_def_rootfs(dom->conn, def, &undo, error) < 0 ||
        clone_def_disks(def, &undo, error) < 0) {
        clone_undo_run(&undo);
        g_free(undo.rootfs);
        return NULL;
    }
    xml = vsh_domain_def_format(def, 0);
    if (!(clone = vsh_domain_define_xml(dom->conn, xml, NULL, error)))
        clone_undo_run(&undo);
    g_free(undo.rootfs);
    return g_steal_pointer(&clone);
}
