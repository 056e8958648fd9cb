/*
 * driver-registry.c — the drivers built into this libvsh. Adding a driver is one line
 * here (and its directory under drivers/); nothing else in core/ knows the drivers.
 */
#include <config.h>

#include <string.h>

#include "driver.h"

extern const vsh_driver vsh_lxc_driver;
extern const vsh_driver vsh_chroot_driver;
extern const vsh_driver vsh_qemu_stub_driver;

static const vsh_driver *const drivers[] = {
#ifdef WITH_LXC
    &vsh_lxc_driver,
#endif
#ifdef WITH_CHROOT
    &vsh_chroot_driver,
#endif
#ifdef WITH_QEMU_STUB
    &vsh_qemu_stub_driver,
#endif
    NULL
};

const vsh_driver *const *
vsh_driver_registry(void)
{
    return drivers;
}

const vsh_driver *
vsh_driver_lookup(const char *name)
{
    size_t i;

    for (i = 0; drivers[i]; i++) {
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    }
    return NULL;
}

const vsh_driver *
vsh_driver_for_type(vsh_domain_type type)
{
    size_t i;

    for (i = 0; drivers[i]; i++) {
        if (drivers[i]->type == type)
            return drivers[i];
    }
    return NULL;
}
