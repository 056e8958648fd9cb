#!/bin/sh
# Two containers on one bridge reach each other over their <ip> addresses. The bridge and
# the containers' host ends live in a network namespace this test creates, and vsh runs
# inside it (ip netns exec), so nothing here touches the host's own network.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lxc-common.sh"

command -v ip >/dev/null || tap_skip_all "ip (iproute2) is not installed"
tap_plan 67

LXC_NETNS="vsh-lxc-net-$$"
ip netns add "$LXC_NETNS" || { echo "Bail out! cannot create a network namespace"; exit 1; }
nsip() { ip netns exec "$LXC_NETNS" ip "$@"; }
nsip link add vshbr0 type bridge
nsip link set vshbr0 up

net_xml() {
    cat <<EOF
<interface type='bridge'>
      <source bridge='$1'/>
      <mac address='$2'/>
      <ip address='$3' prefix='24'/>
      <route address='10.99.0.0' prefix='16' gateway='10.77.0.254'/>
    </interface>
EOF
}
lxc_define neta "$LXC_INIT" "" "$(net_xml vshbr0 52:54:00:aa:00:02 10.77.0.2)"
lxc_define netb "$LXC_INIT" "" "$(net_xml vshbr0 52:54:00:aa:00:03 10.77.0.3)"
tap_check "start the first container on the bridge" lxc_ns_vsh start neta
tap_check "start the second container on the bridge" lxc_ns_vsh start netb

ports=$(nsip -o link show master vshbr0 | wc -l)
tap_is "both host ends are attached to the bridge" "$ports" 2
tap_check "ping from the first to the second container" \
    lxc_ns_vsh exec neta -- ping -c 1 -W 5 10.77.0.3
tap_check "ping from the second to the first container" \
    lxc_ns_vsh exec netb -- ping -c 1 -W 5 10.77.0.2

link=$(lxc_ns_vsh exec neta -- ip -o link show eth0)
case $link in
    *"52:54:00:aa:00:02"*) ok "eth0 inside has the MAC from the XML" ;;
    *) not_ok "eth0 inside has the MAC from the XML: $link" ;;
esac
addr=$(lxc_ns_vsh exec neta -- ip -o -4 addr show eth0)
case $addr in
    *"10.77.0.2/24"*) ok "eth0 inside has the address from the XML" ;;
    *) not_ok "eth0 inside has the address from the XML: $addr" ;;
esac
route=$(lxc_ns_vsh exec neta -- ip route show 10.99.0.0/16)
case $route in
    *"via 10.77.0.254"*) ok "the route from the XML is installed" ;;
    *) not_ok "the route from the XML is installed: $route" ;;
esac
lo=$(lxc_ns_vsh exec neta -- ip -o link show lo)
case $lo in
    *"UP"*) ok "lo is up inside" ;;
    *) not_ok "lo is up inside: $lo" ;;
esac
host_dev=$(lxc_ns_vsh dumpxml neta | sed -n "s/.*<target dev='\([^']*\)'.*/\1/p" | head -1)
tap_check "the live XML names the host end ($host_dev)" nsip link show "$host_dev"
# domiflist (-q: no header): the host end, its bridge and MAC while running; no host end
# in the definition.
tap_is "domiflist of a running container" \
    "$(lxc_ns_vsh domiflist neta | tr -s ' ')" " $host_dev bridge vshbr0 - 52:54:00:aa:00:02"
tap_is "domiflist --inactive shows no host end" \
    "$(lxc_ns_vsh domiflist neta --inactive | tr -s ' ')" " - bridge vshbr0 - 52:54:00:aa:00:02"
tap_check "the host end domiflist names is on the bridge" \
    sh -c "ip netns exec $LXC_NETNS ip -o link show $host_dev | grep -q 'master vshbr0'"

# domifstat after the pings: the container's counters are its host end's, swapped (what the
# host end received, the container sent). The host end's own come from /sys as the kernel
# shows it inside the namespace; both are read again until nothing moved in between (IPv6
# neighbour discovery may still be sending). A ping nobody answers first makes the
# container send more than it receives, so that a missing swap shows.
lxc_ns_vsh exec neta -- ping -c 1 -W 1 10.77.0.99 >/dev/null 2>&1
host_counters() {
    ip netns exec "$LXC_NETNS" sh -c \
        "cd /sys/class/net/$host_dev/statistics && echo \$(cat rx_bytes) \$(cat tx_bytes)"
}
ifstat_value() { printf '%s\n' "$ifstat" | awk -v k="$1" '$2 == k { print $3 }'; }
tries=0
while :; do
    before=$(host_counters)
    ifstat=$(lxc_ns_vsh domifstat neta "$host_dev")
    after=$(host_counters)
    tries=$((tries + 1))
    [ "$before" = "$after" ] || [ "$tries" -ge 20 ] && break
    sleep 0.2
