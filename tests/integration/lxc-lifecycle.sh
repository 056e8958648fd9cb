#!/bin/sh
# Every lifecycle operation of a container: start, shutdown (through /dev/initctl or with
# signals, and --mode), destroy with a double-forked daemon inside, reboot, suspend/resume
# (a counter inside stops and goes on), destroy of a paused container, the monitor killed
# (shut off, crashed, with cgroup and veth cleaned at the next look), a missing init (the
# exact error, nothing left behind) and a transient domain that vanishes.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lxc-common.sh"

tap_plan 61

lxc_pid_gone() { ! kill -0 "$1" 2>/dev/null; }
lxc_state_is() { [ "$(lxc_ns_vsh domstate "$1" 2>/dev/null)" = "$2" ]; }

# ---- start and shutdown
lxc_define life "$LXC_INIT" "<features><privnet/></features>"
tap_check "start" lxc_vsh start life
init=$(lxc_init_pid life)
tap_check "init runs on the host with the domain's id as its pid" \
    test "$(lxc_vsh domid life)" = "$init"
tap_is "domstate running" "$(lxc_vsh domstate life)" "running"
tap_check "shutdown" lxc_vsh shutdown life
tap_check "init ended after shutdown" lxc_wait lxc_pid_gone "$init"
tap_check "the domain is shut off after shutdown" lxc_wait lxc_state_is life "shut off"

# ---- shutdown through /dev/initctl: an init that reads the pipe as sysvinit does (it
# keeps the 384-byte request, or notes a signal), and --mode for one way only
# The pipe is held open for reading (read-write, which never blocks) before the init says
# it is ready: a request sent before dd opened it would otherwise find no reader.
LXC_ICTL_INIT='rm -f /dev/initctl; mkfifo /dev/initctl; exec 3<>/dev/initctl
trap "echo signal > /tmp/ictl.sig; exit 3" TERM PWR INT
touch /tmp/ictl.ready
dd of=/tmp/ictl.req bs=384 count=1 <&3 2>/dev/null & wait; exit 0'
lxc_define ictl "$LXC_ICTL_INIT"
lxc_ictl_ready() { [ -e "$LXC_ROOTFS/tmp/ictl.ready" ]; }
lxc_ictl_header() { od -An -tx1 -N12 "$LXC_ROOTFS/tmp/ictl.req" 2>/dev/null | tr -s ' '; }
rm -f "$LXC_ROOTFS/tmp/ictl.req" "$LXC_ROOTFS/tmp/ictl.sig" "$LXC_ROOTFS/tmp/ictl.ready"
lxc_vsh start ictl
lxc_wait lxc_ictl_ready
tap_check "shutdown of a container with an initctl pipe" lxc_vsh shutdown ictl
tap_check "it stops: shut off (shutdown)" lxc_wait lxc_state_is ictl "shut off"
tap_is "init got sysvinit's request for runlevel 0 (magic, command, level)" \
    "$(lxc_ictl_header)" " 69 19 09 03 01 00 00 00 30 00 00 00"
tap_check "and no signal" test ! -e "$LXC_ROOTFS/tmp/ictl.sig"
rm -f "$LXC_ROOTFS/tmp/ictl.req" "$LXC_ROOTFS/tmp/ictl.sig" "$LXC_ROOTFS/tmp/ictl.ready"
lxc_vsh start ictl
lxc_wait lxc_ictl_ready
tap_check "shutdown --mode signal of the same container" lxc_vsh shutdown ictl --mode signal
tap_check "it stops" lxc_wait lxc_state_is ictl "shut off"
tap_is "init got a signal, and no request" \
    "$(cat "$LXC_ROOTFS/tmp/ictl.sig" 2>/dev/null) $(test -s "$LXC_ROOTFS/tmp/ictl.req"; echo $?)" \
    "signal 1"
