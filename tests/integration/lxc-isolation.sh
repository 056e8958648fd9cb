#!/bin/sh
# What a container's processes see and cannot do, checked from inside with `vsh exec`:
# their own PID namespace with init as PID 1, the domain name as hostname, none of the
# host's mounts, read-only /proc/sys and /sys, no block device nodes, the memory limit
# (OOM kill), the pids limit (fork bomb) and cpu shares in the domain's cgroup, live
# changes of them; the CPUs its processes may use.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lxc-common.sh"

tap_plan 62

LXC_META="<metadata><vsh:vsh xmlns:vsh='urn:vsh:domain:1.0'><vsh:pids limit='40'/></vsh:vsh></metadata>"
LXC_TUNE="<memtune><hard_limit unit='MiB'>64</hard_limit></memtune>
  <cputune><shares>512</shares></cputune>"
# A mount on the host, made after the rootfs exists: the container must not see it.
mkdir -p "$LXC_T/host-only"
mount -t tmpfs vsh-host-only "$LXC_T/host-only"
lxc_umount_marker() { umount "$LXC_T/host-only" 2>/dev/null; lxc_cleanup; }
trap lxc_umount_marker EXIT

# A read-only bind of a host directory and a tmpfs of 8 MiB.
mkdir -p "$LXC_T/share"
echo shared > "$LXC_T/share/hello"
fs="<filesystem type='mount'><source dir='$LXC_T/share'/><target dir='/mnt/share'/><readonly/></filesystem>
    <filesystem type='ram'><source usage='8' units='MiB'/><target dir='/mnt/ram'/></filesystem>"
lxc_define iso "$LXC_INIT" "<features><privnet/></features>" "$fs"
tap_check "container with memory, pids and cpu limits starts" lxc_vsh start iso

ps_out=$(lxc_vsh exec iso -- ps -o pid,args)
first=$(printf '%s\n' "$ps_out" | sed -n 2p | awk '{print $1, $2}')
tap_is "init is PID 1 inside" "$first" "1 /bin/sh"
count=$(printf '%s\n' "$ps_out" | sed 1d | wc -l)
tap_check "ps shows only the container's processes ($count)" test "$count" -le 4
host_count=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
tap_check "the host has more processes than the container sees" test "$host_count" -gt "$count"

tap_is "hostname is the domain name" "$(lxc_vsh exec iso -- hostname)" "iso"
# <privnet/>: a network namespace of its own, lo alone and up, and the sysfs inside it shows
# that namespace's devices, not the host's
tap_is "a private network: lo alone in /sys/class/net" "$(lxc_vsh exec iso -- ls /sys/class/net)" "lo"
tap_check "lo is up and answers" lxc_vsh exec iso -- ping -c 1 -W 2 127.0.0.1

mounts=$(lxc_vsh exec iso -- cat /proc/mounts)
case $mounts in
    "") not_ok "host mounts are invisible (no /proc/mounts from inside)" ;;
    *vsh-host-only*|*"$LXC_T"*) not_ok "host mounts are invisible"
        printf '%s\n' "$mounts" | sed 's/^/# /' ;;
    *) ok "host mounts are invisible" ;;
esac
tap_check "/ is the only root mount" test "$(printf '%s\n' "$mounts" | awk '$2 == "/"' | wc -l)" -eq 1

# Each attempt prints REFUSED or DONE, so a failing exec cannot pass for a refusal.
lxc_try() { lxc_vsh exec iso -- sh -c "if { $1; } 2>/dev/null; then echo DONE; else echo REFUSED; fi"; }
tap_is "writing /proc/sys/kernel/hostname fails" \
    "$(lxc_try 'echo evil > /proc/sys/kernel/hostname')" "REFUSED"
tap_is "the hostname is unchanged" "$(lxc_vsh exec iso -- hostname)" "iso"
tap_is "writing /sys fails" "$(lxc_try 'mkdir /sys/vsh-test')" "REFUSED"
tap_is "mknod of a block device fails" "$(lxc_try 'mknod /tmp/disk b 8 0')" "REFUSED"
tap_is "a bound host directory is visible" "$(lxc_vsh exec iso -- cat /mnt/share/hello)" "shared"
tap_is "a <readonly/> bind mount cannot be written" \
    "$(lxc_try 'echo x > /mnt/share/hello')" "REFUSED"
