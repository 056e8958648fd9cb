/*
 * cgroup.c — per-domain control groups on cgroup v1, hybrid and pure v2 hosts
 * (core/cgroup.h). Plain libc: linked into vsh-monitor.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

static const char *const controller_names[VSH_CGROUP_CONTROLLER_LAST] = {
    "cpu", "cpuacct", "memory", "pids", "freezer", "cpuset", "blkio",
};

/* The v2 controllers enabled for domain groups, in the order they are enabled (io only
 * with_blkio). */
static const int v2_controllers[] = {
    VSH_CGROUP_CPU, VSH_CGROUP_MEMORY, VSH_CGROUP_PIDS, VSH_CGROUP_CPUSET, VSH_CGROUP_BLKIO,
};

/* The controller's name in cgroup.controllers (v2), where blkio is "io". */
static const char *
v2_name(int ctrl)
{
    return ctrl == VSH_CGROUP_BLKIO ? "io" : controller_names[ctrl];
}

const char *
vsh_cgroup_layout_to_string(int layout)
{
    switch (layout) {
    case VSH_CGROUP_LAYOUT_V1: return "v1";
    case VSH_CGROUP_LAYOUT_HYBRID: return "hybrid";
    case VSH_CGROUP_LAYOUT_V2: return "v2";
    default: return "none";
    }
}

/* ------------------------------------------------------------------ small file I/O */

static void
sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int
path_join(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    int n = snprintf(buf, size, "%s%s%s%s%s", a, b ? "/" : "", b ? b : "", c ? "/" : "",
                     c ? c : "");

    if (n < 0 || (size_t) n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

static int
file_write(const char *path, const char *value, int create)
{
    size_t len = strlen(value);
    ssize_t n;
    int fd;
    int saved;

    /* On a plain directory tree (tests) every write is appended as a line, so a test sees
     * each value written in order, as the kernel would have received them. */
    fd = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_APPEND : 0), 0644);
    if (fd < 0)
        return -1;
    do {
        n = write(fd, value, len);
    } while (n < 0 && errno == EINTR);
    if (create && n >= 0 && write(fd, "\n", 1) != 1)
        n = -1;
    saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return -1;
    }
    if ((size_t) n != len) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Reads at most @size - 1 bytes of @path into @buf, NUL-terminated. Returns the length. */
static ssize_t
file_read(const char *path, char *buf, size_t size)
{
    size_t len = 0;
    ssize_t n;
    int fd;
    int saved;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    while (len < size - 1) {
        n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t) n;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t) len;
}

/*
 * Reads a whole file of unknown size, NUL-terminated: into @small (@small_size bytes) when
 * it fits, else into a malloc'ed buffer of at most @max bytes. Release it with
 * text_free(). The monitor's C library, musl, serves a 4 KiB malloc from a mapping of its
 * own and unmaps it at free, and each munmap flushes the TLB (tens of microseconds on our
 * VMs): the files read on the way to a start or a stop, mountinfo and a group's
 * cgroup.procs, usually fit on the stack.
 */
static char *
fd_read_text(int fd, char *small, size_t small_size, size_t max)
{
    size_t cap = small_size;
    size_t len = 0;
    char *buf = small;
    char *nb;
    ssize_t n;

    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= max || !(nb = buf == small ? malloc(cap * 2) : realloc(buf, cap * 2)))
                break;
            if (buf == small)
                memcpy(nb, small, len);
            buf = nb;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t) n;
    }
    buf[len] = '\0';
    return buf;
}

static char *
file_read_text(const char *path, char *small, size_t small_size, size_t max)
{
    char *text;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    text = fd_read_text(fd, small, small_size, max);
    close(fd);
    return text;
}

static void
text_free(char *text, const char *small)
{
    if (text != small)
        free(text);
}

static int
parse_ull(const char *s, unsigned long long *ret)
{
    char *end;

    errno = 0;
    if (*s < '0' || *s > '9')
        return (errno = EINVAL, -1);
    *ret = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end && *end != '\n' && *end != ' ')
        return (errno = EINVAL, -1);
    return 0;
}

