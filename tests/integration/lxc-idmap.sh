#!/bin/sh
# A container with <idmap>: root inside is an unprivileged uid outside. Seen from the
# host through /proc/PID/status, and from inside through id and the namespace's maps.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lxc-common.sh"

tap_plan 10

idmap="<idmap>
    <uid start='0' target='200000' count='65536'/>
    <gid start='0' target='200000' count='65536'/>
  </idmap>
  <features><privnet/></features>"
# Root inside is uid 200000 outside: it must be able to reach the root filesystem.
chmod 755 "$LXC_T"
lxc_define ids "$LXC_INIT" "$idmap"
tap_check "a container with an idmap starts" lxc_vsh start ids
init=$(lxc_init_pid ids)

uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$init/status")
tap_is "init's uids seen from the host are the mapped ones" "$uids" "200000 200000 200000 200000"
gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$init/status")
tap_is "init's gids seen from the host are the mapped ones" "$gids" "200000 200000 200000 200000"
tap_check "init is in a user namespace of its own" \
    test -n "$init" -a "$(readlink "/proc/$init/ns/user")" != "$(readlink /proc/self/ns/user)"

tap_is "root inside: id -u" "$(lxc_vsh exec ids -- id -u)" "0"
map=$(lxc_vsh exec ids -- cat /proc/self/uid_map | awk '{print $1, $2, $3}')
tap_is "the uid map inside" "$map" "0 200000 65536"
# Host root's files are nobody's inside: root of the container cannot change them.
if lxc_vsh exec ids -- sh -c 'echo x >> /etc/passwd' 2>/dev/null; then
    not_ok "root inside cannot write a file of the host's root"
else
    ok "root inside cannot write a file of the host's root"
fi
tap_is "the device nodes work inside the user namespace" \
    "$(lxc_vsh exec ids -- sh -c 'head -c 4 /dev/zero | wc -c')" "4"
tap_is "/dev/console belongs to root inside" \
    "$(lxc_vsh exec ids -- stat -c '%u %g' /dev/console)" "0 0"
tap_check "destroy" lxc_vsh destroy ids
