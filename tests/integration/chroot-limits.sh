#!/bin/sh
# Limits of chroot jails, seen in their cgroup and from inside: the memory limit stops an
# allocator, the pids limit stops a fork loop, cpu shares and live changes (setmem,
# schedinfo, memtune) reach the cgroup files and memtune reports them; dominfo reports cpu
# time from the cgroup; domstats and domifstat show no interfaces; the console relays the
# jail's terminal to one client at a time (--force takes it over); the jail's CPUs are its
# cpuset, not those of the vsh that started it.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

t_require_root
ESCAPE=$t_builddir/tests/integration/escape
[ -x "$ESCAPE" ] || tap_skip_all "the escape helper is not built ($ESCAPE)"
t_setup chroot-limits
ROOTFS=$T/rootfs
t_mkrootfs "$ROOTFS" || tap_skip_all "cannot build a busybox rootfs (busybox-static)"
cp "$ESCAPE" "$ROOTFS/bin/escape"

V1=
[ -e /sys/fs/cgroup/cgroup.controllers ] || V1=1
# cg_value NAME CTRL V1FILE V2FILE
cg_value() {
    if [ -n "$V1" ]; then cat "$(t_cgroup_dir "$1" "$2")/$3"; else cat "$(t_cgroup_dir "$1" "$2")/$4"; fi
}

JAIL_MEMORY_MIB=32 \
JAIL_META="  <metadata><vsh:vsh xmlns:vsh='urn:vsh:domain:1.0'><vsh:pids limit='16'/></vsh:vsh></metadata>" \
JAIL_TUNE="  <cputune><shares>512</shares></cputune>
  <memtune><hard_limit unit='MiB'>32</hard_limit><swap_hard_limit unit='MiB'>32</swap_hard_limit></memtune>" \
    chroot_xml jail "$ROOTFS" /bin/escape counter /tmp/count > "$T/jail.xml"
t_vsh define "$T/jail.xml" >/dev/null
tap_check "start a jail with memory, pids and cpu limits" t_vsh -q start jail

tap_is "the memory limit is in the cgroup" \
    "$(cg_value jail memory memory.limit_in_bytes memory.max)" "33554432"
tap_is "the pids limit is in the cgroup" "$(cg_value jail pids pids.max pids.max)" "16"
if [ -n "$V1" ]; then
    tap_is "cpu shares are in the cgroup" "$(cg_value jail cpu cpu.shares cpu.weight)" "512"
else
    tap_is "cpu shares are in the cgroup as a weight" "$(cg_value jail cpu cpu.shares cpu.weight)" "50"
fi

# The allocator is the process the limit must stop; the kernel's choice of victim in the
# group is left no room to fall on the jail's init (it did, once in some fifty runs).
echo -999 > "/proc/$(t_init_pid jail)/oom_score_adj"
out=$(t_vsh exec jail -- /bin/escape alloc 256 2>&1)
rc=$?
tap_check "the memory limit stops an allocator (status $rc: $out)" [ "$rc" -ne 0 ]
out=$(t_vsh exec jail -- /bin/escape forkloop 64 2>&1)
rc=$?
tap_check "the pids limit stops a fork loop (status $rc)" [ "$rc" -eq 1 ]
tap_check "the fork loop saw fork fail" sh -c "echo '$out' | grep -q 'fork failed after'"
tap_is "the jail still runs after both" "$(t_vsh domstate jail)" "running"

# dominfo shows tenths of a second: what the limits' tests used may round to 0.0, so a
# command in the jail first uses a quarter of a second of CPU time.
tap_check "a command in the jail uses 250 ms of CPU time" t_vsh exec jail -- /bin/escape spin 250
cpu=$(t_vsh dominfo jail | awk -F: '/^CPU time/ { gsub(/[ s]/, "", $2); print $2 }')
tap_check "dominfo shows cpu time from the cgroup ($cpu s)" \
    sh -c "echo '$cpu' | awk '{ exit !(\$1 > 0) }'"
