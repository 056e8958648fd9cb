#!/bin/sh
# chroot jails through the vsh shell: start, list, info, exec, suspend/resume (a counter
# inside stops and goes on), reboot, shutdown (--mode, and its escalation), destroy of a
# double-forked daemon, a killed monitor, a missing init, a root filesystem made after the
# define, a jail beside a stub VM.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

t_require_root
ESCAPE=$t_builddir/tests/integration/escape
[ -x "$ESCAPE" ] || tap_skip_all "the escape helper is not built ($ESCAPE)"
t_setup chroot-lifecycle
ROOTFS=$T/rootfs
t_mkrootfs "$ROOTFS" || tap_skip_all "cannot build a busybox rootfs (busybox-static)"
cp "$ESCAPE" "$ROOTFS/bin/escape"

# the counter rewrites its file: an empty read is "no value yet"
count() { c=$(cat "$ROOTFS/tmp/count" 2>/dev/null); echo "${c:--1}"; }
count_gt() { [ "$(count)" -gt "$1" ]; }
state() { t_vsh domstate "$1" --reason 2>/dev/null; }
is_state() { [ "$(state "$1")" = "$2" ]; }
pid_gone() {
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
    [ -z "$st" ] || [ "$st" = Z ]
}

chroot_xml jail "$ROOTFS" /bin/escape counter /tmp/count > "$T/jail.xml"
tap_check "define a jail" t_vsh define "$T/jail.xml"
tap_check "start it" t_vsh start jail
tap_is "list --all shows it running with its type" \
    "$(t_vsh list --all | awk '$2 == "jail" { print $3, $4 }')" "running chroot"
init=$(t_init_pid jail)
tap_is "its id is init's host pid" "$(t_vsh domid jail)" "$init"
tap_is "init runs inside the rootfs" "$(readlink /proc/"$init"/root)" "$ROOTFS"
tap_check "the counter inside runs" t_wait count_gt 2

# vsh-monitor driven by hand: garbage is refused, and a second monitor for a running
# domain leaves it alone
out=$(echo garbage | "$VSH_MONITOR" 3>&1 >/dev/null 2>&1)
tap_is "vsh-monitor refuses a malformed launch description" "$out" \
    "error 22 cannot read the launch description: Invalid argument"
out=$(printf 'vsh-launch 1\nname =jail\nstate_dir =%s\ncgroup_path =%s/jail\nargv =/bin/true\nend\n' \
      "$T/store/state" "$VSH_CGROUP_PARTITION" | "$VSH_MONITOR" 3>&1 >/dev/null 2>&1)
tap_is "a second monitor for a running jail is refused" "$out" \
    "error 11 domain 'jail' is already running"
tap_check "and the running jail keeps its files" \
    [ -S "$T/store/state/jail.console" ] && [ "$(t_init_pid jail)" = "$init" ]

out=$(t_vsh exec jail -- /bin/sh -c 'ls /etc/passwd; exit 7')
tap_is "exec runs in the jail's root and returns the command's status" "$?:$out" \
    "7:/etc/passwd"
tap_is "exec finds a bare command in init's PATH inside the jail" \
    "$(t_vsh exec jail -- id -u)" "0"
tap_is "exec of a command not in the jail's PATH says so" \
    "$(t_vsh exec jail -- no-such-command 2>&1)" \
    "error: failed to run 'no-such-command' in domain 'jail': command 'no-such-command' not found in the PATH of domain 'jail' (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)"

tap_check "suspend" t_vsh suspend jail
tap_is "suspended jail is paused" "$(state jail)" "paused (user)"
a=$(count)
sleep 0.3
tap_is "the counter stops while frozen" "$(count)" "$a"
tap_is "exec into a paused jail is refused" "$(t_vsh exec jail -- /bin/true 2>&1)" \
    "error: failed to run '/bin/true' in domain 'jail': domain 'jail' is paused: resume it to run commands in it"
tap_check "resume" t_vsh resume jail
tap_check "the counter goes on after resume" t_wait count_gt "$a"

tap_check "reboot" t_vsh reboot jail
tap_check "reboot gives a fresh init" t_wait sh -c "[ \"\$(cut -d' ' -f1 $T/store/state/jail.pid)\" != $init ]"
tap_check "the jail runs after reboot" is_state jail "running (booted)"

# a daemon that double-forked and left its session: only the cgroup knows it
t_vsh exec jail -- /bin/escape daemon /tmp/daemon
tap_check "the daemon runs" t_wait test -s "$ROOTFS/tmp/daemon"
procs=$(cat "$(t_cgroup_dir jail freezer)/cgroup.procs" "$(t_cgroup_dir jail memory)/cgroup.procs" 2>/dev/null | sort -u)
tap_check "the jail has more than one process" [ "$(echo "$procs" | wc -l)" -ge 2 ]
tap_check "destroy" t_vsh destroy jail
left=
# (a zombie is dead: this host's init may be slow to reap what was reparented to it)
for p in $procs; do
    st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
    [ -n "$st" ] && [ "$st" != Z ] && left="$left $p"
