#!/bin/sh
# Print the one-line summary of a 'make check' run: "N passed, N failed[, N skipped]".
# It counts test cases (TAP lines), not test programs, from the harness's .trs files.
# Usage: summary.sh [BUILDDIR...]   (default: the current directory; several are added up)
[ $# -gt 0 ] || set -- .
for dir in "$@"; do
    [ -d "$dir" ] && find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null
done | awk '
    /^:test-result: PASS/  { pass++ }
    /^:test-result: XFAIL/ { pass++ }
    /^:test-result: FAIL/  { fail++ }
    /^:test-result: XPASS/ { fail++ }
    /^:test-result: ERROR/ { fail++ }
    /^:test-result: SKIP/  { skip++ }
    END {
        line = sprintf("%d passed, %d failed", pass, fail)
        if (skip) line = line sprintf(", %d skipped", skip)
        print line
        exit (fail > 0)
    }'
