/*
 * monitor-child.c — the generic end of a domain process's set-up (drivers/common/
 * monitor.h), shared by vsh-monitor (init) and the library's exec path.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "monitor.h"

int
vsh_place_elsewhere(pid_t pid)
{
    cpu_set_t set;
    int cpu = sched_getcpu();

    if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(set), &set) < 0)
        return -1;
    CPU_CLR(cpu, &set);
    if (CPU_COUNT(&set) == 0 || sched_setaffinity(pid, sizeof(set), &set) < 0)
        return -1;
    return cpu;
}

typedef union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int) * VSH_PASS_FDS_MAX)];
} pass_fds_buf;

int __attribute__((no_sanitize_address))
vsh_send_fds(int sock, char c, const int *fds, size_t n)
{
    pass_fds_buf u;
    struct iovec iov = { .iov_base = &c, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    struct cmsghdr *h;

    if (n > VSH_PASS_FDS_MAX)
        return (errno = E2BIG, -1);
    if (n > 0) {
        memset(&u, 0, sizeof(u));
        msg.msg_control = u.buf;
        msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
        h = CMSG_FIRSTHDR(&msg);
        h->cmsg_level = SOL_SOCKET;
        h->cmsg_type = SCM_RIGHTS;
        h->cmsg_len = CMSG_LEN(n * sizeof(int));
        memcpy(CMSG_DATA(h), fds, n * sizeof(int));
    }
    return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int
vsh_recv_fds(int sock, char *ret_c, int *fds, size_t max)
{
    pass_fds_buf u;
    struct iovec iov = { .iov_base = ret_c, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                          .msg_controllen = sizeof(u.buf) };
    struct cmsghdr *h;
    int got[VSH_PASS_FDS_MAX];
    size_t n = 0;
    ssize_t r;

    do {
        r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    if (r == 0)
        return (errno = EPIPE, -1);
    if ((h = CMSG_FIRSTHDR(&msg)) && h->cmsg_level == SOL_SOCKET &&
        h->cmsg_type == SCM_RIGHTS) {
        n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        memcpy(got, CMSG_DATA(h), n * sizeof(int));
    }
    if (n > max || (msg.msg_flags & MSG_CTRUNC)) {
        while (n > 0)
            close(got[--n]);
        return (errno = EMSGSIZE, -1);
    }
    memcpy(fds, got, n * sizeof(int));
    return (int) n;
}

void
vsh_child_fail(int errfd, const char *step, int err)
{
    struct vsh_child_error e;
    ssize_t n;

    memset(&e, 0, sizeof(e));
    e.err = err;
    (void) snprintf(e.step, sizeof(e.step), "%s", step);
    do {
        n = write(errfd, &e, sizeof(e));
    } while (n < 0 && errno == EINTR);
    _exit(126);
}

/* Drops every capability not in @keep from the bounding set. The kernel refuses a
 * capability past its last one (EINVAL), which ends the loop, so capabilities newer than
 * our headers go too; asking first would cost a system call per capability. */
static int
drop_capabilities(uint64_t keep)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    int cap;

    for (cap = 0; cap < 64; cap++) {
        if (keep & (UINT64_C(1) << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL)
                break;                  /* past the kernel's last capability */
            return -1;
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return -1;
    /* the inheritable set would otherwise survive exec for files with inheritable caps.
     * Effective and permitted need no change: at exec a root process gets the bounding
     * set, and a process that changed to another uid has none left. */
    if (syscall(SYS_capget, &hdr, data) < 0)
        return -1;
    data[0].inheritable = 0;
    data[1].inheritable = 0;
    return (int) syscall(SYS_capset, &hdr, data);
}

static void
drop_user(const struct vsh_launch *l, int errfd)
{
    if (setgroups(l->n_groups, l->groups) < 0)
        vsh_child_fail(errfd, "setgroups", errno);
    if (setgid(l->gid) < 0)
        vsh_child_fail(errfd, "setgid", errno);
    if (setuid(l->uid) < 0)
        vsh_child_fail(errfd, "setuid", errno);
    /* a failed drop must never go unnoticed: check what we got */
    if (getuid() != l->uid || geteuid() != l->uid || getgid() != l->gid ||
        getegid() != l->gid)
        vsh_child_fail(errfd, "setuid", EPERM);
}

void
vsh_child_exec(const struct vsh_launch *l, int errfd, int pdeathsig)
{
    char step[200];
    size_t i;

    for (i = 0; i < l->n_rlimits; i++) {
        struct rlimit rl = { (rlim_t) l->rlimits[i].soft, (rlim_t) l->rlimits[i].hard };

        if (setrlimit(l->rlimits[i].resource, &rl) < 0)
            vsh_child_fail(errfd, "set resource limits", errno);
    }
    if (drop_capabilities(l->caps_keep) < 0)
        vsh_child_fail(errfd, "drop capabilities", errno);
    if (l->drop_user)
        drop_user(l, errfd);
    if (l->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        vsh_child_fail(errfd, "set no_new_privs", errno);
    /* set last: changing credentials clears it */
    if (pdeathsig && prctl(PR_SET_PDEATHSIG, pdeathsig, 0, 0, 0) < 0)
        vsh_child_fail(errfd, "set the parent death signal", errno);
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        int fd;

        for (fd = 3; fd < 65536; fd++)
            (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    if (chdir(l->workdir ? l->workdir : "/") < 0) {
        (void) snprintf(step, sizeof(step), "change directory to %s",
                        l->workdir ? l->workdir : "/");
        vsh_child_fail(errfd, step, errno);
    }
    execve(l->argv[0], l->argv, l->envp ? l->envp : (char *[]) { NULL });
    (void) snprintf(step, sizeof(step), "execute %s", l->argv[0]);
    vsh_child_fail(errfd, step, errno);
}

int
vsh_child_read_error(int fd, struct vsh_child_error *ret)
{
    size_t got = 0;
    ssize_t n;

    memset(ret, 0, sizeof(*ret));
    while (got < sizeof(*ret)) {
        n = read(fd, (char *) ret + got, sizeof(*ret) - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t) n;
    }
    if (got == 0)
        return 0;
    ret->step[sizeof(ret->step) - 1] = '\0';
    if (got < sizeof(*ret))
        ret->err = ret->err ? ret->err : EIO;
    return 1;
}

const struct vsh_monitor_hooks *
vsh_monitor_hooks_for(int kind)
{
#ifdef WITH_LXC
    if (kind == VSH_LAUNCH_LXC)
        return &vsh_lxc_monitor_hooks;
#endif
#ifdef WITH_CHROOT
    if (kind == VSH_LAUNCH_CHROOT)
        return &vsh_chroot_monitor_hooks;
#endif
    (void) kind;
    return NULL;
}
