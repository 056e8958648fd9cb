/*
 * install-tar.c — a tar reader (ustar, GNU long names, pax) and a careful extractor for
 * root filesystem tarballs and OCI layers.
 *
 * The archive is read twice: a first pass checks every member and refuses the whole archive
 * before anything is written (an absolute path, "..", a hard link to something the archive
 * did not create, a path through one of the archive's own symlinks); the second pass writes.
 * Both go through the same reader, and compressed archives are piped through the system's
 * gzip/xz/zstd, so nothing here parses a compression format.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <gio/gio.h>

#include "install.h"

#define TAR_BLOCK 512
#define TAR_META_MAX (1024 * 1024)   /* a long name or pax header bigger than this is bogus */

typedef struct {
    char *name;                 /* normalised: relative, no "." components, no trailing '/' */
    char *linkname;             /* symlink target as stored; hard link target normalised */
    char type;                  /* '0' file, '1' hard link, '2' symlink, '3' char, '4' block,
                                 * '5' directory, '6' fifo */
    char *raw_name;             /* as stored, for messages */
    mode_t mode;
    uid_t uid;
    gid_t gid;
    guint64 size;
    gint64 mtime;
    unsigned int devmajor;
    unsigned int devminor;
} tar_member;

typedef struct {
    char *path;
    GSubprocess *proc;          /* the decompressor, NULL for a plain archive */
    GInputStream *in;
    guint64 pending;            /* data + padding of the current member still unread */
} tar_reader;

static void
tar_member_clear(tar_member *m)
{
    g_free(m->name);
    g_free(m->linkname);
    g_free(m->raw_name);
    memset(m, 0, sizeof(*m));
}

/* ---------------------------------------------------------------- opening */

static const char *const *
tar_decompressor_for(const unsigned char *magic, gsize len)
{
    static const char *const gzip[] = { "gzip", "-dc", NULL };
    static const char *const xz[] = { "xz", "-dc", NULL };
    static const char *const zstd[] = { "zstd", "-dcq", NULL };
    static const char *const bzip2[] = { "bzip2", "-dc", NULL };

    if (len >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return gzip;
    if (len >= 6 && memcmp(magic, "\xfd" "7zXZ\0", 6) == 0)
        return xz;
    if (len >= 4 && memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0)
        return zstd;
    if (len >= 3 && memcmp(magic, "BZh", 3) == 0)
        return bzip2;
    return NULL;
}

static void
tar_reader_close(tar_reader *r)
{
    if (r->proc && !g_subprocess_get_if_exited(r->proc)) {
        g_subprocess_force_exit(r->proc);
        (void) g_subprocess_wait(r->proc, NULL, NULL);
    }
    g_clear_object(&r->in);
    g_clear_object(&r->proc);
    g_clear_pointer(&r->path, g_free);
}

static int
tar_reader_open(tar_reader *r, const char *path, GError **error)
{
    unsigned char magic[8] = { 0 };
    gsize got = 0;
    const char *const *argv;
    g_autoptr(GFile) file = g_file_new_for_path(path);
    g_autoptr(GFileInputStream) fin = NULL;
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GError) local = NULL;

    memset(r, 0, sizeof(*r));
    r->path = g_strdup(path);
    if (!(fin = g_file_read(file, NULL, &local)))
        return install_error(error, VSH_ERROR_INVALID_ARG, "cannot open '%s': %s", path,
                             local->message);
    if (!g_input_stream_read_all(G_INPUT_STREAM(fin), magic, sizeof(magic), &got, NULL,
                                 &local))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot read '%s': %s", path,
                             local->message);
    if (!(argv = tar_decompressor_for(magic, got))) {
        if (!g_seekable_seek(G_SEEKABLE(fin), 0, G_SEEK_SET, NULL, &local))
            return install_error(error, VSH_ERROR_SYSTEM, "cannot read '%s': %s", path,
                                 local->message);
        r->in = G_INPUT_STREAM(g_steal_pointer(&fin));
        return 0;
    }
    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_subprocess_launcher_set_stdin_file_path(launcher, path);
    if (!(r->proc = g_subprocess_launcher_spawnv(launcher, argv, &local)))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot decompress '%s' with %s: %s",
                             path, argv[0], local->message);
    r->in = g_object_ref(g_subprocess_get_stdout_pipe(r->proc));
    return 0;
}

/* At the end of the archive: the decompressor must have succeeded too, or the data we
 * took for an end-of-archive marker may be a truncated stream. */