/* ------------------------------------------------------------------ layout */

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape_octal(char *s)
{
    char *o = s;

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *o++ = (char) ((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
            s += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* 1 when @opts (comma-separated) holds the word @word. */
static int
has_option(const char *opts, const char *word)
{
    size_t wl = strlen(word);
    const char *p = opts;

    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t) (comma - p) : strlen(p);

        if (len == wl && strncmp(p, word, wl) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* 1 when the whitespace-separated @list holds @word ("cpu" must not match "cpuset"). */
static int
has_word(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *p = list;

    while (*p) {
        size_t len;

        while (*p == ' ' || *p == '\n')
            p++;
        len = strcspn(p, " \n");
        if (len == wl && strncmp(p, word, wl) == 0)
            return 1;
        p += len;
    }
    return 0;
}

/* 1 when @mnt is @root or below it. */
static int
is_under(const char *mnt, const char *root)
{
    size_t rl = strlen(root);

    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    return strncmp(mnt, root, rl) == 0 && (mnt[rl] == '\0' || mnt[rl] == '/');
}

/* One mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SRC SUPER" */
static char *
prefixed(const char *prefix, const char *path)
{
    size_t pl = strlen(prefix);
    char *s = malloc(pl + strlen(path) + 1);

    if (s) {
        memcpy(s, prefix, pl);
        strcpy(s + pl, path);
    }
    return s;
}

static int
parse_mount_line(struct vsh_cgroup *cg, char *line, const char *root, const char *prefix)
{
    char *fields[6];
    char *sep;
    char *fstype;
    char *super;
    char *save = NULL;
    int i;

    if (!(sep = strstr(line, " - ")))
        return 0;
    *sep = '\0';
    fields[0] = strtok_r(line, " ", &save);
    for (i = 1; i < 6 && fields[i - 1]; i++)
        fields[i] = strtok_r(NULL, " ", &save);
    if (i < 6 || !fields[4])
        return 0;
    save = NULL;
    fstype = strtok_r(sep + 3, " ", &save);
    (void) strtok_r(NULL, " ", &save);
    super = strtok_r(NULL, " ", &save);
    if (!fstype || !super)
        return 0;
    unescape_octal(fields[4]);
    if (!is_under(fields[4], root))
        return 0;
    if (strcmp(fstype, "cgroup2") == 0) {
        if (!cg->unified && !(cg->unified = prefixed(prefix, fields[4])))
            return -1;
    } else if (strcmp(fstype, "cgroup") == 0) {
        for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++) {
            if (!cg->v1[i] && has_option(super, controller_names[i]) &&
                !(cg->v1[i] = prefixed(prefix, fields[4])))
                return -1;
        }
    }
    return 0;
}

static int
path_is_valid(const char *path)
{
    const char *p = path;

    if (!path || !*path || *path == '/')
        return 0;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t) (slash - p) : strlen(p);

        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += len;
        if (*p == '/')
            p++;
    }
    return p[-1] != '/';
}

/* Reads the cgroup mounts under @root listed in the mountinfo text @fd gives from its
 * start; their paths get @prefix. */
static int
read_mounts_fd(struct vsh_cgroup *cg, int fd, const char *root, const char *prefix)
{
    char small[8192];
    char *text;
    char *line;
    char *save = NULL;
    int i;
    int any_v1 = 0;

    if (lseek(fd, 0, SEEK_SET) < 0 || !(text = fd_read_text(fd, small, sizeof(small), 1 << 24)))
        return -1;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (parse_mount_line(cg, line, root, prefix) < 0) {
            text_free(text, small);
            return (errno = ENOMEM, -1);
        }
    }
    text_free(text, small);
    for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++)
        any_v1 |= cg->v1[i] != NULL;
    if (any_v1)
        cg->layout = cg->unified ? VSH_CGROUP_LAYOUT_HYBRID : VSH_CGROUP_LAYOUT_V1;
    else if (cg->unified)
        cg->layout = VSH_CGROUP_LAYOUT_V2;
    return 0;
}

static int
read_mounts(struct vsh_cgroup *cg, const char *mountinfo, const char *root, const char *prefix)
{
    int fd = open(mountinfo, O_RDONLY | O_CLOEXEC);
    int r;
    int saved;

    if (fd < 0)
        return -1;
    r = read_mounts_fd(cg, fd, root, prefix);
    saved = errno;
    close(fd);
    errno = saved;
    return r;
}

/* Copies @from's hierarchies into the cleared @to. */
static int
copy_layout(struct vsh_cgroup *to, const struct vsh_cgroup *from)
{
    int i;

    to->layout = from->layout;
    if (from->unified && !(to->unified = strdup(from->unified)))
        return (errno = ENOMEM, -1);
    for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++) {
        if (from->v1[i] && !(to->v1[i] = strdup(from->v1[i])))
            return (errno = ENOMEM, -1);
    }
    return 0;
}

/*
 * The host's hierarchies under host_mounts_root, as the last read of /proc/self/mountinfo
 * found them. `vsh list` looks at the cgroup of every running domain, and each read of
 * mountinfo has the kernel write out the whole mount table (hundreds of lines on a host
 * with containers). The table is pollable, though: its descriptor turns POLLPRI once a
 * mount or unmount happened since the last poll. So the layout is kept, with that
 * descriptor open, and read again only then. The descriptor shows the mount namespace it
 * was opened in: a process that has entered another one since (a test's child) opens it
 * again. A test's mountinfo, and PID 1's (below), are read each time.
 */
static pthread_mutex_t host_mounts_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vsh_cgroup host_mounts;
static char *host_mounts_root;
static int host_mounts_fd = -1;
static ino_t host_mounts_ns;

static int
read_host_mounts(struct vsh_cgroup *cg, const char *root)
{
    struct pollfd pfd = { -1, POLLPRI, 0 };
    struct vsh_cgroup fresh;
    struct stat ns;
    char *fresh_root;
    int stale = 0;
    int r = 0;

    pthread_mutex_lock(&host_mounts_lock);
    if (stat("/proc/self/ns/mnt", &ns) < 0) {
        r = -1;
        goto out;
    }
    if (host_mounts_fd >= 0 && ns.st_ino != host_mounts_ns) {
        close(host_mounts_fd);
        host_mounts_fd = -1;
    }
    if (host_mounts_fd < 0) {
        if ((host_mounts_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)) < 0) {
            r = -1;
            goto out;
        }
        host_mounts_ns = ns.st_ino;
        stale = 1;
    }
    pfd.fd = host_mounts_fd;
    /* poll first: a change after it is seen by the read, and again by the next poll */
    if (poll(&pfd, 1, 0) != 0 || stale || !host_mounts_root ||
        strcmp(host_mounts_root, root) != 0) {
        memset(&fresh, 0, sizeof(fresh));
        if (read_mounts_fd(&fresh, host_mounts_fd, root, "") < 0 ||
            !(fresh_root = strdup(root))) {
            int saved = errno;

            vsh_cgroup_clear(&fresh);
            errno = saved;
            r = -1;
            goto out;
        }
        vsh_cgroup_clear(&host_mounts);
        free(host_mounts_root);
        host_mounts = fresh;
        host_mounts_root = fresh_root;
    }
    r = copy_layout(cg, &host_mounts);
out:
    pthread_mutex_unlock(&host_mounts_lock);
    return r;
}