done
printf '%s\n' "$ifstat" | sed 's/^/# /'
echo "# host end $host_dev: rx_bytes tx_bytes = $after"
case $(ifstat_value rx_packets):$(ifstat_value tx_packets) in
    0:*|*:0|:*|*:) not_ok "domifstat counts packets both ways after the pings: $ifstat" ;;
    *) ok "domifstat counts packets both ways after the pings" ;;
esac
tap_is "domifstat tx_bytes is the host end's rx_bytes" "$(ifstat_value tx_bytes)" "${after% *}"
tap_is "domifstat rx_bytes is the host end's tx_bytes" "$(ifstat_value rx_bytes)" "${after#* }"
# From another network namespace (the host's: the test runs its containers in one of its
# own), the counters are still the host end's, read in the namespace the container was
# started from.
outside=$(lxc_vsh domifstat neta "$host_dev" 2>&1)
printf '%s\n' "$outside" | sed 's/^/# from outside: /'
tx_outside=$(printf '%s\n' "$outside" | awk '$2 == "tx_bytes" { print $3 }')
case $tx_outside in
    ''|*[!0-9]*) not_ok "domifstat from another network namespace: $outside" ;;
    *) if [ "$tx_outside" -ge "$(ifstat_value tx_bytes)" ]; then
           ok "domifstat from another network namespace reads the host end's"
       else
           not_ok "domifstat from another network namespace: tx_bytes went down to $tx_outside"
       fi ;;
esac
stats=$(lxc_ns_vsh domstats neta)
printf '%s\n' "$stats" | sed 's/^/# /'
case $stats in
    *"net.count=1"*"net.0.name=$host_dev"*"net.0.rx.pkts="[1-9]*"net.0.tx.pkts="[1-9]*)
        ok "domstats names the host end and counts its packets" ;;
    *) not_ok "domstats names the host end and counts its packets: $stats" ;;
esac

# Hot-plugging: a second interface into each running container, on the same bridge with
# addresses of their own, then out again. Only the live definitions change.
plug_xml() {
    cat > "$LXC_T/$1.xml" <<EOF
<interface type='bridge'>
  <source bridge='vshbr0'/>
  <mac address='$2'/>
  <ip address='$3' prefix='24'/>
</interface>
EOF
}
plug_xml plug-a 52:54:00:aa:00:12 10.88.0.2
plug_xml plug-b 52:54:00:aa:00:13 10.88.0.3
tap_check "attach-device plugs an interface into a running container" \
    lxc_ns_vsh attach-device neta "$LXC_T/plug-a.xml"
tap_check "attach-device --live into the second" \
    lxc_ns_vsh attach-device netb "$LXC_T/plug-b.xml" --live
link=$(lxc_ns_vsh exec neta -- ip -o link show eth1)
case $link in
    *"52:54:00:aa:00:12"*) ok "the plugged interface is eth1 inside, with its MAC" ;;
    *) not_ok "the plugged interface is eth1 inside, with its MAC: $link" ;;
esac
case $link in
    *"<"*"UP"*">"*) ok "the plugged interface is up" ;;
    *) not_ok "the plugged interface is up: $link" ;;
esac
tap_check "ping over the plugged interfaces" \
    lxc_ns_vsh exec neta -- ping -c 1 -W 5 10.88.0.3
tap_is "four host ends on the bridge" "$(nsip -o link show master vshbr0 | wc -l)" 4
plugged=$(lxc_ns_vsh domiflist neta | awk '$5 == "52:54:00:aa:00:12" { print $1 }')
tap_check "domiflist names the plugged host end ($plugged), which is on the bridge" \
    sh -c "[ -n '$plugged' ] && ip netns exec $LXC_NETNS ip -o link show '$plugged' | grep -q 'master vshbr0'"
tap_check "the live XML says where it went inside" \
    sh -c "'$VSH' -q -c '$LXC_URI' dumpxml neta | grep -q \"<guest dev='eth1'/>\""
tap_is "the definition is unchanged" "$(lxc_ns_vsh domiflist neta --inactive | wc -l)" 1
tap_check "detach-device takes it out again" \
    lxc_ns_vsh detach-device neta "$LXC_T/plug-a.xml"
tap_check "eth1 is gone inside" sh -c "! '$VSH' -q -c '$LXC_URI' exec neta -- ip link show eth1 >/dev/null 2>&1"
tap_check "its host end is gone" sh -c "! ip netns exec $LXC_NETNS ip link show '$plugged' >/dev/null 2>&1"
tap_check "eth0 still reaches the other container" \
    lxc_ns_vsh exec neta -- ping -c 1 -W 5 10.77.0.3
