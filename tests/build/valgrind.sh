#!/bin/sh
# valgrind's memcheck over the unit tests that drive the library (docs/architecture.md,
# "Leak checks"): in the process that runs a test program's cases, no invalid access, no
# use of uninitialised memory, and no block definitely or indirectly lost at its exit.
# Children a test forks are left out: they end with _exit() and leave their copy of the
# heap to the kernel. Registered only in builds without sanitizers (valgrind and
# AddressSanitizer exclude each other), where the static vsh is not run either: valgrind
# cannot follow malloc in a static program, and the test programs link the same library.
. "$VSH_TOP_SRCDIR/tests/tap.sh"

B=$VSH_TOP_BUILDDIR
# test-supervise reads a root filesystem through openat2(2), which Debian 12's valgrind
# does not know; the XML schema test only runs libxml2, for half a minute.
PROGRAMS="test-conf test-xml2xml test-rng test-uri test-store test-lifecycle test-qstub
    test-events test-launch test-cgroup test-lxc"
command -v valgrind >/dev/null || tap_skip_all "valgrind is not installed"
set -- $PROGRAMS
tap_plan $#

T=$(mktemp -d "${TMPDIR:-/tmp}/vsh-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

for p in $PROGRAMS; do
    # one log per process (%p): the program's own is the one named by the pid started here
    # (libtool's execute mode execs it in place)
    "$B/libtool" --mode=execute valgrind --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --log-file="$T/$p.%p" "$B/tests/unit/$p" > "$T/$p.out" 2>&1 &
    pid=$!
    wait "$pid"
    log=$T/$p.$pid
    # leaks of those kinds count as errors in the summary valgrind ends its log with
    if [ ! -f "$log" ]; then
        not_ok "$p under valgrind: no log of its process (did valgrind run?)"
        sed 's/^/# /' "$T/$p.out" | tail -n 20
    elif ! grep -q 'ERROR SUMMARY: 0 errors from 0 contexts' "$log"; then
        not_ok "$p under valgrind: no error and no leak"
        grep -v -e '^==[0-9]*== *$' "$log" | sed 's/^/# /' | head -n 80
    else
        ok "$p under valgrind: no error and no leak"
    fi
done