ram=$(lxc_vsh exec iso -- awk '$2 == "/mnt/ram" { print $3, $4 }' /proc/mounts)
case $ram in
    "tmpfs "*size=8192k*) ok "a type='ram' filesystem is a tmpfs of its usage" ;;
    *) not_ok "a type='ram' filesystem is a tmpfs of its usage: $ram" ;;
esac
capbnd=$(lxc_vsh exec iso -- sh -c 'grep CapBnd /proc/1/status' | awk '{print $2}')
capbnd=${capbnd:-ffffffffff}
# CAP_SYS_MODULE is bit 16, CAP_SYS_ADMIN bit 21, CAP_SYS_TIME bit 25
tap_check "init's bounding set lacks SYS_MODULE, SYS_ADMIN and SYS_TIME ($capbnd)" \
    test $(( 0x$capbnd & ((1 << 16) | (1 << 21) | (1 << 25)) )) -eq 0

out=$(lxc_vsh exec iso -- /bin/lxc-alloc 512 2>&1)
status=$?
case $out in
    *"done 512 MiB"*) not_ok "the memory limit stops a 512 MiB allocation (status $status)" ;;
    *) tap_is "the memory limit OOM-kills a 512 MiB allocation" "$status" 137 ;;
esac
tap_is "the container survives the OOM kill" "$(lxc_vsh domstate iso)" "running"

out=$(lxc_vsh exec iso -- /bin/lxc-forkbomb 1000)
n=$(printf '%s\n' "$out" | sed -n 's/^forked \([0-9]*\),.*/\1/p')
case $out in
    *"stopped by: Resource temporarily unavailable"*)
        tap_check "the pids limit stops a fork bomb (forked $n of 1000)" test "${n:-1000}" -lt 40 ;;
    *) not_ok "the pids limit stops a fork bomb: $out" ;;
esac

cpu_dir=$(lxc_cgroup_dir iso cpu)
if [ -e "$cpu_dir/cpu.shares" ]; then
    tap_is "cpu shares appear in the cgroup" "$(cat "$cpu_dir/cpu.shares")" 512
elif [ -e "$cpu_dir/cpu.weight" ]; then
    # v2: libvirt's conversion of 512 shares to a weight
    tap_check "cpu weight appears in the cgroup" test "$(cat "$cpu_dir/cpu.weight")" -lt 100
else
    not_ok "cpu shares appear in the cgroup (no cpu files under $cpu_dir)"
fi

# live changes reach the cgroup, and memtune reports the limits in force
mem_dir=$(lxc_cgroup_dir iso memory)
mem_file=memory.limit_in_bytes
[ -e "$mem_dir/$mem_file" ] || mem_file=memory.max
tap_check "setmem --live" lxc_vsh setmem iso 96M --live
tap_is "setmem changed the cgroup's memory limit" "$(cat "$mem_dir/$mem_file")" 100663296
tap_check "memtune --soft-limit --live" lxc_vsh memtune iso --soft-limit 32M --live
tap_is "memtune shows the limits in force" \
    "$(lxc_vsh memtune iso | grep -E '^(hard|soft)_limit')" "hard_limit     : 98304
soft_limit     : 32768"
tap_check "schedinfo --set cpu_shares=256 --live" \
    lxc_vsh schedinfo iso --live --set cpu_shares=256
if [ -e "$cpu_dir/cpu.shares" ]; then
    tap_is "schedinfo changed cpu.shares" "$(cat "$cpu_dir/cpu.shares")" 256
else
    tap_is "schedinfo changed cpu.weight" "$(cat "$cpu_dir/cpu.weight")" 25
fi