# detach-interface finds it by MAC, as virsh does; attach-interface writes the element.
tap_check "attach-interface into a running container" \
    lxc_ns_vsh attach-interface neta bridge vshbr0 --mac 52:54:00:aa:00:14
tap_check "detach-interface by MAC" \
    lxc_ns_vsh detach-interface neta bridge --mac 52:54:00:AA:00:14
err=$(lxc_ns_vsh detach-interface neta bridge --mac 52:54:00:aa:00:14 2>&1)
case $err in
    *"no interface of type 'bridge' with MAC address 52:54:00:aa:00:14"*) ok "detaching it twice names what is missing" ;;
    *) not_ok "detaching it twice names what is missing: $err" ;;
esac
# Failures leave nothing: a missing bridge, an interface name already used inside.
veths=$(nsip -o link show type veth | wc -l)
err=$(lxc_ns_vsh attach-interface neta bridge vshbr9 2>&1)
case $err in
    *"vshbr9"*) ok "a missing bridge is named when plugging" ;;
    *) not_ok "a missing bridge is named when plugging: $err" ;;
esac
printf "<interface type='ethernet'><guest dev='eth0'/></interface>\n" > "$LXC_T/plug-dup.xml"
err=$(lxc_ns_vsh attach-device neta "$LXC_T/plug-dup.xml" 2>&1)
case $err in
    *"eth0"*"File exists"*) ok "a guest name in use inside is refused" ;;
    *) not_ok "a guest name in use inside is refused: $err" ;;
esac
tap_is "failed plugs leave no veth behind" "$(nsip -o link show type veth | wc -l)" "$veths"
tap_is "failed plugs leave the live definition as it was" \
    "$(lxc_ns_vsh domiflist neta | wc -l)" 1
printf "<filesystem type='mount'><source dir='/tmp'/><target dir='/mnt'/></filesystem>\n" > "$LXC_T/fs.xml"
err=$(lxc_ns_vsh attach-device neta "$LXC_T/fs.xml" 2>&1)
tap_is "a filesystem is not plugged into a running container: the error, exit 1" "$err ($?)" \
    "error: failed to attach device from $LXC_T/fs.xml: a filesystem cannot be attached to running container 'neta': change its definition (--config), the container has it from its next start (1)"
# --config: the definition alone, for the next start.
tap_check "attach-interface --config" \
    lxc_ns_vsh attach-interface neta bridge vshbr0 --mac 52:54:00:aa:00:15 --config
tap_is "the definition has it, the running container not" \
    "$(lxc_ns_vsh domiflist neta --inactive | wc -l):$(lxc_ns_vsh domiflist neta | wc -l)" "2:1"
tap_check "detach-interface --config" \
    lxc_ns_vsh detach-interface neta bridge --mac 52:54:00:aa:00:15 --config
# A reboot starts init afresh in new namespaces: the interfaces of the start and those
# plugged in since come back, those taken out do not.
old_init=
neta_rebooted() {
    new_init=$(lxc_init_pid neta)
    [ -n "$new_init" ] && [ "$new_init" != "$old_init" ] &&
        lxc_ns_vsh exec neta -- true 2>/dev/null
}
lxc_ns_vsh attach-device neta "$LXC_T/plug-a.xml" >/dev/null
old_init=$(lxc_init_pid neta)
tap_check "reboot a container with a plugged interface" lxc_ns_vsh reboot neta
tap_check "a new init runs" lxc_wait neta_rebooted
tap_check "after the reboot, eth0 reaches the other container" \
    lxc_ns_vsh exec neta -- ping -c 1 -W 5 10.77.0.3
tap_check "and the plugged interface is back, with its address" \
    lxc_ns_vsh exec neta -- ping -c 1 -W 5 10.88.0.3
tap_is "the bridge has the first container's two host ends and the second's two" \
    "$(nsip -o link show master vshbr0 | wc -l)" 4
lxc_ns_vsh detach-device neta "$LXC_T/plug-a.xml" >/dev/null
old_init=$(lxc_init_pid neta)
lxc_ns_vsh reboot neta >/dev/null
tap_check "a second reboot, after unplugging" lxc_wait neta_rebooted
tap_check "the unplugged interface stays out" \
    sh -c "! '$VSH' -q -c '$LXC_URI' exec neta -- ip link show eth1 >/dev/null 2>&1"
tap_is "the bridge has one host end of the first container left" \
    "$(nsip -o link show master vshbr0 | wc -l)" 3

# A plugged interface goes with destroy like the others (checked below: no port left).
tap_check "plug a third interface into the second container before destroy" \
    lxc_ns_vsh attach-interface netb ethernet --target vshplugb0

