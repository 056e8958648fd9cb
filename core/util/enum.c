#include <config.h>

#include "util/enum.h"

const char *
vsh_enum_to_string(const char *const *table, unsigned int n, int v)
{
    if (v < 0 || (unsigned int) v >= n)
        return NULL;
    return table[v];
}

int
vsh_enum_from_string(const char *const *table, unsigned int n, const char *s)
{
    unsigned int i;

    if (!s)
        return -1;
    for (i = 0; i < n; i++) {
        if (table[i] && strcmp(table[i], s) == 0)
            return (int) i;
    }
    return -1;
}
