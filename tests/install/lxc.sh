#!/bin/sh
# vsh-install against the lxc driver, as an admin uses it: the virt-install line from the
# user stories, the console attached without --noautoconsole, the busybox template, and
# `vsh clone` of a container.
. "$VSH_TOP_SRCDIR/tests/install/common.sh"

have_driver lxc || tap_skip_all "the lxc driver is not built or not usable here"
URI="lxc:///embed?root=$STORE"

# The line names /var/lib/vsh/rootfs/taper: use that very path when it is free (and remove
# what we made of it on exit); someone's real root filesystem there is never touched.
TAPER=/var/lib/vsh/rootfs/taper
made=
for d in /var/lib/vsh /var/lib/vsh/rootfs; do
    [ -e "$d" ] || { mkdir "$d" && made="$d $made"; }
done
if [ -e "$TAPER" ]; then
    echo "# $TAPER exists already; the test's root goes into its own store instead"
    TAPER="$STORE/rootfs/taper"
else
    made="$TAPER $made"
fi
taper_cleanup() {
    install_test_cleanup
    for d in $made; do
        if [ "$d" = "$TAPER" ]; then rm -rf "$d"; else rmdir "$d" 2>/dev/null; fi
    done
}
trap taper_cleanup EXIT
sh "$MKROOTFS" "$TAPER" >/dev/null || tap_skip_all "cannot build a busybox root (busybox-static)"

# ---------------------------------------------------------------- the admins' line
out=$("$VI" --connect "$URI" --name esa_maquina --ram 512 --vcpu 1 --filesystem "$TAPER" \
      --noautoconsole 2>&1)
tap_is "the admins' line: one line of output" "$out" "Domain 'esa_maquina' defined and started"
tap_is "esa_maquina is running" "$(dom_field esa_maquina State)" running
tap_is "esa_maquina has 512 MiB" "$(dom_field esa_maquina 'Max memory')" "524288 KiB"
tap_is "esa_maquina has 1 vcpu" "$(dom_field esa_maquina 'CPU(s)')" 1
tap_is "esa_maquina is persistent" "$(dom_field esa_maquina Persistent)" yes
"$VSH" -q -c "$URI" destroy esa_maquina >/dev/null

# ---------------------------------------------------------------- busybox template
out=$("$VI" --connect "$URI" --name caja --template busybox --noautoconsole 2>&1)
tap_is "busybox template: defined and started" "$out" "Domain 'caja' defined and started"
BB="$STORE/rootfs/caja"
tap_check "busybox template: root under the store's rootfs dir" test -x "$BB/bin/busybox"
tap_is "busybox template: applets are relative links" "$(readlink "$BB/usr/bin/wc")" \
    ../../bin/busybox
tap_is "busybox template: /tmp is sticky" "$(stat -c %a "$BB/tmp")" 1777
tap_is "busybox template: root in /etc/passwd" "$(cut -d: -f1,3,6 "$BB/etc/passwd" | head -1)" \
    "root:0:/root"
tap_is "busybox template: init in the XML" \
    "$("$VSH" -c "$URI" dumpxml caja | sed -n 's/.*<init>\(.*\)<\/init>.*/\1/p')" /sbin/init
tap_is "busybox template: a shell runs inside" \
    "$("$VSH" -c "$URI" exec caja -- /bin/sh -c 'echo $((6 * 7))' 2>&1)" 42
# reboot --mode signal: SIGINT, which the template's init takes for ctrl-alt-del
old_id=$("$VSH" -q -c "$URI" domid caja)
"$VSH" -q -c "$URI" reboot caja --mode signal >/dev/null
n=0
while { [ "$(dom_field caja State)" != running ] ||
        [ "$("$VSH" -q -c "$URI" domid caja)" = "$old_id" ]; } && [ $n -lt 100 ]; do
    sleep 0.1; n=$((n + 1))
done
tap_is "busybox template: reboot --mode signal gives a new init, running" \
    "$(dom_field caja State) $([ "$("$VSH" -q -c "$URI" domid caja)" != "$old_id" ] && echo new)" \
    "running new"
tap_is "busybox template: a shell runs inside after the reboot" \
    "$("$VSH" -c "$URI" exec caja -- /bin/sh -c 'echo $((6 * 7))' 2>&1)" 42
"$VSH" -q -c "$URI" shutdown caja >/dev/null
n=0
while [ "$(dom_field caja State)" != "shut off" ] && [ $n -lt 100 ]; do
    sleep 0.1; n=$((n + 1))
done
tap_is "busybox template: its init stops on shutdown" "$(dom_field caja State)" "shut off"

# ---------------------------------------------------------------- the console
if command -v expect >/dev/null 2>&1; then
    cat > "$TMP/console.exp" <<EXP