rm -f "$LXC_ROOTFS/tmp/ictl.req" "$LXC_ROOTFS/tmp/ictl.sig"
lxc_vsh start life
tap_is "shutdown --mode initctl of a container without the pipe: the error" \
    "$(lxc_vsh shutdown life --mode initctl 2>&1)" \
    "error: failed to shutdown domain 'life': the container has no initctl pipe to ask (/dev/initctl): No such file or directory"
tap_is "and it goes on running" "$(lxc_vsh domstate life)" "running"
tap_check "--mode initctl,signal falls back to the signal" lxc_vsh shutdown life --mode initctl,signal
tap_check "it stops" lxc_wait lxc_state_is life "shut off"
tap_is "with the shutdown as its reason (the refused request left no word behind)" \
    "$(lxc_vsh domstate --reason life)" "shut off (shutdown)"

# ---- destroy with a daemon that double-forked and left its session
tap_check "start again" lxc_vsh start life
lxc_vsh exec life -- sh -c '(setsid sh -c "sleep 4242 & sleep 4343" &) ; exit 0'
procs_file=$(lxc_cgroup_dir life pids)/cgroup.procs
[ -e "$procs_file" ] || procs_file=$(lxc_cgroup_dir life memory)/cgroup.procs
# exec returns when the outer shell exits; the detached shell forks its two sleeps
# a moment later, so wait until both are in the container's cgroup.
lxc_daemon_in_cgroup() {
    pids=$(cat "$procs_file" 2>/dev/null)
    found=
    for p in $pids; do
        case "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" in
        "sleep 4242 ") found="$found a" ;;
        "sleep 4343 ") found="$found b" ;;
        esac
    done
    [ "$found" = " a b" ] || [ "$found" = " b a" ]
}
tap_check "the daemon runs inside the container's cgroup" lxc_wait lxc_daemon_in_cgroup
tap_check "destroy" lxc_vsh destroy life
alive=
for p in $pids; do
    kill -0 "$p" 2>/dev/null && grep -q vsh-test "/proc/$p/cgroup" 2>/dev/null && alive="$alive $p"
done
tap_is "no process of the container survives destroy" "$alive" ""
tap_is "domstate --reason after destroy" "$(lxc_vsh domstate --reason life)" \
    "shut off (destroyed)"

# ---- reboot: a new init
tap_check "start for reboot" lxc_vsh start life
old=$(lxc_init_pid life)
tap_check "reboot" lxc_vsh reboot life
lxc_new_init() { p=$(lxc_init_pid life); [ -n "$p" ] && [ "$p" != "$old" ] && lxc_pid_gone "$old"; }
tap_check "reboot gives a new init" lxc_wait lxc_new_init
tap_is "running after reboot" "$(lxc_vsh domstate life)" "running"
tap_check "destroy after reboot" lxc_vsh destroy life

# ---- reboot --mode: the container is asked and reboots itself, as LXC and libvirt ask
# one. Its init reads /dev/initctl as sysvinit does and reboots (reboot(2) in its PID
# namespace) on runlevel 6, or on SIGINT; each boot leaves a line.
LXC_RB_INIT='rm -f /dev/initctl; mkfifo /dev/initctl; exec 3<>/dev/initctl
trap "echo int >> /tmp/rb.log; reboot -f" INT
trap "exit 0" TERM PWR
echo boot >> /tmp/rb.log; touch /tmp/rb.ready
dd of=/tmp/rb.req bs=384 count=1 <&3 2>/dev/null & wait
case "$(od -An -c -j8 -N1 /tmp/rb.req)" in *6*) echo runlevel6 >> /tmp/rb.log; reboot -f ;; esac
while :; do sleep 1000 & wait; done'
lxc_define rb "$LXC_RB_INIT"
rm -f "$LXC_ROOTFS/tmp/rb.log" "$LXC_ROOTFS/tmp/rb.req" "$LXC_ROOTFS/tmp/rb.ready"
lxc_vsh start rb
lxc_rb_ready() { [ -e "$LXC_ROOTFS/tmp/rb.ready" ]; }
lxc_rb_new_init() {
    p=$(lxc_init_pid rb)
    [ -n "$p" ] && [ "$p" != "$old" ] && lxc_rb_ready
}
lxc_wait lxc_rb_ready
old=$(lxc_init_pid rb)
rm -f "$LXC_ROOTFS/tmp/rb.ready"
tap_check "reboot --mode initctl asks through the pipe" lxc_vsh reboot rb --mode initctl
tap_check "the container rebooted itself: a new init" lxc_wait lxc_rb_new_init
tap_is "it was asked for runlevel 6, and booted again" \
    "$(tr '\n' ' ' < "$LXC_ROOTFS/tmp/rb.log")" "boot runlevel6 boot "
