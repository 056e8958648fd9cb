/*
 * domain.c — domain handles, lookups, definitions and the lifecycle state machine.
 *
 * Every transition is checked here, once, for every driver (DESIGN.md "Lifecycle"). A
 * handle is only a name and uuid: each call loads the domain from the store afresh, so
 * what one process does is what the next call in any other process sees. Mutating calls
 * run as a "job": the domain's operation lock, then a load, then the driver, then the
 * store is written and the event logged.
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "error.h"
#include "events.h"
#include "store.h"
#include "util/file.h"
#include "xml-reader.h"

/* ---------------------------------------------------------------- states and reasons */

static const char *const state_words[VSH_DOMAIN_STATE_LAST] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

static const char *const running_reasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed", NULL };
static const char *const paused_reasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed", "api error", NULL };
static const char *const shutdown_reasons[] = { "unknown", "user", NULL };
static const char *const shutoff_reasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon", NULL };
static const char *const crashed_reasons[] = { "unknown", "panicked", NULL };
static const char *const unknown_reasons[] = { "unknown", NULL };

const char *
vsh_domain_state_to_string(int state)
{
    if (state < 0 || state >= VSH_DOMAIN_STATE_LAST)
        return "no state";
    return state_words[state];
}

static const char *const *
vsh_domain_reason_table(int state)
{
    switch (state) {
    case VSH_DOMAIN_RUNNING:
        return running_reasons;
    case VSH_DOMAIN_PAUSED:
        return paused_reasons;
    case VSH_DOMAIN_SHUTDOWN:
        return shutdown_reasons;
    case VSH_DOMAIN_SHUTOFF:
        return shutoff_reasons;
    case VSH_DOMAIN_CRASHED:
        return crashed_reasons;
    default:
        return unknown_reasons;
    }
}

const char *
vsh_domain_state_reason_to_string(int state, int reason)
{
    const char *const *table = vsh_domain_reason_table(state);
    int i;

    for (i = 0; table[i]; i++) {
        if (i == reason)
            return table[i];
    }
    return "unknown";
}

int
vsh_domain_shutoff_reason_from_word(const char *word)
{
    return vsh_enum_from_string(shutoff_reasons, G_N_ELEMENTS(shutoff_reasons) - 1, word);
}

const char *
vsh_domain_shutoff_reason_to_word(int reason)
{
    return vsh_domain_state_reason_to_string(VSH_DOMAIN_SHUTOFF, reason);
}

static bool
vsh_domain_obj_is_active(const vsh_domain_obj *obj)
{
    return obj->state != VSH_DOMAIN_SHUTOFF && obj->state != VSH_DOMAIN_NOSTATE;
}

/* ---------------------------------------------------------------- handles */

/* What the handle remembers of its domain's last look (vsh_domain_get_id). */
static void
vsh_domain_note(vsh_domain *dom, const vsh_domain_obj *obj)
{
    dom->id = vsh_domain_obj_is_active(obj) ? obj->id : -1;
    dom->state = obj->state;
    dom->reason = obj->reason;
}

vsh_domain *
vsh_domain_new(vsh_conn *conn, const vsh_domain_obj *obj)
{
    vsh_domain *dom = g_new0(vsh_domain, 1);

    dom->refs = 1;
    dom->conn = vsh_conn_ref(conn);
    dom->driver = obj->driver;
    dom->name = g_strdup(obj->name);
    memcpy(dom->uuid, obj->uuid, sizeof(dom->uuid));
    vsh_domain_note(dom, obj);
    return dom;
}

vsh_domain *
vsh_domain_ref(vsh_domain *dom)
{
    g_return_val_if_fail(dom, NULL);
    g_atomic_int_inc(&dom->refs);
    return dom;
}

void
vsh_domain_unref(vsh_domain *dom)
{
    if (!dom || !g_atomic_int_dec_and_test(&dom->refs))
        return;
    vsh_conn_unref(dom->conn);
    g_free(dom->name);
    g_free(dom);
}

const char *
vsh_domain_get_name(vsh_domain *dom)
{
    return dom->name;
}

const char *
vsh_domain_get_type(vsh_domain *dom)
{
    return dom->driver->name;
}

void
vsh_domain_get_uuid(vsh_domain *dom, unsigned char ret_uuid[VSH_UUID_BUFLEN])
{
    memcpy(ret_uuid, dom->uuid, VSH_UUID_BUFLEN);
}

void
vsh_domain_get_uuid_string(vsh_domain *dom, char ret_buf[VSH_UUID_STRING_BUFLEN])
{
    vsh_uuid_format(dom->uuid, ret_buf);
}

/* The domain behind @dom as the store has it now. A name since redefined with another
 * uuid is another domain, so the handle no longer finds it. */
static vsh_domain_obj *
vsh_domain_load(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    char uuid[VSH_UUID_STRING_BUFLEN];

    if (!(obj = vsh_store_load(dom->conn, dom->name, flags, error)))
        return NULL;
    if (memcmp(obj->uuid, dom->uuid, sizeof(dom->uuid)) != 0) {
        vsh_uuid_format(dom->uuid, uuid);
        vsh_error_set(error, VSH_ERROR_NO_DOMAIN, "no domain with matching uuid '%s' ('%s')",
                      uuid, dom->name);
        return NULL;
    }
    vsh_domain_note(dom, obj);
    return g_steal_pointer(&obj);
}

/* ---------------------------------------------------------------- jobs */

typedef struct {
    int lock_fd;
    vsh_domain_obj *obj;
    vsh_domain *dom;            /* the handle the job runs through; its id follows obj */
} vsh_domain_job;

#define VSH_DOMAIN_JOB_INIT { -1, NULL, NULL }

static void
vsh_domain_job_end(vsh_domain_job *job)
{
    if (job->dom && job->obj)
        vsh_domain_note(job->dom, job->obj);
    g_clear_pointer(&job->obj, vsh_domain_obj_free);
    vsh_autoclose_fd(&job->lock_fd);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vsh_domain_job, vsh_domain_job_end)

/* A mutating operation on @dom: writable connection, operation lock, fresh load. */
static int
vsh_domain_job_begin(vsh_domain *dom, vsh_domain_job *job, GError **error)
{
    if (vsh_conn_check_writable(dom->conn, error) < 0)
        return -1;
    job->dom = dom;
    if ((job->lock_fd = vsh_store_lock_domain(dom->conn, dom->name, error)) < 0)
        return -1;
    if (!(job->obj = vsh_domain_load(dom, VSH_STORE_LOAD_LOCKED, error)))
        return -1;
    return 0;
}

static int
vsh_domain_check_active(const vsh_domain_obj *obj, GError **error)
{
    if (!vsh_domain_obj_is_active(obj))
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is not running", obj->name);
    return 0;
}

static int
vsh_domain_unsupported(const vsh_domain_obj *obj, const char *what, GError **error)
{
    return vsh_error_set(error, VSH_ERROR_UNSUPPORTED, "the %s driver cannot %s",
                         obj->driver->name, what);
}

/* Saves the live state of @obj after a change; the change already happened, so a
 * failure here is reported but not undone. */
static int
vsh_domain_save_live(vsh_domain *dom, vsh_domain_obj *obj, GError **error)
{
    if (vsh_store_save_status(dom->conn, obj, error) < 0) {
        g_prefix_error(error, "domain '%s' changed but its state was not saved: ", obj->name);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- lookups and lists */

vsh_domain *
vsh_domain_lookup_by_name(vsh_conn *conn, const char *name, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;

    if (!name || !vsh_domain_name_is_valid(name)) {
        vsh_error_set(error, VSH_ERROR_NO_DOMAIN, "no domain with matching name '%s'",
                      name ? name : "");
        return NULL;
    }
    /* the operation that follows looks again, with the driver's refresh */
    if (!(obj = vsh_store_load(conn, name, VSH_STORE_LOAD_NO_REFRESH, error)))
        return NULL;
    return vsh_domain_new(conn, obj);
}

typedef bool (*vsh_domain_match_fn)(const vsh_domain_obj *obj, gconstpointer data);

/* The first domain of the store (in name order) @match accepts, or NULL. */
static vsh_domain_obj *
vsh_domain_find(vsh_conn *conn, vsh_domain_match_fn match, gconstpointer data,
                GError **error)
{
    g_autoptr(GPtrArray) names = NULL;
    guint i;

    if (!(names = vsh_store_list_names(conn, error)))
        return NULL;
    for (i = 0; i < names->len; i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(vsh_domain_obj) obj = vsh_store_load(conn, names->pdata[i], 0, &err);

        if (!obj && g_error_matches(err, VSH_ERROR, VSH_ERROR_NO_DOMAIN))
            continue;   /* another type, or it vanished while we looked */
        if (!obj) {
            g_propagate_error(error, g_steal_pointer(&err));
            return NULL;
        }
        if (match(obj, data))
            return g_steal_pointer(&obj);
    }
    return NULL;
}

static bool
vsh_domain_match_uuid(const vsh_domain_obj *obj, gconstpointer data)
{
    return memcmp(obj->uuid, data, VSH_UUID_BUFLEN) == 0;
}

static bool
vsh_domain_match_id(const vsh_domain_obj *obj, gconstpointer data)
{
    return vsh_domain_obj_is_active(obj) && obj->id == *(const int *) data;
}

vsh_domain *
vsh_domain_lookup_by_uuid_string(vsh_conn *conn, const char *uuidstr, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    g_autoptr(GError) err = NULL;
    unsigned char uuid[VSH_UUID_BUFLEN];

    if (!uuidstr || vsh_uuid_parse(uuidstr, uuid) < 0) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "invalid uuid '%s'",
                      uuidstr ? uuidstr : "");
        return NULL;
    }
    if (!(obj = vsh_domain_find(conn, vsh_domain_match_uuid, uuid, &err))) {
        if (err)
            g_propagate_error(error, g_steal_pointer(&err));
        else
            vsh_error_set(error, VSH_ERROR_NO_DOMAIN, "no domain with matching uuid '%s'",
                          uuidstr);
        return NULL;
    }
    return vsh_domain_new(conn, obj);
}