# cpu-stats: the cgroup's time by CPU (v1 cpuacct.usage_percpu) adds up to the total, with
# its user and system parts, after some work inside
lxc_vsh exec iso -- sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i + 1)); done'
stats=$(lxc_vsh cpu-stats iso)
printf '%s\n' "$stats" | sed 's/^/# /'
acct_dir=$(lxc_cgroup_dir iso cpuacct)
if [ -r "$acct_dir/cpuacct.usage_percpu" ]; then
    tap_is "cpu-stats shows each of the host's CPUs" \
        "$(printf '%s\n' "$stats" | grep -c '^CPU[0-9]*:$')" \
        "$(wc -w < "$acct_dir/cpuacct.usage_percpu")"
else
    tap_is "cpu-stats shows no CPUs where the host does not count them" \
        "$(printf '%s\n' "$stats" | grep -c '^CPU[0-9]*:$')" 0
fi
tap_check "the CPUs' times add up to the total, which counts the work done" \
    sh -c "printf '%s\n' \"\$1\" | awk '
        /^CPU/ { percpu = 1 } /^Total:/ { percpu = 0 }
        \$1 == \"cpu_time\" { if (percpu) sum += \$2; else total = \$2 }
        END { d = sum - total; if (d < 0) d = -d
              exit !(total > 0.02 && (sum == 0 || d < 0.01)) }'" _ "$stats"
tap_check "the total has its user and system parts" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^	user_time ' && printf '%s\n' \"\$1\" | grep -q '^	system_time '" _ "$stats"
if [ -r "$acct_dir/cpuacct.usage_percpu" ]; then
    tap_is "cpu-stats --start 0 --count 1 shows CPU0 alone" \
        "$(lxc_vsh cpu-stats iso --start 0 --count 1 | grep -c ':$')" 1
else
    tap_check "cpu-stats --start 0 says the times are not known per CPU" \
        sh -c "'$VSH' -q -c '$LXC_URI' cpu-stats iso --start 0 2>&1 | grep -q 'not known per CPU'"
fi

tap_check "destroy" lxc_vsh destroy iso

# CPUs, as libvirt's LXC driver sets them: the domain's <vcpu cpuset>, or every CPU its
# cgroup allows, whatever the affinity of the vsh that started it.
allowed() { awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
LXC_TUNE= LXC_META= lxc_define cpus "$LXC_INIT"
tap_check "a container started by a vsh pinned to CPU 0 starts" \
    taskset -c 0 "$VSH" -q -c "$LXC_URI" start cpus
cpuset_dir=$(lxc_cgroup_dir cpus cpuset)
if [ -r "$cpuset_dir/cpuset.effective_cpus" ]; then
    every=$(cat "$cpuset_dir/cpuset.effective_cpus")
else
    every=$(cat /sys/devices/system/cpu/online)
fi
tap_is "its init may use every CPU ($every), not only the caller's" \
    "$(allowed "$(lxc_init_pid cpus)")" "$every"
tap_is "so may its monitor" "$(allowed "$(lxc_monitor_pid cpus)")" "$every"
lxc_vsh destroy cpus >/dev/null

LXC_TUNE="<vcpu cpuset='0-1,^1'>1</vcpu>" LXC_META= lxc_define one "$LXC_INIT"
tap_check "a container with <vcpu cpuset='0-1,^1'> (libvirt's exclusion syntax) starts" \
    lxc_vsh start one
tap_is "its cgroup's cpuset is CPU 0" "$(cat "$(lxc_cgroup_dir one cpuset)/cpuset.cpus")" 0
tap_is "its init runs on CPU 0 only" "$(allowed "$(lxc_init_pid one)")" 0
tap_check "destroy the cpuset container" lxc_vsh destroy one

# a cpuset of CPUs the host does not have: the error names both
LXC_TUNE="<vcpu cpuset='4095'>1</vcpu>" LXC_META= lxc_define far "$LXC_INIT"
online=$(cat /sys/devices/system/cpu/online)
err=$(lxc_vsh start far 2>&1)
case $err in
    "error: failed to start domain 'far': cannot set the cpuset 4095 (this host's CPUs are $online): "*)
        ok "a cpuset beyond the host's CPUs names them" ;;
    *) not_ok "a cpuset beyond the host's CPUs names them: $err" ;;