# a running jail takes no device live: one line, exit 1, nothing changed
printf "<filesystem type='mount'><source dir='/tmp'/><target dir='/mnt'/></filesystem>\n" > "$T/fs.xml"
err=$(t_vsh attach-device jail "$T/fs.xml" 2>&1)
tap_is "attach-device --live to a running jail: the error, exit 1" "$err ($?)" \
    "error: failed to attach device from $T/fs.xml: the chroot driver cannot attach devices to a running domain (1)"
tap_check "cpu-stats of a jail: its total, with user and system parts" \
    sh -c "$VSH -q -c '$URI' cpu-stats jail --total | grep -c '^	[a-z]*_time  *[0-9.]* seconds$' | grep -qx 3"
tap_check "dommemstat shows the resident memory" sh -c "t() { :; }; $VSH -c '$URI' dommemstat jail | grep -q '^rss [1-9]'"
# A jail has no interfaces of its own: net.count=0 while it runs, and none to name.
tap_is "domstats of a running jail has no interfaces" \
    "$(t_vsh domstats jail | grep '^  net\.')" "  net.count=0"
tap_is "domifstat of a jail knows no interface" "$(t_vsh domifstat jail eth0 2>&1)" \
    "error: failed to get interface statistics of domain 'jail': 'eth0' is not a known interface"

tap_check "setmem --live" t_vsh -q setmem jail 24M --live
tap_is "setmem changed the cgroup's memory limit" \
    "$(cg_value jail memory memory.limit_in_bytes memory.max)" "25165824"
tap_check "schedinfo --set cpu_shares=256" t_vsh -q schedinfo jail --live --set cpu_shares=256
if [ -n "$V1" ]; then
    tap_is "schedinfo changed cpu.shares" "$(cg_value jail cpu cpu.shares cpu.weight)" "256"
else
    tap_is "schedinfo changed cpu.weight" "$(cg_value jail cpu cpu.shares cpu.weight)" "25"
fi
tap_check "schedinfo --set vcpu_quota=50000" t_vsh -q schedinfo jail --live --set vcpu_quota=50000
if [ -n "$V1" ]; then
    tap_is "the quota reached the cgroup" "$(cg_value jail cpu cpu.cfs_quota_us cpu.max)" "50000"
else
    tap_is "the quota reached the cgroup" "$(cg_value jail cpu cpu.cfs_quota_us cpu.max)" "50000 100000"
fi
tap_check "memtune --soft-limit" t_vsh -q memtune jail --soft-limit 16M --live
tap_is "the soft limit reached the cgroup" \
    "$(cg_value jail memory memory.soft_limit_in_bytes memory.high)" "16777216"
# as virsh does, memtune reports a running domain's limits in force: setmem's memory limit
# (the definition still says 32M) and the new soft limit
tap_is "memtune shows the limits in force" \
    "$(t_vsh memtune jail | grep -E '^(hard|soft)_limit')" "hard_limit     : 24576
soft_limit     : 16384"
tap_is "memtune --config shows the definition's" \
    "$(t_vsh memtune jail --config | grep -E '^(hard|soft)_limit')" "hard_limit     : 32768
soft_limit     : unlimited"
t_vsh -q destroy jail