old=$(lxc_init_pid rb)
rm -f "$LXC_ROOTFS/tmp/rb.ready"
tap_check "reboot --mode signal sends SIGINT" lxc_vsh reboot rb --mode signal
tap_check "a new init again" lxc_wait lxc_rb_new_init
tap_is "it got the signal, and booted again" \
    "$(tr '\n' ' ' < "$LXC_ROOTFS/tmp/rb.log")" "boot runlevel6 boot int boot "
tap_is "running, rebooted: its monitor followed <on_reboot>" "$(lxc_vsh domstate rb --reason)" \
    "running (booted)"
lxc_vsh destroy rb >/dev/null
tap_is "reboot --mode initctl of a container without the pipe: the error" \
    "$(lxc_vsh start life >/dev/null; lxc_vsh reboot life --mode initctl 2>&1)" \
    "error: failed to reboot domain 'life': the container has no initctl pipe to ask (/dev/initctl): No such file or directory"
tap_is "reboot --mode acpi is not a container's" "$(lxc_vsh reboot life --mode acpi 2>&1)" \
    "error: failed to reboot domain 'life': the lxc driver cannot reboot domains by acpi"
lxc_vsh destroy life >/dev/null

# ---- start --autodestroy: the domain lasts as long as the vsh that started it, however
# that vsh ends
tap_is "start --autodestroy: running while the session lasts" \
    "$(lxc_vsh "start life --autodestroy; domstate life")" "running"
tap_check "destroyed when the session ends" lxc_wait lxc_state_is life "shut off"
tap_is "with destroy's reason" "$(lxc_vsh domstate --reason life)" "shut off (destroyed)"
mkfifo "$LXC_T/session.in"
"$VSH" -q -c "$LXC_URI" < "$LXC_T/session.in" > "$LXC_T/session.out" 2>&1 &
session=$!
exec 9> "$LXC_T/session.in"
echo "start life --autodestroy" >&9
lxc_session_started() { [ "$(lxc_vsh domstate life)" = running ]; }
tap_check "a session that goes on keeps its domain running" lxc_wait lxc_session_started
kill -9 "$session"
wait "$session" 2>/dev/null
exec 9>&-
tap_check "a session killed with SIGKILL takes its domain down too" \
    lxc_wait lxc_state_is life "shut off"

# ---- suspend and resume: a counter inside stops, then goes on
lxc_define count 'i=0; trap "exit 0" TERM PWR; while :; do i=$((i+1)); echo $i > /tmp/count; usleep 20000; done' \
    "<features><privnet/></features>"
lxc_vsh start count
lxc_count() { cat "$LXC_ROOTFS/tmp/count" 2>/dev/null; }
lxc_count_moves() { a=$(lxc_count); sleep 0.2; [ "$(lxc_count)" != "$a" ]; }
lxc_wait lxc_count_moves
tap_check "suspend" lxc_vsh suspend count
tap_is "domstate paused" "$(lxc_vsh domstate count)" "paused"
c1=$(lxc_count); sleep 0.5; c2=$(lxc_count)
tap_is "the counter stops while suspended" "$c2" "$c1"
tap_check "resume" lxc_vsh resume count
tap_check "the counter goes on after resume" lxc_wait lxc_count_moves

# ---- destroy of a paused container: its frozen processes die too, without a timeout
lxc_vsh suspend count
cpids=$(cat "$(lxc_cgroup_dir count memory)/cgroup.procs" 2>/dev/null)
t0=$(date +%s%N)
tap_check "destroy a paused container" lxc_vsh destroy count
t1=$(date +%s%N)
tap_check "destroying a paused container waits for no timeout" \
    test $(( (t1 - t0) / 1000000 )) -lt 1000