static int
tar_reader_finish(tar_reader *r, GError **error)
{
    char buf[65536];
    g_autoptr(GError) local = NULL;

    if (!r->proc)
        return 0;
    /* drain what follows the end marker so the decompressor is not killed by SIGPIPE */
    while (g_input_stream_read(r->in, buf, sizeof(buf), NULL, NULL) > 0)
        ;
    if (!g_subprocess_wait(r->proc, NULL, &local))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot decompress '%s': %s", r->path,
                             local->message);
    if (!g_subprocess_get_successful(r->proc))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s' is not a valid compressed archive", r->path);
    return 0;
}

/* ---------------------------------------------------------------- reading */

static int
tar_read(tar_reader *r, void *buf, gsize len, GError **error)
{
    gsize got = 0;
    g_autoptr(GError) local = NULL;

    if (!g_input_stream_read_all(r->in, buf, len, &got, NULL, &local))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot read '%s': %s", r->path,
                             local->message);
    if (got != len)
        return install_error(error, VSH_ERROR_INVALID_ARG, "'%s' is truncated", r->path);
    return 0;
}

/* Skips what is left of the current member's data and padding. */
static int
tar_skip_pending(tar_reader *r, GError **error)
{
    char buf[65536];

    while (r->pending > 0) {
        gsize n = MIN(r->pending, sizeof(buf));

        if (tar_read(r, buf, n, error) < 0)
            return -1;
        r->pending -= n;
    }
    return 0;
}

static guint64
tar_padded(guint64 size)
{
    return (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

/* Numeric fields: octal text, or GNU's base-256 (first byte 0x80) for big values. */
static int
tar_number(const char *field, size_t len, guint64 *ret)
{
    const unsigned char *u = (const unsigned char *) field;
    guint64 v = 0;
    size_t i = 0;

    if (u[0] & 0x80) {
        v = u[0] & 0x3f;
        for (i = 1; i < len; i++) {
            if (v >> 56)
                return -1;
            v = (v << 8) | u[i];
        }
        *ret = v;
        return 0;
    }
    while (i < len && field[i] == ' ')
        i++;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
        if (v >> 60)
            return -1;
        v = v * 8 + (guint64) (field[i] - '0');
    }
    if (i < len && field[i] != '\0' && field[i] != ' ')
        return -1;
    *ret = v;
    return 0;
}

static char *
tar_field(const char *field, size_t len)
{
    return g_strndup(field, strnlen(field, len));
}

static bool
tar_checksum_ok(const unsigned char *h)
{
    guint64 want;
    guint64 sum = 0;
    size_t i;

    if (tar_number((const char *) h + 148, 8, &want) < 0)
        return false;
    for (i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == want;
}

/* Reads a long name/link or pax body of @size bytes into a NUL-terminated string. */
static char *
tar_read_meta(tar_reader *r, guint64 size, GError **error)
{
    g_autofree char *buf = NULL;

    if (size > TAR_META_MAX) {
        install_error(error, VSH_ERROR_INVALID_ARG, "'%s' has an oversized header", r->path);
        return NULL;
    }
    buf = g_malloc0(tar_padded(size) + 1);
    if (tar_read(r, buf, tar_padded(size), error) < 0)
        return NULL;
    buf[size] = '\0';
    return g_steal_pointer(&buf);
}

/* Applies pax records ("LEN key=value\n") to the pending overrides. */
static int
tar_apply_pax(tar_reader *r, const char *body, GHashTable *pax, GError **error)
{
    const char *p = body;

    while (*p) {
        char *end = NULL;
        guint64 len = g_ascii_strtoull(p, &end, 10);
        const char *eq;

        if (end == p || *end != ' ' || len == 0 || len > strlen(p) || p[len - 1] != '\n')
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "'%s' has a malformed pax header", r->path);
        eq = memchr(end + 1, '=', (size_t) (p + len - 1 - (end + 1)));
        if (!eq)
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "'%s' has a malformed pax header", r->path);
        g_hash_table_replace(pax, g_strndup(end + 1, (gsize) (eq - end - 1)),
                             g_strndup(eq + 1, (gsize) (p + len - 1 - eq - 1)));
        p += len;
    }
    return 0;
}

