/*
 * file.c — system call wrappers for files, descriptors and locks (STYLE.md section 7).
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "util/file.h"

void (*vsh_file_test_before_rename)(const char *tmp_path);

void
vsh_autoclose_fd(int *fd)
{
    int saved = errno;

    if (*fd >= 0)
        (void) close(*fd);
    *fd = -1;
    errno = saved;
}

static int
vsh_file_open(const char *path, int flags, mode_t mode, GError **error)
{
    int fd;

    do {
        fd = open(path, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", path);
    return fd;
}

int
vsh_file_read_all(const char *path, size_t max_len, char **ret_buf, GError **error)
{
    vsh_autoclose int fd = -1;
    g_autoptr(GString) buf = g_string_new(NULL);
    char chunk[8192];
    ssize_t n;

    g_return_val_if_fail(max_len < INT_MAX, -1);
    if ((fd = vsh_file_open(path, O_RDONLY, 0, error)) < 0)
        return -1;
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return vsh_error_set_errno(error, errno, "cannot read '%s'", path);
        if (n == 0)
            break;
        if (buf->len + (size_t) n > max_len)
            return vsh_error_set_code_errno(error, VSH_ERROR_SYSTEM, EFBIG,
                                            "file '%s' is larger than %zu bytes", path,
                                            max_len);
        g_string_append_len(buf, chunk, n);
    }
    n = (ssize_t) buf->len;
    /* the whole content, NUL bytes included, plus a terminating NUL */
    *ret_buf = g_string_free(g_steal_pointer(&buf), FALSE);
    return (int) n;
}