alive=
for p in $cpids; do
    kill -0 "$p" 2>/dev/null && grep -q vsh-test "/proc/$p/cgroup" 2>/dev/null && alive="$alive $p"
done
tap_is "no process of the paused container survives destroy" "$alive" ""

# ---- the monitor killed: crashed, cleaned at the next look (veth included)
LXC_NETNS="vsh-lxc-life-$$"
ip netns add "$LXC_NETNS"
lxc_define crash "$LXC_INIT" "" "<interface type='ethernet'><target dev='vshcrash0'/></interface>"
lxc_ns_vsh start crash
mon=$(lxc_monitor_pid crash)
cg=$(lxc_cgroup_dir crash memory)
tap_check "while it runs, the container has a cgroup and a host veth end" \
    sh -c "[ -d '$cg' ] && ip netns exec $LXC_NETNS ip link show vshcrash0 >/dev/null"
kill -9 "$mon"
lxc_wait lxc_pid_gone "$mon"
tap_is "after the monitor is killed: shut off (crashed)" \
    "$(lxc_ns_vsh domstate --reason crash)" "shut off (crashed)"
tap_check "the cgroup is removed" lxc_wait test ! -d "$cg"
tap_check "the host end of the veth pair is gone" \
    lxc_wait sh -c "! ip netns exec $LXC_NETNS ip link show vshcrash0 >/dev/null 2>&1"

# ---- a missing init: the exact error and nothing left behind
sed -e 's|<init>/bin/sh</init>|<init>/sbin/nope</init>|' "$LXC_T/life.xml" > "$LXC_T/nope.xml"
sed -i -e 's|<name>life</name>|<name>nope</name>|' "$LXC_T/nope.xml"
lxc_vsh define "$LXC_T/nope.xml" >/dev/null
err=$(lxc_vsh start nope 2>&1)
case $err in
    *"cannot execute /sbin/nope: No such file or directory"*) ok "a missing init is reported" ;;
    *) not_ok "a missing init is reported: $err" ;;
esac
# The store keeps its lock and reason files; what must be gone is the running part.
tap_check "nothing is left of the failed start (cgroup, pid file, console socket)" \
    sh -c "[ ! -d '$(lxc_cgroup_dir nope memory)' ] && [ ! -e '$LXC_T/store/state/nope.pid' ] &&
           [ ! -e '$LXC_T/store/state/nope.console' ]"

# ---- a root filesystem made after the define (as libvirt allows): start names it while it
# is missing, and runs once it is there
LXC_TUNE= LXC_META= lxc_define later "$LXC_INIT" "" "" "$LXC_T/later-root"
tap_check "a container whose root filesystem does not exist yet can be defined" \
    lxc_vsh dominfo later
err=$(lxc_vsh start later 2>&1)
tap_is "its start names the missing root filesystem" "$err" \
    "error: failed to start domain 'later': cannot bind the root filesystem $LXC_T/later-root: No such file or directory"
tap_check "a config change does not depend on the root filesystem" \
    lxc_vsh setmem later 64M --config
cp -a "$LXC_ROOTFS" "$LXC_T/later-root"
tap_check "it starts once the root filesystem is there" lxc_vsh start later
lxc_vsh destroy later >/dev/null

# ---- transient
lxc_define tmp1 "$LXC_INIT"
lxc_vsh undefine tmp1 >/dev/null
sed -e 's|<name>life</name>|<name>tmp1</name>|' "$LXC_T/life.xml" > "$LXC_T/tmp1.xml"
lxc_vsh create "$LXC_T/tmp1.xml" >/dev/null
lxc_vsh destroy tmp1 >/dev/null
lxc_gone() { ! lxc_vsh list --all --name | grep -qx tmp1; }
tap_check "a transient container vanishes when destroyed" lxc_wait lxc_gone
