# Tiny TAP helpers for the shell-level tests. Source it, call tap_plan N (or tap_done at
# the end), then ok/not_ok/tap_is/tap_skip. Every check prints exactly one TAP line.
tap_n=0
tap_failed=0

tap_plan() { echo "1..$1"; tap_planned=1; }

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }

not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }

# tap_check DESCRIPTION COMMAND...: ok when COMMAND exits 0.
tap_check() {
    desc=$1; shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# tap_is DESCRIPTION GOT EXPECTED: ok when the two strings are equal; shows a diff otherwise.
tap_is() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1"
        printf '%s\n' "$3" > "${TMPDIR:-/tmp}/tap-expected.$$"
        printf '%s\n' "$2" > "${TMPDIR:-/tmp}/tap-got.$$"
        diff -u "${TMPDIR:-/tmp}/tap-expected.$$" "${TMPDIR:-/tmp}/tap-got.$$" | sed 's/^/# /'
        rm -f "${TMPDIR:-/tmp}/tap-expected.$$" "${TMPDIR:-/tmp}/tap-got.$$"
    fi
}

# tap_skip REASON: one skipped check, with the reason in plain words.
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $*"; }

# tap_skip_all REASON: the whole script cannot run here; says why.
tap_skip_all() { echo "1..0 # SKIP $*"; exit 0; }

tap_done() { [ -n "$tap_planned" ] || echo "1..$tap_n"; }