int
vsh_cgroup_open(struct vsh_cgroup *cg, const char *root, const char *mountinfo,
                const char *path)
{
    memset(cg, 0, sizeof(*cg));
    if (!path_is_valid(path))
        return (errno = EINVAL, -1);
    if (!root)
        root = getenv("VSH_CGROUP_ROOT");
    if (!root || !*root)
        root = VSH_CGROUP_DEFAULT_ROOT;
    if ((mountinfo ? read_mounts(cg, mountinfo, root, "") : read_host_mounts(cg, root)) < 0) {
        int saved = errno;

        vsh_cgroup_clear(cg);
        errno = saved;
        return -1;
    }
    /* A mount namespace with a fresh /sys (`ip netns exec` makes one) hides the cgroup
     * mounts; the host's are still reachable through PID 1's root. */
    if (cg->layout == VSH_CGROUP_LAYOUT_NONE && !mountinfo &&
        read_mounts(cg, "/proc/1/mountinfo", root, "/proc/1/root") < 0) {
        vsh_cgroup_clear(cg);
        return -1;
    }
    if (cg->layout == VSH_CGROUP_LAYOUT_NONE) {
        vsh_cgroup_clear(cg);
        return (errno = ENOENT, -1);
    }
    if (!(cg->path = strdup(path))) {
        vsh_cgroup_clear(cg);
        return (errno = ENOMEM, -1);
    }
    return 0;
}

void
vsh_cgroup_clear(struct vsh_cgroup *cg)
{
    int i;

    if (!cg)
        return;
    free(cg->unified);
    for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++)
        free(cg->v1[i]);
    free(cg->path);
    memset(cg, 0, sizeof(*cg));
}

static int
is_v2(const struct vsh_cgroup *cg)
{
    return cg->layout == VSH_CGROUP_LAYOUT_V2;
}

/* 1 when the v2 root offers @ctrl in its cgroup.controllers. */
static int
v2_root_has(const struct vsh_cgroup *cg, int ctrl)
{
    char path[PATH_MAX];
    char buf[512];
    if (ctrl == VSH_CGROUP_FREEZER)
        return 1;
    if (ctrl == VSH_CGROUP_CPUACCT)
        ctrl = VSH_CGROUP_CPU;      /* cpu.stat is there even without the cpu controller */
    if (path_join(path, sizeof(path), cg->unified, "cgroup.controllers", NULL) < 0 ||
        file_read(path, buf, sizeof(buf)) < 0)
        return 0;
    return has_word(buf, v2_name(ctrl));
}

int
vsh_cgroup_has_controller(const struct vsh_cgroup *cg, int ctrl)
{
    if (ctrl < 0 || ctrl >= VSH_CGROUP_CONTROLLER_LAST)
        return 0;
    if (is_v2(cg))
        return v2_root_has(cg, ctrl);
    return cg->v1[ctrl] != NULL;
}

/* The group's directory for @ctrl; ENOTSUP when the host does not have it. */
static int
group_dir(const struct vsh_cgroup *cg, int ctrl, char *buf, size_t size)
{
    if (is_v2(cg))
        return path_join(buf, size, cg->unified, cg->path, NULL);
    if (!cg->v1[ctrl])
        return (errno = ENOTSUP, -1);
    return path_join(buf, size, cg->v1[ctrl], cg->path, NULL);
}

static int
group_write(const struct vsh_cgroup *cg, int ctrl, const char *file, const char *value)
{
    char path[PATH_MAX];
    char dir[PATH_MAX];

    if (group_dir(cg, ctrl, dir, sizeof(dir)) < 0 ||
        path_join(path, sizeof(path), dir, file, NULL) < 0)
        return -1;
    return file_write(path, value, cg->create_files);
}

static ssize_t
group_read(const struct vsh_cgroup *cg, int ctrl, const char *file, char *buf, size_t size)
{
    char path[PATH_MAX];
    char dir[PATH_MAX];

    if (group_dir(cg, ctrl, dir, sizeof(dir)) < 0 ||
        path_join(path, sizeof(path), dir, file, NULL) < 0)
        return -1;
    return file_read(path, buf, size);
}

static int
group_has_file(const struct vsh_cgroup *cg, int ctrl, const char *file)
{
    char path[PATH_MAX];
    char dir[PATH_MAX];

    if (group_dir(cg, ctrl, dir, sizeof(dir)) < 0 ||
        path_join(path, sizeof(path), dir, file, NULL) < 0)
        return 0;
    return access(path, F_OK) == 0;
}

/* ------------------------------------------------------------------ create, attach, remove */

/* The distinct v1 mounts (co-mounted controllers share one), or the unified root. blkio's
 * only with_blkio, or with @all. */
static size_t
hierarchies_of(const struct vsh_cgroup *cg, int all, const char **ret, int *ret_ctrl)
{
    size_t n = 0;
    size_t j;
    int i;

    if (is_v2(cg)) {
        ret[0] = cg->unified;
        ret_ctrl[0] = -1;
        return 1;
    }
    for (i = 0; i < VSH_CGROUP_CONTROLLER_LAST; i++) {
        if (!cg->v1[i] || (i == VSH_CGROUP_BLKIO && !cg->with_blkio && !all))
            continue;
        for (j = 0; j < n; j++) {
            if (strcmp(ret[j], cg->v1[i]) == 0)
                break;
        }
        if (j == n) {
            ret_ctrl[n] = i;
            ret[n++] = cg->v1[i];
        }
    }
    return n;
}

static size_t
hierarchies(const struct vsh_cgroup *cg, const char **ret, int *ret_ctrl)
{
    return hierarchies_of(cg, 0, ret, ret_ctrl);
}

/* An empty cpuset.cpus/mems would keep every task out of a new v1 cpuset group. */
static int
cpuset_inherit(const struct vsh_cgroup *cg, const char *parent, const char *child)
{
    static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
    char path[PATH_MAX];
    char value[4096];
    size_t i;

    for (i = 0; i < 2; i++) {
        if (path_join(path, sizeof(path), child, files[i], NULL) < 0)
            return -1;
        if (file_read(path, value, sizeof(value)) > 0 && value[0] != '\n')
            continue;
        if (path_join(path, sizeof(path), parent, files[i], NULL) < 0 ||
            file_read(path, value, sizeof(value)) < 0 ||
            path_join(path, sizeof(path), child, files[i], NULL) < 0 ||
            file_write(path, value, cg->create_files) < 0)
            return -1;
    }
    return 0;
}