vsh_domain *
vsh_domain_lookup_by_id(vsh_conn *conn, int id, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    g_autoptr(GError) err = NULL;

    if (id > 0)
        obj = vsh_domain_find(conn, vsh_domain_match_id, &id, &err);
    if (!obj) {
        if (err)
            g_propagate_error(error, g_steal_pointer(&err));
        else
            vsh_error_set(error, VSH_ERROR_NO_DOMAIN, "no domain with matching id %d", id);
        return NULL;
    }
    return vsh_domain_new(conn, obj);
}

/* libvirt's filter: within each pair of flags, neither set means both. */
static bool
vsh_domain_list_pair(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return value ? (flags & yes) != 0 : (flags & no) != 0;
}

/* libvirt's state filter: no flag means every state, otherwise one of those set. */
static bool
vsh_domain_list_state(unsigned int flags, int state)
{
    const unsigned int all = VSH_LIST_RUNNING | VSH_LIST_PAUSED | VSH_LIST_SHUTOFF |
                             VSH_LIST_OTHER;

    if (!(flags & all))
        return true;
    switch (state) {
    case VSH_DOMAIN_RUNNING:
        return (flags & VSH_LIST_RUNNING) != 0;
    case VSH_DOMAIN_PAUSED:
        return (flags & VSH_LIST_PAUSED) != 0;
    case VSH_DOMAIN_SHUTOFF:
        return (flags & VSH_LIST_SHUTOFF) != 0;
    default:
        return (flags & VSH_LIST_OTHER) != 0;
    }
}

static int
vsh_domain_list_keep(vsh_conn *conn, const char *name, bool active, bool persistent,
                     int state, unsigned int flags, GError **error)
{
    bool autostart = false;

    if (!vsh_domain_list_pair(flags, VSH_LIST_ACTIVE, VSH_LIST_INACTIVE, active) ||
        !vsh_domain_list_pair(flags, VSH_LIST_PERSISTENT, VSH_LIST_TRANSIENT, persistent) ||
        !vsh_domain_list_state(flags, state))
        return 0;
    if (flags & (VSH_LIST_AUTOSTART | VSH_LIST_NO_AUTOSTART)) {
        if (vsh_store_get_autostart(conn, name, &autostart, error) < 0)
            return -1;
        if (!vsh_domain_list_pair(flags, VSH_LIST_AUTOSTART, VSH_LIST_NO_AUTOSTART,
                                  autostart))
            return 0;
    }
    return 1;
}

/* A handle for an inactive persistent domain that a listing saw without loading it. */
static vsh_domain *
vsh_domain_new_inactive(vsh_conn *conn, const vsh_driver *driver, const char *name,
                        const unsigned char uuid[VSH_UUID_BUFLEN], int reason)
{
    vsh_domain *dom = g_new0(vsh_domain, 1);

    dom->refs = 1;
    dom->conn = vsh_conn_ref(conn);
    dom->driver = driver;
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, sizeof(dom->uuid));
    dom->id = -1;
    dom->state = VSH_DOMAIN_SHUTOFF;
    dom->reason = reason;
    return dom;
}

/* One entry of a listing: 1 with *ret_dom set when it is kept, 0 when not, -1 on error. */
static int
vsh_domain_list_entry(vsh_conn *conn, const vsh_store_entry *e, const char *type,
                      unsigned int flags, vsh_domain **ret_dom, GError **error)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vsh_domain_obj) obj = NULL;
    unsigned char uuid[VSH_UUID_BUFLEN];
    vsh_domain_type dtype;
    const vsh_driver *drv;
    int reason;
    int keep;

    /* most of a store is inactive definitions: their cache's head says all a list shows */
    if (vsh_store_peek_inactive(conn, e, &dtype, uuid, &reason) == 1) {
        if (!(drv = vsh_conn_driver_for_type(conn, dtype)) ||
            (type && strcmp(drv->name, type) != 0))
            return 0;
        if ((keep = vsh_domain_list_keep(conn, e->name, false, true, VSH_DOMAIN_SHUTOFF,
                                         flags, error)) <= 0)
            return keep;
        *ret_dom = vsh_domain_new_inactive(conn, drv, e->name, uuid, reason);
        return 1;
    }
    obj = vsh_store_load(conn, e->name, VSH_STORE_LOAD_SCANNED | e->seen, &err);
    if (!obj && g_error_matches(err, VSH_ERROR, VSH_ERROR_NO_DOMAIN))
        return 0;
    if (!obj) {
        g_propagate_error(error, g_steal_pointer(&err));
        return -1;
    }
    if (type && strcmp(obj->driver->name, type) != 0)
        return 0;
    if ((keep = vsh_domain_list_keep(conn, obj->name, vsh_domain_obj_is_active(obj),
                                     obj->def != NULL, obj->state, flags, error)) <= 0)
        return keep;
    *ret_dom = vsh_domain_new(conn, obj);
    return 1;
}

int
vsh_conn_list_domains(vsh_conn *conn, const char *type, unsigned int flags,
                      GPtrArray **ret_domains, GError **error)
{
    g_autoptr(GPtrArray) entries = NULL;
    g_autoptr(GPtrArray) doms = g_ptr_array_new_with_free_func((GDestroyNotify)
                                                               vsh_domain_unref);
    guint i;

    if (type && vsh_domain_type_from_string(type) < 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unknown domain type '%s'", type);
    if (!(entries = vsh_store_list(conn, error)))
        return -1;
    for (i = 0; i < entries->len; i++) {
        vsh_domain *dom = NULL;
        int kept = vsh_domain_list_entry(conn, entries->pdata[i], type, flags, &dom, error);

        if (kept < 0)
            return -1;
        if (kept)
            g_ptr_array_add(doms, dom);
    }
    *ret_domains = g_steal_pointer(&doms);
    return (int) (*ret_domains)->len;
}

/* ---------------------------------------------------------------- define, create, undefine */

/* Parses @xml and checks it against the driver of its type on @conn. */
static vsh_domain_def *
vsh_domain_parse_for_conn(vsh_conn *conn, const char *xml, const char *filename,
                          const vsh_driver **ret_driver, GError **error)
{
    g_autoptr(vsh_domain_def) def = NULL;
    const vsh_driver *drv;

    if (!xml) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "no XML document given");
        return NULL;
    }
    if (!(def = vsh_xml_parse_domain(xml, filename, 0, error)))
        return NULL;
    if (!(drv = vsh_conn_driver_for_type(conn, def->type))) {
        vsh_error_set(error, VSH_ERROR_UNSUPPORTED,
                      "domain type '%s' is not available on connection '%s'",
                      vsh_domain_type_to_string(def->type), conn->uri);
        return NULL;
    }
    if (drv->def_validate && drv->def_validate(def, error) < 0)
        return NULL;
    *ret_driver = drv;
    return g_steal_pointer(&def);
}

/*
 * Under the store lock: no other domain (of any type) has @def's uuid. That is a look at
 * every definition (libvirt's daemon keeps a table for it in memory); a uuid the parser
 * has just drawn at random (version 4, 122 random bits from the kernel's generator) is
 * taken as free instead of paying that scan at every define for a collision that does not
 * happen.
 */
static int
vsh_domain_check_uuid_free(vsh_conn *conn, const vsh_domain_def *def, GError **error)
{
    g_autoptr(GPtrArray) entries = NULL;
    char uuidstr[VSH_UUID_STRING_BUFLEN];
    guint i;

    if (def->uuid_generated)
        return 0;
    if (!(entries = vsh_store_list(conn, error)))
        return -1;
    for (i = 0; i < entries->len; i++) {
        const vsh_store_entry *e = entries->pdata[i];
        unsigned char uuid[VSH_UUID_BUFLEN];
        vsh_domain_type type;
        int found;

        if (strcmp(e->name, def->name) == 0)
            continue;
        if ((found = vsh_store_peek_scanned(conn, e->name, VSH_STORE_LOAD_SCANNED | e->seen,
                                            uuid, &type, error)) < 0)
            return -1;
        if (found && memcmp(uuid, def->uuid, sizeof(uuid)) == 0) {
            vsh_uuid_format(uuid, uuidstr);
            return vsh_error_set(error, VSH_ERROR_DOMAIN_EXISTS,
                                 "domain '%s' already has uuid %s", e->name, uuidstr);
        }
    }
    return 0;
}

/*
 * Under the store lock: may @def take its name? Returns 1 when a domain of that name and
 * uuid exists (a redefinition), 0 when the name is free, -1 with @error set.
 */
static int
vsh_domain_check_name(vsh_conn *conn, const vsh_domain_def *def, GError **error)
{
    unsigned char uuid[VSH_UUID_BUFLEN];
    char uuidstr[VSH_UUID_STRING_BUFLEN];
    vsh_domain_type type;
    int found;

    if ((found = vsh_store_peek(conn, def->name, uuid, &type, error)) <= 0)
        return found;
    vsh_uuid_format(uuid, uuidstr);
    if (memcmp(uuid, def->uuid, sizeof(uuid)) != 0)
        return vsh_error_set(error, VSH_ERROR_DOMAIN_EXISTS,
                             "domain '%s' already exists with uuid %s", def->name, uuidstr);
    if (type != def->type)
        return vsh_error_set(error, VSH_ERROR_DOMAIN_EXISTS,
                             "domain '%s' already exists with type '%s'", def->name,
                             vsh_domain_type_to_string(type));
    return 1;
}

vsh_domain *
vsh_domain_define_xml(vsh_conn *conn, const char *xml, const char *filename,
                      GError **error)
{
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(vsh_domain_obj) obj = NULL;
    vsh_autoclose int store_fd = -1;
    vsh_autoclose int op_fd = -1;
    g_autofree char *config = NULL;
    const vsh_driver *drv = NULL;
    bool updated;

    if (vsh_conn_check_writable(conn, error) < 0)
        return NULL;
    if (!(def = vsh_domain_parse_for_conn(conn, xml, filename, &drv, error)))
        return NULL;
    if ((store_fd = vsh_store_lock(conn, error)) < 0 ||
        vsh_domain_check_name(conn, def, error) < 0 ||
        vsh_domain_check_uuid_free(conn, def, error) < 0 ||
        (op_fd = vsh_store_lock_domain(conn, def->name, error)) < 0)
        return NULL;
    /* Defining a running transient domain makes it persistent: "Added", as libvirt. */
    config = g_strconcat(conn->domains_dir, "/", def->name, ".xml", NULL);
    updated = vsh_file_exists(config);
    if (vsh_store_save_config(conn, def, true, error) < 0)
        return NULL;
    obj = vsh_domain_obj_new(conn, drv, g_steal_pointer(&def), true);
    vsh_event_emit(obj, VSH_EVENT_DEFINED,
                   updated ? VSH_EVENT_DEFINED_UPDATED : VSH_EVENT_DEFINED_ADDED);
    return vsh_domain_new(conn, obj);
}

