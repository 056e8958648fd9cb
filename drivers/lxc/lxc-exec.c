/*
 * lxc-exec.c — running a command inside a running container (`vsh exec NAME -- CMD`,
 * `vsh lxc-enter-namespace NAME -- CMD`).
 *
 * Entering is the supervised drivers' shared procedure (vsh_supervise_exec: cgroup first,
 * then setns into init's namespaces with the user namespace first, init's root, a fork so
 * that the new PID namespace applies, the bounding set, exec). What this file adds is the
 * container's view of the request: a command must be named; a container that is frozen
 * cannot run it (asking would hang the caller until someone resumes it); and a bare
 * command name is looked up in the container's PATH, as a shell inside would, since the
 * shared procedure execs exactly the path it is given.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driver.h"
#include "error.h"
#include "util/file.h"
#include "drivers/common/supervise.h"
#include "lxc-priv.h"

/* The PATH of init's environment when <initenv> sets none (the one the launch gets). */
#define LXC_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *
lxc_exec_path_var(const vsh_domain_def *def)
{
    guint i;

    for (i = 0; def && i < def->os.initenv->len; i++) {
        const vsh_env_var *var = g_ptr_array_index(def->os.initenv, i);

        if (g_strcmp0(var->name, "PATH") == 0 && var->value)
            return var->value;
    }
    return LXC_DEFAULT_PATH;
}

/* init's host pid from STATE/NAME.pid ("INIT MONITOR"); it changes at every reboot. */
static pid_t
lxc_exec_init_pid(vsh_domain_obj *obj)
{
    g_autofree char *text = NULL;

    if (obj->paths.pid_path && g_file_get_contents(obj->paths.pid_path, &text, NULL, NULL))
        return (pid_t) g_ascii_strtoll(text, NULL, 10);
    return obj->pid;
}

/* Whether @path names an executable regular file inside the root @root_fd, resolved as
 * the container resolves it (symlinks stay inside the container). */
static gboolean
lxc_exec_is_executable(int root_fd, const char *path)
{
    struct open_how how = {
        .flags = O_PATH | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    struct stat st;
    int fd = (int) syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
    gboolean ok;

    if (fd < 0)
        return FALSE;
    ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
    close(fd);
    return ok;
}

/* The absolute path of @cmd in the container's PATH, or NULL with @error set. */
static char *
lxc_exec_resolve(vsh_domain_obj *obj, const char *cmd, GError **error)
{
    const vsh_domain_def *def = obj->live ? obj->live : obj->def;
    g_autofree char *root = g_strdup_printf("/proc/%d/root", (int) lxc_exec_init_pid(obj));
    g_auto(GStrv) dirs = g_strsplit(lxc_exec_path_var(def), ":", -1);
    vsh_autoclose int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    size_t i;

    if (root_fd < 0) {
        vsh_error_set_errno(error, errno, "cannot open the root of domain '%s'", obj->name);
        return NULL;
    }
    for (i = 0; dirs[i]; i++) {
        g_autofree char *path = NULL;

        if (dirs[i][0] != '/')
            continue;
        path = g_build_filename(dirs[i], cmd, NULL);
        if (lxc_exec_is_executable(root_fd, path))
            return g_steal_pointer(&path);
    }
    vsh_error_set(error, VSH_ERROR_OPERATION_FAILED,
                  "command '%s' not found in the domain's PATH (%s)", cmd,
                  lxc_exec_path_var(def));
    return NULL;
}

int
lxc_domain_exec(const vsh_supervise_ops *ops, vsh_domain_obj *obj, const char *const *argv,
                int *ret_status, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree const char **args = NULL;
    guint n;

    if (!argv || !argv[0] || !argv[0][0])
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "no command given to run in domain '%s'", obj->name);
    if (obj->state == VSH_DOMAIN_PAUSED)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is paused; resume it to run commands in it",
                             obj->name);
    if (strchr(argv[0], '/'))
        return vsh_supervise_exec(ops, obj, argv, ret_status, error);
    if (!(path = lxc_exec_resolve(obj, argv[0], error)))
        return -1;
    n = g_strv_length((char **) argv);
    args = g_new0(const char *, n + 1);
    memcpy(args, argv, n * sizeof(*args));
    args[0] = path;
    return vsh_supervise_exec(ops, obj, args, ret_status, error);
}