/* v2: a child group gets the controllers its parent enables in cgroup.subtree_control. */
static void
v2_enable_controllers(const struct vsh_cgroup *cg, const char *parent)
{
    char path[PATH_MAX];
    char avail[512];
    char word[32];
    size_t i;

    if (path_join(path, sizeof(path), parent, "cgroup.controllers", NULL) < 0 ||
        file_read(path, avail, sizeof(avail)) < 0 ||
        path_join(path, sizeof(path), parent, "cgroup.subtree_control", NULL) < 0)
        return;
    for (i = 0; i < sizeof(v2_controllers) / sizeof(v2_controllers[0]); i++) {
        const char *name = v2_name(v2_controllers[i]);

        if ((v2_controllers[i] == VSH_CGROUP_BLKIO && !cg->with_blkio) ||
            !has_word(avail, name))
            continue;
        (void) snprintf(word, sizeof(word), "+%s", name);
        /* failure (e.g. the parent has processes of its own) shows later, when a limit
         * file of that controller is missing */
        (void) file_write(path, word, cg->create_files);
    }
}

static int
create_in(const struct vsh_cgroup *cg, const char *mount, int ctrl)
{
    char parent[PATH_MAX];
    char dir[PATH_MAX];
    const char *p = cg->path;

    if (strlen(mount) >= sizeof(parent))
        return (errno = ENAMETOOLONG, -1);
    strcpy(parent, mount);
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t) (slash - cg->path) : strlen(cg->path);
        int n = snprintf(dir, sizeof(dir), "%s/%.*s", mount, (int) len, cg->path);

        if (n < 0 || (size_t) n >= sizeof(dir))
            return (errno = ENAMETOOLONG, -1);
        if (ctrl < 0)
            v2_enable_controllers(cg, parent);
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            return -1;
        if (ctrl >= 0 && cg->v1[VSH_CGROUP_CPUSET] &&
            strcmp(cg->v1[VSH_CGROUP_CPUSET], mount) == 0 && cpuset_inherit(cg, parent, dir) < 0)
            return -1;
        strcpy(parent, dir);
        p = slash ? slash + 1 : p + strlen(p);
    }
    return 0;
}

int
vsh_cgroup_create(const struct vsh_cgroup *cg)
{
    const char *mounts[VSH_CGROUP_CONTROLLER_LAST];
    int ctrls[VSH_CGROUP_CONTROLLER_LAST];
    size_t n = hierarchies(cg, mounts, ctrls);
    size_t i;

    for (i = 0; i < n; i++) {
        if (create_in(cg, mounts[i], ctrls[i]) < 0)
            return -1;
    }
    return 0;
}

int
vsh_cgroup_attach(const struct vsh_cgroup *cg, pid_t pid)
{
    const char *mounts[VSH_CGROUP_CONTROLLER_LAST];
    int ctrls[VSH_CGROUP_CONTROLLER_LAST];
    size_t n = hierarchies(cg, mounts, ctrls);
    char path[PATH_MAX];
    char value[24];
    size_t i;

    (void) snprintf(value, sizeof(value), "%d", (int) pid);
    for (i = 0; i < n; i++) {
        if (path_join(path, sizeof(path), mounts[i], cg->path, "cgroup.procs") < 0 ||
            file_write(path, value, cg->create_files) < 0)
            return -1;
    }
    return 0;
}

/*
 * Every write to cgroup.procs takes the kernel's global threadgroup lock for writing, and
 * taking it first waits for an RCU grace period (about 0.45 ms on our VMs, the dearest
 * step of putting init in its cgroup). A thread that moves itself alone needs no
 * threadgroup stability, and the kernel skips that lock for "0" written to a v1 tasks
 * file. For a single-threaded caller that moves the whole process. v2 has no such door
 * for domain groups (cgroup.threads moves threads only inside threaded subtrees).
 */
int
vsh_cgroup_attach_self(const struct vsh_cgroup *cg)
{
    const char *mounts[VSH_CGROUP_CONTROLLER_LAST];
    int ctrls[VSH_CGROUP_CONTROLLER_LAST];
    size_t n = hierarchies(cg, mounts, ctrls);
    const char *file = is_v2(cg) ? "cgroup.procs" : "tasks";
    char path[PATH_MAX];
    size_t i;

    for (i = 0; i < n; i++) {
        if (path_join(path, sizeof(path), mounts[i], cg->path, file) < 0 ||
            file_write(path, "0", cg->create_files) < 0)
            return -1;
    }
    return 0;
}

int
vsh_cgroup_open_join_fds(const struct vsh_cgroup *cg, int *fds, size_t max)
{
    const char *mounts[VSH_CGROUP_CONTROLLER_LAST];
    int ctrls[VSH_CGROUP_CONTROLLER_LAST];
    size_t n = hierarchies(cg, mounts, ctrls);
    const char *file = is_v2(cg) ? "cgroup.procs" : "tasks";
    char path[PATH_MAX];
    size_t i;

    if (n > max) {
        errno = E2BIG;
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (path_join(path, sizeof(path), mounts[i], cg->path, file) < 0 ||
            (fds[i] = open(path, O_WRONLY | O_CLOEXEC |
                                     (cg->create_files ? O_CREAT | O_APPEND : 0), 0644)) < 0) {
            int saved = errno;

            while (i > 0)
                close(fds[--i]);
            errno = saved;
            return -1;
        }
    }
    return (int) n;
}

int
vsh_cgroup_join_fds(const int *fds, size_t n)
{
    size_t i;
    ssize_t w;

    for (i = 0; i < n; i++) {
        do {
            w = write(fds[i], "0", 1);
        } while (w < 0 && errno == EINTR);
        if (w < 0)
            return -1;
    }
    return 0;
}