esac

# libvirt's <features><capabilities>: init's bounding set from the policy and the states.
# Bits: CAP_KILL 5, CAP_NET_ADMIN 12, CAP_SYS_MODULE 16, CAP_SYS_ADMIN 21, CAP_SYS_TIME 25.
lxc_capbnd() {
    lxc_vsh exec "$1" -- sh -c 'grep CapBnd /proc/1/status' | awk '{ print $2 }'
}
caps() { printf "<features><privnet/><capabilities policy='%s'>%s</capabilities></features>" "$1" "$2"; }
LXC_TUNE= LXC_META= lxc_define capdef "$LXC_INIT" \
    "$(caps default "<sys_time state='on'/><kill state='off'/><net_admin state='off'/>")"
tap_check "a container with capability states starts" lxc_vsh start capdef
bnd=$(lxc_capbnd capdef)
bnd=${bnd:-0}
tap_check "policy default: SYS_TIME on, KILL and NET_ADMIN (a private network's) off ($bnd)" \
    test $(( (0x$bnd >> 25 & 1) == 1 && (0x$bnd >> 5 & 1) == 0 && (0x$bnd >> 12 & 1) == 0 )) -eq 1
lxc_vsh destroy capdef >/dev/null

LXC_TUNE= LXC_META= lxc_define capdeny "$LXC_INIT" "$(caps deny "<kill state='on'/>")"
tap_check "a container with policy deny starts" lxc_vsh start capdeny
tap_is "policy deny: KILL alone" "$(lxc_capbnd capdeny)" 0000000000000020
lxc_vsh destroy capdeny >/dev/null

LXC_TUNE= LXC_META= lxc_define capallow "$LXC_INIT" "$(caps allow "<sys_module state='off'/>")"
tap_check "a container with policy allow starts" lxc_vsh start capallow
bnd=$(lxc_capbnd capallow)
bnd=${bnd:-0}
tap_check "policy allow: SYS_ADMIN and SYS_TIME on, SYS_MODULE off ($bnd)" \
    test $(( (0x$bnd >> 21 & 1) == 1 && (0x$bnd >> 25 & 1) == 1 && (0x$bnd >> 16 & 1) == 0 )) -eq 1
lxc_vsh destroy capallow >/dev/null

# <blkiotune> and blkiotune: I/O weight and limits in the blkio (v2: io) cgroup, on a block
# device of this machine.
set -- $(sh "$lxc_srcdir/tests/integration/first-disk.sh")
blk=${1:-} majmin=${2:-}
if [ -z "$blk" ]; then
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do tap_skip "blkiotune: this machine has no disk"; done
else
    io_dir=$(lxc_cgroup_dir io blkio)
    if [ -d /sys/fs/cgroup/blkio ]; then
        rbps_file=blkio.throttle.read_bps_device
        want_rbps="$majmin 1048576"
    else
        rbps_file=io.max
        want_rbps="$majmin rbps=1048576 wbps=max riops=max wiops=max"
    fi
    LXC_TUNE="<blkiotune><device><path>$blk</path><read_bytes_sec>1048576</read_bytes_sec></device></blkiotune>" \
        LXC_META= lxc_define io "$LXC_INIT"
    tap_check "a container with a read limit on $blk starts" lxc_vsh start io
    tap_is "the limit is in its blkio cgroup" "$(cat "$io_dir/$rbps_file")" "$want_rbps"
    tap_check "init is in that group" grep -qx "$(lxc_init_pid io)" "$io_dir/cgroup.procs"
    tap_is "so is a command run inside" \
        "$(lxc_vsh exec io -- sh -c 'grep -E ":(blkio|):" /proc/self/cgroup' | head -n 1 | cut -d: -f3)" "/"
    tap_check "blkiotune --device-write-iops-sec --live" \
        lxc_vsh blkiotune io --live --device-write-iops-sec "$blk,200"
    tap_is "blkiotune shows both" "$(lxc_vsh blkiotune io | grep "$blk")" \
        "device_write_iops_sec: $blk,200
