/*
 * core-testutil.c — shared set-up for the core's unit tests.
 */
#include <config.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core-testutil.h"

char *
testutil_store_new(void)
{
    g_autofree char *tmpl = g_build_filename(g_get_tmp_dir(), "vsh-core-test-XXXXXX", NULL);

    if (!g_mkdtemp(tmpl))
        g_error("cannot create a temporary directory: %s", g_strerror(errno));
    return g_steal_pointer(&tmpl);
}

static int
testutil_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    /* Keep going past what cannot be removed: the rest should still go. */
    (void) remove(path);
    return 0;
}

void
testutil_store_remove(const char *dir)
{
    if (dir)
        (void) nftw(dir, testutil_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
testutil_uri(const char *scheme, const char *dir)
{
    return g_strdup_printf("%s:///embed?root=%s", scheme, dir);
}

vsh_conn *
testutil_open(const char *scheme, const char *dir)
{
    g_autofree char *uri = testutil_uri(scheme, dir);
    g_autoptr(GError) err = NULL;
    vsh_conn *conn = vsh_conn_open(uri, 0, &err);

    if (!conn)
        g_error("cannot open '%s': %s", uri, err->message);
    return conn;
}

char *
testutil_qemu_xml(const char *name, const char *uuid, const char *extra)
{
    g_autofree char *uuid_elem = uuid ? g_strdup_printf("  <uuid>%s</uuid>\n", uuid) :
        g_strdup("");

    return g_strdup_printf("<domain type='qemu'>\n"
                           "  <name>%s</name>\n"
                           "%s"
                           "  <memory unit='MiB'>512</memory>\n"
                           "  <currentMemory unit='MiB'>256</currentMemory>\n"
                           "  <vcpu current='2'>4</vcpu>\n"
                           "  <os>\n"
                           "    <type arch='x86_64'>hvm</type>\n"
                           "  </os>\n"
                           "  <devices>\n"
                           "%s"
                           "  </devices>\n"
                           "</domain>\n", name, uuid_elem, extra ? extra : "");
}

GPtrArray *
testutil_event_lines(const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "state", "events", NULL);
    g_autofree char *text = NULL;
    GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = NULL;
    char **l;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return ret;
    lines = g_strsplit(text, "\n", 0);
    for (l = lines; *l && **l; l++) {
        g_auto(GStrv) f = g_strsplit(*l, " ", 6);

        if (g_strv_length(f) == 6)
            g_ptr_array_add(ret, g_strdup_printf("%s %s %s %s", f[1], f[2], f[3], f[5]));
        else
            g_ptr_array_add(ret, g_strdup_printf("malformed: %s", *l));
    }
    return ret;
}

static int
testutil_setup_scheme(void **state, const char *scheme)
{
    testutil_fixture *f = g_new0(testutil_fixture, 1);

    f->dir = testutil_store_new();
    f->conn = testutil_open(scheme, f->dir);
    *state = f;
    return 0;
}

int
testutil_setup(void **state)
{
    return testutil_setup_scheme(state, "vsh");
}

int
testutil_setup_qemu(void **state)
{
    return testutil_setup_scheme(state, "qemu");
}

int
testutil_teardown(void **state)
{
    testutil_fixture *f = *state;

    vsh_conn_unref(f->conn);
    testutil_store_remove(f->dir);
    g_free(f->dir);
    g_free(f);
    return 0;
}