int
vsh_cgroup_remove(const struct vsh_cgroup *cg)
{
    const char *mounts[VSH_CGROUP_CONTROLLER_LAST];
    int ctrls[VSH_CGROUP_CONTROLLER_LAST];
    size_t n = hierarchies_of(cg, 1, mounts, ctrls);
    char dir[PATH_MAX];
    size_t i;
    int tries;
    int ret = 0;

    for (i = 0; i < n; i++) {
        if (path_join(dir, sizeof(dir), mounts[i], cg->path, NULL) < 0)
            return -1;
        /* a task that was just killed leaves the group a moment after it is reaped */
        for (tries = 0; rmdir(dir) < 0; tries++) {
            if (errno == ENOENT)
                break;
            if (errno != EBUSY || tries >= 2000) {
                ret = -1;
                break;
            }
            sleep_us(1000);
        }
    }
    return ret;
}

/* ------------------------------------------------------------------ limits */

static void
format_ull(char *buf, size_t size, unsigned long long v)
{
    (void) snprintf(buf, size, "%llu", v);
}

/* "max" on v2, -1 on v1 for "no limit" (0) */
static void
format_limit(const struct vsh_cgroup *cg, char *buf, size_t size, unsigned long long v)
{
    if (v == 0)
        (void) snprintf(buf, size, "%s", is_v2(cg) ? "max" : "-1");
    else
        format_ull(buf, size, v);
}

int
vsh_cgroup_set_memory_hard(const struct vsh_cgroup *cg, unsigned long long bytes)
{
    char value[32];

    format_limit(cg, value, sizeof(value), bytes);
    if (is_v2(cg))
        return group_write(cg, VSH_CGROUP_MEMORY, "memory.max", value);
    if (group_write(cg, VSH_CGROUP_MEMORY, "memory.limit_in_bytes", value) == 0)
        return 0;
    /* v1 refuses a memory limit above memory+swap: raise memsw first, then retry */
    if (errno != EINVAL || !group_has_file(cg, VSH_CGROUP_MEMORY, "memory.memsw.limit_in_bytes"))
        return -1;
    if (group_write(cg, VSH_CGROUP_MEMORY, "memory.memsw.limit_in_bytes", value) < 0)
        return -1;
    return group_write(cg, VSH_CGROUP_MEMORY, "memory.limit_in_bytes", value);
}

int
vsh_cgroup_set_memory_soft(const struct vsh_cgroup *cg, unsigned long long bytes)
{
    char value[32];

    format_limit(cg, value, sizeof(value), bytes);
    return group_write(cg, VSH_CGROUP_MEMORY,
                       is_v2(cg) ? "memory.high" : "memory.soft_limit_in_bytes", value);
}

int
vsh_cgroup_set_memory_swap(const struct vsh_cgroup *cg, unsigned long long hard_bytes,
                           unsigned long long swap_bytes)
{
    char value[32];

    if (is_v2(cg)) {
        if (swap_bytes && hard_bytes && swap_bytes < hard_bytes)
            return (errno = EINVAL, -1);
        /* memory.swap.max counts swap alone; without a memory limit the swap limit is
         * the whole figure */
        if (swap_bytes == 0)
            (void) snprintf(value, sizeof(value), "max");
        else
            format_ull(value, sizeof(value), swap_bytes - hard_bytes);
        return group_write(cg, VSH_CGROUP_MEMORY, "memory.swap.max", value);
    }
    if (!group_has_file(cg, VSH_CGROUP_MEMORY, "memory.memsw.limit_in_bytes"))
        return (errno = ENOTSUP, -1);
    format_limit(cg, value, sizeof(value), swap_bytes);
    return group_write(cg, VSH_CGROUP_MEMORY, "memory.memsw.limit_in_bytes", value);
}

unsigned long long
vsh_cgroup_shares_to_weight(unsigned long long shares)
{
    unsigned long long w;

    if (shares > ULLONG_MAX / 100)
        return 10000;
    w = shares * 100 / 1024;
    return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

int
vsh_cgroup_set_cpu_shares(const struct vsh_cgroup *cg, unsigned long long shares)
{
    char value[32];

    if (is_v2(cg)) {
        format_ull(value, sizeof(value), vsh_cgroup_shares_to_weight(shares));
        return group_write(cg, VSH_CGROUP_CPU, "cpu.weight", value);
    }
    format_ull(value, sizeof(value), shares);
    return group_write(cg, VSH_CGROUP_CPU, "cpu.shares", value);
}

/* v2: cpu.max holds "QUOTA PERIOD"; keep the period when none is given. */
static int
v2_set_cpu_max(const struct vsh_cgroup *cg, unsigned long long period_us, long long quota_us)
{
    char value[64];
    char cur[64];
    char *space;
    unsigned long long cur_period = 100000;

    if (period_us == 0 && group_read(cg, VSH_CGROUP_CPU, "cpu.max", cur, sizeof(cur)) > 0 &&
        (space = strchr(cur, ' ')))
        (void) parse_ull(space + 1, &cur_period);
    if (period_us == 0)
        period_us = cur_period;
    if (quota_us < 0)
        (void) snprintf(value, sizeof(value), "max %llu", period_us);
    else
        (void) snprintf(value, sizeof(value), "%lld %llu", quota_us, period_us);
    return group_write(cg, VSH_CGROUP_CPU, "cpu.max", value);
}

int
vsh_cgroup_set_cpu_bandwidth(const struct vsh_cgroup *cg, unsigned long long period_us,
                             long long quota_us)
{
    char value[32];

    if (is_v2(cg))
        return v2_set_cpu_max(cg, period_us, quota_us);
    if (period_us) {
        format_ull(value, sizeof(value), period_us);
        if (group_write(cg, VSH_CGROUP_CPU, "cpu.cfs_period_us", value) < 0)
            return -1;
    }
    (void) snprintf(value, sizeof(value), "%lld", quota_us < 0 ? -1LL : quota_us);
    return group_write(cg, VSH_CGROUP_CPU, "cpu.cfs_quota_us", value);
}

int
vsh_cgroup_set_cpuset(const struct vsh_cgroup *cg, const char *cpus)
{
    return group_write(cg, VSH_CGROUP_CPUSET, "cpuset.cpus", cpus);
}

int
vsh_cgroup_set_pids_max(const struct vsh_cgroup *cg, unsigned long long max)
{
    char value[32];

    if (max == 0)
        (void) snprintf(value, sizeof(value), "max");
    else
        format_ull(value, sizeof(value), max);
    return group_write(cg, VSH_CGROUP_PIDS, "pids.max", value);
}

/* The first of @files the group has for @ctrl (on a fake tree that has none of them: the
 * last, the most widely known), or NULL with errno ENOTSUP. */
static const char *
group_first_file(const struct vsh_cgroup *cg, int ctrl, const char *const *files, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (group_has_file(cg, ctrl, files[i]))
            return files[i];
    }
    if (cg->create_files && n > 0)
        return files[n - 1];
    errno = ENOTSUP;
    return NULL;
}