/* Fills @m from a ustar header block. */
static int
tar_parse_header(tar_reader *r, const unsigned char *h, tar_member *m, GError **error)
{
    const char *c = (const char *) h;
    guint64 mode, uid, gid, size, mtime, major = 0, minor = 0;
    g_autofree char *name = tar_field(c, 100);
    g_autofree char *prefix = NULL;

    if (!tar_checksum_ok(h))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s' is not a tar archive (bad header checksum)", r->path);
    if (tar_number(c + 100, 8, &mode) < 0 || tar_number(c + 108, 8, &uid) < 0 ||
        tar_number(c + 116, 8, &gid) < 0 || tar_number(c + 124, 12, &size) < 0 ||
        tar_number(c + 136, 12, &mtime) < 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s' has a malformed header after '%s'", r->path, name);
    if (memcmp(c + 257, "ustar", 5) == 0) {
        prefix = tar_field(c + 345, 155);
        (void) tar_number(c + 329, 8, &major);
        (void) tar_number(c + 337, 8, &minor);
    }
    m->raw_name = prefix && *prefix ? g_strconcat(prefix, "/", name, NULL)
                                    : g_steal_pointer(&name);
    m->linkname = tar_field(c + 157, 100);
    m->type = c[156] == '\0' || c[156] == '7' ? '0' : c[156];
    m->mode = (mode_t) (mode & 07777);
    m->uid = (uid_t) uid;
    m->gid = (gid_t) gid;
    m->size = size;
    m->mtime = (gint64) mtime;
    m->devmajor = (unsigned int) major;
    m->devminor = (unsigned int) minor;
    return 0;
}

static void
tar_apply_overrides(tar_member *m, char **longname, char **longlink, GHashTable *pax)
{
    const char *v;

    if (*longname) {
        g_free(m->raw_name);
        m->raw_name = g_steal_pointer(longname);
    }
    if (*longlink) {
        g_free(m->linkname);
        m->linkname = g_steal_pointer(longlink);
    }
    if ((v = g_hash_table_lookup(pax, "path"))) {
        g_free(m->raw_name);
        m->raw_name = g_strdup(v);
    }
    if ((v = g_hash_table_lookup(pax, "linkpath"))) {
        g_free(m->linkname);
        m->linkname = g_strdup(v);
    }
    if ((v = g_hash_table_lookup(pax, "size")))
        m->size = g_ascii_strtoull(v, NULL, 10);
    if ((v = g_hash_table_lookup(pax, "uid")))
        m->uid = (uid_t) g_ascii_strtoull(v, NULL, 10);
    if ((v = g_hash_table_lookup(pax, "gid")))
        m->gid = (gid_t) g_ascii_strtoull(v, NULL, 10);
    if ((v = g_hash_table_lookup(pax, "mtime")))
        m->mtime = g_ascii_strtoll(v, NULL, 10);
    g_hash_table_remove_all(pax);
}

/*
 * Reads the next member header (skipping the previous member's unread data). Returns 1 with
 * @m filled (its data is next in the stream), 0 at the end of the archive, -1 on error.
 */
static int
tar_next(tar_reader *r, tar_member *m, GError **error)
{
    unsigned char h[TAR_BLOCK];
    g_autofree char *longname = NULL;
    g_autofree char *longlink = NULL;
    g_autoptr(GHashTable) pax = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    static const unsigned char zero[TAR_BLOCK];

    tar_member_clear(m);
    if (tar_skip_pending(r, error) < 0)
        return -1;
    for (;;) {
        g_autofree char *body = NULL;

        if (tar_read(r, h, TAR_BLOCK, error) < 0)
            return -1;
        if (memcmp(h, zero, TAR_BLOCK) == 0)
            return 0;
        tar_member_clear(m);
        if (tar_parse_header(r, h, m, error) < 0)
            return -1;
        if (m->type != 'L' && m->type != 'K' && m->type != 'x' && m->type != 'g')
            break;
        if (!(body = tar_read_meta(r, m->size, error)))
            return -1;
        if (m->type == 'L')
            g_free(longname), longname = g_steal_pointer(&body);
        else if (m->type == 'K')
            g_free(longlink), longlink = g_steal_pointer(&body);
        else if (m->type == 'x' && tar_apply_pax(r, body, pax, error) < 0)
            return -1;
    }
    tar_apply_overrides(m, &longname, &longlink, pax);
    /* links, directories and nodes carry no data whatever their size field says */
    r->pending = strchr("123456", m->type) ? 0 : tar_padded(m->size);
    return 1;
}

/* ---------------------------------------------------------------- checking */

/* "./a//b/./c/" -> "a/b/c"; NULL when the name is absolute or has a ".." component. The
 * archive's own top directory ("./") becomes "". */
static char *
tar_normalize(const char *raw)
{
    g_auto(GStrv) parts = NULL;
    g_autoptr(GString) out = g_string_new("");
    size_t i;

    if (raw[0] == '/')
        return NULL;
    parts = g_strsplit(raw, "/", -1);
    for (i = 0; parts[i]; i++) {
        if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0)
            continue;
        if (strcmp(parts[i], "..") == 0)
            return NULL;
        if (out->len)
            g_string_append_c(out, '/');
        g_string_append(out, parts[i]);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* The first proper prefix of @name that @symlinks holds, or NULL. */
static const char *
tar_symlink_prefix(GHashTable *symlinks, const char *name, char **ret_prefix)
{
    const char *slash;

    for (slash = strchr(name, '/'); slash; slash = strchr(slash + 1, '/')) {
        g_autofree char *prefix = g_strndup(name, (gsize) (slash - name));

        if (g_hash_table_contains(symlinks, prefix)) {
            *ret_prefix = g_steal_pointer(&prefix);
            return *ret_prefix;
        }
    }
    return NULL;
}

static int
tar_check_member(tar_reader *r, tar_member *m, unsigned int flags, GHashTable *seen,
                 GHashTable *symlinks, GError **error)
{
    g_autofree char *via = NULL;

    if (!(m->name = tar_normalize(m->raw_name)))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s': member '%s' would be written outside the target directory",
                             r->path, m->raw_name);
    if (!strchr("0123456", m->type))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s': member '%s' has an unsupported type '%c'", r->path,
                             m->raw_name, m->type);
    if ((flags & INSTALL_TAR_NO_SYMLINK_PATHS) && tar_symlink_prefix(symlinks, m->name, &via))
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "'%s': member '%s' goes through the symlink '%s'", r->path,
                             m->raw_name, via);
    if (m->type == '1') {
        g_autofree char *target = tar_normalize(m->linkname);

        if (!target || !g_hash_table_contains(seen, target))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "'%s': hard link '%s' points outside the archive ('%s')",
                                 r->path, m->raw_name, m->linkname);
    }
    if (m->type == '2')
        g_hash_table_add(symlinks, g_strdup(m->name));
    else
        g_hash_table_remove(symlinks, m->name);
    g_hash_table_add(seen, g_strdup(m->name));
    return 0;
}