/* Starts the shut-off @obj whose obj->live is set, and records it. The caller holds the
 * domain's operation lock. */
static int
vsh_domain_obj_start(vsh_conn *conn, vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    if (!obj->driver->start)
        return vsh_domain_unsupported(obj, "start domains", error);
    /* the monitor is what watches the starting process */
    if ((flags & VSH_DOMAIN_START_AUTODESTROY) && !obj->driver->supervised)
        return vsh_domain_unsupported(obj, "destroy domains when their starter exits", error);
    if (vsh_store_prepare_start(conn, obj, error) < 0)
        return -1;
    if (obj->driver->start(obj, flags, error) < 0) {
        vsh_store_set_shutoff_reason(conn, obj, VSH_DOMAIN_SHUTOFF_FAILED);
        return -1;
    }
    if (vsh_store_save_status(conn, obj, error) < 0) {
        /* Nobody could see or stop a domain without its status file: take it down. */
        if (obj->driver->destroy)
            (void) obj->driver->destroy(obj, NULL);
        (void) vsh_file_remove(obj->paths.run_path, NULL);
        return -1;
    }
    vsh_event_emit(obj, VSH_EVENT_STARTED, VSH_EVENT_STARTED_BOOTED);
    if (obj->state == VSH_DOMAIN_PAUSED)
        vsh_event_emit(obj, VSH_EVENT_SUSPENDED, VSH_EVENT_SUSPENDED_PAUSED);
    return 0;
}

static int
vsh_domain_check_start_flags(unsigned int flags, GError **error)
{
    if (flags & ~(unsigned int) (VSH_DOMAIN_START_PAUSED | VSH_DOMAIN_START_AUTODESTROY))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported start flags 0x%x",
                             flags);
    return 0;
}

vsh_domain *
vsh_domain_create_xml(vsh_conn *conn, const char *xml, const char *filename,
                      unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_def) def = NULL;
    g_autoptr(vsh_domain_obj) obj = NULL;
    vsh_autoclose int store_fd = -1;
    vsh_autoclose int op_fd = -1;
    const vsh_driver *drv = NULL;
    int found;

    if (vsh_conn_check_writable(conn, error) < 0 ||
        vsh_domain_check_start_flags(flags, error) < 0)
        return NULL;
    if (!(def = vsh_domain_parse_for_conn(conn, xml, filename, &drv, error)))
        return NULL;
    /* The store lock stays held through the start: the name is taken only once the
     * status file exists. */
    if ((store_fd = vsh_store_lock(conn, error)) < 0 ||
        (found = vsh_domain_check_name(conn, def, error)) < 0 ||
        vsh_domain_check_uuid_free(conn, def, error) < 0)
        return NULL;
    if (found) {
        vsh_error_set(error, VSH_ERROR_DOMAIN_EXISTS, "domain '%s' already exists",
                      def->name);
        return NULL;
    }
    if ((op_fd = vsh_store_lock_domain(conn, def->name, error)) < 0)
        return NULL;
    obj = vsh_domain_obj_new(conn, drv, g_steal_pointer(&def), false);
    if (vsh_domain_obj_start(conn, obj, flags, error) < 0)
        return NULL;
    return vsh_domain_new(conn, obj);
}

int
vsh_domain_undefine(vsh_domain *dom, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;
    vsh_autoclose int store_fd = -1;

    if (vsh_conn_check_writable(dom->conn, error) < 0 ||
        (store_fd = vsh_store_lock(dom->conn, error)) < 0 ||
        vsh_domain_job_begin(dom, &job, error) < 0)
        return -1;
    if (!job.obj->def)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "cannot undefine transient domain '%s'", dom->name);
    /* A running domain keeps running, now transient (libvirt): its status file stays. */
    if (vsh_store_delete_config(dom->conn, dom->name, error) < 0)
        return -1;
    vsh_event_emit(job.obj, VSH_EVENT_UNDEFINED, VSH_EVENT_UNDEFINED_REMOVED);
    return 0;
}

/* ---------------------------------------------------------------- lifecycle */

int
vsh_domain_start(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_check_start_flags(flags, error) < 0 ||
        vsh_domain_job_begin(dom, &job, error) < 0)
        return -1;
    if (vsh_domain_obj_is_active(job.obj))
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is already running", dom->name);
    job.obj->live = vsh_domain_def_copy(job.obj->def);
    return vsh_domain_obj_start(dom->conn, job.obj, flags, error);
}

/* A mutating operation on a domain that must be running or paused. */
static int
vsh_domain_job_begin_active(vsh_domain *dom, vsh_domain_job *job, GError **error)
{
    if (vsh_domain_job_begin(dom, job, error) < 0 ||
        vsh_domain_check_active(job->obj, error) < 0)
        return -1;
    return 0;
}

/* After a request that may have stopped the domain at once (a stub's shutdown, a reboot
 * with <on_reboot>destroy</on_reboot>): record the stop, or save the live state of a
 * domain that is still running. */
static int
vsh_domain_settle(vsh_domain *dom, vsh_domain_obj *obj, GError **error)
{
    if (obj->state == VSH_DOMAIN_SHUTOFF) {
        vsh_store_stopped(dom->conn, obj, obj->reason);
        return 0;
    }
    return vsh_domain_save_live(dom, obj, error);
}

/* Before a supervised domain's init is stopped, its monitor learns why. */
static int
vsh_domain_tell_monitor(vsh_domain *dom, vsh_domain_obj *obj, const char *word,
                        GError **error)
{
    if (!obj->driver->supervised)
        return 0;
    return vsh_store_write_stop(dom->conn, obj, word, error);
}

static const char *const shutdown_modes[] = { "acpi", "agent", "initctl", "signal",
                                               "paravirt" };

const char *
vsh_domain_shutdown_mode_to_string(unsigned int flag)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(shutdown_modes); i++) {
        if (flag == 1u << i)
            return shutdown_modes[i];
    }
    return NULL;
}

/* That each way @flags asks for a shutdown or reboot (@verb) is one vsh knows. */
static int
vsh_domain_check_known_modes(unsigned int flags, const char *verb, GError **error)
{
    const unsigned int known = (1u << G_N_ELEMENTS(shutdown_modes)) - 1;

    if (flags & ~known)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unknown %s flags 0x%x", verb,
                             flags & ~known);
    return 0;
}

/* That @obj's driver has each way of @flags among @modes (@action for the message). */
static int
vsh_domain_check_driver_modes(const vsh_domain_obj *obj, unsigned int flags,
                              unsigned int modes, const char *action, GError **error)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(shutdown_modes); i++) {
        if ((flags & (1u << i)) && !(modes & (1u << i)))
            return vsh_error_set(error, VSH_ERROR_UNSUPPORTED, "the %s driver cannot %s by %s",
                                 obj->driver->name, action, shutdown_modes[i]);
    }
    return 0;
}

int
vsh_domain_shutdown_flags(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_check_known_modes(flags, "shutdown", error) < 0 ||
        vsh_domain_job_begin_active(dom, &job, error) < 0)
        return -1;
    if (!dom->driver->shutdown)
        return vsh_domain_unsupported(job.obj, "shut domains down", error);
    if (vsh_domain_check_driver_modes(job.obj, flags, dom->driver->shutdown_modes,
                                      "shut domains down", error) < 0)
        return -1;
    if (vsh_domain_tell_monitor(dom, job.obj, "shutdown", error) < 0)
        return -1;
    if (dom->driver->shutdown(job.obj, flags, error) < 0) {
        /* nothing was asked: the monitor must not take a later stop for a shutdown */
        if (job.obj->driver->supervised)
            vsh_store_clear_stop(dom->conn, job.obj);
        return -1;
    }
    /* A driver whose domains stop at once says so; others finish later, and the next
     * look at the domain (reconciliation) records it. */
    return vsh_domain_settle(dom, job.obj, error);
}

int
vsh_domain_shutdown(vsh_domain *dom, GError **error)
{
    return vsh_domain_shutdown_flags(dom, 0, error);
}

int
vsh_domain_destroy(vsh_domain *dom, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_job_begin_active(dom, &job, error) < 0)
        return -1;
    if (!dom->driver->destroy)
        return vsh_domain_unsupported(job.obj, "destroy domains", error);
    if (vsh_domain_tell_monitor(dom, job.obj, "destroyed", error) < 0 ||
        dom->driver->destroy(job.obj, error) < 0)
        return -1;
    vsh_store_stopped(dom->conn, job.obj, VSH_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

int
vsh_domain_reboot_flags(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_check_known_modes(flags, "reboot", error) < 0 ||
        vsh_domain_job_begin_active(dom, &job, error) < 0)
        return -1;
    if (!dom->driver->reboot)
        return vsh_domain_unsupported(job.obj, "reboot domains", error);
    if (vsh_domain_check_driver_modes(job.obj, flags, dom->driver->reboot_modes,
                                      "reboot domains", error) < 0)
        return -1;
    /* Asked, the domain reboots itself: its monitor sees init end as a reboot does and
     * follows <on_reboot>; there is nothing to tell it beforehand. */
    if (flags)
        return dom->driver->reboot(job.obj, flags, error);
    if (vsh_domain_tell_monitor(dom, job.obj, "reboot", error) < 0 ||
        dom->driver->reboot(job.obj, 0, error) < 0)
        return -1;
    /* <on_reboot>destroy</on_reboot>: the domain stopped instead. */
    return vsh_domain_settle(dom, job.obj, error);
}

