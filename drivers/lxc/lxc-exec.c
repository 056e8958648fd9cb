/*
 * lxc-exec.c — running a command inside a running container (`vsh exec NAME -- CMD`,
 * `vsh lxc-enter-namespace NAME -- CMD`).
 *
 * Entering is the supervised drivers' shared procedure (vsh_supervise_exec: cgroup first,
 * then setns into init's namespaces with the user namespace first, init's root, a fork so
 * that the new PID namespace applies, the bounding set, exec). What this file adds is the
 * container's view of the request: a command must be named; a container that is frozen
 * cannot run it (asking would hang the caller until someone resumes it). A bare command
 * name is looked up in init's PATH inside the container by the shared procedure.
 */
#include <config.h>

#include "driver.h"
#include "error.h"
#include "drivers/common/supervise.h"
#include "lxc-priv.h"

int
lxc_domain_exec(const vsh_supervise_ops *ops, vsh_domain_obj *obj, const char *const *argv,
                int *ret_status, GError **error)
{
    if (obj->state == VSH_DOMAIN_PAUSED)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is paused; resume it to run commands in it",
                             obj->name);
    return vsh_supervise_exec(ops, obj, argv, ret_status, error);
}
