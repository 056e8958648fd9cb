/*
 * monitor.h — the steps vsh-monitor and `vsh exec` share, run in a freshly cloned child
 * that is about to become a domain process. Plain libc and async-signal-safe in spirit:
 * no allocation after fork, failures go to the parent as (step, errno) over a
 * close-on-exec pipe, so a successful exec closes the pipe with nothing written.
 */
#ifndef VSH_DRIVERS_COMMON_MONITOR_H
#define VSH_DRIVERS_COMMON_MONITOR_H

#include <sys/types.h>

#include "drivers/common/launch.h"

/* What a failed child writes to its error pipe, in one write(2). */
struct vsh_child_error {
    int err;                    /* errno */
    char step[200];             /* "execute /sbin/init", "mount /proc", ... */
};

/* Writes (step, err) to @errfd and _exit(126)s. */
void vsh_child_fail(int errfd, const char *step, int err) __attribute__((noreturn));

/*
 * The generic end of a domain process's set-up, in this order: rlimits, capability
 * bounding set reduced to l->caps_keep (ambient and inheritable cleared), setgroups +
 * setgid + setuid when l->drop_user, PR_SET_NO_NEW_PRIVS when l->no_new_privs, the parent
 * death signal @pdeathsig (0 = none) once the credentials are final, every descriptor
 * above 2 marked close-on-exec, chdir to l->workdir, execve of l->argv with l->envp.
 * Never returns: a failing step is reported through vsh_child_fail().
 */
void vsh_child_exec(const struct vsh_launch *l, int errfd, int pdeathsig)
    __attribute__((noreturn));

/* The scheduler leaves a new child on its parent's CPU while the parent runs, and the
 * other CPUs may idle meanwhile. Moves @pid to the CPUs the caller may use other than the
 * one it runs on, for a child meant to run beside it. Returns the caller's CPU, or -1 when
 * nothing was moved (one CPU only, or a failure: best effort). */
int vsh_place_elsewhere(pid_t pid);

/* The most descriptors vsh_send_fds and vsh_recv_fds pass in one message. */
#define VSH_PASS_FDS_MAX 16

/* Sends the byte @c with the @n descriptors @fds (SCM_RIGHTS; none when @n is 0) over the
 * socket @sock. Returns 0, or -1 with errno set. Allocates nothing and is not
 * instrumented by AddressSanitizer: the library's short-lived children call it from
 * stacks of their own. */
int vsh_send_fds(int sock, char c, const int *fds, size_t n);
/* Receives what vsh_send_fds sent: the byte into *@ret_c and up to @max descriptors
 * (close-on-exec) into @fds. Returns how many descriptors came, or -1 with errno set
 * (EPIPE: the other end closed first; EMSGSIZE: more than @max came, and none is kept). */
int vsh_recv_fds(int sock, char *ret_c, int *fds, size_t max);

/* Reads a child's error pipe until EOF. Returns 0 when it closed empty (the exec
 * succeeded), 1 with *ret filled when the child reported a failure, -1 on a read error. */
int vsh_child_read_error(int fd, struct vsh_child_error *ret);

/* The monitor hooks for @kind (enum vsh_launch_kind), or NULL when that driver is not
 * built in. */
const struct vsh_monitor_hooks *vsh_monitor_hooks_for(int kind);

#endif /* VSH_DRIVERS_COMMON_MONITOR_H */
