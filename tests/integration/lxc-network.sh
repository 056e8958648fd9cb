#!/bin/sh
# Two containers on one bridge reach each other over their <ip> addresses. The bridge and
# the containers' host ends live in a network namespace this test creates, and vsh runs
# inside it (ip netns exec), so nothing here touches the host's own network.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lxc-common.sh"

command -v ip >/dev/null || tap_skip_all "ip (iproute2) is not installed"
tap_plan 25

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

lxc_destroy_both() { lxc_ns_vsh destroy neta >/dev/null && lxc_ns_vsh destroy netb >/dev/null; }
tap_check "destroy both" lxc_destroy_both
lxc_no_ports() { [ "$(nsip -o link show master vshbr0 | wc -l)" -eq 0 ]; }
tap_check "the veth pairs are gone after destroy" lxc_wait lxc_no_ports

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
lxc_ns_vsh destroy netd >/dev/null
