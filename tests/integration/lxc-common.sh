# Shared set-up of the lxc integration tests; sourced by tests/integration/lxc-*.sh after
# tests/tap.sh. Each test gets its own embed store, its own cgroup partition and its own
# busybox root filesystem under one temporary directory, and lxc_cleanup (installed as an
# EXIT trap) removes all of it, even when the test fails half-way.
#
# Variables the tests use:
#   LXC_T       the test's temporary directory
#   LXC_URI     lxc:///embed?root=$LXC_T/store
#   LXC_ROOTFS  a busybox root filesystem (with lxc-alloc and lxc-forkbomb in /bin)
#   VSH         the vsh binary of the build tree
# Functions: lxc_vsh ARGS (vsh on the test's store), lxc_define NAME INIT_SCRIPT [XML...],
# lxc_init_pid NAME, lxc_monitor_pid NAME, lxc_cgroup_dir NAME CONTROLLER, lxc_wait CMD...

lxc_srcdir=${VSH_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
lxc_builddir=${VSH_TOP_BUILDDIR:-$lxc_srcdir}
VSH=$lxc_builddir/shell/vsh

[ "$(id -u)" = 0 ] || tap_skip_all "needs root (namespaces, cgroups, mounts)"
[ -x "$VSH" ] || tap_skip_all "vsh is not built ($VSH)"
lxc_busybox=${BUSYBOX:-$(command -v busybox)}
[ -n "$lxc_busybox" ] || tap_skip_all "busybox is not installed (Debian: busybox-static)"
for ns in pid mnt uts ipc net cgroup user; do
    [ -e /proc/self/ns/$ns ] || tap_skip_all "the kernel has no $ns namespaces"
done

LXC_NAME=$(basename "$0" .sh)
LXC_T=$(mktemp -d "/tmp/vsh-$LXC_NAME.XXXXXX")
LXC_URI="lxc:///embed?root=$LXC_T/store"
LXC_ROOTFS=$LXC_T/rootfs
LXC_NETNS=
LXC_NETNS2=                     # a second one, for tests that need two
# Our own cgroup partition: nothing the test does can touch other domains' groups.
VSH_CGROUP_PARTITION="vsh-test-$LXC_NAME-$$"
export VSH_CGROUP_PARTITION
VSH_DEFAULT_URI=$LXC_URI
export VSH_DEFAULT_URI

lxc_vsh() { "$VSH" -q -c "$LXC_URI" "$@"; }

# lxc_ns_vsh ARGS: vsh run inside the test's network namespace (when it has one). Only the
# network namespace is entered: `ip netns exec` would also remount /sys for the namespace,
# hiding the cgroup hierarchies mounted below it.
lxc_ns_vsh() {
    if [ -n "$LXC_NETNS" ]; then
        nsenter --net="/run/netns/$LXC_NETNS" "$VSH" -q -c "$LXC_URI" "$@"
    else
        "$VSH" -q -c "$LXC_URI" "$@"
    fi
}

# The pids in STATE/NAME.pid: "INIT_PID MONITOR_PID".
lxc_init_pid() { cut -d' ' -f1 "$LXC_T/store/state/$1.pid" 2>/dev/null; }
lxc_monitor_pid() { cut -d' ' -f2 "$LXC_T/store/state/$1.pid" 2>/dev/null; }

# lxc_cgroup_dir NAME CONTROLLER: the domain's group directory for CONTROLLER (v1), or its
# unified directory on a v2-only host.
lxc_cgroup_dir() {
    if [ -d "/sys/fs/cgroup/$2" ]; then
        echo "/sys/fs/cgroup/$2/$VSH_CGROUP_PARTITION/$1"
    else
        echo "/sys/fs/cgroup/$VSH_CGROUP_PARTITION/$1"
    fi
}

# lxc_wait CMD...: retries CMD for up to 10 s; a condition that has to become true
# eventually, never a timing assertion.
lxc_wait() {
    i=0
    while [ $i -lt 100 ]; do
        "$@" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

lxc_build_rootfs() {
    mkdir -p "$LXC_ROOTFS"
    if [ -x "$lxc_srcdir/tests/integration/mkrootfs.sh" ]; then
        "$lxc_srcdir/tests/integration/mkrootfs.sh" "$LXC_ROOTFS" >/dev/null 2>&1 || return 1
    fi
    # Whatever the shared builder did, make sure of what these tests need.
    mkdir -p "$LXC_ROOTFS/bin" "$LXC_ROOTFS/sbin" "$LXC_ROOTFS/etc" "$LXC_ROOTFS/proc" \
        "$LXC_ROOTFS/sys" "$LXC_ROOTFS/dev" "$LXC_ROOTFS/tmp" "$LXC_ROOTFS/root"
    chmod 1777 "$LXC_ROOTFS/tmp"
    [ -x "$LXC_ROOTFS/bin/busybox" ] || cp "$lxc_busybox" "$LXC_ROOTFS/bin/busybox"
    for applet in $("$LXC_ROOTFS/bin/busybox" --list); do
        [ -e "$LXC_ROOTFS/bin/$applet" ] || ln -s busybox "$LXC_ROOTFS/bin/$applet"
    done
    [ -e "$LXC_ROOTFS/etc/passwd" ] || echo 'root:x:0:0:root:/root:/bin/sh' > "$LXC_ROOTFS/etc/passwd"
    [ -e "$LXC_ROOTFS/etc/group" ] || echo 'root:x:0:' > "$LXC_ROOTFS/etc/group"
    for helper in lxc-alloc lxc-forkbomb; do
        if [ -x "$lxc_builddir/tests/integration/$helper" ]; then
            cp "$lxc_builddir/tests/integration/$helper" "$LXC_ROOTFS/bin/$helper"
        fi
    done
}

# xml escaping for the init script
lxc_xml_escape() {
    printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' \
        -e "s/'/\&apos;/g"
}

# lxc_define NAME INIT_SCRIPT [AFTER_OS_XML [EXTRA_DEVICES_XML [ROOTFS]]]: defines a
# container whose init is /bin/sh -c INIT_SCRIPT. AFTER_OS_XML holds <idmap>, <features>;
# $LXC_META (<metadata>) and $LXC_TUNE (<memtune>, <cputune>) go where libvirt puts them.
lxc_define() {
    script=$(lxc_xml_escape "$2")
    cat > "$LXC_T/$1.xml" <<EOF
<domain type='lxc'>
  <name>$1</name>
  ${LXC_META:-}
  <memory unit='MiB'>128</memory>
  ${LXC_TUNE:-}
  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>$script</initarg>
  </os>
  $3
  <devices>
    <filesystem type='mount'>
      <source dir='${5:-$LXC_ROOTFS}'/>
      <target dir='/'/>
    </filesystem>
    $4
    <console type='pty'/>
  </devices>
</domain>
EOF
    lxc_vsh define "$LXC_T/$1.xml" >/dev/null
}

# An init that ends on SIGTERM/SIGPWR/SIGINT and keeps a child, like a real one.
LXC_INIT='trap "exit 0" TERM PWR INT; while :; do sleep 1000 & wait; done'

lxc_rmdir_tree() {
    [ -d "$1" ] || return 0
    find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
}

lxc_cleanup() {
    trap - EXIT INT TERM HUP
    trap "" PIPE
    if [ -d "$LXC_T/store/state" ]; then
        for f in "$LXC_T"/store/state/*.pid; do
            [ -e "$f" ] || continue
            name=$(basename "$f" .pid)
            lxc_ns_vsh destroy "$name" >/dev/null 2>&1
            # A monitor the library could not stop is ended by its pid.
            pid=$(lxc_monitor_pid "$name")
            [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
            pid=$(lxc_init_pid "$name")
            [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
        done
    fi
    for ctrl in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
        d="$ctrl$VSH_CGROUP_PARTITION"
        [ -d "$d" ] || continue
        # Kill whatever is still in the partition's groups, then remove them.
        find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do
            kill -9 "$p" 2>/dev/null
        done
        find "$d" -name freezer.state -exec sh -c 'echo THAWED > "$1"' _ {} \; 2>/dev/null
        find "$d" -name cgroup.freeze -exec sh -c 'echo 0 > "$1"' _ {} \; 2>/dev/null
        lxc_wait lxc_rmdir_tree_done "$d"
    done
    [ -n "$LXC_NETNS" ] && ip netns del "$LXC_NETNS" 2>/dev/null
    [ -n "$LXC_NETNS2" ] && ip netns del "$LXC_NETNS2" 2>/dev/null
    rm -rf "$LXC_T"
}

lxc_rmdir_tree_done() {
    lxc_rmdir_tree "$1"
    [ ! -d "$1" ]
}

trap lxc_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

lxc_build_rootfs || { echo "Bail out! cannot build the busybox root filesystem"; exit 1; }