int
vsh_cgroup_set_blkio_weight(const struct vsh_cgroup *cg, unsigned int weight)
{
    static const char *const v1[] = { "blkio.bfq.weight", "blkio.weight" };
    static const char *const v2[] = { "io.bfq.weight", "io.weight" };
    const char *file = is_v2(cg) ? group_first_file(cg, VSH_CGROUP_BLKIO, v2, 2)
                                 : group_first_file(cg, VSH_CGROUP_BLKIO, v1, 2);
    char value[32];

    if (!file)
        return -1;
    /* v2's io.weight takes "default N" for the group, its bfq file the bare number */
    (void) snprintf(value, sizeof(value), "%s%u",
                    strcmp(file, "io.weight") == 0 ? "default " : "", weight);
    return group_write(cg, VSH_CGROUP_BLKIO, file, value);
}

int
vsh_cgroup_set_blkio_device(const struct vsh_cgroup *cg, unsigned int major,
                            unsigned int minor, int field, unsigned long long value)
{
    static const char *const v1_weight[] = { "blkio.bfq.weight_device", "blkio.weight_device" };
    static const char *const v2_weight[] = { "io.bfq.weight", "io.weight" };
    static const char *const v1_limits[] = {
        "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
    };
    static const char *const v2_keys[] = { "riops", "wiops", "rbps", "wbps" };
    const char *file;
    char line[96];

    if (field < 0 || field >= VSH_CGROUP_BLKIO_FIELD_LAST)
        return (errno = EINVAL, -1);
    if (field == VSH_CGROUP_BLKIO_WEIGHT) {
        if (!(file = is_v2(cg) ? group_first_file(cg, VSH_CGROUP_BLKIO, v2_weight, 2)
                               : group_first_file(cg, VSH_CGROUP_BLKIO, v1_weight, 2)))
            return -1;
        /* v2 takes the device's entry off with "default" */
        if (is_v2(cg) && value == 0)
            (void) snprintf(line, sizeof(line), "%u:%u default", major, minor);
        else
            (void) snprintf(line, sizeof(line), "%u:%u %llu", major, minor, value);
        return group_write(cg, VSH_CGROUP_BLKIO, file, line);
    }
    if (is_v2(cg)) {
        if (!(file = group_first_file(cg, VSH_CGROUP_BLKIO, (const char *const[]) { "io.max" },
                                      1)))
            return -1;
        if (value == 0)
            (void) snprintf(line, sizeof(line), "%u:%u %s=max", major, minor,
                            v2_keys[field - 1]);
        else
            (void) snprintf(line, sizeof(line), "%u:%u %s=%llu", major, minor,
                            v2_keys[field - 1], value);
        return group_write(cg, VSH_CGROUP_BLKIO, file, line);
    }
    if (!(file = group_first_file(cg, VSH_CGROUP_BLKIO, &v1_limits[field - 1], 1)))
        return -1;
    (void) snprintf(line, sizeof(line), "%u:%u %llu", major, minor, value);
    return group_write(cg, VSH_CGROUP_BLKIO, file, line);
}

/* ------------------------------------------------------------------ usage */

/* The value of "KEY VALUE" in a flat-keyed file such as memory.stat or cpu.stat. */
static int
keyed_value(const char *text, const char *key, unsigned long long *ret)
{
    size_t kl = strlen(key);
    const char *p = text;

    while (p && *p) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ' ')
            return parse_ull(p + kl + 1, ret);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return (errno = ENOENT, -1);
}

int
vsh_cgroup_get_cpu_time(const struct vsh_cgroup *cg, unsigned long long *ret_ns)
{
    char buf[1024];
    unsigned long long usec;

    if (is_v2(cg)) {
        if (group_read(cg, VSH_CGROUP_CPU, "cpu.stat", buf, sizeof(buf)) < 0 ||
            keyed_value(buf, "usage_usec", &usec) < 0)
            return -1;
        *ret_ns = usec * 1000;
        return 0;
    }
    if (group_read(cg, VSH_CGROUP_CPUACCT, "cpuacct.usage", buf, sizeof(buf)) < 0)
        return -1;
    return parse_ull(buf, ret_ns);
}

int
vsh_cgroup_get_cpu_times(const struct vsh_cgroup *cg, unsigned long long *ret_user_ns,
                         unsigned long long *ret_system_ns)
{
    char buf[1024];
    unsigned long long user;
    unsigned long long sys;
    long hz;

    if (is_v2(cg)) {
        if (group_read(cg, VSH_CGROUP_CPU, "cpu.stat", buf, sizeof(buf)) < 0 ||
            keyed_value(buf, "user_usec", &user) < 0 ||
            keyed_value(buf, "system_usec", &sys) < 0)
            return -1;
        *ret_user_ns = user * 1000;
        *ret_system_ns = sys * 1000;
        return 0;
    }
    /* in USER_HZ ticks */
    if ((hz = sysconf(_SC_CLK_TCK)) <= 0)
        hz = 100;
    if (group_read(cg, VSH_CGROUP_CPUACCT, "cpuacct.stat", buf, sizeof(buf)) < 0 ||
        keyed_value(buf, "user", &user) < 0 || keyed_value(buf, "system", &sys) < 0)
        return -1;
    *ret_user_ns = user * (1000000000ULL / (unsigned long long) hz);
    *ret_system_ns = sys * (1000000000ULL / (unsigned long long) hz);
    return 0;
}

