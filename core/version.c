/*
 * version.c — the library's version, from configure's PACKAGE_VERSION.
 */
#include <config.h>

#include <stdlib.h>

#include "vsh.h"

const char *
vsh_version_string(void)
{
    return PACKAGE_VERSION;
}

unsigned long
vsh_version_number(void)
{
    unsigned long parts[3] = { 0, 0, 0 };
    const char *p = PACKAGE_VERSION;
    char *end;
    int i;

    /* "MAJOR.MINOR.MICRO" -> MAJOR * 1000000 + MINOR * 1000 + MICRO, as libvirt counts */
    for (i = 0; i < 3 && *p; i++) {
        parts[i] = strtoul(p, &end, 10);
        if (*end != '.')
            break;
        p = end + 1;
    }
    return parts[0] * 1000000 + parts[1] * 1000 + parts[2];
}
