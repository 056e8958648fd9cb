/*
 * internal.h — the core's own structures and the declarations shared between conn.c,
 * domain.c, store.c, events.c and host.c. Nothing here is installed or exported.
 */
#ifndef VSH_CORE_INTERNAL_H
#define VSH_CORE_INTERNAL_H

#include <stdbool.h>

#include "vsh.h"
#include "driver.h"
#include "conf/domain-conf.h"

/* How long an operation waits for another process's per-domain operation lock, and for
 * the store-wide lock, before giving up with VSH_ERROR_BUSY. */
#define VSH_OP_LOCK_TIMEOUT_MS 3000
#define VSH_STORE_LOCK_TIMEOUT_MS 10000

struct vsh_conn {
    gint refs;
    char *uri;                  /* canonical: "vsh:///system", "qemu:///embed?root=/x" */
    char *root;                 /* "/" for system URIs, DIR for embed */
    bool read_only;
    char *config_dir;           /* /etc/vsh or ROOT/config */
    char *domains_dir;          /* CONFIG/domains */
    char *autostart_dir;        /* CONFIG/autostart */
    char *state_dir;            /* /run/vsh or ROOT/state */
    char *images_dir;           /* /var/lib/vsh/images or ROOT/images */
    char *rootfs_dir;           /* /var/lib/vsh/rootfs or ROOT/rootfs */
    char *cgroup_partition;     /* "vsh" or $VSH_CGROUP_PARTITION */
    int op_lock_timeout_ms;     /* VSH_OP_LOCK_TIMEOUT_MS; tests shorten it */
    GPtrArray *drivers;         /* of const vsh_driver * (no free func), registry order */
    const char **types;         /* NULL-terminated driver names, borrowed from drivers */
};

struct vsh_domain {
    gint refs;
    vsh_conn *conn;             /* a reference */
    const vsh_driver *driver;
    char *name;
    unsigned char uuid[VSH_UUID_BUFLEN];
    /* as last seen through this handle (vsh_domain_get_id, _get_last_state) */
    int id;
    int state;
    int reason;
};

/* ---------------------------------------------------------------- conn.c */

/* The connection's driver for @type, or NULL when the connection does not serve it. */
const vsh_driver *vsh_conn_driver_for_type(vsh_conn *conn, vsh_domain_type type);

/* Fails with VSH_ERROR_READ_ONLY on a read-only connection. */
int vsh_conn_check_writable(vsh_conn *conn, GError **error);

/* Test hook: when set (NULL-terminated), connections opened afterwards choose their
 * drivers from @drivers instead of the registry. NULL restores the registry. */
void vsh_conn_test_set_drivers(const vsh_driver *const *drivers);

/* Test hook: how long this connection waits for a busy domain. */
void vsh_conn_set_op_lock_timeout(vsh_conn *conn, int timeout_ms);

/* ---------------------------------------------------------------- domain.c */

/* A new handle for the domain @obj describes (takes a reference on @conn). */
vsh_domain *vsh_domain_new(vsh_conn *conn, const vsh_domain_obj *obj);

/* libvirt's reason numbers <-> the words vsh writes in the store ("destroyed" ...). */
int vsh_domain_shutoff_reason_from_word(const char *word);
const char *vsh_domain_shutoff_reason_to_word(int reason);

/* ---------------------------------------------------------------- host.c */

/* The host's architecture as libvirt names it ("x86_64", "aarch64"). */
const char *vsh_host_arch(void);

#endif /* VSH_CORE_INTERNAL_H */
