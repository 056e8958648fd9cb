/*
 * vsh-monitor — the supervisor of one running jail or container (DESIGN.md).
 *
 * The library starts it with the launch description on stdin and a status pipe on fd 3.
 * It detaches, takes STATE/NAME.lock, opens the console pty, clones init into the kind's
 * namespaces and, while init sets up its network namespace and mounts, creates the
 * cgroup and sets up the network namespace from outside (see start_init), makes sure init
 * is in the cgroup before init's program runs, and reports "ok INIT_PID MONITOR_PID PTY" or
 * "error ERRNO MESSAGE" on fd 3 once init has exec'd or failed (undoing everything on
 * failure). Then it serves the console socket, reaps init, applies on_poweroff/on_reboot/
 * on_crash, and when the domain stops for good kills what is left in the cgroup, removes
 * it, writes NAME.exit and the Stopped event, and exits, which releases the lock.
 *
 * Plain libc, single-threaded, no stdio streams: it stays alive for every running domain,
 * so it must stay small.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/cgroup.h"
#include "drivers/common/launch.h"
#include "drivers/common/monitor.h"

#define STATUS_FD 3
#define KILL_TIMEOUT_MS 5000

/* What the monitor says to init on the sync socket while init sets itself up. */
#define SYNC_MAPPED 'm'         /* the id maps are written (in a user namespace only) */
#define SYNC_GO 'g'             /* with the cgroup files to join through: go on to exec */
/* ... and what init says to the monitor */
#define SYNC_NETNS 'n'          /* init has made its network namespace */
#define SYNC_NETNS_GIVEN 'N'    /* init has entered the caller's, whose lo is up */

/* The most descriptors SYNC_GO carries: one per cgroup hierarchy. */
#define SYNC_MAX_FDS VSH_CGROUP_CONTROLLER_LAST
_Static_assert(SYNC_MAX_FDS <= VSH_PASS_FDS_MAX, "SYNC_GO carries every hierarchy's file");

/* Linux 5.14; older headers lack it, older kernels refuse it (EINVAL) */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

/* vsh_lifecycle_action values (core/conf/domain-conf.h), which this program cannot
 * include: it has no glib */
enum { ACTION_DESTROY = 0, ACTION_RESTART = 1, ACTION_RENAME_RESTART = 2,
       ACTION_PRESERVE = 3, ACTION_COREDUMP_DESTROY = 4, ACTION_COREDUMP_RESTART = 5 };

/* vsh_event_type STOPPED and its details (core/vsh.h) */
enum { EVENT_STOPPED = 5, DETAIL_SHUTDOWN = 0, DETAIL_DESTROYED = 1, DETAIL_CRASHED = 2,
       DETAIL_FAILED = 5 };

typedef struct {
    struct vsh_launch l;
    const struct vsh_monitor_hooks *hooks;
    struct vsh_cgroup cg;
    int have_cgroup;
    int lock_fd;
    int locked;                 /* we hold the lock: the domain's files are ours */
    int status_fd;
    int master_fd;              /* pty master */
    int slave_fd;               /* pty slave, kept open so the master never sees EOF */
    char pty_path[64];
    int listen_fd;              /* STATE/NAME.console */
    int client_fd;              /* the console client, -1 when none */
    int signal_fd;
    int timer_fd;               /* shutdown escalation */
    int owner_fd;               /* pidfd of the process whose exit destroys the domain */
    int netns_sock;             /* init's network namespace comes over it (first start) */
    pid_t init_pid;
    int killing;                /* a destroy or an escalation is under way */
    cpu_set_t *cpus;            /* the CPUs the domain may use (domain_cpus) */
    size_t cpus_size;
    char path[4096];            /* scratch for state file names */
} monitor;

static const char *
state_file(monitor *m, const char *suffix)
{
    (void) snprintf(m->path, sizeof(m->path), "%s/%s%s", m->l.state_dir, m->l.name, suffix);
    return m->path;
}

