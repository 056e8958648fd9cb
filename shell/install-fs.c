/*
 * install-fs.c — file-tree primitives for building root filesystems: paths resolved inside a
 * root directory, recursive removal that never follows a symlink, and the error helpers.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "install.h"

int
install_error(GError **error, vsh_error_code code, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, VSH_ERROR, code, msg);
    return -1;
}

int
install_error_errno(GError **error, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, VSH_ERROR, VSH_ERROR_SYSTEM, "%s: %s", msg, g_strerror(errnum));
    return -1;
}

volatile sig_atomic_t install_interrupted;

int
install_check_interrupt(GError **error)
{
    if (!install_interrupted)
        return 0;
    return install_error(error, VSH_ERROR_OPERATION_FAILED, "interrupted");
}

int
install_openat_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
    struct open_how how = { 0 };
    long fd;

    /* RESOLVE_IN_ROOT makes "..", absolute symlinks and absolute paths stop at @rootfd,
     * the way a chroot would see them: an archive member or an image's symlink can point
     * anywhere, and we still only ever touch the tree we are building. */
    how.flags = (unsigned int) (flags | O_CLOEXEC);
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*path == '/')
        path++;
    if (*path == '\0')
        path = ".";
    do {
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EINTR);
    return (int) fd;
}

int
install_mkdir_p_in_root(int rootfd, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    g_autoptr(GString) sofar = g_string_new("");
    size_t i;

    for (i = 0; parts[i]; i++) {
        int fd;

        if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0)
            continue;
        if (sofar->len)
            g_string_append_c(sofar, '/');
        g_string_append(sofar, parts[i]);
        fd = install_openat_in_root(rootfd, sofar->str, O_PATH | O_DIRECTORY, 0);
        if (fd >= 0) {
            close(fd);
            continue;
        }
        if (errno != ENOENT)
            return -1;
        {
            g_autofree char *parent = g_path_get_dirname(sofar->str);
            int pfd = install_openat_in_root(rootfd, parent, O_PATH | O_DIRECTORY, 0);
            int rc;

            if (pfd < 0)
                return -1;
            rc = mkdirat(pfd, parts[i], 0755);
            close(pfd);
            if (rc < 0 && errno != EEXIST)
                return -1;
        }
    }
    return 0;
}

int
install_write_buf_in_root(int rootfd, const char *path, const char *data, size_t len,
                          mode_t mode, GError **error)
{
    int fd = install_openat_in_root(rootfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
                                    mode);
    size_t done = 0;

    if (fd < 0)
        return install_error_errno(error, errno, "cannot create '%s'", path);
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;

            close(fd);
            return install_error_errno(error, saved, "cannot write '%s'", path);
        }
        done += (size_t) n;
    }
    /* the umask must not decide the mode of files a guest relies on (an init script) */
    if (fchmod(fd, mode) < 0 || close(fd) < 0)
        return install_error_errno(error, errno, "cannot write '%s'", path);
    return 0;
}

int
install_write_in_root(int rootfd, const char *path, const char *data, mode_t mode,
                      GError **error)
{
    return install_write_buf_in_root(rootfd, path, data, strlen(data), mode, error);
}

int
install_empty_dir(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir;
    struct dirent *ent;
    int ret = 0;

    if (fd < 0)
        return -1;
    if (!(dir = fdopendir(fd))) {
        close(fd);
        return -1;
    }
    while ((errno = 0, ent = readdir(dir))) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (install_remove_at(dirfd, ent->d_name) < 0) {
            ret = -1;
            break;
        }
    }
    if (ret == 0 && errno != 0)
        ret = -1;
    closedir(dir);
    return ret;
}

int
install_remove_at(int dirfd, const char *name)
{
    struct stat st;
    int fd;
    int rc;

    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
    /* O_NOFOLLOW + O_DIRECTORY: if the entry was swapped for a symlink since the stat,
     * the open fails instead of descending into whatever it points to */
    fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = install_empty_dir(fd);
    close(fd);
    if (rc < 0)
        return -1;
    return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -1 : 0;
}

int
install_remove_tree(const char *path, GError **error)
{
    g_autofree char *parent = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (pfd < 0)
        return errno == ENOENT ? 0 : install_error_errno(error, errno, "cannot remove '%s'",
                                                         path);
    rc = install_remove_at(pfd, base);
    if (rc < 0) {
        int saved = errno;

        close(pfd);
        return install_error_errno(error, saved, "cannot remove '%s'", path);
    }
    close(pfd);
    return 0;
}
