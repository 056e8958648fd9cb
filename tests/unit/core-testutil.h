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

/* The fixture of a core test: a fresh store and a read-write connection to it. */
typedef struct {
    char *dir;
    vsh_conn *conn;
} testutil_fixture;

/* cmocka setup: a fixture whose connection is vsh:/// (every driver built). */
int testutil_setup(void **state);
/* cmocka setup: the same with qemu:/// (the stub driver alone). */
int testutil_setup_qemu(void **state);
/* cmocka teardown of either: closes the connection and removes the store. */
int testutil_teardown(void **state);
/* A cmocka test case run with the vsh:/// (or qemu:///) fixture. */
#define TESTUTIL_TEST(fn) cmocka_unit_test_setup_teardown(fn, testutil_setup, testutil_teardown)
#define TESTUTIL_TEST_QEMU(fn) \
    cmocka_unit_test_setup_teardown(fn, testutil_setup_qemu, testutil_teardown)

/* The lines of STATE/events of the store under @dir, each "EVENT DETAIL TYPE NAME" (the
 * timestamp and uuid left out, which vary). */
GPtrArray *testutil_event_lines(const char *dir);

#endif /* VSH_TESTS_CORE_TESTUTIL_H */