int
vsh_domain_reboot(vsh_domain *dom, GError **error)
{
    return vsh_domain_reboot_flags(dom, 0, error);
}

int
vsh_domain_suspend(vsh_domain *dom, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_job_begin_active(dom, &job, error) < 0)
        return -1;
    if (job.obj->state == VSH_DOMAIN_PAUSED)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is already paused", dom->name);
    if (!dom->driver->suspend)
        return vsh_domain_unsupported(job.obj, "suspend domains", error);
    if (dom->driver->suspend(job.obj, error) < 0)
        return -1;
    job.obj->state = VSH_DOMAIN_PAUSED;
    job.obj->reason = VSH_DOMAIN_PAUSED_USER;
    if (vsh_domain_save_live(dom, job.obj, error) < 0)
        return -1;
    vsh_event_emit(job.obj, VSH_EVENT_SUSPENDED, VSH_EVENT_SUSPENDED_PAUSED);
    return 0;
}

int
vsh_domain_resume(vsh_domain *dom, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_job_begin_active(dom, &job, error) < 0)
        return -1;
    if (job.obj->state != VSH_DOMAIN_PAUSED)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is not paused", dom->name);
    if (!dom->driver->resume)
        return vsh_domain_unsupported(job.obj, "resume domains", error);
    if (dom->driver->resume(job.obj, error) < 0)
        return -1;
    job.obj->state = VSH_DOMAIN_RUNNING;
    job.obj->reason = VSH_DOMAIN_RUNNING_UNPAUSED;
    if (vsh_domain_save_live(dom, job.obj, error) < 0)
        return -1;
    vsh_event_emit(job.obj, VSH_EVENT_RESUMED, VSH_EVENT_RESUMED_UNPAUSED);
    return 0;
}

/* ---------------------------------------------------------------- information */

int
vsh_domain_get_id(vsh_domain *dom)
{
    g_return_val_if_fail(dom, -1);
    return dom->id;
}

void
vsh_domain_get_last_state(vsh_domain *dom, int *ret_state, int *ret_reason)
{
    g_return_if_fail(dom && ret_state);
    *ret_state = dom->state;
    if (ret_reason)
        *ret_reason = dom->reason;
}

/* The definition that describes @obj now: the live one while active. (A transient domain
 * a read-only connection sees dead has only its live one.) */
static const vsh_domain_def *
vsh_domain_obj_current_def(const vsh_domain_obj *obj)
{
    if (vsh_domain_obj_is_active(obj) && obj->live)
        return obj->live;
    return obj->def ? obj->def : obj->live;
}

char *
vsh_domain_get_title(vsh_domain *dom, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    if (!obj)
        return NULL;
    return g_strdup(vsh_domain_obj_current_def(obj)->title);
}

int
vsh_domain_get_state(vsh_domain *dom, int *ret_state, int *ret_reason, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    if (!obj)
        return -1;
    *ret_state = obj->state;
    if (ret_reason)
        *ret_reason = obj->reason;
    return 0;
}

int
vsh_domain_is_active(vsh_domain *dom, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    return obj ? vsh_domain_obj_is_active(obj) : -1;
}

int
vsh_domain_is_persistent(vsh_domain *dom, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    return obj ? obj->def != NULL : -1;
}

static unsigned int
vsh_domain_def_current_vcpus(const vsh_domain_def *def)
{
    return def->vcpus_current ? def->vcpus_current : def->vcpus;
}

static int
vsh_domain_obj_get_info(vsh_domain_obj *obj, vsh_domain_info *info, GError **error)
{
    const vsh_domain_def *def = vsh_domain_obj_current_def(obj);

    memset(info, 0, sizeof(*info));
    info->state = obj->state;
    info->reason = obj->reason;
    info->max_memory_kib = def->max_memory_kib;
    info->memory_kib = def->has_cur_memory ? def->cur_memory_kib : def->max_memory_kib;
    info->nr_vcpus = vsh_domain_def_current_vcpus(def);
    if (vsh_domain_obj_is_active(obj) && obj->driver->get_info)
        return obj->driver->get_info(obj, info, error);
    return 0;
}

int
vsh_domain_get_info(vsh_domain *dom, vsh_domain_info *ret_info, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    if (!obj)
        return -1;
    return vsh_domain_obj_get_info(obj, ret_info, error);
}

int
vsh_domain_get_cpu_stats(vsh_domain *dom, vsh_domain_cpu_total *ret_total,
                         GArray **ret_percpu, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    g_autoptr(GArray) percpu = g_array_new(FALSE, FALSE, sizeof(guint64));
    vsh_domain_cpu_total total = { 0, -1, -1 };
    vsh_domain_info info = { 0 };

    if (!obj || vsh_domain_check_active(obj, error) < 0)
        return -1;
    if (obj->driver->get_cpu_stats) {
        if (obj->driver->get_cpu_stats(obj, &total, percpu, error) < 0)
            return -1;
    } else {
        if (vsh_domain_obj_get_info(obj, &info, error) < 0)
            return -1;
        total.cpu_time_ns = info.cpu_time_ns;
    }
    *ret_total = total;
    if (ret_percpu)
        *ret_percpu = g_steal_pointer(&percpu);
    return 0;
}

char *
vsh_domain_get_xml(vsh_domain *dom, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;

    if (flags & ~(unsigned int) VSH_DOMAIN_XML_INACTIVE) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported XML flags 0x%x", flags);
        return NULL;
    }
    if (!(obj = vsh_domain_load(dom, 0, error)))
        return NULL;
    if (vsh_domain_obj_is_active(obj) && !(flags & VSH_DOMAIN_XML_INACTIVE))
        return vsh_domain_def_format(obj->live, VSH_DOMAIN_DEF_FORMAT_LIVE);
    return vsh_domain_def_format(obj->def ? obj->def : obj->live, 0);
}

int
vsh_domain_get_autostart(vsh_domain *dom, bool *ret_autostart, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);

    if (!obj)
        return -1;
    return vsh_store_get_autostart(dom->conn, dom->name, ret_autostart, error);
}

int
vsh_domain_set_autostart(vsh_domain *dom, bool autostart, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;

    if (vsh_domain_job_begin(dom, &job, error) < 0)
        return -1;
    if (!job.obj->def)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "cannot set autostart for transient domain '%s'", dom->name);
    return vsh_store_set_autostart(dom->conn, dom->name, autostart, error);
}

/* ---------------------------------------------------------------- console and exec */

int
vsh_domain_open_console(vsh_domain *dom, unsigned int flags, int *ret_fd, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;

    if (vsh_conn_check_writable(dom->conn, error) < 0)
        return -1;
    if (flags & ~(unsigned int) VSH_DOMAIN_CONSOLE_FORCE)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported console flags 0x%x",
                             flags);
    if (!(obj = vsh_domain_load(dom, 0, error)) || vsh_domain_check_active(obj, error) < 0)
        return -1;
    if (!obj->driver->open_console)
        return vsh_domain_unsupported(obj, "open consoles", error);
    return obj->driver->open_console(obj, flags, ret_fd, error);
}

int
vsh_domain_exec(vsh_domain *dom, const char *const *argv, int *ret_status, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;

    if (vsh_conn_check_writable(dom->conn, error) < 0)
        return -1;
    if (!argv || !argv[0])
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "no command to run");
    if (!(obj = vsh_domain_load(dom, 0, error)) || vsh_domain_check_active(obj, error) < 0)
        return -1;
    if (!obj->driver->exec)
        return vsh_domain_unsupported(obj, "run commands in domains", error);
    return obj->driver->exec(obj, argv, ret_status, error);
}

/* ---------------------------------------------------------------- live and config changes */

/* Resolves @flags (vsh_domain_modification_impact) for @obj: CURRENT is LIVE for an active
 * domain and CONFIG for an inactive one. */
static int
vsh_domain_impact(const vsh_domain_obj *obj, unsigned int flags, bool *ret_live,
                  bool *ret_config, GError **error)
{
    if (flags & ~(unsigned int) (VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported flags 0x%x", flags);
    if (flags == VSH_DOMAIN_AFFECT_CURRENT)
        flags = vsh_domain_obj_is_active(obj) ? VSH_DOMAIN_AFFECT_LIVE :
            VSH_DOMAIN_AFFECT_CONFIG;
    if ((flags & VSH_DOMAIN_AFFECT_LIVE) && !vsh_domain_obj_is_active(obj))
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "domain '%s' is not running", obj->name);
    if ((flags & VSH_DOMAIN_AFFECT_CONFIG) && !obj->def)
        return vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                             "cannot change the persistent configuration of transient "
                             "domain '%s'", obj->name);
    *ret_live = flags & VSH_DOMAIN_AFFECT_LIVE;
    *ret_config = flags & VSH_DOMAIN_AFFECT_CONFIG;
    return 0;
}

/* One kind of change (memory, vcpus, tuning), applied the same way to either definition. */
typedef struct {
    /* Is @data acceptable for @def (bounds such as the maximum memory)? */
    int (*check)(const vsh_domain_obj *obj, const vsh_domain_def *def, gconstpointer data,
                 GError **error);
    /* The driver's live change (reports VSH_ERROR_UNSUPPORTED when it has none); NULL
     * when the live definition alone holds the value and nothing runs on it. */
    int (*live)(vsh_domain_obj *obj, gconstpointer data, GError **error);
    void (*apply)(vsh_domain_def *def, gconstpointer data);
} vsh_domain_change;

static int
vsh_domain_change_config(vsh_domain *dom, vsh_domain_obj *obj, const vsh_domain_change *change,
                         gconstpointer data, GError **error)
{
    change->apply(obj->def, data);
    if (vsh_xml_validate_domain(obj->def, error) < 0 ||
        (obj->driver->def_validate && obj->driver->def_validate(obj->def, error) < 0))
        return -1;
    return vsh_store_save_config(dom->conn, obj->def, false, error);
}

