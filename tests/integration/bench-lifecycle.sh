#!/bin/sh
# bench/lxc-lifecycle still runs: one short round, vsh alone, against this build. Checks that
# every row has a figure, that the density step ran and left nothing, and that the harness
# removed its temporary directory and cgroups. Says nothing of speed: figures are no test.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"

srcdir=${VSH_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${VSH_TOP_BUILDDIR:-$srcdir}
bench=$srcdir/bench/lxc-lifecycle

[ "$(id -u)" = 0 ] || tap_skip_all "the benchmark needs root"
command -v "${BUSYBOX:-busybox}" >/dev/null 2>&1 ||
    tap_skip_all "busybox is not installed (busybox-static)"
command -v cc >/dev/null 2>&1 || tap_skip_all "no C compiler for the benchmark's helpers"

tap_plan 17

# The harness works in a directory of its own under $TMPDIR and a cgroup partition named
# after its pid; both must be gone when it ends. Its pid is $! (the script itself).
tmp=$(mktemp -d /tmp/vsh-test-bench.XXXXXX)
out=$tmp.out
trap 'rm -rf "$tmp" "$out"' EXIT
TMPDIR=$tmp BUSYBOX=${BUSYBOX:-$(command -v busybox)} \
    "$bench" -b "$builddir" -n 1 -d 2 -l 3 -P > "$out" 2>&1 &
bench_pid=$!
wait "$bench_pid"
status=$?
tap_is "the benchmark exits 0" "$status" 0
[ "$status" = 0 ] || sed 's/^/# /' "$out"
leftovers() {
    ls -A "$tmp"
    ls -d /sys/fs/cgroup/*/vsh-bench-"$bench_pid" /sys/fs/cgroup/vsh-bench-"$bench_pid" \
        /sys/fs/cgroup/*/vsh-bench-"$bench_pid"-floor /sys/fs/cgroup/vsh-bench-"$bench_pid"-floor \
        2>/dev/null
}

# row NAME: the vsh column of the table row that starts with NAME is a figure in ms.
row_has_figure() {
    awk -v name="$1" 'index($0, name) == 1 {
        split(substr($0, length(name) + 1), f, " ")
        if (f[1] ~ /^[0-9]+\.[0-9][0-9]$/ && f[1] > 0) found = 1
    } END { exit !found }' "$out"
}
tap_check "start has a figure" row_has_figure "start (until init runs)"
tap_check "destroy has a figure" row_has_figure "destroy (until gone)"
tap_check "the cycle has a figure" row_has_figure "start+destroy cycle"
tap_check "list has a figure, for the 3 domains asked" row_has_figure "list --all, 3 domains"
tap_check "define has a figure" row_has_figure "define, each"
tap_check "the shell floor has a figure" \
    grep -Eq '^shell floor .*: [0-9]+\.[0-9]{2} ms; vsh cycle / floor: [0-9]+\.[0-9]{2}$' "$out"
tap_check "the C floor has a figure" \
    grep -Eq '^C floor .*: [0-9]+\.[0-9]{2} ms; vsh start / C floor: [0-9]+\.[0-9]{2}$' "$out"
tap_check "the define floor has a figure" \
    grep -Eq '^define floor .*: [0-9]+\.[0-9]{2} ms; vsh define / define floor: [0-9]+\.[0-9]{2}$' "$out"
# with musl-gcc installed (it builds vsh-monitor) the floor has its musl figure too
pfloor='[0-9]+\.[0-9]{2} ms \([^)]*\)'
command -v musl-gcc >/dev/null 2>&1 && pfloor="$pfloor, [0-9]+\\.[0-9]{2} ms \\(musl-gcc\\)"
tap_check "the process floor has a figure, and vsh --version" \
    grep -Eq "^process floor .*: $pfloor; vsh --version: [0-9]+\\.[0-9]{2} ms\$" "$out"
tap_check "the start with an interface on a bridge has a figure" \
    grep -Eq '^start with one interface on a bridge .*: [0-9]+\.[0-9]{2} ms$' "$out"
tap_check "the benchmark's network namespace is gone" \
    sh -c "! ip netns list | grep -q '^vsh-bench-$bench_pid\\b'"
tap_check "the monitor's memory is measured" \
    grep -Eq '^host memory .*: PSS [1-9][0-9]* KiB, RSS [1-9][0-9]* KiB' "$out"
tap_is "the density step ran both containers and left nothing" \
    "$(grep '^density:' "$out")" \
    "density: 2/2 started, 2 running at once; after destroy: 0 running, 0 cgroups and 0 pid files left"
tap_is "no peer was measured" "$(grep '^peers:' "$out")" "peers: not measured (-P)"
tap_is "the temporary directory and cgroups are gone" "$(leftovers)" ""

err=$("$bench" -b "$builddir" -n x 2>&1)
tap_is "a bad count is refused, exit 2" "$?: $err" \
    "2: error: -n, -d and -l take a number above 0, not 'x'"
tap_done