lxc_destroy_both() { lxc_ns_vsh destroy neta >/dev/null && lxc_ns_vsh destroy netb >/dev/null; }
tap_check "destroy both" lxc_destroy_both
lxc_no_ports() { [ "$(nsip -o link show master vshbr0 | wc -l)" -eq 0 ]; }
tap_check "the veth pairs are gone after destroy" lxc_wait lxc_no_ports
tap_check "so is the plugged ethernet one, when destroy returns" \
    sh -c "! ip netns exec $LXC_NETNS ip link show vshplugb0 >/dev/null 2>&1"

# A missing bridge: a clear error and nothing created.
lxc_define netc "$LXC_INIT" "" "$(net_xml vshbr9 52:54:00:aa:00:04 10.77.0.4)"
err=$(lxc_ns_vsh start netc 2>&1)
case $err in
    *"bridge 'vshbr9'"*) ok "a missing bridge is named in the error" ;;
    *) not_ok "a missing bridge is named in the error: $err" ;;
esac
tap_is "a failed start leaves no veth behind" "$(nsip -o link show type veth | wc -l)" 0

# A <target dev> name that is taken: the start fails and the other interface survives.
nsip link add vshtaken0 type bridge
lxc_define nete "$LXC_INIT" "" "<interface type='ethernet'><target dev='vshtaken0'/></interface>"
err=$(lxc_ns_vsh start nete 2>&1)
case $err in
    *"vshtaken0"*"File exists"*) ok "a taken host interface name is reported" ;;
    *) not_ok "a taken host interface name is reported: $err" ;;
esac
tap_check "the interface that had the name is left alone" \
    sh -c "ip netns exec $LXC_NETNS ip -d link show vshtaken0 | grep -q bridge"

# type='ethernet': the host end stays unattached, named by <target dev>.
lxc_define netd "$LXC_INIT" "" "<interface type='ethernet'><target dev='vshethd0'/><ip address='10.78.0.2' prefix='24'/></interface>"
lxc_ns_vsh start netd
tap_check "an ethernet interface leaves its host end unattached" \
    sh -c "ip netns exec $LXC_NETNS ip -o link show vshethd0 | grep -vq master"
# A monitor that dies after a plug: the next look cleans up, and the next start's reboot
# does not take this run's interfaces.
lxc_ns_vsh attach-interface netd ethernet --target vshethd1 >/dev/null
tap_check "a plug writes the interfaces a reboot takes" test -f "$LXC_T/store/state/netd.launch"
kill -9 "$(lxc_monitor_pid netd)"
netd_crashed() { [ "$(lxc_ns_vsh domstate netd --reason)" = "shut off (crashed)" ]; }
tap_check "the container whose monitor was killed is shut off (crashed)" lxc_wait netd_crashed
tap_check "and what the plug wrote is gone" test ! -e "$LXC_T/store/state/netd.launch"

# A container on the host's network (no interface, no <privnet/>) has no namespace of its
# own to plug into: only its definition can take an interface.
lxc_define netf "$LXC_INIT"
lxc_ns_vsh start netf
err=$(lxc_ns_vsh attach-interface netf ethernet 2>&1)
case $err in
    *"shares the host's network"*"--config"*) ok "plugging into a container on the host's network is refused" ;;
    *) not_ok "plugging into a container on the host's network is refused: $err" ;;
esac
# asked from another network namespace: the container's network is still its monitor's
err=$(lxc_vsh attach-interface netf ethernet 2>&1)
case $err in
    *"shares the host's network"*) ok "and so from another network namespace" ;;
    *) not_ok "and so from another network namespace: $err" ;;
esac
lxc_ns_vsh destroy netf >/dev/null

# destroy from another network namespace: the plugged host end is deleted where the
# container's monitor made it, and an interface of the same name where vsh runs is left
# alone.
LXC_NETNS2="vsh-lxc-net2-$$"
ip netns add "$LXC_NETNS2"
ip netns exec "$LXC_NETNS2" ip link add vshsameg0 type bridge
lxc_define netg "$LXC_INIT" "<features><privnet/></features>"
lxc_ns_vsh start netg
lxc_ns_vsh attach-interface netg ethernet --target vshsameg0 >/dev/null
tap_check "destroy from another network namespace" \
    nsenter --net="/run/netns/$LXC_NETNS2" "$VSH" -q -c "$LXC_URI" destroy netg
tap_check "the plugged host end is gone where it was made" \
    sh -c "! ip netns exec $LXC_NETNS ip link show vshsameg0 >/dev/null 2>&1"
tap_check "the same name in the other namespace is left alone" \
    ip netns exec "$LXC_NETNS2" ip link show vshsameg0
ip netns del "$LXC_NETNS2" && LXC_NETNS2=