static int
vsh_domain_change_apply(vsh_domain *dom, unsigned int flags, const vsh_domain_change *change,
                        gconstpointer data, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;
    bool live;
    bool config;

    if (vsh_domain_job_begin(dom, &job, error) < 0 ||
        vsh_domain_impact(job.obj, flags, &live, &config, error) < 0)
        return -1;
    /* Both checks before either change, so that a refused value changes nothing. */
    if ((live && change->check(job.obj, job.obj->live, data, error) < 0) ||
        (config && change->check(job.obj, job.obj->def, data, error) < 0))
        return -1;
    if (live) {
        if (change->live && change->live(job.obj, data, error) < 0)
            return -1;
        change->apply(job.obj->live, data);
        if (vsh_domain_save_live(dom, job.obj, error) < 0)
            return -1;
    }
    if (config && vsh_domain_change_config(dom, job.obj, change, data, error) < 0)
        return -1;
    return 0;
}

static int
vsh_domain_check_memory(const vsh_domain_obj *obj, const vsh_domain_def *def,
                        gconstpointer data, GError **error)
{
    guint64 kib = *(const guint64 *) data;

    if (kib == 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "memory size must be greater than zero");
    if (kib > def->max_memory_kib)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "cannot set the memory of domain '%s' to %" G_GUINT64_FORMAT
                             " KiB: its maximum is %" G_GUINT64_FORMAT " KiB", obj->name,
                             kib, def->max_memory_kib);
    return 0;
}

static int
vsh_domain_live_memory(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    if (!obj->driver->set_memory)
        return vsh_domain_unsupported(obj, "change the memory of a running domain", error);
    return obj->driver->set_memory(obj, *(const guint64 *) data, error);
}

static void
vsh_domain_apply_memory(vsh_domain_def *def, gconstpointer data)
{
    def->cur_memory_kib = *(const guint64 *) data;
    def->has_cur_memory = true;
}

int
vsh_domain_set_memory(vsh_domain *dom, guint64 kib, unsigned int flags, GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_memory, vsh_domain_live_memory, vsh_domain_apply_memory,
    };

    return vsh_domain_change_apply(dom, flags, &change, &kib, error);
}

static int
vsh_domain_check_max_memory(const vsh_domain_obj *obj, const vsh_domain_def *def,
                            gconstpointer data, GError **error)
{
    guint64 kib = *(const guint64 *) data;

    if (kib == 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "memory size must be greater than zero");
    if (kib > VSH_MEMORY_UNLIMITED)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "memory size must be at most %" G_GUINT64_FORMAT " KiB",
                             VSH_MEMORY_UNLIMITED);
    return 0;
}

static int
vsh_domain_live_max_memory(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    return vsh_error_set(error, VSH_ERROR_UNSUPPORTED,
                         "cannot change the maximum memory of running domain '%s'",
                         obj->name);
}

static void
vsh_domain_apply_max_memory(vsh_domain_def *def, gconstpointer data)
{
    guint64 kib = *(const guint64 *) data;

    def->max_memory_kib = kib;
    /* Without <currentMemory> the allocation is the maximum, and follows it. */
    if (!def->has_cur_memory || def->cur_memory_kib > kib)
        def->cur_memory_kib = kib;
}

int
vsh_domain_set_max_memory(vsh_domain *dom, guint64 kib, unsigned int flags, GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_max_memory, vsh_domain_live_max_memory, vsh_domain_apply_max_memory,
    };

    return vsh_domain_change_apply(dom, flags, &change, &kib, error);
}

typedef struct {
    int type;
    const char *text;
} vsh_domain_metadata;

static int
vsh_domain_metadata_type_check(int type, GError **error)
{
    if (type != VSH_DOMAIN_METADATA_DESCRIPTION && type != VSH_DOMAIN_METADATA_TITLE)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unknown metadata type %d", type);
    return 0;
}

static int
vsh_domain_check_metadata(const vsh_domain_obj *obj, const vsh_domain_def *def,
                          gconstpointer data, GError **error)
{
    const vsh_domain_metadata *m = data;

    (void) obj;
    (void) def;
    if (m->type == VSH_DOMAIN_METADATA_TITLE && m->text && strpbrk(m->text, "\r\n"))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "a title is one line: it cannot contain a line break");
    return 0;
}

static void
vsh_domain_apply_metadata(vsh_domain_def *def, gconstpointer data)
{
    const vsh_domain_metadata *m = data;
    char **field = m->type == VSH_DOMAIN_METADATA_TITLE ? &def->title : &def->description;

    g_free(*field);
    *field = m->text && *m->text ? g_strdup(m->text) : NULL;
}

int
vsh_domain_set_metadata(vsh_domain *dom, int type, const char *text, unsigned int flags,
                        GError **error)
{
    static const vsh_domain_change change = {
        /* nothing runs on it: the live definition alone holds it */
        vsh_domain_check_metadata, NULL, vsh_domain_apply_metadata,
    };
    vsh_domain_metadata m = { type, text };

    if (vsh_domain_metadata_type_check(type, error) < 0)
        return -1;
    return vsh_domain_change_apply(dom, flags, &change, &m, error);
}

char *
vsh_domain_get_metadata(vsh_domain *dom, int type, unsigned int flags, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    const vsh_domain_def *def;

    if (vsh_domain_metadata_type_check(type, error) < 0)
        return NULL;
    if (flags == (VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG) ||
        (flags & ~(unsigned int) (VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG))) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, flags & ~(unsigned int)
                      (VSH_DOMAIN_AFFECT_LIVE | VSH_DOMAIN_AFFECT_CONFIG) ?
                      "unsupported flags 0x%x" :
                      "cannot read the live and the persistent definition at once (0x%x)",
                      flags);
        return NULL;
    }
    if (!(obj = vsh_domain_load(dom, 0, error)))
        return NULL;
    if (flags == VSH_DOMAIN_AFFECT_LIVE && !vsh_domain_obj_is_active(obj)) {
        vsh_error_set(error, VSH_ERROR_OPERATION_INVALID, "domain '%s' is not running",
                      obj->name);
        return NULL;
    }
    if (flags == VSH_DOMAIN_AFFECT_CONFIG && !obj->def) {
        vsh_error_set(error, VSH_ERROR_OPERATION_INVALID,
                      "transient domain '%s' has no persistent configuration", obj->name);
        return NULL;
    }
    if (flags == VSH_DOMAIN_AFFECT_LIVE)
        def = obj->live;
    else if (flags == VSH_DOMAIN_AFFECT_CONFIG)
        def = obj->def;
    else
        def = vsh_domain_obj_current_def(obj);
    return g_strdup(type == VSH_DOMAIN_METADATA_TITLE ? def->title : def->description);
}

static int
vsh_domain_check_vcpus(const vsh_domain_obj *obj, const vsh_domain_def *def,
                       gconstpointer data, GError **error)
{
    unsigned int n = *(const unsigned int *) data;

    if (n == 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "the number of vcpus must be at least 1");
    if (n > def->vcpus)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "cannot set %u vcpus on domain '%s': its maximum is %u", n,
                             obj->name, def->vcpus);
    return 0;
}

static int
vsh_domain_live_vcpus(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    if (!obj->driver->set_vcpus)
        return vsh_domain_unsupported(obj, "change the vcpus of a running domain", error);
    return obj->driver->set_vcpus(obj, *(const unsigned int *) data, error);
}

static void
vsh_domain_apply_vcpus(vsh_domain_def *def, gconstpointer data)
{
    unsigned int n = *(const unsigned int *) data;

    /* current='N' only when it differs from the maximum, as libvirt writes it. */
    def->vcpus_current = n == def->vcpus ? 0 : n;
}

int
vsh_domain_set_vcpus(vsh_domain *dom, unsigned int nvcpus, unsigned int flags, GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_vcpus, vsh_domain_live_vcpus, vsh_domain_apply_vcpus,
    };

    return vsh_domain_change_apply(dom, flags, &change, &nvcpus, error);
}

/* ---------------------------------------------------------------- scheduler and memtune */

/* The definition a query with @flags reads: one of live or config, never both. */
static const vsh_domain_def *
vsh_domain_query_def(const vsh_domain_obj *obj, unsigned int flags, GError **error)
{
    bool live;
    bool config;

    if ((flags & VSH_DOMAIN_AFFECT_LIVE) && (flags & VSH_DOMAIN_AFFECT_CONFIG)) {
        vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                      "cannot query the live and the persistent values at once");
        return NULL;
    }
    /* Reading a transient domain's config means its definition, which is the live one. */
    if ((flags & VSH_DOMAIN_AFFECT_CONFIG) && !obj->def)
        return obj->live;
    if (vsh_domain_impact(obj, flags, &live, &config, error) < 0)
        return NULL;
    return live ? obj->live : obj->def;
}

int
vsh_domain_get_sched_params(vsh_domain *dom, unsigned int flags, vsh_sched_params *ret_params,
                            GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    const vsh_domain_def *def;

    if (!obj || !(def = vsh_domain_query_def(obj, flags, error)))
        return -1;
    ret_params->has_cpu_shares = ret_params->has_vcpu_period = true;
    ret_params->has_vcpu_quota = true;
    ret_params->cpu_shares = def->cputune.has_shares ? def->cputune.shares : 1024;
    ret_params->vcpu_period = def->cputune.has_period ? def->cputune.period : 100000;
    ret_params->vcpu_quota = def->cputune.has_quota ? def->cputune.quota : -1;
    return 0;
}

/* The ranges libvirt accepts for cgroup cpu controls. */
static int
vsh_domain_check_sched(const vsh_domain_obj *obj, const vsh_domain_def *def,
                       gconstpointer data, GError **error)
{
    const vsh_sched_params *p = data;

    if (p->has_cpu_shares && (p->cpu_shares < 2 || p->cpu_shares > 262144))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "cpu_shares %" G_GUINT64_FORMAT
                             " is out of range [2, 262144]", p->cpu_shares);
    if (p->has_vcpu_period && (p->vcpu_period < 1000 || p->vcpu_period > 1000000))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "vcpu_period %" G_GUINT64_FORMAT
                             " is out of range [1000, 1000000]", p->vcpu_period);
    if (p->has_vcpu_quota && p->vcpu_quota != -1 &&
        (p->vcpu_quota < 1000 || p->vcpu_quota > G_GINT64_CONSTANT(17592186044415)))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "vcpu_quota %" G_GINT64_FORMAT
                             " is out of range (-1, or [1000, 17592186044415])",
                             p->vcpu_quota);
    return 0;
}

