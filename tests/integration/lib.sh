# Shared helpers of the integration tests; source it after tests/tap.sh.
#
#   t_require_root            skip the whole script (TAP) unless running as root
#   t_setup NAME              a fresh temporary directory $T with an embed store:
#                               $T/store, $URI (vsh:///embed?root=$T/store),
#                             its own cgroup partition (VSH_CGROUP_PARTITION, exported) and
#                             an EXIT trap (t_cleanup) that removes everything the test made
#   t_vsh ARGS...             the build tree's vsh on the test's store
#   t_mkrootfs DIR            a busybox root filesystem (tests/integration/mkrootfs.sh)
#   t_wait CMD...             retry CMD for up to 10 s (a condition that must become true
#                             eventually; never a timing assertion)
#   t_cgroup_dir NAME CTRL    the domain's cgroup directory for controller CTRL
#   t_init_pid NAME / t_monitor_pid NAME   from STATE/NAME.pid
#   t_on_cleanup CMD          run CMD (a string) in t_cleanup, before the store goes
t_srcdir=${VSH_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
t_builddir=${VSH_TOP_BUILDDIR:-$t_srcdir}
VSH=$t_builddir/shell/vsh
VSH_MONITOR=$t_builddir/drivers/common/vsh-monitor
export VSH_MONITOR
t_cleanup_cmds=

t_require_root() {
    [ "$(id -u)" = 0 ] || tap_skip_all "needs root (namespaces, cgroups, chroot)"
    [ -x "$VSH" ] || tap_skip_all "vsh is not built ($VSH)"
    [ -x "$VSH_MONITOR" ] || tap_skip_all "vsh-monitor is not built ($VSH_MONITOR)"
    [ -e /proc/self/ns/mnt ] || tap_skip_all "the kernel has no mount namespaces"
}

t_setup() {
    T=$(mktemp -d "/tmp/vsh-$1.XXXXXX")
    URI="vsh:///embed?root=$T/store"
    VSH_CGROUP_PARTITION="vsh-test-$1-$$"
    export VSH_CGROUP_PARTITION
    trap t_cleanup EXIT
    trap 'exit 1' INT TERM HUP
}

t_vsh() { "$VSH" -c "$URI" "$@"; }

t_on_cleanup() { t_cleanup_cmds="$t_cleanup_cmds
$1"; }

t_init_pid() { cut -d' ' -f1 "$T/store/state/$1.pid" 2>/dev/null; }
t_monitor_pid() { cut -d' ' -f2 "$T/store/state/$1.pid" 2>/dev/null; }

t_cgroup_dir() {
    if [ -d "/sys/fs/cgroup/$2" ] && [ ! -e /sys/fs/cgroup/cgroup.controllers ]; then
        echo "/sys/fs/cgroup/$2/$VSH_CGROUP_PARTITION/$1"
    else
        echo "/sys/fs/cgroup/$VSH_CGROUP_PARTITION/$1"
    fi
}

t_wait() {
    t_i=0
    while [ $t_i -lt 200 ]; do
        "$@" && return 0
        sleep 0.05
        t_i=$((t_i + 1))
    done
    return 1
}

t_mkrootfs() { "$t_srcdir/tests/integration/mkrootfs.sh" "$1" >/dev/null; }

# Every monitor of the store is ended by its pid (its init dies with it), then every
# process left in the partition's groups is killed by pid, the groups are removed
# bottom-up, and the directory goes.
t_cleanup() {
    set +e
    [ -n "$T" ] || return 0
    eval "$t_cleanup_cmds"
    for f in "$T"/store/state/*.pid; do
        [ -f "$f" ] || continue
        m=$(cut -d' ' -f2 "$f")
        [ -n "$m" ] && kill -9 "$m" 2>/dev/null
    done
    for dir in /sys/fs/cgroup/*/"$VSH_CGROUP_PARTITION" /sys/fs/cgroup/"$VSH_CGROUP_PARTITION"; do
        [ -d "$dir" ] || continue
        for procs in $(find "$dir" -name cgroup.procs); do
            for p in $(cat "$procs"); do kill -9 "$p" 2>/dev/null; done
        done
        [ -f "$dir/freezer.state" ] && find "$dir" -name freezer.state \
            -exec sh -c 'echo THAWED > "$1"' _ {} \; 2>/dev/null
        [ -f "$dir/cgroup.freeze" ] && find "$dir" -name cgroup.freeze \
            -exec sh -c 'echo 0 > "$1"' _ {} \; 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
            [ -d "$dir" ] || break
            sleep 0.1
        done
    done
    rm -rf "$T"
}

# chroot_xml NAME ROOTFS INIT [ARG...]: a jail definition on stdout. Extra XML for
# <devices> comes from $JAIL_DEVICES, for <os> from $JAIL_OS, <metadata> from $JAIL_META,
# <cputune>/<memtune> from $JAIL_TUNE; $JAIL_MEMORY_MIB sets <memory> (256).
chroot_xml() {
    name=$1 rootfs=$2 init=$3
    shift 3
    echo "<domain type='chroot'>"
    echo "  <name>$name</name>"
    echo "${JAIL_META:-}"
    echo "  <memory unit='MiB'>${JAIL_MEMORY_MIB:-256}</memory>"
    echo "${JAIL_TUNE:-}"
    echo "  <os>"
    echo "    <type>exe</type>"
    echo "    <init>$init</init>"
    for a in "$@"; do
        a=$(printf '%s' "$a" | sed "s/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/'/\&apos;/g")
        echo "    <initarg>$a</initarg>"
    done
    echo "${JAIL_OS:-}"
    echo "  </os>"
    echo "  <devices>"
    echo "    <filesystem type='mount'><source dir='$rootfs'/><target dir='/'/></filesystem>"
    echo "${JAIL_DEVICES:-}"
    echo "    <console type='pty'/>"
    echo "  </devices>"
    echo "</domain>"
}