device_read_bytes_sec: $blk,1048576"
    tap_check "the persistent definition is unchanged" \
        sh -c "! '$VSH' -q -c '$LXC_URI' dumpxml io --inactive | grep -q write_iops_sec"
    lxc_vsh destroy io >/dev/null
    tap_check "destroy removes the blkio group" test ! -d "$io_dir"

    # a container started without I/O settings gets them live: its processes move in
    LXC_TUNE= LXC_META= lxc_define io2 "$LXC_INIT"
    lxc_vsh start io2 >/dev/null
    io2_dir=$(lxc_cgroup_dir io2 blkio)
    tap_check "a container started without blkiotune has no blkio group" test ! -d "$io2_dir"
    tap_check "blkiotune --device-read-bytes-sec on it" \
        lxc_vsh blkiotune io2 --device-read-bytes-sec "$blk,1048576"
    tap_check "its init moved into the new group" \
        grep -qx "$(lxc_init_pid io2)" "$io2_dir/cgroup.procs"
    old_init=$(lxc_init_pid io2)
    lxc_vsh reboot io2 >/dev/null
    tap_check "after a reboot, the new init is in that group too" \
        sh -c '[ -n "$1" ] && [ "$1" != "$2" ] && grep -qx "$1" "$3"' _ \
        "$(lxc_init_pid io2)" "$old_init" "$io2_dir/cgroup.procs"
    lxc_vsh blkiotune io2 --device-read-bytes-sec "$blk,0" >/dev/null
    tap_is "with its settings all removed, a command run inside still joins the group" \
        "$(lxc_vsh exec io2 -- sh -c 'grep -E ":(blkio|):" /proc/self/cgroup' | head -n 1 | cut -d: -f3)" "/"
    # a device gone since the start fails neither exec nor anything but a start
    mknod "$LXC_T/disk-node" b "${majmin%:*}" "${majmin#*:}"
    LXC_TUNE="<blkiotune><device><path>$LXC_T/disk-node</path><read_bytes_sec>1048576</read_bytes_sec></device></blkiotune>" \
        LXC_META= lxc_define io3 "$LXC_INIT"
    lxc_vsh start io3 >/dev/null
    rm -f "$LXC_T/disk-node"
    tap_is "exec still runs once a <blkiotune> device node is gone" \
        "$(lxc_vsh exec io3 -- echo ran 2>&1)" "ran"
    lxc_vsh destroy io3 >/dev/null
    # a device weight needs BFQ on that disk; elsewhere the start fails, naming the
    # setting, and leaves nothing
    LXC_TUNE="<blkiotune><device><path>$blk</path><weight>300</weight></device></blkiotune>" \
        LXC_META= lxc_define io4 "$LXC_INIT"
    io4_dir=$(lxc_cgroup_dir io4 blkio)
    if grep -q '\[bfq\]' "/sys/block/${blk#/dev/}/queue/scheduler"; then
        tap_check "a device weight on $blk (BFQ) starts" lxc_vsh start io4
        lxc_vsh destroy io4 >/dev/null
    else
        err=$(lxc_vsh start io4 2>&1)
        st=$?
        tap_check "a device weight on $blk without BFQ: status 1, one error naming it, nothing left" \
            sh -c '[ "$(printf "%s\n" "$1" | wc -l)" = 1 ] &&
                   printf "%s\n" "$1" | grep -q "^error: failed to start domain .io4.: cannot set the I/O weight of block device $2: " &&
                   [ ! -d "$3" ] && [ "$4" = "shut off" ] && [ "$5" = 1 ]' _ \
            "$err" "$majmin" "$io4_dir" "$(lxc_vsh domstate io4)" "$st"
    fi
    err=$(lxc_vsh blkiotune io2 --device-weights /dev/null,500 2>&1)
    tap_is "a path that is not a block device is refused" "$err" \
        "error: failed to set blkio parameters of domain 'io2': cannot use '/dev/null' for the I/O tuning of domain 'io2': not a block device"
    lxc_vsh destroy io2 >/dev/null
fi