int
vsh_cgroup_get_cpu_time_percpu(const struct vsh_cgroup *cg, unsigned long long **ret_ns)
{
    const size_t size = 64 * 1024;
    unsigned long long *ns = NULL;
    char *buf;
    char *p;
    char *end;
    int n = 0;

    *ret_ns = NULL;
    if (is_v2(cg))
        return (errno = ENOTSUP, -1);
    if (!(buf = malloc(size)))
        return -1;
    if (group_read(cg, VSH_CGROUP_CPUACCT, "cpuacct.usage_percpu", buf, size) < 0)
        goto fail;
    /* one number per possible CPU, separated by spaces: at most one more than those */
    for (p = buf; *p; p++)
        n += *p == ' ';
    if (!(ns = malloc(sizeof(*ns) * (size_t) (n + 1))))
        goto fail;
    n = 0;
    for (p = buf; *p && *p != '\n'; p = end) {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        if (*p < '0' || *p > '9')
            goto bad;
        errno = 0;
        ns[n++] = strtoull(p, &end, 10);
        if (errno || (*end && *end != ' ' && *end != '\n'))
            goto bad;
    }
    free(buf);
    *ret_ns = ns;
    return n;

bad:
    errno = EINVAL;
fail:
    {
        int saved = errno;

        free(buf);
        free(ns);
        errno = saved;
    }
    return -1;
}

int
vsh_cgroup_get_memory_usage(const struct vsh_cgroup *cg, unsigned long long *ret_bytes)
{
    char buf[64];

    if (group_read(cg, VSH_CGROUP_MEMORY,
                   is_v2(cg) ? "memory.current" : "memory.usage_in_bytes", buf,
                   sizeof(buf)) < 0)
        return -1;
    return parse_ull(buf, ret_bytes);
}

int
vsh_cgroup_get_memory_stat(const struct vsh_cgroup *cg, const char *key,
                           unsigned long long *ret_value)
{
    char buf[8192];

    if (group_read(cg, VSH_CGROUP_MEMORY, "memory.stat", buf, sizeof(buf)) < 0)
        return -1;
    return keyed_value(buf, key, ret_value);
}

/* One limit file: 1 with the limit in *@ret (which may be 0), 0 when there is none: "max"
 * (v2), v1's page-rounded LLONG_MAX that "-1" leaves, or no such file; -1 on error. */
static int
read_limit(const struct vsh_cgroup *cg, const char *file, unsigned long long *ret)
{
    char buf[64];

    *ret = 0;
    if (group_read(cg, VSH_CGROUP_MEMORY, file, buf, sizeof(buf)) < 0)
        return errno == ENOENT ? 0 : -1;
    if (strncmp(buf, "max", 3) == 0)
        return 0;
    if (parse_ull(buf, ret) < 0)
        return -1;
    /* no real limit comes near 4 EiB */
    if (*ret >= 1ULL << 62)
        return (*ret = 0, 0);
    return 1;
}

int
vsh_cgroup_get_memory_limits(const struct vsh_cgroup *cg, unsigned long long *ret_hard,
                             unsigned long long *ret_soft, unsigned long long *ret_swap)
{
    unsigned long long swap;
    int r;

    if (read_limit(cg, is_v2(cg) ? "memory.max" : "memory.limit_in_bytes", ret_hard) < 0 ||
        read_limit(cg, is_v2(cg) ? "memory.high" : "memory.soft_limit_in_bytes",
                   ret_soft) < 0)
        return -1;
    if (!is_v2(cg))
        return read_limit(cg, "memory.memsw.limit_in_bytes", ret_swap) < 0 ? -1 : 0;
    /* memory.swap.max counts swap alone: memory + swap is the sum, the inverse of
     * vsh_cgroup_set_memory_swap */
    if ((r = read_limit(cg, "memory.swap.max", &swap)) < 0)
        return -1;
    *ret_swap = r ? *ret_hard + swap : 0;
    return 0;
}

/* ------------------------------------------------------------------ freezer */

int
vsh_cgroup_is_frozen(const struct vsh_cgroup *cg)
{
    char buf[256];
    unsigned long long frozen;

    if (is_v2(cg)) {
        if (group_read(cg, VSH_CGROUP_FREEZER, "cgroup.events", buf, sizeof(buf)) < 0)
            return -1;
        if (keyed_value(buf, "frozen", &frozen) < 0)
            return -1;
        return frozen == 1;
    }
    if (group_read(cg, VSH_CGROUP_FREEZER, "freezer.state", buf, sizeof(buf)) < 0)
        return -1;
    return strncmp(buf, "FROZEN", 6) == 0;
}

int
vsh_cgroup_freeze(const struct vsh_cgroup *cg, int timeout_ms)
{
    int waited;
    int r;

    if (is_v2(cg) ? group_write(cg, VSH_CGROUP_FREEZER, "cgroup.freeze", "1") < 0
                  : group_write(cg, VSH_CGROUP_FREEZER, "freezer.state", "FROZEN") < 0)
        return -1;
    /* the kernel freezes tasks asynchronously (v1 reports FREEZING meanwhile) */
    for (waited = 0;; waited++) {
        if ((r = vsh_cgroup_is_frozen(cg)) != 0)
            return r < 0 ? -1 : 0;
        if (waited >= timeout_ms * 4)
            return (errno = ETIMEDOUT, -1);
        /* v1 re-tries tasks that were busy only when FROZEN is written again */
        if (!is_v2(cg))
            (void) group_write(cg, VSH_CGROUP_FREEZER, "freezer.state", "FROZEN");
        sleep_us(250);
    }
}

