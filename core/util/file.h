/*
 * file.h — system call wrappers for files, descriptors and locks.
 *
 * Every wrapper opens with O_CLOEXEC, retries on EINTR, loops on short reads and writes,
 * and on failure sets a VSH_ERROR_SYSTEM error naming the path and returns -1.
 */
#ifndef VSH_UTIL_FILE_H
#define VSH_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <glib.h>

/* Closes *fd if it is open, keeping errno intact (for vsh_autoclose). */
void vsh_autoclose_fd(int *fd);
#define vsh_autoclose __attribute__((cleanup(vsh_autoclose_fd)))

/* Hands the descriptor out of a vsh_autoclose variable. */
static inline int
vsh_steal_fd(int *fd)
{
    int ret = *fd;

    *fd = -1;
    return ret;
}

/*
 * Reads the whole file at @path (at most @max_len bytes; a longer file is an error;
 * @max_len must be below INT_MAX) into a new NUL-terminated buffer (*ret_buf, g_free).
 * Returns the length, or -1 with @error set (VSH_ERROR_SYSTEM; vsh_error_errno() is ENOENT
 * for a missing file).
 */
int vsh_file_read_all(const char *path, size_t max_len, char **ret_buf, GError **error);

/*
 * Replaces @path with @data atomically: writes a temporary file ".NAME.XXXXXX" in the same
 * directory, fsyncs it, renames it over @path and fsyncs the directory. After a crash at
 * any point @path holds either the old or the new content; a leftover temporary file
 * starts with '.', so nothing that lists the directory for names takes it for data.
 * Returns 0, or -1 with @error set (the temporary file is removed).
 */
int vsh_file_write_atomic(const char *path, const char *data, mode_t mode, GError **error);

/*
 * Like vsh_file_write_atomic() for @len bytes of @data, but never waits for the disk: for
 * runtime state that describes running processes (the store's STATE directory, a tmpfs
 * on a real host). Readers still see the old or the new content, never a mix; after a
 * host crash the content does not matter, since nothing it describes survived either.
 */
int vsh_file_write_runtime(const char *path, const void *data, size_t len, mode_t mode,
                           GError **error);

/* Test hook: when set, called with the temporary file's path after it was written and
 * synced, just before the rename (the store tests kill the process there). */
extern void (*vsh_file_test_before_rename)(const char *tmp_path);

/* Writes all of @buf to @fd. Returns 0, or -1 with @error set (message names the fd). */
int vsh_safe_write(int fd, const void *buf, size_t len, GError **error);

/* Appends @len bytes to @path (created with @mode) with O_APPEND in one write(2), so
 * concurrent appenders never interleave within a record. Returns 0, or -1 with @error. */
int vsh_file_append(const char *path, const void *buf, size_t len, mode_t mode,
                    GError **error);

/* Removes @path; a missing file is not an error. Returns 0, or -1 with @error set. */
int vsh_file_remove(const char *path, GError **error);

/* Creates @path and its missing parents with @mode. Returns 0, or -1 with @error set. */
int vsh_mkdir_p(const char *path, mode_t mode, GError **error);

/*
 * Opens (creating it, mode 0600) the lock file @path and takes flock(LOCK_EX), waiting up
 * to @timeout_ms (0: try once). Returns the descriptor holding the lock (close it to
 * release), or -1 with @error set: VSH_ERROR_BUSY "'PATH' is locked by another process"
 * when the time ran out (callers usually replace that message), VSH_ERROR_SYSTEM otherwise.
 */
int vsh_file_lock(const char *path, int timeout_ms, GError **error);

/*
 * Like vsh_file_lock(), but the lock is an exclusive open-file-description lock
 * (F_OFD_SETLK) on the one byte at @offset of @path, so that one file holds the locks of
 * many objects: two descriptors conflict on the same byte only, whichever processes (or
 * threads of one process) hold them. @offset must be at least 0 and below INT64_MAX.
 */
int vsh_file_lock_byte(const char *path, off_t offset, int timeout_ms, GError **error);

/*
 * Whether some process holds a flock on @path, tested by taking and at once releasing a
 * LOCK_EX|LOCK_NB on a descriptor of our own. A missing file is not locked.
 * Returns 1 locked, 0 free, -1 with @error set.
 */
int vsh_file_is_locked(const char *path, GError **error);

/* Whether @path exists (lstat succeeds). */
bool vsh_file_exists(const char *path);

/* Whether the library code running now was loaded from the build tree (an uninstalled
 * libvsh, or a test program that links the core statically): then its helper programs
 * and modules are the build tree's too, so a build never runs a stale installed one and
 * an installation never runs a build tree's. */
bool vsh_running_from_build_tree(void);

#endif /* VSH_UTIL_FILE_H */
