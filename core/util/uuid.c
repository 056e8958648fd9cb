/*
 * uuid.c — the 16-byte UUIDs that name domains next to their names (declared in
 * conf/domain-conf.h, with the other definition helpers).
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "conf/domain-conf.h"

int
vsh_uuid_parse(const char *str, unsigned char ret_uuid[16])
{
    unsigned char uuid[16];
    const char *p = str;
    int i;

    if (!str)
        return -1;
    /* Hyphens may stand between any two bytes, as libvirt accepts; the canonical
     * 8-4-4-4-12 grouping is what vsh_uuid_format writes. */
    for (i = 0; i < 16; i++) {
        int hi;
        int lo;

        while (*p == '-' && i > 0)
            p++;
        hi = g_ascii_xdigit_value(p[0]);
        lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[1]);
        if (hi < 0 || lo < 0)
            return -1;
        uuid[i] = (unsigned char) (hi << 4 | lo);
        p += 2;
    }
    if (*p != '\0')
        return -1;
    memcpy(ret_uuid, uuid, 16);
    return 0;
}

void
vsh_uuid_format(const unsigned char uuid[16], char ret_buf[37])
{
    g_snprintf(ret_buf, 37,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

/* A random (version 4) UUID: 122 bits from the kernel's random number generator, in one
 * getrandom(2), as libvirt takes them from its CSPRNG. */
void
vsh_uuid_generate(unsigned char ret_uuid[16])
{
    unsigned char uuid[16];
    size_t got = 0;

    while (got < sizeof(uuid)) {
        ssize_t n = getrandom(uuid + got, sizeof(uuid) - got, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    if (got < sizeof(uuid)) {
        /* no getrandom(2) (Linux before 3.17): glib reads /dev/urandom */
        g_autofree char *str = g_uuid_string_random();

        if (vsh_uuid_parse(str, ret_uuid) < 0)
            g_assert_not_reached();
        return;
    }
    uuid[6] = (unsigned char) ((uuid[6] & 0x0f) | 0x40);    /* version 4 */
    uuid[8] = (unsigned char) ((uuid[8] & 0x3f) | 0x80);    /* RFC 4122 variant */
    memcpy(ret_uuid, uuid, sizeof(uuid));
}