int
vsh_cgroup_thaw(const struct vsh_cgroup *cg)
{
    if (is_v2(cg))
        return group_write(cg, VSH_CGROUP_FREEZER, "cgroup.freeze", "0");
    return group_write(cg, VSH_CGROUP_FREEZER, "freezer.state", "THAWED");
}

/* ------------------------------------------------------------------ processes */

/* The controller whose cgroup.procs lists the group's processes. */
static int
procs_controller(const struct vsh_cgroup *cg)
{
    static const int order[] = { VSH_CGROUP_FREEZER, VSH_CGROUP_PIDS, VSH_CGROUP_MEMORY,
                                 VSH_CGROUP_CPU, VSH_CGROUP_CPUACCT, VSH_CGROUP_CPUSET };
    size_t i;

    if (is_v2(cg))
        return VSH_CGROUP_MEMORY;
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (cg->v1[order[i]])
            return order[i];
    }
    return VSH_CGROUP_MEMORY;
}

int
vsh_cgroup_get_pids(const struct vsh_cgroup *cg, pid_t **ret_pids)
{
    char dir[PATH_MAX];
    char path[PATH_MAX];
    char small[4096];
    char *text;
    char *p;
    pid_t *pids = NULL;
    size_t n = 0;
    unsigned long long v;

    *ret_pids = NULL;
    if (group_dir(cg, procs_controller(cg), dir, sizeof(dir)) < 0 ||
        path_join(path, sizeof(path), dir, "cgroup.procs", NULL) < 0)
        return -1;
    if (!(text = file_read_text(path, small, sizeof(small), 1 << 24)))
        return errno == ENOENT ? 0 : -1;
    for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        pid_t *np;

        if (parse_ull(p, &v) < 0 || v == 0 || v > INT_MAX)
            continue;
        if (!(np = realloc(pids, (n + 1) * sizeof(pid_t)))) {
            free(pids);
            text_free(text, small);
            return (errno = ENOMEM, -1);
        }
        pids = np;
        pids[n++] = (pid_t) v;
    }
    text_free(text, small);
    *ret_pids = pids;
    return (int) n;
}

int
vsh_cgroup_group_exists(const struct vsh_cgroup *cg, int ctrl)
{
    char dir[PATH_MAX];
    struct stat st;

    return group_dir(cg, ctrl, dir, sizeof(dir)) == 0 && stat(dir, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

/* Whether @pid is listed in @text (a cgroup.procs). */
static int
procs_list_has(const char *text, pid_t pid)
{
    const char *p;
    unsigned long long v;

    for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (parse_ull(p, &v) == 0 && v == (unsigned long long) pid)
            return 1;
    }
    return 0;
}

int
vsh_cgroup_adopt(const struct vsh_cgroup *cg, int ctrl)
{
    char dir[PATH_MAX];
    char path[PATH_MAX];
    char small[4096];
    char value[24];
    int round;

    if (is_v2(cg))
        return 0;
    if (group_dir(cg, ctrl, dir, sizeof(dir)) < 0 ||
        path_join(path, sizeof(path), dir, "cgroup.procs", NULL) < 0)
        return -1;
    /* a process forked while the others move stays behind once: take rounds until one
     * moves nobody (each round is bounded by the group's processes) */
    for (round = 0; round < 100; round++) {
        pid_t *pids;
        char *there;
        int moved = 0;
        int n;
        int i;

        if ((n = vsh_cgroup_get_pids(cg, &pids)) < 0)
            return -1;
        if (!(there = file_read_text(path, small, sizeof(small), 1 << 24)) && errno != ENOENT) {
            free(pids);
            return -1;
        }
        for (i = 0; i < n; i++) {
            if (there && procs_list_has(there, pids[i]))
                continue;
            (void) snprintf(value, sizeof(value), "%d", (int) pids[i]);
            /* a process that exited meanwhile is not an error */
            if (file_write(path, value, cg->create_files) < 0 && errno != ESRCH) {
                text_free(there, small);
                free(pids);
                return -1;
            }
            moved++;
        }
        if (there)
            text_free(there, small);
        free(pids);
        /* a fake tree does not move what it is told to: its list stays as it was */
        if (moved == 0 || cg->create_files)
            return 0;
    }
    return (errno = EAGAIN, -1);
}

int
vsh_cgroup_signal_all(const struct vsh_cgroup *cg, int sig)
{
    pid_t *pids;
    int n;
    int i;
    int sent = 0;

    if ((n = vsh_cgroup_get_pids(cg, &pids)) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (kill(pids[i], sig) == 0)
            sent++;
    }
    free(pids);
    return sent;
}

/* One round without cgroup.kill: frozen tasks cannot fork while they are being killed. */
static int
kill_round(const struct vsh_cgroup *cg)
{
    int frozen = vsh_cgroup_has_controller(cg, VSH_CGROUP_FREEZER) &&
                 vsh_cgroup_freeze(cg, 100) == 0;
    int n = vsh_cgroup_signal_all(cg, SIGKILL);

    /* SIGKILL is delivered to frozen tasks only once they thaw */
    if (frozen)
        (void) vsh_cgroup_thaw(cg);
    return n;
}

int
vsh_cgroup_kill_all(const struct vsh_cgroup *cg, int timeout_ms)
{
    pid_t *pids;
    int use_kill_file = is_v2(cg) && group_has_file(cg, VSH_CGROUP_MEMORY, "cgroup.kill");
    int waited_us = 0;
    int n;

    for (;;) {
        if ((n = vsh_cgroup_get_pids(cg, &pids)) < 0)
            return -1;
        free(pids);
        if (n == 0)
            return 0;
        if (waited_us >= timeout_ms * 1000)
            return (errno = ETIMEDOUT, -1);
        if (use_kill_file) {
            if (group_write(cg, VSH_CGROUP_MEMORY, "cgroup.kill", "1") < 0)
                return -1;
        } else if (kill_round(cg) < 0) {
            return -1;
        }
        /* killed tasks leave cgroup.procs only once they have exited */
        sleep_us(200);
        waited_us += 200;
    }
}
