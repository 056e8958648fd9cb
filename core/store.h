/*
 * store.h — the store: persistent definitions, live state, locks and reconciliation
 * (DESIGN.md "One store"). Internal to the core; drivers and front ends never see it.
 *
 * Files under the connection's directories (NAME is checked before any path is built):
 *   CONFIG/domains/NAME.xml   the persistent definition (atomic writes)
 *   CONFIG/autostart/NAME     symlink -> ../domains/NAME.xml
 *   STATE/NAME.xml            status document of an active domain (see store.c)
 *   STATE/NAME.status         the same in binary form, what loads read (see store.c)
 *   STATE/NAME.cache          the definition in binary form, while it matches the XML
 *   STATE/.domains.lock       the per-domain operation locks (a byte each, short timeout)
 *   STATE/NAME.shutoff        the last shut-off reason of an inactive persistent domain
 *   STATE/NAME.run            a driver's own runtime data for an active domain
 *   STATE/.store.lock         the store-wide lock (define, undefine, create)
 *   STATE/.ids                the id counter of drivers that number domains themselves
 *   STATE/.vnets              the vnetN counter of drivers that name host devices
 * plus the monitor's files of drivers/common/launch.h (NAME.lock, .pid, .exit, .stop,
 * .console) and the event log STATE/events.
 */
#ifndef VSH_CORE_STORE_H
#define VSH_CORE_STORE_H

#include "internal.h"

/* Largest definition or status file the store reads. */
#define VSH_STORE_MAX_FILE (1024 * 1024)

/* Takes the store-wide lock. Returns the descriptor holding it (close to release), or -1
 * with @error set (VSH_ERROR_BUSY "the store '...' is busy"). */
int vsh_store_lock(vsh_conn *conn, GError **error);

/* Takes the operation lock of domain @name, waiting up to the connection's short timeout.
 * Returns the descriptor holding it, or -1 with @error set (VSH_ERROR_BUSY
 * "domain 'NAME' is busy"). */
int vsh_store_lock_domain(vsh_conn *conn, const char *name, GError **error);

/* Where in STATE/.domains.lock the operation lock of domain @name lies. */
off_t vsh_store_op_lock_offset(const char *name);

typedef enum {
    VSH_STORE_LOAD_LOCKED = 1 << 0, /* the caller holds the domain's operation lock */
    VSH_STORE_LOAD_SCANNED = 1 << 1, /* with the VSH_STORE_SEEN_* flags of a vsh_store_list()
                                      * entry: files the scan did not see are not read */
    VSH_STORE_LOAD_NO_REFRESH = 1 << 2, /* skip the driver's look at the live domain (a
                                         * pause made behind our back): lookups */
} vsh_store_load_flags;

/* What vsh_store_list() saw of a domain's state files. */
#define VSH_STORE_SEEN_STATUS (1u << 8)     /* STATE/NAME.status or STATE/NAME.xml */
#define VSH_STORE_SEEN_SHUTOFF (1u << 9)    /* STATE/NAME.shutoff */
#define VSH_STORE_SEEN_ORPHAN (1u << 10)    /* state files of no domain (internal) */

typedef struct {
    char *name;
    unsigned int seen;          /* VSH_STORE_SEEN_* */
} vsh_store_entry;

/* Every domain in the store (any type), sorted by name, with what one scan of the
 * directories saw of it: a listing loads each with VSH_STORE_LOAD_SCANNED | entry->seen
 * and skips the files that were not there. A new array of vsh_store_entry *. */
GPtrArray *vsh_store_list(vsh_conn *conn, GError **error);

/*
 * Loads domain @name: its persistent definition, its live state, and its driver's private
 * data. A supervised domain whose monitor is gone is reconciled first (see store.c): the
 * result is then shut off, or the call fails with VSH_ERROR_NO_DOMAIN for a transient one.
 * Fails with VSH_ERROR_NO_DOMAIN when nothing of that name exists, or when the connection
 * does not serve the domain's type. Returns a new object (vsh_domain_obj_free).
 */