static int
vsh_domain_live_sched(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    if (!obj->driver->set_sched)
        return vsh_domain_unsupported(obj, "change the scheduler of a running domain",
                                      error);
    return obj->driver->set_sched(obj, data, error);
}

static void
vsh_domain_apply_sched(vsh_domain_def *def, gconstpointer data)
{
    const vsh_sched_params *p = data;

    if (p->has_cpu_shares) {
        def->cputune.has_shares = true;
        def->cputune.shares = p->cpu_shares;
    }
    if (p->has_vcpu_period) {
        def->cputune.has_period = true;
        def->cputune.period = p->vcpu_period;
    }
    if (p->has_vcpu_quota) {
        def->cputune.has_quota = true;
        def->cputune.quota = p->vcpu_quota;
    }
}

int
vsh_domain_set_sched_params(vsh_domain *dom, const vsh_sched_params *params,
                            unsigned int flags, GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_sched, vsh_domain_live_sched, vsh_domain_apply_sched,
    };

    return vsh_domain_change_apply(dom, flags, &change, params, error);
}

static guint64
vsh_memtune_value(guint64 kib)
{
    return kib ? kib : VSH_MEMORY_UNLIMITED;
}

int
vsh_domain_get_memtune(vsh_domain *dom, unsigned int flags, vsh_memtune_params *ret_params,
                       GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    const vsh_domain_def *def;

    if (!obj || !(def = vsh_domain_query_def(obj, flags, error)))
        return -1;
    /* a running domain's limits are what its cgroup holds, as libvirt reports them: <memory>
     * when <memtune> sets no hard limit, and whatever setmem made of it since */
    if (def == obj->live && vsh_domain_obj_is_active(obj) && obj->driver->get_memtune)
        return obj->driver->get_memtune(obj, ret_params, error);
    ret_params->has_hard_limit = ret_params->has_soft_limit = true;
    ret_params->has_swap_hard_limit = true;
    ret_params->hard_limit = vsh_memtune_value(def->memtune.hard_limit);
    ret_params->soft_limit = vsh_memtune_value(def->memtune.soft_limit);
    ret_params->swap_hard_limit = vsh_memtune_value(def->memtune.swap_hard_limit);
    return 0;
}

static int
vsh_domain_check_memtune(const vsh_domain_obj *obj, const vsh_domain_def *def,
                         gconstpointer data, GError **error)
{
    const vsh_memtune_params *p = data;
    guint64 hard;
    guint64 swap;

    if ((p->has_hard_limit && p->hard_limit == 0) ||
        (p->has_soft_limit && p->soft_limit == 0) ||
        (p->has_swap_hard_limit && p->swap_hard_limit == 0))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "a memory limit must be greater than zero");
    if ((p->has_hard_limit && p->hard_limit > VSH_MEMORY_UNLIMITED) ||
        (p->has_soft_limit && p->soft_limit > VSH_MEMORY_UNLIMITED) ||
        (p->has_swap_hard_limit && p->swap_hard_limit > VSH_MEMORY_UNLIMITED))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "a memory limit must be at most %" G_GUINT64_FORMAT " KiB",
                             VSH_MEMORY_UNLIMITED);
    /* memory + swap below memory: what the kernel refuses with a bare EINVAL, and what
     * the definition's validation refuses too. A limit not given keeps @def's. */
    hard = p->has_hard_limit ? p->hard_limit : vsh_domain_def_memory_limit_kib(def);
    swap = p->has_swap_hard_limit ? p->swap_hard_limit
                                  : vsh_memtune_value(def->memtune.swap_hard_limit);
    if ((p->has_hard_limit || p->has_swap_hard_limit) && swap < hard)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "swap_hard_limit (%" G_GUINT64_FORMAT " KiB) must not be lower "
                             "than hard_limit (%" G_GUINT64_FORMAT " KiB)", swap, hard);
    return 0;
}

static int
vsh_domain_live_memtune(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    if (!obj->driver->set_memtune)
        return vsh_domain_unsupported(obj, "change the memory limits of a running domain",
                                      error);
    return obj->driver->set_memtune(obj, data, error);
}

static void
vsh_domain_apply_memtune(vsh_domain_def *def, gconstpointer data)
{
    const vsh_memtune_params *p = data;

    /* "Unlimited" is the absence of the element. */
    if (p->has_hard_limit)
        def->memtune.hard_limit = p->hard_limit == VSH_MEMORY_UNLIMITED ? 0 : p->hard_limit;
    if (p->has_soft_limit)
        def->memtune.soft_limit = p->soft_limit == VSH_MEMORY_UNLIMITED ? 0 : p->soft_limit;
    if (p->has_swap_hard_limit)
        def->memtune.swap_hard_limit =
            p->swap_hard_limit == VSH_MEMORY_UNLIMITED ? 0 : p->swap_hard_limit;
}

int
vsh_domain_set_memtune(vsh_domain *dom, const vsh_memtune_params *params, unsigned int flags,
                       GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_memtune, vsh_domain_live_memtune, vsh_domain_apply_memtune,
    };

    return vsh_domain_change_apply(dom, flags, &change, params, error);
}

/* ---------------------------------------------------------------- blkiotune */

G_STATIC_ASSERT((int) VSH_BLKIO_DEVICE_FIELD_LAST == (int) VSH_BLKIO_FIELD_LAST);
G_STATIC_ASSERT((int) VSH_BLKIO_DEVICE_WRITE_BYTES_SEC == (int) VSH_BLKIO_WRITE_BYTES_SEC);

void
vsh_blkio_device_free(vsh_blkio_device *dev)
{
    if (!dev)
        return;
    g_free(dev->path);
    g_free(dev);
}

void
vsh_blkiotune_params_clear(vsh_blkiotune_params *params)
{
    if (!params)
        return;
    g_clear_pointer(&params->devices, g_ptr_array_unref);
    memset(params, 0, sizeof(*params));
}

int
vsh_domain_get_blkiotune(vsh_domain *dom, unsigned int flags, vsh_blkiotune_params *ret_params,
                         GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    const vsh_domain_def *def;
    guint i;

    memset(ret_params, 0, sizeof(*ret_params));
    if (!obj || !(def = vsh_domain_query_def(obj, flags, error)))
        return -1;
    ret_params->has_weight = true;
    ret_params->weight = def->blkiotune.weight;
    ret_params->devices = g_ptr_array_new_with_free_func((GDestroyNotify) vsh_blkio_device_free);
    for (i = 0; i < def->blkiotune.devices->len; i++) {
        const vsh_blkio_device_def *d = g_ptr_array_index(def->blkiotune.devices, i);
        vsh_blkio_device *dev = g_new0(vsh_blkio_device, 1);
        int f;

        dev->path = g_strdup(d->path);
        for (f = 0; f < VSH_BLKIO_FIELD_LAST; f++) {
            dev->value[f] = d->value[f];
            if (d->value[f])
                dev->given |= 1u << f;
        }
        g_ptr_array_add(ret_params->devices, dev);
    }
    return 0;
}

static bool
vsh_blkio_weight_valid(guint64 weight)
{
    return weight >= VSH_BLKIO_WEIGHT_LOWEST && weight <= VSH_BLKIO_WEIGHT_HIGHEST;
}

static int
vsh_domain_check_blkiotune(const vsh_domain_obj *obj, const vsh_domain_def *def,
                           gconstpointer data, GError **error)
{
    const vsh_blkiotune_params *p = data;
    guint i;

    (void) obj;
    (void) def;
    if (p->has_weight && !vsh_blkio_weight_valid(p->weight))
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                             "weight %u is out of range (%d to %d)", p->weight,
                             VSH_BLKIO_WEIGHT_LOWEST, VSH_BLKIO_WEIGHT_HIGHEST);
    for (i = 0; p->devices && i < p->devices->len; i++) {
        const vsh_blkio_device *dev = g_ptr_array_index(p->devices, i);
        guint64 w = dev->value[VSH_BLKIO_DEVICE_WEIGHT];

        if (!dev->path || !g_path_is_absolute(dev->path))
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "device path '%s' is not absolute",
                                 dev->path ? dev->path : "");
        if (dev->given >= 1u << VSH_BLKIO_DEVICE_FIELD_LAST)
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "unknown device settings 0x%x", dev->given);
        if ((dev->given & (1u << VSH_BLKIO_DEVICE_WEIGHT)) && w && !vsh_blkio_weight_valid(w))
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "weight %" G_GUINT64_FORMAT " of device '%s' is out of "
                                 "range (%d to %d, or 0 to remove it)", w, dev->path,
                                 VSH_BLKIO_WEIGHT_LOWEST, VSH_BLKIO_WEIGHT_HIGHEST);
    }
    return 0;
}

static int
vsh_domain_live_blkiotune(vsh_domain_obj *obj, gconstpointer data, GError **error)
{
    if (!obj->driver->set_blkiotune)
        return vsh_domain_unsupported(obj, "change the I/O tuning of a running domain", error);
    return obj->driver->set_blkiotune(obj, data, error);
}

static void
vsh_domain_apply_blkiotune(vsh_domain_def *def, gconstpointer data)
{
    const vsh_blkiotune_params *p = data;
    vsh_blkiotune_def *bt = &def->blkiotune;
    guint i;

    if (p->has_weight)
        bt->weight = p->weight;
    for (i = 0; p->devices && i < p->devices->len; i++) {
        const vsh_blkio_device *dev = g_ptr_array_index(p->devices, i);
        vsh_blkio_device_def *d = vsh_blkiotune_find_device(bt, dev->path);
        bool any = false;
        int f;

        if (!d) {
            d = g_new0(vsh_blkio_device_def, 1);
            d->path = g_strdup(dev->path);
            g_ptr_array_add(bt->devices, d);
        }
        for (f = 0; f < VSH_BLKIO_FIELD_LAST; f++) {
            if (dev->given & (1u << f))
                d->value[f] = dev->value[f];
            any = any || d->value[f];
        }
        if (!any)
            g_ptr_array_remove(bt->devices, d);
    }
}

