/*
 * core-testutil.h — what the core's unit tests share: a fresh embed store per test,
 * removed afterwards, and small domain documents.
 */
#ifndef VSH_TESTS_CORE_TESTUTIL_H
#define VSH_TESTS_CORE_TESTUTIL_H

#include <glib.h>

#include "vsh.h"

/* A new empty directory under $TMPDIR for one test's store. Aborts on failure. */
char *testutil_store_new(void);
/* Removes @dir and everything below it (no symlink is followed). */
void testutil_store_remove(const char *dir);
/* "SCHEME:///embed?root=DIR" */
char *testutil_uri(const char *scheme, const char *dir);
/* Opens SCHEME:///embed?root=DIR read-write; aborts the test on failure. */
vsh_conn *testutil_open(const char *scheme, const char *dir);

/* A qemu domain document: @name, @uuid (NULL: none, so one is generated), 512 MiB of
 * memory (256 MiB current), 4 vcpus of which 2 are current, and @extra (NULL: nothing)
 * inside <devices>. */
char *testutil_qemu_xml(const char *name, const char *uuid, const char *extra);

/* The lines of STATE/events of the store under @dir, each "EVENT DETAIL TYPE NAME" (the
 * timestamp and uuid left out, which vary). */
GPtrArray *testutil_event_lines(const char *dir);

#endif /* VSH_TESTS_CORE_TESTUTIL_H */