vsh_domain_obj *vsh_store_load(vsh_conn *conn, const char *name, unsigned int flags,
                               GError **error);

/* A new object for @def (taken over as obj->def when @persistent, else as obj->live) of
 * @driver, shut off, with its paths filled in. */
vsh_domain_obj *vsh_domain_obj_new(vsh_conn *conn, const vsh_driver *driver,
                                   vsh_domain_def *def, bool persistent);
void vsh_domain_obj_free(vsh_domain_obj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vsh_domain_obj, vsh_domain_obj_free)

/* The names of every domain in the store (any type), sorted. A new array of char *. */
GPtrArray *vsh_store_list_names(vsh_conn *conn, GError **error);

/* Whether something named @name exists in the store (any type); its uuid and type when it
 * does. Returns 1 yes, 0 no, -1 with @error set. */
int vsh_store_peek(vsh_conn *conn, const char *name, unsigned char ret_uuid[16],
                   vsh_domain_type *ret_type, GError **error);
/* The same for an entry of vsh_store_list(): @flags are VSH_STORE_LOAD_SCANNED | its seen
 * flags, and files the scan did not see are not read. */
int vsh_store_peek_scanned(vsh_conn *conn, const char *name, unsigned int flags,
                           unsigned char ret_uuid[16], vsh_domain_type *ret_type,
                           GError **error);

/*
 * A listing's look at an entry whose scan saw no status document, i.e. an inactive
 * persistent domain: its type and uuid from the head of its cache and its shut-off reason,
 * without decoding the definition. Returns 1 with those filled, 0 when the entry needs a
 * full load (a status seen, no fresh cache).
 */
int vsh_store_peek_inactive(vsh_conn *conn, const vsh_store_entry *e,
                            vsh_domain_type *ret_type, unsigned char ret_uuid[16],
                            int *ret_reason);

/* Writes @def as CONFIG/domains/NAME.xml (atomically), and its cache. @from_parser: @def
 * is as the parser made it (nothing changed since), so its cache needs no parse of the file
 * (vsh_domain_def_encode_reread()). */
int vsh_store_save_config(vsh_conn *conn, const vsh_domain_def *def, bool from_parser,
                          GError **error);
/* Removes the definition, its autostart link and its last shut-off reason. */
int vsh_store_delete_config(vsh_conn *conn, const char *name, GError **error);

/* Writes the status document of the active domain @obj (atomically). */
int vsh_store_save_status(vsh_conn *conn, const vsh_domain_obj *obj, GError **error);

/* Before a start: removes what a previous run left (exit/stop words, reason, run data). */
int vsh_store_prepare_start(vsh_conn *conn, vsh_domain_obj *obj, GError **error);

/* Tells a supervised domain's monitor why its init is about to die ("shutdown",
 * "destroyed", "reboot"): STATE/NAME.stop. */
int vsh_store_write_stop(vsh_conn *conn, vsh_domain_obj *obj, const char *word,
                         GError **error);
/* Takes that word back when the request did not go out (best effort). */
void vsh_store_clear_stop(vsh_conn *conn, vsh_domain_obj *obj);

/*
 * Records that the active domain @obj has stopped with shut-off @reason: when its monitor
 * left STATE/NAME.exit, that reason wins and the monitor has logged the event already;
 * otherwise the Stopped event is appended here. Removes the live state files, remembers
 * the reason of a persistent domain, and leaves @obj shut off (live freed, id -1).
 */
void vsh_store_stopped(vsh_conn *conn, vsh_domain_obj *obj, int reason);

/* Remembers @reason as the shut-off reason of the inactive persistent domain @obj (a start
 * that failed). Best effort, like every record of something that already happened. */
void vsh_store_set_shutoff_reason(vsh_conn *conn, vsh_domain_obj *obj, int reason);

int vsh_store_get_autostart(vsh_conn *conn, const char *name, bool *ret_autostart,
                            GError **error);
int vsh_store_set_autostart(vsh_conn *conn, const char *name, bool autostart,
                            GError **error);

#endif /* VSH_CORE_STORE_H */
