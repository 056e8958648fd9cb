# common.sh — sourced by the vsh-install tests: paths, a temporary store removed on exit,
# and checks for "failed cleanly" (exit 1, the exact one-line message, nothing left).
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
VI="$VSH_TOP_BUILDDIR/shell/vsh-install"
SCHEMA="$VSH_TOP_SRCDIR/xml-schemas/domain.rng"
MKROOTFS="$VSH_TOP_SRCDIR/tests/integration/mkrootfs.sh"

[ "$(id -u)" = 0 ] || tap_skip_all "vsh-install tests need root (containers, owners, device nodes)"

TMP=$(mktemp -d /tmp/vsh-install-test.XXXXXX)
STORE="$TMP/store"
mkdir -p "$STORE"
# the domains' groups go under a partition of this test's own, removed at the end
VSH_CGROUP_PARTITION="vsh-test-install-$$"
export VSH_CGROUP_PARTITION

# Stops every domain this test's store still runs, then removes the partition and the whole
# temporary tree.
install_test_cleanup() {
    for uri in "vsh:///embed?root=$STORE"; do
        for name in $("$VSH" -q -c "$uri" list --name 2>/dev/null); do
            "$VSH" -q -c "$uri" destroy "$name" >/dev/null 2>&1
        done
    done
    for dir in /sys/fs/cgroup/*/"$VSH_CGROUP_PARTITION" /sys/fs/cgroup/"$VSH_CGROUP_PARTITION"; do
        [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    rm -rf "$TMP"
}
trap install_test_cleanup EXIT
trap 'exit 1' INT TERM

# have_driver TYPE: is the driver built in and usable here?
have_driver() {
    "$VSH" -q -c "$1:///embed?root=$TMP/probe-$1" uri >/dev/null 2>&1
    ret=$?
    rm -rf "$TMP/probe-$1"
    return $ret
}

# What is on disk under the store (names, types, link targets): equal before and after
# means a failed run left nothing behind. The store's lock files are left out: the core
# keeps them, empty, as long as the store lives.
store_snapshot() {
    (cd "$STORE" && find . ! -name '*.lock' -printf '%p %y %l\n' | sort)
}

# expect_error DESC "MESSAGE" CMD...: CMD exits 1, prints exactly "error: MESSAGE" on
# stderr, nothing on stdout, and the store is unchanged.
expect_error() {
    desc=$1; msg=$2; shift 2
    before=$(store_snapshot)
    "$@" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    after=$(store_snapshot)
    tap_is "$desc: exit status" "$rc" 1
    tap_is "$desc: message" "$(cat "$TMP/err")" "error: $msg"
    tap_is "$desc: nothing created" "$after" "$before"
}

# dom_field NAME FIELD [URI]: a value of `vsh dominfo`.
dom_field() {
    "$VSH" -c "${3:-$URI}" dominfo "$1" | sed -n "s/^$2: *//p"
}

# xml_value FILE XPATH: the string value of an XPath in an XML file.
xml_value() {
    xmllint --xpath "string($2)" "$1" 2>/dev/null
}

# libvirt_validate FILE: libvirt's virt-xml-validate, its chatter on stderr (off the TAP).
libvirt_validate() {
    "$VIRT_XML_VALIDATE" "$1" domain >&2
}