/* The first pass: every member is checked; nothing is written. */
static int
tar_check_archive(const char *path, unsigned int flags, GError **error)
{
    tar_reader r;
    tar_member m = { 0 };
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) symlinks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                           NULL);
    int rc;

    if (tar_reader_open(&r, path, error) < 0) {
        tar_reader_close(&r);
        return -1;
    }
    while ((rc = tar_next(&r, &m, error)) > 0) {
        if (install_check_interrupt(error) < 0 ||
            tar_check_member(&r, &m, flags, seen, symlinks, error) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0)
        rc = tar_reader_finish(&r, error);
    tar_member_clear(&m);
    tar_reader_close(&r);
    return rc;
}

/* ---------------------------------------------------------------- writing */

typedef struct {
    int rootfd;
    unsigned int flags;
    bool as_root;
    GHashTable *written;        /* paths this archive wrote (OCI opaque directories) */
    GPtrArray *dirs;            /* directories whose mtime is set at the end */
    GArray *dir_mtimes;         /* of gint64, parallel to dirs */
} tar_extract;

static int
tar_write_data(tar_reader *r, int fd, tar_member *m, GError **error)
{
    char buf[65536];
    guint64 left = m->size;

    while (left > 0) {
        gsize n = MIN(left, sizeof(buf));
        gsize done = 0;

        if (tar_read(r, buf, n, error) < 0)
            return -1;
        while (done < n) {
            ssize_t w = write(fd, buf + done, n - done);

            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return install_error_errno(error, errno, "cannot write '%s'", m->name);
            done += (gsize) w;
        }
        left -= n;
    }
    r->pending = tar_padded(m->size) - m->size;
    return 0;
}