static int
write_all(int fd, const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

/* Replaces a state file atomically (tmp + rename), so readers never see half of it. */
static int
write_state_file(monitor *m, const char *suffix, const char *text)
{
    char tmp[4096 + 8];
    int fd;
    int r;

    (void) snprintf(tmp, sizeof(tmp), "%s.tmp", state_file(m, suffix));
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return -1;
    r = write_all(fd, text, strlen(text));
    if (close(fd) < 0 || r < 0 || rename(tmp, m->path) < 0) {
        (void) unlink(tmp);
        return -1;
    }
    return 0;
}

/* The word in STATE/NAME.stop ("shutdown", "destroyed", "reboot"), or "" when none. */
static void
read_stop_word(monitor *m, char *buf, size_t size)
{
    ssize_t n = 0;
    int fd = open(state_file(m, ".stop"), O_RDONLY | O_CLOEXEC);

    buf[0] = '\0';
    if (fd < 0)
        return;
    n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    buf[strcspn(buf, " \n")] = '\0';
}

static void
report_status(monitor *m, const char *text)
{
    if (m->status_fd < 0)
        return;
    (void) write_all(m->status_fd, text, strlen(text));
    close(m->status_fd);
    m->status_fd = -1;
}

static void
report_error(monitor *m, int err, const char *what)
{
    char msg[512];

    (void) snprintf(msg, sizeof(msg), "error %d %s: %s\n", err, what, strerror(err));
    report_status(m, msg);
}

static void
append_event(monitor *m, int detail)
{
    char line[1024];
    struct timeval tv;
    int fd;
    int n;

    gettimeofday(&tv, NULL);
    n = snprintf(line, sizeof(line), "%lld %d %d %s %s %s\n",
                 (long long) tv.tv_sec * 1000000LL + tv.tv_usec, EVENT_STOPPED, detail,
                 m->l.type_name ? m->l.type_name : "-", m->l.uuid ? m->l.uuid : "-",
                 m->l.name);
    if (n < 0 || (size_t) n >= sizeof(line))
        return;
    (void) snprintf(m->path, sizeof(m->path), "%s/events", m->l.state_dir);
    if ((fd = open(m->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return;
    /* one write(2) with O_APPEND: concurrent writers never interleave a line */
    (void) write_all(fd, line, (size_t) n);
    close(fd);
}

/* ------------------------------------------------------------------ page faults */

/*
 * A page fault costs 10-30 us on the virtual machines vsh runs on. A fresh process takes
 * one per window of code it runs, and so does a forked child: fork copies no page table
 * entries of file mappings. The code is in the page cache, so one
 * madvise(MADV_POPULATE_READ) per read-only segment of our image (code, constants) maps
 * all of it for about the price of two faults. (Pages written are another matter: each
 * needs a new page whatever maps it, and populating them ahead measured no faster.) Best
 * effort: before Linux 5.14 the faults happen.
 */
static int
prefault_segments(struct dl_phdr_info *info, size_t size, void *data)
{
    uintptr_t page = *(const uintptr_t *) data;
    int i;

    (void) size;
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo, hi;

        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
            continue;
        lo = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
        hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        (void) madvise((void *) lo, hi - lo, MADV_POPULATE_READ);
    }
    return 1; /* the first object is our own image */
}

static void
prefault_code(void)
{
    uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);

    (void) dl_iterate_phdr(prefault_segments, &page);
}

/* ------------------------------------------------------------------ set-up */

static int
detach(void)
{
    int fd;

    if (setsid() < 0 && errno != EPERM)
        return -1;
    if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
        return -1;
    if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

static int
take_lock(monitor *m)
{
    m->lock_fd = open(state_file(m, ".lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m->lock_fd < 0)
        return -1;
    while (flock(m->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EINTR)
            return -1;
    }
    m->locked = 1;
    return 0;
}

/* The first line of a small file such as /sys/devices/system/cpu/online, without its
 * newline; -1 when it cannot be read or is empty. */
static int
read_line(const char *path, char *buf, size_t size)
{
    ssize_t n;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return buf[0] ? 0 : -1;
}

/* <blkiotune>: the weight, then each device's settings. A host whose I/O scheduler has no
 * weights says ENOTSUP. */
static int
setup_blkio(monitor *m, const char **ret_step)
{
    static const char *const what[] = {
        "the I/O weight", "the read I/O limit", "the write I/O limit", "the read bandwidth limit",
        "the write bandwidth limit",
    };
    static char step[128];
    const struct vsh_launch_limits *lim = &m->l.limits;
    size_t i;
    int f;

    *ret_step = "set the I/O weight (<blkiotune><weight>)";
    if (lim->blkio_weight && vsh_cgroup_set_blkio_weight(&m->cg, lim->blkio_weight) < 0)
        return -1;
    for (i = 0; i < lim->n_blkio_devices; i++) {
        const struct vsh_launch_blkio_device *d = &lim->blkio_devices[i];

        for (f = 0; f < VSH_CGROUP_BLKIO_FIELD_LAST; f++) {
            if (!d->value[f])
                continue;
            (void) snprintf(step, sizeof(step), "set %s of block device %u:%u", what[f],
                            d->major, d->minor);
            *ret_step = step;
            if (vsh_cgroup_set_blkio_device(&m->cg, d->major, d->minor, f, d->value[f]) < 0)
                return -1;
        }
    }
    return 0;
}

/* Each limit names itself when the host refuses it (a v2 host without the memory
 * controller in cgroup.subtree_control, a v1 host without swap accounting ...). */
static int
setup_limits(monitor *m, const char **ret_step)
{
    const struct vsh_launch_limits *lim = &m->l.limits;

    *ret_step = "set the memory limit";
    if (lim->memory_hard_bytes && vsh_cgroup_set_memory_hard(&m->cg, lim->memory_hard_bytes) < 0)
        return -1;
    *ret_step = "set the memory soft limit";
    if (lim->memory_soft_bytes && vsh_cgroup_set_memory_soft(&m->cg, lim->memory_soft_bytes) < 0)
        return -1;
    *ret_step = "set the swap limit";
    if (lim->memory_swap_bytes &&
        vsh_cgroup_set_memory_swap(&m->cg, lim->memory_hard_bytes, lim->memory_swap_bytes) < 0 &&
        errno != ENOTSUP)
        return -1;
    *ret_step = "set the cpu shares";
    if (lim->cpu_shares && vsh_cgroup_set_cpu_shares(&m->cg, lim->cpu_shares) < 0)
        return -1;
    *ret_step = "set the cpu period and quota";
    if ((lim->cpu_period_us || lim->cpu_quota_us > 0) &&
        vsh_cgroup_set_cpu_bandwidth(&m->cg, lim->cpu_period_us, lim->cpu_quota_us) < 0)
        return -1;
    *ret_step = "set the cpuset";
    if (lim->cpuset && vsh_cgroup_set_cpuset(&m->cg, lim->cpuset) < 0) {
        /* the usual cause: CPUs the host does not have (the kernel says ERANGE) */
        static char step[200];
        char online[64];
        int err = errno;

        if (read_line("/sys/devices/system/cpu/online", online, sizeof(online)) == 0) {
            (void) snprintf(step, sizeof(step), "set the cpuset %.64s (this host's CPUs are %s)",
                            lim->cpuset, online);
            *ret_step = step;
        }
        errno = err;
        return -1;
    }
    *ret_step = "set the pids limit";
    if (lim->pids_max && vsh_cgroup_set_pids_max(&m->cg, lim->pids_max) < 0)
        return -1;
    return setup_blkio(m, ret_step);
}

static int
setup_cgroup(monitor *m, const char **ret_step)
{
    *ret_step = "find the cgroup hierarchies";
    if (vsh_cgroup_open(&m->cg, m->l.cgroup_root, NULL, m->l.cgroup_path) < 0)
        return -1;
    m->cg.with_blkio = m->l.limits.blkio;
    *ret_step = "create the cgroup";
    if (vsh_cgroup_create(&m->cg) < 0) {
        vsh_cgroup_clear(&m->cg);
        return -1;
    }
    m->have_cgroup = 1;
    return setup_limits(m, ret_step);
}

static int
setup_pty(monitor *m)
{
    struct termios tio;

    if ((m->master_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
        return -1;
    if (grantpt(m->master_fd) < 0 || unlockpt(m->master_fd) < 0 ||
        ptsname_r(m->master_fd, m->pty_path, sizeof(m->pty_path)) != 0)
        return -1;
    if ((m->slave_fd = open(m->pty_path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
        return -1;
    /* a console passes bytes through: the client's terminal does the line editing */
    if (tcgetattr(m->slave_fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_oflag |= OPOST | ONLCR;
        (void) tcsetattr(m->slave_fd, TCSANOW, &tio);
    }
    return 0;
}

static int
setup_console_socket(monitor *m)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    if (strlen(state_file(m, ".console")) >= sizeof(addr.sun_path))
        return (errno = ENAMETOOLONG, -1);
    strcpy(addr.sun_path, m->path);
    (void) unlink(addr.sun_path);
    m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m->listen_fd < 0)
        return -1;
    if (bind(m->listen_fd, (struct sockaddr *) &addr, sizeof(addr)) < 0 ||
        chmod(addr.sun_path, 0600) < 0 || listen(m->listen_fd, 4) < 0)
        return -1;
    return 0;
}

static int
setup_signals(monitor *m)
{
    static const int handled[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
    sigset_t set;
    size_t i;

    /* Our own dispositions and mask, whatever the caller had: the library starts us with
     * every signal blocked (monitor_spawn), and a SIGCHLD ignored by the caller would stay
     * ignored across exec, and then the kernel would reap init behind our back. */
    sigemptyset(&set);
    for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
        (void) signal(handled[i], SIG_DFL);
        sigaddset(&set, handled[i]);
    }
    if (sigprocmask(SIG_SETMASK, &set, NULL) < 0)
        return -1;
    (void) signal(SIGPIPE, SIG_IGN);
    if ((m->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
        return -1;
    m->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    return m->timer_fd < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ init */

/* Walks a CPU list in the kernel's syntax ("0-1,3"): its highest CPU into *@ret_last and,
 * when @set is not NULL, every CPU into @set. -1 with EINVAL when the list is malformed. */
static int
cpu_list_walk(const char *list, cpu_set_t *set, size_t size, unsigned long *ret_last)
{
    const char *p = list;
    unsigned long first;
    unsigned long last;
    unsigned long cpu;
    char *end;

    *ret_last = 0;
    while (*p) {
        errno = 0;
        first = last = strtoul(p, &end, 10);
        if (end != p && *end == '-') {
            p = end + 1;
            last = strtoul(p, &end, 10);
        }
        /* the library sends valid lists only; the bound keeps the mask small all the same */
        if (end == p || errno || last < first || last >= 65536 || (*end && *end != ','))
            return (errno = EINVAL, -1);
        for (cpu = first; set && cpu <= last; cpu++)
            CPU_SET_S(cpu, size, set);
        if (last > *ret_last)
            *ret_last = last;
        p = *end ? end + 1 : end;
    }
    return 0;
}

/*
 * The CPUs of the domain: its cpuset (the library converts libvirt's syntax to the
 * kernel's), or every CPU. As libvirt's LXC controller does, init gets them explicitly
 * instead of inheriting the caller's affinity, so that a start from a pinned shell
 * (taskset, a pinned service) does not pin the domain; the monitor takes them too once
 * init runs. The mask is as large as the host's CPU count needs: a few bytes of the heap,
 * where a mask for the largest count Linux supports would cost every monitor a page.
 */
static int
domain_cpus(monitor *m)
{
    const char *list = m->l.limits.cpuset;
    unsigned long n = CPU_SETSIZE;
    unsigned long last;
    unsigned long cpu;
    char possible[256];

    /* every CPU the kernel may ever bring up (sysconf counts our own affinity on musl) */
    if (read_line("/sys/devices/system/cpu/possible", possible, sizeof(possible)) == 0 &&
        cpu_list_walk(possible, NULL, 0, &last) == 0)
        n = last + 1;
    if (list && cpu_list_walk(list, NULL, 0, &last) < 0)
        return -1;
    if (list && last >= n)
        n = last + 1;
    if (!(m->cpus = CPU_ALLOC(n)))
        return -1;
    m->cpus_size = CPU_ALLOC_SIZE(n);
    CPU_ZERO_S(m->cpus_size, m->cpus);
    if (list)
        return cpu_list_walk(list, m->cpus, m->cpus_size, &last);
    for (cpu = 0; cpu < n; cpu++)
        CPU_SET_S(cpu, m->cpus_size, m->cpus);
    return 0;
}

/* Waits for the byte @want from the monitor; anything else (the monitor failed and closed
 * the socket, or died) ends the child quietly: the monitor reports why. */
static void
child_wait(int sync_fd, char want)
{
    char c = 0;
    ssize_t n;

    do {
        n = read(sync_fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || c != want)
        _exit(126);
}

/* Enters the network namespace the caller of `vsh start` made for init and sends over
 * @sock (launch.netns_sock). Returns 1 when in it, 0 when none came (the caller closed the
 * socket without, or could not make one): then init makes its own. */
static int
child_enter_given_netns(int sock)
{
    char c;
    int fd;
    int r;

    r = vsh_recv_fds(sock, &c, &fd, 1);
    close(sock);
    if (r != 1)
        return 0;
    r = setns(fd, CLONE_NEWNET) == 0;
    close(fd);
    return r;
}

/* Waits for SYNC_GO like child_wait, and takes the descriptors it carries (the cgroup
 * files init joins through) into @fds. Returns how many. */
static size_t
child_wait_go(int sync_fd, int fds[SYNC_MAX_FDS])
{
    char c = 0;
    int n = vsh_recv_fds(sync_fd, &c, fds, SYNC_MAX_FDS);

    if (n < 0 || c != SYNC_GO)
        _exit(126);
    return (size_t) n;
}

/*
 * init until its exec: a fork-like clone of the monitor, setting itself up while the
 * monitor works on it from outside (release_child).
 */
static void __attribute__((noreturn))
child_main(monitor *m, int sync_fd, int err_fd)
{
    const char *step = "set up the domain";
    int fds[SYNC_MAX_FDS];
    size_t n;
    sigset_t none;
    char c;

    /* the monitor's own descriptors are close-on-exec, but init waits before its exec:
     * the status pipe (its caller waits for EOF) and the lock must not be held */
    if (m->status_fd >= 0)
        close(m->status_fd);
    close(m->lock_fd);
    close(m->signal_fd);
    close(m->timer_fd);
    close(m->listen_fd);
    close(m->master_fd);
    sigemptyset(&none);
    /* a blocked signal mask survives exec: init must get SIGTERM, SIGCHLD ... */
    (void) sigprocmask(SIG_SETMASK, &none, NULL);
    (void) signal(SIGPIPE, SIG_DFL);
    /* in a user namespace we are nobody until the monitor has written our id maps */
    if (m->l.clone_flags & CLONE_NEWUSER)
        child_wait(sync_fd, SYNC_MAPPED);
    /* The network namespace, made apart from the clone: making one is the dearest part of
     * a start (about 0.5 ms). The caller of `vsh start` made it while the monitor started
     * (supervise.c, netns_maker), or we make it here while the monitor creates the
     * cgroup; in a user namespace it is that namespace's. The monitor then sets it up
     * from inside (lo when ours is new, the interfaces) while we go on. */
    if (m->l.clone_flags & CLONE_NEWNET) {
        char said = SYNC_NETNS_GIVEN;

        if (m->netns_sock < 0 || !child_enter_given_netns(m->netns_sock)) {
            if (unshare(CLONE_NEWNET) < 0)
                vsh_child_fail(err_fd, "create the network namespace", errno);
            said = SYNC_NETNS;
        }
        if (write(sync_fd, &said, 1) != 1)
            _exit(126);
    }
    /* Mounts and the like. This is still the monitor's code; nothing of init's program
     * runs before init is in the cgroup. */
    if (m->hooks && m->hooks->child_setup &&
        m->hooks->child_setup(&m->l, m->slave_fd, &step) < 0)
        vsh_child_fail(err_fd, step, errno);
    n = child_wait_go(sync_fd, fds);
    /* the cgroup tree is out of sight since pivot_root: its files came open */
    if (vsh_cgroup_join_fds(fds, n) < 0)
        vsh_child_fail(err_fd, "put init in its cgroup", errno);
    while (n > 0)
        close(fds[--n]);
    /* the cgroup namespace is made now, inside the domain's group, so that group is its
     * root (made at clone time, its root would be the monitor's group) */
    if ((m->l.clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        vsh_child_fail(err_fd, "create the cgroup namespace", errno);
    if (setsid() < 0)
        vsh_child_fail(err_fd, "create a session", errno);
    if (ioctl(m->slave_fd, TIOCSCTTY, 0) < 0)
        vsh_child_fail(err_fd, "set the console as controlling terminal", errno);
    if (dup2(m->slave_fd, 0) < 0 || dup2(m->slave_fd, 1) < 0 || dup2(m->slave_fd, 2) < 0)
        vsh_child_fail(err_fd, "attach the console", errno);
    /* a paused start: ready, then wait here while the monitor freezes the cgroup */
    if (m->l.start_paused && (write(sync_fd, "r", 1) != 1 || read(sync_fd, &c, 1) != 1))
        _exit(126);
    close(sync_fd);
    if (sched_setaffinity(0, m->cpus_size, m->cpus) < 0)
        vsh_child_fail(err_fd, "set init's CPU affinity", errno);
    /* init dies with the monitor: a killed monitor takes the domain down with it */
    vsh_child_exec(&m->l, err_fd, SIGKILL);
}

static int
write_id_map(pid_t pid, const char *file, const struct vsh_launch_idmap *maps, size_t n)
{
    char path[64];
    char text[4096];
    size_t len = 0;
    size_t i;
    int fd;
    int r;

    for (i = 0; i < n && len < sizeof(text) - 64; i++)
        len += (size_t) snprintf(text + len, sizeof(text) - len, "%u %u %u\n", maps[i].start,
                                 maps[i].target, maps[i].count);
    (void) snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
        return -1;
    /* the kernel takes a map in one write only */
    r = write(fd, text, len) == (ssize_t) len ? 0 : -1;
    close(fd);
    return r;
}

/* Right after clone, in a user namespace: the child waits for its id maps first. */
static int
map_child(monitor *m, pid_t pid, int sync_fd, const char **ret_step)
{
    if (!(m->l.clone_flags & CLONE_NEWUSER))
        return 0;
    /* the monitor is privileged in the parent namespace, so gid_map needs no
     * setgroups=deny, and init may still call setgroups inside */
    *ret_step = "write the uid map";
    if (m->l.n_uid_maps && write_id_map(pid, "uid_map", m->l.uid_maps, m->l.n_uid_maps) < 0)
        return -1;
    *ret_step = "write the gid map";
    if (m->l.n_gid_maps && write_id_map(pid, "gid_map", m->l.gid_maps, m->l.n_gid_maps) < 0)
        return -1;
    *ret_step = "release init";
    return write(sync_fd, (char[]) { SYNC_MAPPED }, 1) == 1 ? 0 : -1;
}

/* Runs the net_setup hook inside the network namespace @ns_fd, and returns to ours. */
static int
net_setup_inside(monitor *m, int ns_fd, const char **ret_step)
{
    int host_fd;
    int r = -1;
    int saved;

    *ret_step = "enter the container's network namespace";
    if ((host_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    if (setns(ns_fd, CLONE_NEWNET) == 0)
        r = m->hooks->net_setup(&m->l, ret_step);
    saved = errno;
    if (setns(host_fd, CLONE_NEWNET) < 0) {
        /* cannot happen with our privileges; were it to, nothing more must run here */
        *ret_step = "return to the host's network namespace";
        saved = errno;
        r = -1;
    }
    close(host_fd);
    errno = saved;
    return r;
}

/*
 * Once init has made its network namespace, while init sets up its mounts: runs the
 * prepare hook from the host's namespace (the veth pairs, their peers made in init's
 * namespace), then the net_setup hook inside it (lo, the interfaces). The monitor stays in
 * its own network namespace, where hot-plugged host ends are made later.
 */
static int
setup_netns(monitor *m, pid_t pid, int sync_fd, const char **ret_step)
{
    char path[64];
    char c = 0;
    ssize_t n;
    int ns_fd;
    int r;
    int saved;

    *ret_step = "wait for init's network namespace";
    do {
        n = read(sync_fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || (c != SYNC_NETNS && c != SYNC_NETNS_GIVEN)) {
        /* init failed (its error pipe says why) */
        if (n >= 0)
            errno = EPIPE;
        return -1;
    }
    /* the caller's namespace has lo up already: without interfaces, nothing to do */
    if (!m->hooks || (!m->hooks->prepare && !m->hooks->net_setup) ||
        (c == SYNC_NETNS_GIVEN && m->l.n_nets == 0))
        return 0;
    *ret_step = "open the container's network namespace";
    (void) snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) pid);
    if ((ns_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    r = (m->hooks->prepare && m->hooks->prepare(&m->l, ns_fd, ret_step) < 0) ||
        (m->hooks->net_setup && net_setup_inside(m, ns_fd, ret_step) < 0) ? -1 : 0;
    saved = errno;
    close(ns_fd);
    errno = saved;
    return r;
}

/*
 * A paused start: the child says 'r' on the sync socket once it is set up and about to
 * run init's program, and waits for one more byte. The cgroup is frozen before that byte
 * is sent, so init's program starts only on resume. Returns 1 when init is frozen, 0
 * when the child closed the socket instead (it failed: its error pipe says why), -1 with
 * errno set on failure.
 */
static int
start_paused_gate(monitor *m, int sync_fd, const char **ret_step)
{
    char c = 0;
    ssize_t n;

    *ret_step = "wait for init to be ready";
    do {
        n = read(sync_fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n <= 0 || c != 'r')
        return 0;
    *ret_step = "freeze the domain";
    if (vsh_cgroup_freeze(&m->cg, KILL_TIMEOUT_MS) < 0)
        return -1;
    *ret_step = "release init";
    return write(sync_fd, "g", 1) == 1 ? 1 : -1;
}

static void
reap(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/*
 * Everything the monitor does to init from outside while init makes its network namespace
 * and sets up its mounts, root and hostname: the id maps (a user namespace), with @first
 * the cgroup, the attach hook, the network namespace, and then SYNC_GO with the files init
 * joins its cgroup through. Init moves itself by
 * writing 0 into v1 `tasks` files, which spares the kernel's global threadgroup lock
 * (vsh_cgroup_attach_self in core/cgroup.c), and from files opened for it, since
 * pivot_root took the tree out of its sight.
 */
static int
release_child(monitor *m, pid_t pid, int first, int sync_fd, const char **ret_step)
{
    int fds[SYNC_MAX_FDS];
    int n;
    int r;
    int saved;

    if (map_child(m, pid, sync_fd, ret_step) < 0 || (first && setup_cgroup(m, ret_step) < 0))
        return -1;
    if (m->hooks && m->hooks->attach && m->hooks->attach(&m->l, pid, ret_step) < 0)
        return -1;
    if ((m->l.clone_flags & CLONE_NEWNET) && setup_netns(m, pid, sync_fd, ret_step) < 0)
        return -1;
    *ret_step = "put init in its cgroup";
    if ((n = vsh_cgroup_open_join_fds(&m->cg, fds, SYNC_MAX_FDS)) < 0)
        return -1;
    *ret_step = "release init";
    r = vsh_send_fds(sync_fd, SYNC_GO, fds, (size_t) n);
    saved = errno;
    while (n > 0)
        close(fds[--n]);
    errno = saved;
    return r;
}

/*
 * Clones init and waits until it has exec'd; with @first, creates the cgroup and the
 * console socket. Init is a fork-like clone that makes its network namespace and sets up
 * its mounts while the monitor creates the cgroup (release_child): two CPUs at work where
 * one waited for the other. It costs a copy of the monitor's few page tables, and a
 * copy-on-write fault for each page either side writes before init's exec.
 * Returns 0 with m->init_pid set, or -1 with @msg holding "cannot STEP: REASON" and
 * *ret_err the errno; nothing of init is left.
 */
static int
start_init(monitor *m, int first, char *msg, size_t size, int *ret_err)
{
    struct vsh_child_error cerr;
    const char *step = "create the synchronisation pipes";
    /* init makes these two itself (child_main) */
    unsigned long flags = (unsigned long) m->l.clone_flags &
                          ~(unsigned long) (CLONE_NEWCGROUP | CLONE_NEWNET);
    int sync_fds[2] = { -1, -1 };
    int err_fds[2] = { -1, -1 };
    pid_t pid = -1;
    int r;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync_fds) < 0 ||
        pipe2(err_fds, O_CLOEXEC) < 0)
        goto fail;
    step = "create the init process";
    /* fork-like clone: the child runs on a copy of our stack */
    pid = (pid_t) syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0)
        goto fail;
    if (pid == 0) {
        prefault_code();
        close(sync_fds[1]);
        close(err_fds[0]);
        child_main(m, sync_fds[0], err_fds[1]);
    }
    /* init's set-up runs beside ours; it takes the domain's CPUs before its exec */
    (void) vsh_place_elsewhere(pid);
    /* the first init's alone: a reboot's makes its own */
    if (m->netns_sock >= 0) {
        close(m->netns_sock);
        m->netns_sock = -1;
    }
    close(sync_fds[0]);
    close(err_fds[1]);
    sync_fds[0] = err_fds[1] = -1;
    if (release_child(m, pid, first, sync_fds[1], &step) < 0)
        goto fail;
    /* while init takes its last steps: nobody can connect before we report */
    step = "create the console socket";
    if (first && setup_console_socket(m) < 0)
        goto fail;
    if (m->l.start_paused && (r = start_paused_gate(m, sync_fds[1], &step)) != 0) {
        if (r < 0)
            goto fail;
        /* frozen before init's program runs: its exec is reported as a crash, if ever */
        close(sync_fds[1]);
        close(err_fds[0]);
        m->init_pid = pid;
        return 0;
    }
    close(sync_fds[1]);
    sync_fds[1] = -1;
    r = vsh_child_read_error(err_fds[0], &cerr);
    close(err_fds[0]);
    err_fds[0] = -1;
    if (r != 0) {
        errno = r < 0 ? errno : cerr.err;
        step = r < 0 ? "read the result of init's set-up" : cerr.step;
        (void) snprintf(msg, size, "cannot %s: %s", step, strerror(errno));
        *ret_err = errno;
        kill(pid, SIGKILL);
        reap(pid);
        return -1;
    }
    m->init_pid = pid;
    return 0;

fail:
    *ret_err = errno;
    if (pid > 0) {
        kill(pid, SIGKILL);
        reap(pid);
        /* the child may have failed first, and our step only because it was gone: its
         * own error says what really went wrong */
        if (err_fds[0] >= 0 && vsh_child_read_error(err_fds[0], &cerr) == 1) {
            *ret_err = cerr.err;
            step = cerr.step;
        }
    }
    (void) snprintf(msg, size, "cannot %s: %s", step, strerror(*ret_err));
    if (sync_fds[0] >= 0) close(sync_fds[0]);
    if (sync_fds[1] >= 0) close(sync_fds[1]);
    if (err_fds[0] >= 0) close(err_fds[0]);
    if (err_fds[1] >= 0) close(err_fds[1]);
    errno = *ret_err;
    return -1;
}

static int
write_pid_file(monitor *m)
{
    char text[64];

    (void) snprintf(text, sizeof(text), "%d %d\n", (int) m->init_pid, (int) getpid());
    return write_state_file(m, ".pid", text);
}

/* ------------------------------------------------------------------ stopping */

/*
 * Kills every process of the domain. In a PID namespace, SIGKILL to init is all it takes:
 * the kernel kills every other process of the namespace, refuses new ones, and init is
 * reaped only once they are all gone; that is much faster than rounds of the v1 freezer.
 * init is our child and not yet reaped, so its pid cannot name anyone else. Otherwise the
 * cgroup is killed; dead tasks leave cgroup.procs before they are reaped, so this does not
 * wait for the SIGCHLD that the main loop handles.
 */
static void
kill_everything(monitor *m)
{
    if (m->init_pid > 0 && (m->l.clone_flags & CLONE_NEWPID)) {
        (void) kill(m->init_pid, SIGKILL);
        /* a paused domain: frozen tasks die only once thawed */
        if (m->have_cgroup)
            (void) vsh_cgroup_thaw(&m->cg);
        return;
    }
    if (m->have_cgroup)
        (void) vsh_cgroup_kill_all(&m->cg, KILL_TIMEOUT_MS);
}

/* Undoes the set-up; the lock goes when the process exits. Without the lock nothing is
 * ours: the files and the cgroup belong to the monitor that holds it. */
static void
undo(monitor *m)
{
    if (!m->locked)
        return;
    if (m->init_pid > 0) {
        kill_everything(m);
        reap(m->init_pid);
        m->init_pid = 0;
    }
    /* what is left outside a PID namespace: a jail's processes, a `vsh exec` helper */
    kill_everything(m);
    if (m->have_cgroup) {
        (void) vsh_cgroup_remove(&m->cg);
        vsh_cgroup_clear(&m->cg);
        m->have_cgroup = 0;
    }
    if (m->hooks && m->hooks->teardown)
        m->hooks->teardown(&m->l);
    if (m->listen_fd >= 0)
        (void) unlink(state_file(m, ".console"));
    (void) unlink(state_file(m, ".pid"));
    (void) unlink(state_file(m, ".stop"));
    (void) unlink(state_file(m, ".launch"));
}

static const char *
detail_word(int detail)
{
    switch (detail) {
    case DETAIL_SHUTDOWN: return "shutdown\n";
    case DETAIL_DESTROYED: return "destroyed\n";
    case DETAIL_CRASHED: return "crashed\n";
    default: return "failed\n";
    }
}

static void __attribute__((noreturn))
finish(monitor *m, int detail)
{
    undo(m);
    /* orphans of the domain were reparented to us (the subreaper): reap what died */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    (void) write_state_file(m, ".exit", detail_word(detail));
    append_event(m, detail);
    /* no vsh_launch_clear(): the exit releases everything at once, where freeing first
     * would have the C library unmap its emptied block, one more TLB flush for the
     * `vsh destroy` waiting on us */
    _exit(0);
}

/*
 * Before a fresh init: the host ends of the last one's veth pairs are deleted (its network
 * namespace, and the peers with it, go away in the kernel's own time, and the new pairs
 * take the same names), the interfaces are those of STATE/NAME.launch when the library
 * wrote one since (an interface plugged in or out of the running domain), and the pairs
 * are made anew once the new init has its network namespace (setup_netns).
 */
static void
restart_prepare(monitor *m)
{
    struct vsh_launch fresh;
    struct vsh_launch_net *nets;
    size_t n_nets;
    int fd;

    if (m->hooks && m->hooks->teardown)
        m->hooks->teardown(&m->l);
    if ((fd = open(state_file(m, ".launch"), O_RDONLY | O_CLOEXEC)) >= 0) {
        memset(&fresh, 0, sizeof(fresh));
        if (vsh_launch_read(fd, &fresh) == 0) {
            nets = m->l.nets;
            n_nets = m->l.n_nets;
            m->l.nets = fresh.nets;
            m->l.n_nets = fresh.n_nets;
            fresh.nets = nets;
            fresh.n_nets = n_nets;
        }
        vsh_launch_clear(&fresh);
        (void) close(fd);
    }
    if (m->hooks && m->hooks->reclaim)
        m->hooks->reclaim(&m->l);
    /* a blkio group that a live blkiotune made since the start takes the new init too */
    if (!m->cg.with_blkio && vsh_cgroup_group_exists(&m->cg, VSH_CGROUP_BLKIO))
        m->cg.with_blkio = 1;
}

/* What to do when init is gone: restart it in place, or stop for good. */
static void
init_exited(monitor *m, int status)
{
    char word[32];
    char msg[512];
    int action;
    int detail;
    int err;

    m->init_pid = 0;
    read_stop_word(m, word, sizeof(word));
    if (strcmp(word, "destroyed") == 0 || (m->killing && !word[0])) {
        finish(m, DETAIL_DESTROYED);
    } else if (strcmp(word, "reboot") == 0) {
        action = ACTION_RESTART;
        detail = DETAIL_SHUTDOWN;
    } else if (strcmp(word, "shutdown") == 0 ||
               (WIFEXITED(status) || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT))) {
        /* init exiting by itself, or a poweroff inside a PID namespace (SIGINT) */
        action = m->l.on_poweroff;
        detail = DETAIL_SHUTDOWN;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP) {
        action = m->l.on_reboot;       /* reboot(2) inside a PID namespace */
        detail = DETAIL_SHUTDOWN;
    } else {
        action = m->l.on_crash;
        detail = DETAIL_CRASHED;
    }
    if (m->killing || (action != ACTION_RESTART && action != ACTION_RENAME_RESTART &&
                       action != ACTION_COREDUMP_RESTART))
        finish(m, detail);
    /* a fresh init in the same monitor, cgroup and console */
    kill_everything(m);
    (void) unlink(state_file(m, ".stop"));
    restart_prepare(m);
    if (start_init(m, 0, msg, sizeof(msg), &err) < 0 ||
        write_pid_file(m) < 0)
        finish(m, DETAIL_FAILED);
}

static void
arm_escalation(monitor *m)
{
    struct itimerspec its = { { 0, 0 }, { 0, 0 } };
    int ms = m->l.shutdown_timeout_ms > 0 ? m->l.shutdown_timeout_ms : 1;

    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = (long) (ms % 1000) * 1000000L;
    (void) timerfd_settime(m->timer_fd, 0, &its, NULL);
}

static void
handle_signals(monitor *m)
{
    struct signalfd_siginfo si;
    pid_t pid;
    int status;

    while (read(m->signal_fd, &si, sizeof(si)) == (ssize_t) sizeof(si)) {
        if (si.ssi_signo == SIGUSR1) {
            arm_escalation(m);
        } else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT ||
                   si.ssi_signo == SIGHUP) {
            m->killing = 1;
            kill_everything(m);
        }
    }
    /* SIGCHLD coalesces: reap everything, init and reparented orphans alike */
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == m->init_pid)
            init_exited(m, status);
    }
}

/* ------------------------------------------------------------------ console */

/* A client sends one byte, '1' to take the console over from another client, '0' not to;
 * the monitor answers 'o' (attached) or 'b' (busy) and then relays bytes both ways. */
static void
console_accept(monitor *m)
{
    struct pollfd pfd;
    char force = '0';
    int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0)
        return;
    /* the handshake byte comes right after connect; never let a silent client hang us */
    pfd.fd = fd;
    pfd.events = POLLIN;
    if (poll(&pfd, 1, 1000) != 1 || read(fd, &force, 1) != 1) {
        close(fd);
        return;
    }
    if (m->client_fd >= 0 && force != '1') {
        (void) write_all(fd, "b", 1);
        close(fd);
        return;
    }
    if (m->client_fd >= 0)
        close(m->client_fd);
    m->client_fd = fd;
    (void) write_all(fd, "o", 1);
}

/* Copies what is readable on @from to @to; returns -1 when @from is closed. With @to -1
 * (no client) the console output is read and dropped, so init never blocks on it. */
static int
relay(int from, int to)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (n <= 0)
        return -1;
    if (to >= 0)
        (void) write_all(to, buf, (size_t) n);
    return 0;
}

static void
main_loop(monitor *m)
{
    for (;;) {
        /* a descriptor of -1 (no console client, no owner) is one poll skips */
        struct pollfd pfds[6] = {
            { m->signal_fd, POLLIN, 0 },
            { m->timer_fd, POLLIN, 0 },
            { m->listen_fd, POLLIN, 0 },
            { m->master_fd, POLLIN, 0 },
            { m->client_fd, POLLIN, 0 },
            { m->owner_fd, POLLIN, 0 },
        };

        if (poll(pfds, 6, -1) < 0) {
            if (errno == EINTR)
                continue;
            m->killing = 1;
            kill_everything(m);
            finish(m, DETAIL_FAILED);
        }
        if (pfds[0].revents)
            handle_signals(m);
        if (pfds[1].revents & POLLIN) {
            uint64_t ticks;

            (void) !read(m->timer_fd, &ticks, sizeof(ticks));
            m->killing = 1;             /* the shutdown took too long */
            kill_everything(m);
        }
        if (pfds[2].revents & POLLIN)
            console_accept(m);
        if (pfds[3].revents & (POLLIN | POLLHUP))
            (void) relay(m->master_fd, m->client_fd);
        if (m->client_fd >= 0 && (pfds[4].revents & (POLLIN | POLLHUP | POLLERR)) &&
            relay(m->client_fd, m->master_fd) < 0) {
            close(m->client_fd);
            m->client_fd = -1;
        }
        if (m->owner_fd >= 0 && pfds[5].revents) {
            /* the process that started the domain with autodestroy is gone: a destroy */
            close(m->owner_fd);
            m->owner_fd = -1;
            m->killing = 1;
            kill_everything(m);
        }
    }
}

/* ------------------------------------------------------------------ main */

static int
setup(monitor *m, char *msg, size_t size, int *ret_err)
{
    const char *step = "detach from the caller";

    if (detach() < 0)
        goto fail;
    step = "lock the domain";
    if (take_lock(m) < 0) {
        if (errno == EWOULDBLOCK)
            (void) snprintf(msg, size, "domain '%s' is already running", m->l.name);
        goto fail;
    }
    (void) unlink(state_file(m, ".exit"));
    (void) unlink(state_file(m, ".stop"));
    /* before anything runs: an owner already gone is seen at the first poll */
    step = "watch the process that starts the domain";
    if (m->l.owner_pid > 0 &&
        (m->owner_fd = (int) syscall(SYS_pidfd_open, (pid_t) m->l.owner_pid, 0)) < 0)
        goto fail;
    step = "become the subreaper of the domain's processes";
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        goto fail;
    step = "block signals";
    if (setup_signals(m) < 0)
        goto fail;
    step = "read the domain's cpuset";
    if (domain_cpus(m) < 0)
        goto fail;
    /* ours were the caller's, or the one CPU it started us on (supervise.c, netns_maker);
     * init's set-up goes to another of these (vsh_place_elsewhere). A failure costs speed
     * at most. */
    (void) sched_setaffinity(0, m->cpus_size, m->cpus);
    step = "open the console pty";
    if (setup_pty(m) < 0)
        goto fail;
    if (start_init(m, 1, msg, size, ret_err) < 0)
        return -1;
    step = "write the pid file";
    if (write_pid_file(m) < 0)
        goto fail;
    return 0;

fail:
    *ret_err = errno;
    if (!msg[0])
        (void) snprintf(msg, size, "cannot %s: %s", step, strerror(*ret_err));
    return -1;
}

int
main(void)
{
    static monitor mon = { .lock_fd = -1, .status_fd = STATUS_FD, .master_fd = -1,
                           .slave_fd = -1, .listen_fd = -1, .client_fd = -1,
                           .signal_fd = -1, .timer_fd = -1, .owner_fd = -1,
                           .netns_sock = -1 };
    monitor *m = &mon;
    char msg[512] = "";
    char ok[160];
    int err = 0;

    prefault_code();
    if (fcntl(STATUS_FD, F_SETFD, FD_CLOEXEC) < 0)
        return 2;                       /* not started by libvsh */
    /* nothing of the caller's may stay open for the domain's lifetime (a lock held by
     * an inherited descriptor would never be released) */
    (void) syscall(SYS_close_range, VSH_LAUNCH_NETNS_FD + 1, ~0U, 0);
    if (vsh_launch_read(0, &m->l) < 0) {
        report_error(m, errno, "cannot read the launch description");
        return 1;
    }
    if (m->l.netns_sock)
        m->netns_sock = VSH_LAUNCH_NETNS_FD;
    else
        (void) close(VSH_LAUNCH_NETNS_FD);
    (void) fcntl(VSH_LAUNCH_NETNS_FD, F_SETFD, FD_CLOEXEC);
    if (!(m->hooks = vsh_monitor_hooks_for(m->l.kind))) {
        report_error(m, ENOTSUP, "this vsh-monitor cannot run that kind of domain");
        return 1;
    }
    if (setup(m, msg, sizeof(msg), &err) < 0) {
        undo(m);
        char line[sizeof(msg) + 32];

        (void) snprintf(line, sizeof(line), "error %d %s\n", err, msg);
        report_status(m, line);
        vsh_launch_clear(&m->l);
        if (m->cpus)
            CPU_FREE(m->cpus);
        return 1;
    }
    m->l.start_paused = 0;             /* a restarted init runs at once */
    (void) snprintf(ok, sizeof(ok), "ok %d %d %.63s\n", (int) m->init_pid, (int) getpid(),
                    m->pty_path);
    report_status(m, ok);
    main_loop(m);
    return 0;
}