set timeout 60
spawn $VI --connect $URI --name consola --template busybox
expect "Escape character is" {} timeout { exit 2 }
# The shell inside may still be setting up its terminal (which can discard what was typed
# ahead): ask again until it answers.
set timeout 2
set answered 0
for {set i 0} {\$i < 30} {incr i} {
    send "echo mark-\\\$((6*7))\r"
    expect "mark-42" { set answered 1; break } timeout {}
}
if {!\$answered} { exit 3 }
set timeout 60
send "\035"
expect eof
catch wait result
exit [lindex \$result 3]
EXP
    expect "$TMP/console.exp" > "$TMP/console.log" 2>&1
    tap_is "without --noautoconsole the console is attached, Ctrl+] leaves" "$?" 0
    tap_is "after leaving the console the domain runs on" "$(dom_field consola State)" running
    "$VSH" -q -c "$URI" destroy consola >/dev/null
else
    tap_skip "expect is not installed (Debian: expect)"
    tap_skip "expect is not installed (Debian: expect)"
fi

# ---------------------------------------------------------------- clone
mkdir -p "$BB/srv"
mknod "$BB/srv/null" c 1 3
ln "$BB/etc/passwd" "$BB/srv/passwd-link"
touch -d '2001-02-03 04:05:06' "$BB/srv"
"$VSH" -q -c "$URI" start caja >/dev/null
"$VSH" -c "$URI" clone caja copia > "$TMP/out" 2> "$TMP/err"
tap_is "clone of a running domain: refused" "$?" 1
tap_is "clone of a running domain: the message" "$(cat "$TMP/err")" \
    "error: failed to clone domain 'caja': domain 'caja' is running: shut it down first, or force the copy of a live root filesystem"
tap_check "clone of a running domain: nothing copied" test ! -e "$STORE/rootfs/copia"
"$VSH" -q -c "$URI" destroy caja >/dev/null
tap_is "clone: says so" "$("$VSH" -c "$URI" clone caja copia 2>&1)" \
    "Domain 'copia' cloned from 'caja'"
CP="$STORE/rootfs/copia"
tap_is "clone: same tree" "$(cd "$CP" && find . -printf '%p %y %m %U %G %l\n' | sort)" \
    "$(cd "$BB" && find . -printf '%p %y %m %U %G %l\n' | sort)"
tap_check "clone: files equal" cmp "$BB/bin/busybox" "$CP/bin/busybox"
tap_is "clone: device node kept" "$(stat -c '%F %t:%T' "$CP/srv/null")" \
    "character special file 1:3"
tap_is "clone: hard link kept" "$(stat -c %i "$CP/etc/passwd")" \
    "$(stat -c %i "$CP/srv/passwd-link")"
tap_is "clone: directory time kept" "$(stat -c %Y "$CP/srv")" "$(stat -c %Y "$BB/srv")"
"$VSH" -c "$URI" dumpxml --inactive caja > "$TMP/src.xml"
"$VSH" -c "$URI" dumpxml --inactive copia > "$TMP/new.xml"
tap_check "clone: new uuid" test "$(xml_value "$TMP/src.xml" /domain/uuid)" != \
    "$(xml_value "$TMP/new.xml" /domain/uuid)"
tap_is "clone: root filesystem points at the copy" \
    "$(xml_value "$TMP/new.xml" "/domain/devices/filesystem[target/@dir='/']/source/@dir")" "$CP"
tap_check "clone: starts" "$VSH" -q -c "$URI" start copia
"$VSH" -q -c "$URI" start caja >/dev/null
tap_is "clone --force of a running domain" \
    "$("$VSH" -c "$URI" clone caja copia2 --force 2>&1)" "Domain 'copia2' cloned from 'caja'"
"$VSH" -c "$URI" clone caja copia > "$TMP/out" 2> "$TMP/err"
tap_is "clone onto a taken name: message" "$(cat "$TMP/err")" \
    "error: failed to clone domain 'caja': domain 'copia' already exists"

# MAC addresses: a definition with an interface (no bridge needed to define it)
sed "s|</devices>|<interface type='ethernet'><mac address='52:54:00:aa:bb:cc'/></interface></devices>|" \
    "$TMP/src.xml" | sed "s|<name>caja</name>|<name>connic</name>|; /<uuid>/d" \
    > "$TMP/nic.xml"
"$VSH" -q -c "$URI" define "$TMP/nic.xml" >/dev/null
"$VSH" -q -c "$URI" clone connic connic2 >/dev/null 2>&1
mac=$("$VSH" -c "$URI" dumpxml connic2 | sed -n "s/.*<mac address='\([^']*\)'.*/\1/p")
tap_check "clone: a new MAC address ($mac)" \
    test -n "$mac" -a "$mac" != "52:54:00:aa:bb:cc"

tap_done