/* Sets owner, mode and times of the entry @base just created in @pfd. */
static int
tar_set_attrs(tar_extract *x, int pfd, const char *base, tar_member *m, GError **error)
{
    struct timespec ts[2] = { { m->mtime, 0 }, { m->mtime, 0 } };

    if (x->as_root && fchownat(pfd, base, m->uid, m->gid, AT_SYMLINK_NOFOLLOW) < 0)
        return install_error_errno(error, errno, "cannot set the owner of '%s'", m->name);
    /* after chown: chown clears the setuid and setgid bits */
    if (m->type != '2' && fchmodat(pfd, base, m->mode, 0) < 0)
        return install_error_errno(error, errno, "cannot set the mode of '%s'", m->name);
    if (m->type == '5') {
        g_ptr_array_add(x->dirs, g_strdup(m->name));
        g_array_append_val(x->dir_mtimes, m->mtime);
        return 0;
    }
    if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
        return install_error_errno(error, errno, "cannot set the times of '%s'", m->name);
    return 0;
}

static int
tar_create_file(tar_reader *r, int pfd, const char *base, tar_member *m, GError **error)
{
    int fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int rc;

    if (fd < 0)
        return install_error_errno(error, errno, "cannot create '%s'", m->name);
    rc = tar_write_data(r, fd, m, error);
    if (close(fd) < 0 && rc == 0)
        return install_error_errno(error, errno, "cannot write '%s'", m->name);
    return rc;
}

static int
tar_create_link(tar_extract *x, int pfd, const char *base, tar_member *m, GError **error)
{
    g_autofree char *target = tar_normalize(m->linkname);
    g_autofree char *tdir = g_path_get_dirname(target);
    g_autofree char *tbase = g_path_get_basename(target);
    int tfd = install_openat_in_root(x->rootfd, tdir, O_PATH | O_DIRECTORY, 0);
    int rc;

    if (tfd < 0)
        return install_error_errno(error, errno, "cannot link '%s' to '%s'", m->name,
                                   m->linkname);
    rc = linkat(tfd, tbase, pfd, base, 0);
    close(tfd);
    if (rc < 0)
        return install_error_errno(error, errno, "cannot link '%s' to '%s'", m->name,
                                   m->linkname);
    return 0;
}

/* Creates the entry itself. Returns 1 when created, 0 when skipped (a device node when we
 * are not root), -1 on error. */
static int
tar_create(tar_extract *x, tar_reader *r, int pfd, const char *base, tar_member *m,
           GError **error)
{
    mode_t kind;

    switch (m->type) {
    case '0':
        return tar_create_file(r, pfd, base, m, error) < 0 ? -1 : 1;
    case '1':
        return tar_create_link(x, pfd, base, m, error) < 0 ? -1 : 0;
    case '2':
        if (symlinkat(m->linkname, pfd, base) < 0)
            return install_error_errno(error, errno, "cannot create symlink '%s'", m->name);
        return 1;
    case '5':
        if (mkdirat(pfd, base, 0700) < 0 && errno != EEXIST)
            return install_error_errno(error, errno, "cannot create directory '%s'",
                                       m->name);
        return 1;
    default:
        kind = m->type == '3' ? S_IFCHR : m->type == '4' ? S_IFBLK : S_IFIFO;
        if (kind != S_IFIFO && !x->as_root)
            return 0;
        if (mknodat(pfd, base, kind | 0600, makedev(m->devmajor, m->devminor)) < 0)
            return install_error_errno(error, errno, "cannot create node '%s'", m->name);
        return 1;
    }
}

/* Removes from the directory @dir what lower layers put there: everything this layer did
 * not write itself. */
static int
tar_apply_opaque(tar_extract *x, const char *dir, GError **error)
{
    int dfd = install_openat_in_root(x->rootfd, dir, O_RDONLY | O_DIRECTORY, 0);
    g_autoptr(GDir) gdir = NULL;
    g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", dfd);
    const char *name;
    int rc = 0;

    if (dfd < 0)
        return install_error_errno(error, errno, "cannot open directory '%s'", dir);
    if (!(gdir = g_dir_open(path, 0, NULL))) {
        close(dfd);
        return install_error(error, VSH_ERROR_SYSTEM, "cannot read directory '%s'", dir);
    }
    while ((name = g_dir_read_name(gdir))) {
        g_autofree char *child = *dir ? g_strconcat(dir, "/", name, NULL) : g_strdup(name);

        if (g_hash_table_contains(x->written, child))
            continue;
        if (install_remove_at(dfd, name) < 0) {
            rc = install_error_errno(error, errno, "cannot remove '%s'", child);
            break;
        }
    }
    close(dfd);
    return rc;
}

