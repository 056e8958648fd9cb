/*
 * define-floor — the least a `vsh define` can cost on this machine, for bench/lxc-lifecycle.
 *
 * Usage: define-floor FILE DIR NAME
 * Copies FILE to DIR/NAME.xml durably and atomically, the way the store writes a
 * definition on ext4 and XFS: a new temporary file, its data written out with
 * sync_file_range, renamed over NAME.xml, then one fsync of its descriptor. The harness
 * builds it statically with the same C library as vsh and times it like `vsh define`
 * (fork, exec, exit and reap included), so its median is a define without parsing,
 * validation, locks or cache: what the process and the disk cost. Exits 1 with a message
 * naming the failed step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
fail(const char *what)
{
    fprintf(stderr, "define-floor: %s: %s\n", what, strerror(errno));
    return 1;
}

int
main(int argc, char **argv)
{
    char buf[64 * 1024];
    char tmp[4096];
    char path[4096];
    ssize_t len;
    int fd;

    if (argc != 4) {
        fprintf(stderr, "usage: define-floor FILE DIR NAME\n");
        return 2;
    }
    if ((fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0)
        return fail(argv[1]);
    if ((len = read(fd, buf, sizeof(buf))) < 0)
        return fail("read");
    close(fd);
    snprintf(tmp, sizeof(tmp), "%s/.%s.xml.tmp", argv[2], argv[3]);
    snprintf(path, sizeof(path), "%s/%s.xml", argv[2], argv[3]);
    if ((fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return fail("open");
    if (write(fd, buf, (size_t) len) != len)
        return fail("write");
    if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                  SYNC_FILE_RANGE_WAIT_AFTER) < 0)
        return fail("sync_file_range");
    if (rename(tmp, path) < 0)
        return fail("rename");
    if (fsync(fd) < 0)
        return fail("fsync");
    close(fd);
    return 0;
}
