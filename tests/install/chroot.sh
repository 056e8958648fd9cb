#!/bin/sh
# vsh-install and clone for chroot jails: the busybox template's init runs as an ordinary
# process of the host (not PID 1), stops on shutdown, and a clone starts on its own.
. "$VSH_TOP_SRCDIR/tests/install/common.sh"

have_driver chroot || tap_skip_all "the chroot driver is not built or not usable here"
URI="chroot:///embed?root=$STORE"

out=$("$VI" --connect "$URI" --name jaula --template busybox --ram 64 --noautoconsole 2>&1)
tap_is "jail: defined and started" "$out" "Domain 'jaula' defined and started"
tap_is "jail: running" "$(dom_field jaula State)" running
tap_is "jail: its type" "$(dom_field jaula Type)" chroot
tap_is "jail: memory" "$(dom_field jaula 'Max memory')" "65536 KiB"
tap_is "jail: a shell runs inside" \
    "$("$VSH" -c "$URI" exec jaula -- /bin/sh -c 'echo $((6 * 7))' 2>&1)" 42
"$VSH" -q -c "$URI" shutdown jaula >/dev/null
n=0
while [ "$(dom_field jaula State)" != "shut off" ] && [ $n -lt 100 ]; do
    sleep 0.1; n=$((n + 1))
done
tap_is "jail: the template's init stops on shutdown" "$(dom_field jaula State)" "shut off"
expect_error "jail: no bridges" \
    "a chroot jail shares the host's network: --network bridge=... needs --virt-type lxc" \
    "$VI" --connect "$URI" --name jaula2 --template busybox --network bridge=lo
tap_is "jail: clone" "$("$VSH" -c "$URI" clone jaula jaula2 2>&1)" \
    "Domain 'jaula2' cloned from 'jaula'"
tap_check "jail: the clone starts" "$VSH" -q -c "$URI" start jaula2
tap_is "jail: the clone runs from its own root" \
    "$("$VSH" -c "$URI" dumpxml jaula2 | sed -n "s/.*<source dir='\([^']*\)'.*/\1/p")" \
    "$STORE/rootfs/jaula2"

tap_done