int
vsh_domain_set_blkiotune(vsh_domain *dom, const vsh_blkiotune_params *params,
                         unsigned int flags, GError **error)
{
    static const vsh_domain_change change = {
        vsh_domain_check_blkiotune, vsh_domain_live_blkiotune, vsh_domain_apply_blkiotune,
    };

    return vsh_domain_change_apply(dom, flags, &change, params, error);
}

/* ---------------------------------------------------------------- devices */

/* Stores *@config as @obj's persistent definition and takes it over. */
static int
vsh_domain_replace_config(vsh_domain *dom, vsh_domain_obj *obj, vsh_domain_def **config,
                          GError **error)
{
    if (vsh_store_save_config(dom->conn, *config, false, error) < 0)
        return -1;
    vsh_domain_def_free(obj->def);
    obj->def = g_steal_pointer(config);
    return 0;
}

/* @def with the device of @xml added, the last of its kind: parsed as the store keeps
 * @def, in the live form for the live definition. */
static vsh_domain_def *
vsh_domain_def_with_device(const vsh_domain_def *def, bool live, const char *xml,
                           const char *filename, unsigned int parse_flags,
                           vsh_device_kind *ret_kind, GError **error)
{
    g_autofree char *text = vsh_domain_def_format(def, live ? VSH_DOMAIN_DEF_FORMAT_LIVE : 0);

    if (live)
        parse_flags |= VSH_DOMAIN_DEF_PARSE_LIVE;
    return vsh_xml_parse_with_device(text, parse_flags, xml, filename, ret_kind, error);
}

static int
vsh_domain_driver_validate(const vsh_domain_obj *obj, const vsh_domain_def *def,
                           GError **error)
{
    return obj->driver->def_validate ? obj->driver->def_validate(def, error) : 0;
}

/* The driver's limits on @def, which has a new device of @kind (its last): and, as
 * libvirt refuses it, no second interface with a MAC address the domain has. */
static int
vsh_domain_check_new_device(const vsh_domain_obj *obj, const vsh_domain_def *def,
                            vsh_device_kind kind, GError **error)
{
    if (kind == VSH_DEVICE_INTERFACE) {
        const vsh_net_def *net = g_ptr_array_index(def->interfaces, def->interfaces->len - 1);
        guint i;

        for (i = 0; i + 1 < def->interfaces->len; i++) {
            const vsh_net_def *other = g_ptr_array_index(def->interfaces, i);

            if (g_strcmp0(other->mac, net->mac) == 0)
                return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                     "domain '%s' already has an interface with MAC address "
                                     "%s", obj->name, net->mac);
        }
    }
    return vsh_domain_driver_validate(obj, def, error);
}

int
vsh_domain_attach_device(vsh_domain *dom, const char *xml, const char *filename,
                         unsigned int flags, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;
    g_autoptr(vsh_domain_def) live = NULL;
    g_autoptr(vsh_domain_def) config = NULL;
    vsh_device_kind kind = VSH_DEVICE_LAST;
    bool do_live;
    bool do_config;

    if (!xml)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "no device to attach");
    if (vsh_domain_job_begin(dom, &job, error) < 0 ||
        vsh_domain_impact(job.obj, flags, &do_live, &do_config, error) < 0)
        return -1;
    /* Both definitions are made and checked before either changes. */
    if (do_live && (!(live = vsh_domain_def_with_device(job.obj->live, true, xml, filename, 0,
                                                        &kind, error)) ||
                    vsh_domain_check_new_device(job.obj, live, kind, error) < 0))
        return -1;
    if (do_config && (!(config = vsh_domain_def_with_device(job.obj->def, false, xml, filename,
                                                            0, &kind, error)) ||
                      vsh_domain_check_new_device(job.obj, config, kind, error) < 0))
        return -1;
    /* A MAC address made up for the live definition is the one the persistent one gets. */
    if (live && config && kind == VSH_DEVICE_INTERFACE) {
        vsh_net_def *l = g_ptr_array_index(live->interfaces, live->interfaces->len - 1);
        vsh_net_def *c = g_ptr_array_index(config->interfaces, config->interfaces->len - 1);

        if (c->mac_generated) {
            g_free(c->mac);
            c->mac = g_strdup(l->mac);
        }
    }
    if (live) {
        if (!job.obj->driver->attach_device)
            return vsh_domain_unsupported(job.obj, "attach devices to a running domain", error);
        if (job.obj->driver->attach_device(job.obj, live, kind, error) < 0)
            return -1;
        vsh_domain_def_free(job.obj->live);
        job.obj->live = g_steal_pointer(&live);
        if (vsh_domain_save_live(dom, job.obj, error) < 0)
            return -1;
    }
    return config ? vsh_domain_replace_config(dom, job.obj, &config, error) : 0;
}

/* Whether @dev, a device of @kind, is the one @want describes. */
static bool
vsh_device_matches(vsh_device_kind kind, gconstpointer dev, gconstpointer want)
{
    const vsh_net_def *net = dev;
    const vsh_net_def *w = want;

    switch (kind) {
    case VSH_DEVICE_DISK:
        return g_strcmp0(((const vsh_disk_def *) dev)->target_dev,
                         ((const vsh_disk_def *) want)->target_dev) == 0;
    case VSH_DEVICE_FILESYSTEM:
        return g_strcmp0(((const vsh_fs_def *) dev)->target,
                         ((const vsh_fs_def *) want)->target) == 0;
    case VSH_DEVICE_INTERFACE:
    case VSH_DEVICE_LAST:
        break;
    }
    /* MACs are kept in lowercase; one the description left out was made up for it. */
    return net->type == w->type && (w->mac_generated || g_strcmp0(net->mac, w->mac) == 0) &&
        (!w->bridge || g_strcmp0(net->bridge, w->bridge) == 0) &&
        (!w->target_dev || g_strcmp0(net->target_dev, w->target_dev) == 0);
}

/* Words for the device @want (of @kind) in messages: "interface 52:54:00:..". */
static char *
vsh_device_describe(vsh_device_kind kind, gconstpointer want)
{
    const vsh_net_def *net = want;

    switch (kind) {
    case VSH_DEVICE_DISK:
        return g_strdup_printf("disk '%s'", ((const vsh_disk_def *) want)->target_dev);
    case VSH_DEVICE_FILESYSTEM:
        return g_strdup_printf("filesystem '%s'", ((const vsh_fs_def *) want)->target);
    case VSH_DEVICE_INTERFACE:
    case VSH_DEVICE_LAST:
        break;
    }
    if (!net->mac_generated)
        return g_strdup_printf("interface with MAC address %s", net->mac);
    if (net->bridge)
        return g_strdup_printf("interface on bridge '%s'", net->bridge);
    return g_strdup_printf("interface of type '%s'", vsh_net_type_to_string(net->type));
}

/* The index in @def of the device that @xml describes; -1 with @error set when there is
 * none, or more than one. */
static int
vsh_domain_find_device(const vsh_domain_obj *obj, const vsh_domain_def *def, bool live,
                       const char *xml, const char *filename, vsh_device_kind *ret_kind,
                       GError **error)
{
    g_autoptr(vsh_domain_def) parsed = NULL;
    g_autofree char *what = NULL;
    gconstpointer want;
    GPtrArray *list;
    GPtrArray *have;
    int found = -1;
    guint i;

    /* Parsed beside @def's own devices, so the element is read as a definition's device
     * is; it is the last of its kind there, and may repeat one of @def's. */
    if (!(parsed = vsh_domain_def_with_device(def, live, xml, filename,
                                              VSH_DOMAIN_DEF_PARSE_NO_VALIDATE, ret_kind,
                                              error)))
        return -1;
    list = vsh_domain_def_devices(parsed, *ret_kind);
    want = g_ptr_array_index(list, list->len - 1);
    have = vsh_domain_def_devices(def, *ret_kind);
    what = vsh_device_describe(*ret_kind, want);
    for (i = 0; i < have->len; i++) {
        if (!vsh_device_matches(*ret_kind, g_ptr_array_index(have, i), want))
            continue;
        if (found >= 0)
            return vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                                 "%sdomain '%s' has more than one %s%s",
                                 live ? "running " : "", obj->name, what,
                                 *ret_kind == VSH_DEVICE_INTERFACE &&
                                 ((const vsh_net_def *) want)->mac_generated ?
                                 ": give its MAC address" : "");
        found = (int) i;
    }
    if (found < 0)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "%sdomain '%s' has no %s",
                             live ? "running " : "", obj->name, what);
    return found;
}

int
vsh_domain_detach_device(vsh_domain *dom, const char *xml, const char *filename,
                         unsigned int flags, GError **error)
{
    g_auto(vsh_domain_job) job = VSH_DOMAIN_JOB_INIT;
    g_autoptr(vsh_domain_def) config = NULL;
    vsh_device_kind kind = VSH_DEVICE_LAST;
    int live_idx = -1;
    int config_idx = -1;
    bool do_live;
    bool do_config;

    if (!xml)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "no device to detach");
    if (vsh_domain_job_begin(dom, &job, error) < 0 ||
        vsh_domain_impact(job.obj, flags, &do_live, &do_config, error) < 0)
        return -1;
    if (do_live && (live_idx = vsh_domain_find_device(job.obj, job.obj->live, true, xml,
                                                      filename, &kind, error)) < 0)
        return -1;
    if (do_config) {
        if ((config_idx = vsh_domain_find_device(job.obj, job.obj->def, false, xml, filename,
                                                 &kind, error)) < 0)
            return -1;
        /* A copy, checked as it will be: a container cannot lose its root filesystem. */
        config = vsh_domain_def_copy(job.obj->def);
        g_ptr_array_remove_index(vsh_domain_def_devices(config, kind), (guint) config_idx);
        if (vsh_domain_driver_validate(job.obj, config, error) < 0)
            return -1;
    }
    if (live_idx >= 0) {
        GPtrArray *list = vsh_domain_def_devices(job.obj->live, kind);

        if (!job.obj->driver->detach_device)
            return vsh_domain_unsupported(job.obj, "detach devices from a running domain",
                                          error);
        if (job.obj->driver->detach_device(job.obj, kind, g_ptr_array_index(list, live_idx),
                                           error) < 0)
            return -1;
        g_ptr_array_remove_index(list, (guint) live_idx);
        if (vsh_domain_save_live(dom, job.obj, error) < 0)
            return -1;
    }
    return config ? vsh_domain_replace_config(dom, job.obj, &config, error) : 0;
}