# The console: a shell on the jail's terminal, reached through the monitor.
chroot_xml shell "$ROOTFS" /bin/sh > "$T/shell.xml"
t_vsh define "$T/shell.xml" >/dev/null
t_vsh -q start shell
if command -v expect >/dev/null 2>&1; then
    VSH_URI=$URI expect -c '
        set timeout 10
        spawn '"$VSH"' -c $env(VSH_URI) console shell
        expect "Escape character"
        send "echo con\"sole-\"works\r"
        expect {
            "console-works" { }
            timeout { exit 1 }
        }
        send "\035"
        expect eof
        exit 0' > "$T/console.log" 2>&1
    rc=$?
    tap_is "the console relays the jail's shell" "$rc" "0"
    [ "$rc" = 0 ] || sed 's/^/# /' "$T/console.log"
    # a first client attached, its input held open by a fifo; the test ends it by its pid
    mkfifo "$T/hold"
    "$VSH" -c "$URI" console shell < "$T/hold" > /dev/null 2>&1 &
    holder=$!
    exec 9> "$T/hold"
    t_wait sh -c "ls -l /proc/$holder/fd 2>/dev/null | grep -q socket"
    sleep 0.2
    err=$("$VSH" -c "$URI" console shell </dev/null 2>&1)
    tap_check "a second console client is refused while one is attached" \
        sh -c "echo '$err' | grep -q 'in use'"
    kill "$holder" 2>/dev/null
    exec 9>&-
    wait "$holder" 2>/dev/null
    # --force takes the console over, and the client that had it is let go
    VSH_URI=$URI expect -c '
        set timeout 10
        spawn '"$VSH"' -c $env(VSH_URI) console shell
        set first $spawn_id
        expect "Escape character"
        spawn '"$VSH"' -c $env(VSH_URI) console shell --force
        set second $spawn_id
        expect -i $second "Escape character"
        send -i $second "echo taken\"-over\"\r"
        expect {
            -i $second "taken-over" { }
            timeout { exit 1 }
        }
        expect {
            -i $first eof { }
            timeout { exit 2 }
        }
        send -i $second "\035"
        expect -i $second eof
        exit 0' > "$T/force.log" 2>&1
    rc=$?
    tap_is "console --force takes the console over and lets the first client go" "$rc" "0"
    [ "$rc" = 0 ] || sed 's/^/# /' "$T/force.log"
else
    tap_skip "expect is not installed"
    tap_skip "expect is not installed"
    tap_skip "expect is not installed"
fi
t_vsh -q destroy shell

allowed() { awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
JAIL_TUNE="  <vcpu cpuset='0-1,^1'>1</vcpu>" chroot_xml one "$ROOTFS" /bin/sleep 1000 \
    > "$T/one.xml"
t_vsh define "$T/one.xml" >/dev/null
tap_check "a jail with <vcpu cpuset='0-1,^1'> starts from a vsh pinned to CPU 1" \
    taskset -c 1 "$VSH" -q -c "$URI" start one
tap_is "its cgroup's cpuset is CPU 0" "$(cat "$(t_cgroup_dir one cpuset)/cpuset.cpus")" 0
tap_is "its init runs on CPU 0, as its cpuset says" "$(allowed "$(t_init_pid one)")" 0
t_vsh -q destroy one

# <blkiotune> in a jail: a write limit on a disk of this machine, in its blkio (io) group
set -- $(sh "$t_srcdir/tests/integration/first-disk.sh")
blk=${1:-} majmin=${2:-}
if [ -z "$blk" ]; then
    tap_skip "blkiotune: this machine has no disk"
    tap_skip "blkiotune: this machine has no disk"
else
    JAIL_TUNE="  <blkiotune><device><path>$blk</path><write_bytes_sec>2097152</write_bytes_sec></device></blkiotune>" \
        chroot_xml io "$ROOTFS" /bin/sleep 1000 > "$T/io.xml"
    t_vsh define "$T/io.xml" >/dev/null
    tap_check "a jail with a write limit on $blk starts" t_vsh -q start io
    io_dir=$(t_cgroup_dir io blkio)
    if [ -e "$io_dir/io.max" ]; then
        tap_is "the limit is in its io group" "$(grep "^$majmin " "$io_dir/io.max")" \
            "$majmin rbps=max wbps=2097152 riops=max wiops=max"
    else
        tap_is "the limit is in its blkio group" \
            "$(cat "$io_dir/blkio.throttle.write_bps_device")" "$majmin 2097152"
    fi
    t_vsh -q destroy io
fi
tap_done