/* An OCI whiteout member: returns 1 when @m was one (and was applied), 0 otherwise. */
static int
tar_whiteout(tar_extract *x, int pfd, const char *dir, const char *base, GError **error)
{
    if (!(x->flags & INSTALL_TAR_OCI_WHITEOUTS) || !g_str_has_prefix(base, ".wh."))
        return 0;
    if (strcmp(base, ".wh..wh..opq") == 0)
        return tar_apply_opaque(x, strcmp(dir, ".") == 0 ? "" : dir, error) < 0 ? -1 : 1;
    if (base[4] == '\0' || install_remove_at(pfd, base + 4) < 0)
        return install_error_errno(error, errno ? errno : EINVAL,
                                   "cannot apply whiteout '%s/%s'", dir, base);
    return 1;
}

/* Makes room for @m at @base: an existing entry is replaced, except that a directory stays
 * a directory (its contents are merged, as tar and layer unpacking do). */
static int
tar_make_room(int pfd, const char *base, tar_member *m, GError **error)
{
    struct stat st;

    if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : install_error_errno(error, errno, "cannot stat '%s'",
                                                         m->name);
    if (m->type == '5' && S_ISDIR(st.st_mode))
        return 0;
    if (install_remove_at(pfd, base) < 0)
        return install_error_errno(error, errno, "cannot replace '%s'", m->name);
    return 0;
}

static int
tar_extract_member(tar_extract *x, tar_reader *r, tar_member *m, GError **error)
{
    g_autofree char *dir = NULL;
    g_autofree char *base = NULL;
    int pfd;
    int rc;

    m->name = tar_normalize(m->raw_name);
    if (!m->name || !*m->name)
        return 0;       /* the top directory itself; checked in the first pass */
    dir = g_path_get_dirname(m->name);
    base = g_path_get_basename(m->name);
    if (install_mkdir_p_in_root(x->rootfd, dir) < 0 ||
        (pfd = install_openat_in_root(x->rootfd, dir, O_PATH | O_DIRECTORY, 0)) < 0)
        return install_error_errno(error, errno, "cannot create directory '%s'", dir);
    if ((rc = tar_whiteout(x, pfd, dir, base, error)) == 0 &&
        (rc = tar_make_room(pfd, base, m, error)) == 0) {
        g_hash_table_add(x->written, g_strdup(m->name));
        rc = tar_create(x, r, pfd, base, m, error);
        if (rc > 0)
            rc = tar_set_attrs(x, pfd, base, m, error);
    }
    close(pfd);
    return rc < 0 ? -1 : 0;
}

/* Directory times last: creating their entries changed them. Deepest first. */
static void
tar_fix_dir_times(tar_extract *x)
{
    guint i;

    for (i = x->dirs->len; i > 0; i--) {
        const char *name = g_ptr_array_index(x->dirs, i - 1);
        gint64 mtime = g_array_index(x->dir_mtimes, gint64, i - 1);
        struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
        int fd = install_openat_in_root(x->rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
                                        0);

        if (fd >= 0) {
            (void) futimens(fd, ts);
            close(fd);
        }
    }
}

static int
tar_extract_archive(const char *path, int rootfd, unsigned int flags, GError **error)
{
    tar_reader r;
    tar_member m = { 0 };
    tar_extract x = { rootfd, flags, geteuid() == 0, NULL, NULL, NULL };
    int rc;

    x.written = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    x.dirs = g_ptr_array_new_with_free_func(g_free);
    x.dir_mtimes = g_array_new(FALSE, FALSE, sizeof(gint64));
    if ((rc = tar_reader_open(&r, path, error)) == 0) {
        while ((rc = tar_next(&r, &m, error)) > 0) {
            if (install_check_interrupt(error) < 0 ||
                tar_extract_member(&x, &r, &m, error) < 0) {
                rc = -1;
                break;
            }
        }
        if (rc == 0)
            rc = tar_reader_finish(&r, error);
    }
    if (rc == 0)
        tar_fix_dir_times(&x);
    tar_member_clear(&m);
    tar_reader_close(&r);
    g_hash_table_unref(x.written);
    g_ptr_array_unref(x.dirs);
    g_array_unref(x.dir_mtimes);
    return rc;
}

int
install_tar_extract(const char *path, const char *dest, unsigned int flags, GError **error)
{
    int rootfd;
    int rc;

    if (tar_check_archive(path, flags, error) < 0)
        return -1;
    if ((rootfd = open(dest, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return install_error_errno(error, errno, "cannot open '%s'", dest);
    rc = tar_extract_archive(path, rootfd, flags, error);
    close(rootfd);
    return rc;
}