done
tap_is "destroy leaves no process of the jail" "$left" ""
tap_is "destroyed jail is shut off" "$(state jail)" "shut off (destroyed)"
tap_check "destroy removed the cgroup" [ ! -d "$(t_cgroup_dir jail memory)" ]

t_vsh start jail >/dev/null
tap_is "shutdown --mode initctl: a jail has no init to ask that way" \
    "$(t_vsh shutdown jail --mode initctl 2>&1)" \
    "error: failed to shutdown domain 'jail': the chroot driver cannot shut domains down by initctl"
tap_is "and it goes on running" "$(state jail)" "running (booted)"
tap_check "shutdown --mode signal" t_vsh shutdown jail --mode signal
tap_check "the jail stops after shutdown" t_wait is_state jail "shut off (shutdown)"
t_vsh start jail >/dev/null
tap_check "shutdown" t_vsh shutdown jail
tap_check "the jail stops after shutdown" t_wait is_state jail "shut off (shutdown)"

# an init that ignores SIGTERM is killed after the shutdown timeout
chroot_xml stubborn "$ROOTFS" /bin/sh -c "trap '' TERM; while :; do sleep 1; done" > "$T/stubborn.xml"
t_vsh define "$T/stubborn.xml" >/dev/null
VSH_SHUTDOWN_TIMEOUT_MS=200 t_vsh start stubborn >/dev/null
t_vsh shutdown stubborn >/dev/null
tap_check "shutdown escalates to a kill when init ignores it" t_wait is_state stubborn "shut off (shutdown)"

t_vsh start jail >/dev/null
init=$(t_init_pid jail)
monitor=$(t_monitor_pid jail)
kill -9 "$monitor"
tap_check "a killed monitor shows the jail crashed" t_wait is_state jail "shut off (crashed)"
tap_check "init died with its monitor" t_wait pid_gone "$init"
t_vsh list --all >/dev/null
tap_check "the crashed jail's cgroup is removed" t_wait test ! -d "$(t_cgroup_dir jail memory)"

rm -f "$ROOTFS/tmp/count"
tap_check "start --paused" t_vsh start --paused jail
tap_is "a jail started paused is paused" "$(state jail)" "paused (user)"
tap_is "its init's program has not run" "$(count)" "-1"
tap_check "destroy a paused jail" t_vsh destroy jail
tap_check "a destroyed paused jail leaves no cgroup" [ ! -d "$(t_cgroup_dir jail freezer)" ]

chroot_xml noinit "$ROOTFS" /sbin/nope > "$T/noinit.xml"
t_vsh define "$T/noinit.xml" >/dev/null
err=$(t_vsh start noinit 2>&1)
tap_is "a missing init is reported exactly" "$err" \
    "error: failed to start domain 'noinit': cannot execute /sbin/nope: No such file or directory"
tap_check "a failed start leaves no cgroup" [ ! -d "$(t_cgroup_dir noinit memory)" ]
tap_check "a failed start leaves no pid file or socket" \
    [ ! -e "$T/store/state/noinit.pid" ] && [ ! -e "$T/store/state/noinit.console" ]
tap_is "the failed jail is shut off" "$(t_vsh domstate noinit)" "shut off"

# a root filesystem made after the define, as libvirt allows: the start names it
chroot_xml later "$T/later-root" /bin/sh > "$T/later.xml"
tap_check "a jail whose root filesystem does not exist yet can be defined" \
    t_vsh define "$T/later.xml"
tap_is "its start names the missing root filesystem" "$(t_vsh start later 2>&1)" \
    "error: failed to start domain 'later': cannot open the root filesystem $T/later-root: No such file or directory"
t_vsh undefine later >/dev/null

# A cgroup2 hierarchy that has no memory controller (a hybrid host's unified mount):
# the start fails naming the limit, and leaves no group there.
unified=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -n "$unified" ] && [ "$unified" != /sys/fs/cgroup ] &&
    ! grep -qw memory "$unified/cgroup.controllers"; then
    err=$(VSH_CGROUP_ROOT=$unified t_vsh start jail 2>&1)
    tap_is "a cgroup2 hierarchy without the memory controller is named in the error" "$err" \
        "error: failed to start domain 'jail': cannot set the memory limit: No such file or directory"
    tap_check "and the jail's group there is removed" [ ! -d "$unified/$VSH_CGROUP_PARTITION/jail" ]
    rmdir "$unified/$VSH_CGROUP_PARTITION" 2>/dev/null
else
    tap_skip "no cgroup2 mount without the memory controller on this host"
    tap_skip "no cgroup2 mount without the memory controller on this host"
fi

cat > "$T/vm.xml" <<XML
<domain type='qemu'>
  <name>vm</name>
  <memory unit='MiB'>64</memory>
  <os><type>hvm</type></os>
</domain>
XML
t_vsh define "$T/vm.xml" >/dev/null
t_vsh start jail >/dev/null
tap_is "a jail and a stub VM side by side in list --all" \
    "$(t_vsh list --all | awk 'NR > 2 && NF { print $2, $(NF) }' | sort | tr '\n' ' ')" \
    "jail chroot noinit chroot stubborn chroot vm qemu "
t_vsh destroy jail >/dev/null
tap_done