/* ---------------------------------------------------------------- statistics */

static void
vsh_stat_clear(gpointer data)
{
    vsh_stat *stat = data;

    g_free(stat->name);
    g_free(stat->string);
}

static GArray *
vsh_stats_new(void)
{
    GArray *stats = g_array_new(FALSE, TRUE, sizeof(vsh_stat));

    g_array_set_clear_func(stats, vsh_stat_clear);
    return stats;
}

static void
vsh_stats_add(GArray *stats, const char *name, guint64 value)
{
    vsh_stat stat = { .name = g_strdup(name), .value = value };

    g_array_append_val(stats, stat);
}

static void
vsh_stats_add_string(GArray *stats, const char *name, const char *string)
{
    vsh_stat stat = { .name = g_strdup(name), .string = g_strdup(string) };

    g_array_append_val(stats, stat);
}

int
vsh_domain_get_memory_stats(vsh_domain *dom, GArray **ret_stats, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    g_autoptr(GArray) stats = vsh_stats_new();
    vsh_domain_info info;

    if (!obj || vsh_domain_check_active(obj, error) < 0)
        return -1;
    if (obj->driver->get_memory_stats) {
        if (obj->driver->get_memory_stats(obj, stats, error) < 0)
            return -1;
    } else {
        if (vsh_domain_obj_get_info(obj, &info, error) < 0)
            return -1;
        vsh_stats_add(stats, "actual", info.memory_kib);
    }
    *ret_stats = g_steal_pointer(&stats);
    return (int) (*ret_stats)->len;
}

/* The interface of the active domain whose host-side device or MAC address is @device. A
 * Linux interface name cannot contain ':', so the two never mix up. */
static const vsh_net_def *
vsh_domain_find_interface(const vsh_domain_obj *obj, const char *device, GError **error)
{
    const vsh_net_def *found = NULL;
    guint i;

    for (i = 0; i < obj->live->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(obj->live->interfaces, i);

        if ((!net->target_dev || strcmp(net->target_dev, device) != 0) &&
            (!net->mac || g_ascii_strcasecmp(net->mac, device) != 0))
            continue;
        if (found) {
            vsh_error_set(error, VSH_ERROR_INVALID_ARG,
                          "'%s' matches several interfaces; name one by its device", device);
            return NULL;
        }
        found = net;
    }
    if (!found)
        vsh_error_set(error, VSH_ERROR_INVALID_ARG, "'%s' is not a known interface", device);
    return found;
}

static int
vsh_domain_obj_interface_stats(vsh_domain_obj *obj, const vsh_net_def *net,
                               vsh_domain_interface_stats *ret_stats, GError **error)
{
    if (!obj->driver->get_interface_stats)
        return vsh_domain_unsupported(obj, "read interface statistics", error);
    *ret_stats = (vsh_domain_interface_stats) {
        .rx_bytes = -1, .rx_packets = -1, .rx_errs = -1, .rx_drop = -1,
        .tx_bytes = -1, .tx_packets = -1, .tx_errs = -1, .tx_drop = -1,
    };
    return obj->driver->get_interface_stats(obj, net, ret_stats, error);
}

int
vsh_domain_get_interface_stats(vsh_domain *dom, const char *device,
                               vsh_domain_interface_stats *ret_stats, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    const vsh_net_def *net;

    g_return_val_if_fail(device != NULL, -1);
    if (!(obj = vsh_domain_load(dom, 0, error)) || vsh_domain_check_active(obj, error) < 0 ||
        !(net = vsh_domain_find_interface(obj, device, error)))
        return -1;
    return vsh_domain_obj_interface_stats(obj, net, ret_stats, error);
}

/* "net.IDX.NAME" for each counter the driver knows. */
static void
vsh_stats_add_interface(GArray *stats, guint idx, const vsh_domain_interface_stats *st)
{
    const struct {
        const char *name;
        gint64 value;
    } counters[] = {
        { "rx.bytes", st->rx_bytes }, { "rx.pkts", st->rx_packets },
        { "rx.errs", st->rx_errs }, { "rx.drop", st->rx_drop },
        { "tx.bytes", st->tx_bytes }, { "tx.pkts", st->tx_packets },
        { "tx.errs", st->tx_errs }, { "tx.drop", st->tx_drop },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(counters); i++) {
        g_autofree char *name = g_strdup_printf("net.%u.%s", idx, counters[i].name);

        if (counters[i].value >= 0)
            vsh_stats_add(stats, name, (guint64) counters[i].value);
    }
}

/* virsh's net block. As libvirt's, it is best effort: an interface whose counters cannot be
 * read keeps its name and loses only its counters, and the other statistics stay. */
static void
vsh_stats_add_interfaces(GArray *stats, vsh_domain_obj *obj)
{
    const GPtrArray *nets = obj->live->interfaces;
    guint i;

    vsh_stats_add(stats, "net.count", nets->len);
    for (i = 0; i < nets->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(nets, i);
        g_autofree char *name = NULL;
        vsh_domain_interface_stats st;

        if (!net->target_dev)
            continue;           /* no host-side device to count on */
        name = g_strdup_printf("net.%u.name", i);
        vsh_stats_add_string(stats, name, net->target_dev);
        if (vsh_domain_obj_interface_stats(obj, net, &st, NULL) == 0)
            vsh_stats_add_interface(stats, i, &st);
    }
}

int
vsh_domain_get_stats(vsh_domain *dom, GArray **ret_stats, GError **error)
{
    g_autoptr(vsh_domain_obj) obj = vsh_domain_load(dom, 0, error);
    g_autoptr(GArray) stats = vsh_stats_new();
    const vsh_domain_def *def;
    vsh_domain_info info;

    if (!obj || vsh_domain_obj_get_info(obj, &info, error) < 0)
        return -1;
    def = vsh_domain_obj_current_def(obj);
    vsh_stats_add(stats, "state.state", (guint64) info.state);
    vsh_stats_add(stats, "state.reason", (guint64) info.reason);
    /* As libvirt: an inactive domain has no cpu time. */
    if (vsh_domain_obj_is_active(obj))
        vsh_stats_add(stats, "cpu.time", info.cpu_time_ns);
    vsh_stats_add(stats, "balloon.current", info.memory_kib);
    vsh_stats_add(stats, "balloon.maximum", info.max_memory_kib);
    vsh_stats_add(stats, "vcpu.current", info.nr_vcpus);
    vsh_stats_add(stats, "vcpu.maximum", def->vcpus);
    /* As libvirt: an inactive domain has no interface statistics, not even a count. */
    if (vsh_domain_obj_is_active(obj))
        vsh_stats_add_interfaces(stats, obj);
    *ret_stats = g_steal_pointer(&stats);
    return (int) (*ret_stats)->len;
}

static void
vsh_domain_interface_clear(gpointer data)
{
    vsh_domain_interface *iface = data;

    g_free(iface->type);
    g_free(iface->source);
    g_free(iface->target);
    g_free(iface->guest);
    g_free(iface->model);
    g_free(iface->mac);
}

int
vsh_domain_get_interfaces(vsh_domain *dom, unsigned int flags, GArray **ret_ifaces,
                          GError **error)
{
    g_autoptr(vsh_domain_obj) obj = NULL;
    g_autoptr(GArray) ifaces = NULL;
    const vsh_domain_def *def;
    guint i;

    if (flags & ~(unsigned int) VSH_DOMAIN_XML_INACTIVE)
        return vsh_error_set(error, VSH_ERROR_INVALID_ARG, "unsupported flags 0x%x", flags);
    if (!(obj = vsh_domain_load(dom, 0, error)))
        return -1;
    if (vsh_domain_obj_is_active(obj) && !(flags & VSH_DOMAIN_XML_INACTIVE))
        def = obj->live;
    else
        def = obj->def ? obj->def : obj->live;
    ifaces = g_array_sized_new(FALSE, TRUE, sizeof(vsh_domain_interface),
                               def->interfaces->len);
    g_array_set_clear_func(ifaces, vsh_domain_interface_clear);
    for (i = 0; i < def->interfaces->len; i++) {
        const vsh_net_def *net = g_ptr_array_index(def->interfaces, i);
        vsh_domain_interface iface = {
            .type = g_strdup(vsh_net_type_to_string(net->type)),
            .source = g_strdup(net->bridge),
            .target = g_strdup(net->target_dev),
            .guest = g_strdup(net->guest_dev),
            .model = g_strdup(net->model),
            .mac = g_strdup(net->mac),
        };

        g_array_append_val(ifaces, iface);
    }
    *ret_ifaces = g_steal_pointer(&ifaces);
    return (int) (*ret_ifaces)->len;
}

/* ---------------------------------------------------------------- autostart */

int
vsh_conn_start_autostart_domains(vsh_conn *conn, GError **error)
{
    g_autoptr(GPtrArray) doms = NULL;
    g_autoptr(GError) first = NULL;
    int started = 0;
    guint i;

    if (vsh_conn_check_writable(conn, error) < 0 ||
        vsh_conn_list_domains(conn, NULL, VSH_LIST_INACTIVE | VSH_LIST_PERSISTENT |
                              VSH_LIST_AUTOSTART, &doms, error) < 0)
        return -1;
    /* One domain that cannot start must not keep the others down. */
    for (i = 0; i < doms->len; i++) {
        g_autoptr(GError) err = NULL;
        vsh_domain *dom = doms->pdata[i];

        if (vsh_domain_start(dom, 0, &err) == 0) {
            started++;
            continue;
        }
        if (!first) {
            g_prefix_error(&err, "domain '%s': ", vsh_domain_get_name(dom));
            first = g_steal_pointer(&err);
        }
    }
    if (first) {
        g_propagate_error(error, g_steal_pointer(&first));
        return -1;
    }
    return started;
}