int
vsh_safe_write(int fd, const void *buf, size_t len, GError **error)
{
    const char *p = buf;
    ssize_t n;

    while (len > 0) {
        n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return vsh_error_set_errno(error, errno, "cannot write to descriptor %d", fd);
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int
vsh_fsync_dir(const char *dir, GError **error)
{
    vsh_autoclose int fd = -1;

    if ((fd = vsh_file_open(dir, O_RDONLY | O_DIRECTORY, 0, error)) < 0)
        return -1;
    if (fsync(fd) < 0 && errno != EINVAL)
        return vsh_error_set_errno(error, errno, "cannot sync directory '%s'", dir);
    return 0;
}

/*
 * How a replaced file is made durable.
 *
 * The portable way is fsync(tmp), rename, fsync(directory): two journal commits, each a
 * device cache flush. On ext4 and XFS one commit is enough. Their fsync of a file commits
 * the journal transaction holding the file's latest change, and a rename changes the
 * renamed inode's ctime in the same transaction as the directory entries. So fsync(tmp)
 * *after* the rename makes the data, the inode and the new name durable at once. What
 * must not happen is a journal commit between the rename and that fsync that takes the
 * new name but not the data: a delayed-allocation file would come back empty. So the
 * data is written out first with sync_file_range(), which allocates its blocks and waits
 * for the write; every later commit then carries the allocation before the rename, and a
 * commit flushes the device cache before its commit record.
 */
static bool
vsh_file_rename_orders_data(int fd)
{
    struct statfs sfs;

    if (fstatfs(fd, &sfs) < 0)
        return false;
    return sfs.f_type == EXT4_SUPER_MAGIC || sfs.f_type == XFS_SUPER_MAGIC;
}

/* Gives the open file @fd the permissions @mode. mkostemp() made it 0600 less the umask,
 * which is usually what is asked: then the fchmod(), which dirties the inode, is skipped. */
static int
vsh_file_set_mode(int fd, mode_t mode)
{
    struct stat st;

    if (fstat(fd, &st) == 0 && (st.st_mode & 07777) == mode)
        return 0;
    return fchmod(fd, mode);
}

/* Writes @len bytes of @data into a new temporary file next to @path; returns its
 * descriptor. With @sync, the data is on disk when it returns, and *@ret_sync_after
 * says whether the file must be synced again after the rename instead of the
 * directory (see above). */
static int
vsh_file_write_tmp(const char *path, const void *data, size_t len, mode_t mode, bool sync,
                   char **ret_tmp, bool *ret_sync_after, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    vsh_autoclose int fd = -1;
    bool sync_after = false;
    int r = 0;

    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
        return vsh_error_set_errno(error, errno, "cannot create a temporary file for '%s'",
                                   path);
    if (vsh_file_set_mode(fd, mode) < 0 || vsh_safe_write(fd, data, len, NULL) < 0)
        r = -1;
    else if (sync && (sync_after = vsh_file_rename_orders_data(fd)))
        r = sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                      SYNC_FILE_RANGE_WAIT_AFTER);
    else if (sync)
        r = fsync(fd);
    if (r < 0) {
        int saved = errno;

        (void) unlink(tmp);
        return vsh_error_set_errno(error, saved, "cannot write '%s'", tmp);
    }
    *ret_tmp = g_steal_pointer(&tmp);
    *ret_sync_after = sync_after;
    return vsh_steal_fd(&fd);
}

static int
vsh_file_replace(const char *path, const void *data, size_t len, mode_t mode, bool sync,
                 GError **error)
{
    g_autofree char *tmp = NULL;
    vsh_autoclose int fd = -1;
    bool sync_after = false;

    if ((fd = vsh_file_write_tmp(path, data, len, mode, sync, &tmp, &sync_after,
                                 error)) < 0)
        return -1;
    if (vsh_file_test_before_rename)
        vsh_file_test_before_rename(tmp);
    if (rename(tmp, path) < 0) {
        int saved = errno;

        (void) unlink(tmp);
        return vsh_error_set_errno(error, saved, "cannot rename '%s' to '%s'", tmp, path);
    }
    if (sync_after && fsync(fd) < 0)
        return vsh_error_set_errno(error, errno, "cannot sync '%s'", path);
    if (sync && !sync_after) {
        g_autofree char *dir = g_path_get_dirname(path);

        /* The rename is durable only once the directory entry is on disk. */
        return vsh_fsync_dir(dir, error);
    }
    return 0;
}

int
vsh_file_write_atomic(const char *path, const char *data, mode_t mode, GError **error)
{
    return vsh_file_replace(path, data, strlen(data), mode, true, error);
}

int
vsh_file_write_runtime(const char *path, const void *data, size_t len, mode_t mode,
                       GError **error)
{
    return vsh_file_replace(path, data, len, mode, false, error);
}

int
vsh_file_append(const char *path, const void *buf, size_t len, mode_t mode, GError **error)
{
    vsh_autoclose int fd = -1;
    ssize_t n;

    if ((fd = vsh_file_open(path, O_WRONLY | O_APPEND | O_CREAT, mode, error)) < 0)
        return -1;
    /* One write(2): with O_APPEND, concurrent records never interleave. */
    do {
        n = write(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return vsh_error_set_errno(error, errno, "cannot append to '%s'", path);
    if ((size_t) n != len)
        return vsh_error_set_code_errno(error, VSH_ERROR_SYSTEM, EIO,
                                        "short append to '%s'", path);
    return 0;
}

int
vsh_file_remove(const char *path, GError **error)
{
    if (unlink(path) < 0 && errno != ENOENT)
        return vsh_error_set_errno(error, errno, "cannot remove '%s'", path);
    return 0;
}

int
vsh_mkdir_p(const char *path, mode_t mode, GError **error)
{
    if (g_mkdir_with_parents(path, (int) mode) < 0)
        return vsh_error_set_errno(error, errno, "cannot create directory '%s'", path);
    return 0;
}

/* One try at the lock: the whole file by flock when @byte < 0, else an OFD lock on that
 * byte. 0, or -1 with errno (EWOULDBLOCK, EAGAIN or EACCES: held by someone else). */
static int
file_try_lock(int fd, off_t byte)
{
    struct flock fl = {
        .l_type = F_WRLCK,
        .l_whence = SEEK_SET,
        .l_start = byte,
        .l_len = 1,
    };

    if (byte < 0)
        return flock(fd, LOCK_EX | LOCK_NB);
    return fcntl(fd, F_OFD_SETLK, &fl);
}

/* Neither lock has a timeout of its own: poll it rather than racing an alarm signal. */
static int
file_lock(const char *path, off_t byte, int timeout_ms, GError **error)
{
    vsh_autoclose int fd = -1;
    gint64 deadline = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
    const struct timespec pause = { 0, 10 * 1000 * 1000 };

    if ((fd = vsh_file_open(path, O_RDWR | O_CREAT, 0600, error)) < 0)
        return -1;
    while (file_try_lock(fd, byte) < 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK && errno != EAGAIN && errno != EACCES)
            return vsh_error_set_errno(error, errno, "cannot lock '%s'", path);
        if (g_get_monotonic_time() >= deadline)
            return vsh_error_set_code_errno(error, VSH_ERROR_BUSY, EWOULDBLOCK,
                                            "'%s' is locked by another process", path);
        (void) nanosleep(&pause, NULL);
    }
    return vsh_steal_fd(&fd);
}

int
vsh_file_lock(const char *path, int timeout_ms, GError **error)
{
    return file_lock(path, -1, timeout_ms, error);
}

int
vsh_file_lock_byte(const char *path, off_t offset, int timeout_ms, GError **error)
{
    g_return_val_if_fail(offset >= 0, -1);
    return file_lock(path, offset, timeout_ms, error);
}

int
vsh_file_is_locked(const char *path, GError **error)
{
    vsh_autoclose int fd = -1;

    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0)
        return vsh_error_set_errno(error, errno, "cannot open '%s'", path);
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return 1;
        return vsh_error_set_errno(error, errno, "cannot test the lock on '%s'", path);
    }
    (void) flock(fd, LOCK_UN);
    return 0;
}

bool
vsh_file_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

bool
vsh_running_from_build_tree(void)
{
    g_autofree char *self = NULL;
    size_t len = strlen(VSH_BUILD_TOPDIR);
    Dl_info info;

    if (dladdr((void *) vsh_running_from_build_tree, &info) && info.dli_fname &&
        g_path_is_absolute(info.dli_fname))
        self = realpath(info.dli_fname, NULL);
    if (!self)
        self = realpath("/proc/self/exe", NULL);
    return self && strncmp(self, VSH_BUILD_TOPDIR, len) == 0 && self[len] == '/';
}
