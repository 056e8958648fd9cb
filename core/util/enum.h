/*
 * enum.h — enums with their string tables, checked by the compiler (after libvirt's
 * VIR_ENUM_DECL/VIR_ENUM_IMPL).
 *
 *   VSH_ENUM_DECL(vsh_fs_type);                         in the header
 *   VSH_ENUM_IMPL(vsh_fs_type, VSH_FS_TYPE_LAST,        in the .c file
 *                 "mount", "ram");
 * gives  const char *vsh_fs_type_to_string(int v);   NULL when out of range
 *        int vsh_fs_type_from_string(const char *s); -1 when unknown
 */
#ifndef VSH_UTIL_ENUM_H
#define VSH_UTIL_ENUM_H

#include <glib.h>
#include <string.h>

const char *vsh_enum_to_string(const char *const *table, unsigned int n, int v);
int vsh_enum_from_string(const char *const *table, unsigned int n, const char *s);

#define VSH_ENUM_DECL(name) \
    const char *name##_to_string(int v); \
    int name##_from_string(const char *s)

#define VSH_ENUM_IMPL(name, last, ...) \
    static const char *const name##_table[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##_table) == (last)); \
    const char *name##_to_string(int v) \
    { \
        return vsh_enum_to_string(name##_table, G_N_ELEMENTS(name##_table), v); \
    } \
    int name##_from_string(const char *s) \
    { \
        return vsh_enum_from_string(name##_table, G_N_ELEMENTS(name##_table), s); \
    }

#endif /* VSH_UTIL_ENUM_H */
