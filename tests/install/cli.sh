#!/bin/sh
# vsh-install's command line: every error is one line, exit 1, before anything is created;
# --print-xml and --dry-run create nothing; the printed XML validates (vsh's schema and
# libvirt's) and round-trips through `vsh define`.
. "$VSH_TOP_SRCDIR/tests/install/common.sh"

have_driver lxc || tap_skip_all "the lxc driver is not built or not usable here"
have_driver qemu || tap_skip_all "the qemu-stub driver is not built"
URI="lxc:///embed?root=$STORE"
ALL="vsh:///embed?root=$STORE"
ROOT="$TMP/rootfs-ok"
sh "$MKROOTFS" "$ROOT" >/dev/null || tap_skip_all "cannot build a busybox root (busybox-static)"

# the store exists before the checks, so "unchanged" compares like with like
"$VSH" -q -c "$ALL" list --all >/dev/null
cat > "$TMP/taken.xml" <<XML
<domain type='qemu'>
  <name>taken</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
XML
"$VSH" -q -c "$ALL" define "$TMP/taken.xml" >/dev/null

# ---------------------------------------------------------------- errors
expect_error "missing root filesystem" \
    "root filesystem directory '$TMP/nope' does not exist" \
    "$VI" --connect "$URI" --name a1 --filesystem "$TMP/nope" --noautoconsole
expect_error "name taken by a domain of another type" \
    "domain 'taken' already exists (type qemu)" \
    "$VI" --connect "$URI" --name taken --filesystem "$ROOT" --noautoconsole
expect_error "bridge that does not exist" "bridge 'vshnobr0' does not exist" \
    "$VI" --connect "$URI" --name a2 --filesystem "$ROOT" --network bridge=vshnobr0
expect_error "memory below the floor" "memory of 8 MiB is below the minimum of 16 MiB" \
    "$VI" --connect "$URI" --name a3 --ram 8 --filesystem "$ROOT"
expect_error "memory not a number" "invalid memory size 'lots': expected a number of MiB" \
    "$VI" --connect "$URI" --name a3 --memory lots --filesystem "$ROOT"
expect_error "vcpus zero" "invalid vcpu count '0': expected 1-4096" \
    "$VI" --connect "$URI" --name a3 --vcpus 0 --filesystem "$ROOT"
expect_error "console options in conflict" \
    "--noautoconsole conflicts with --autoconsole text" \
    "$VI" --connect "$URI" --name a4 --filesystem "$ROOT" --noautoconsole --autoconsole text
expect_error "transient and autostart" "--transient conflicts with --autostart" \
    "$VI" --connect "$URI" --name a4 --filesystem "$ROOT" --transient --autostart
expect_error "type against the URI" \
    "--virt-type chroot conflicts with the connection URI '$URI'" \
    "$VI" --connect "$URI" --name a5 --virt-type chroot --filesystem "$ROOT"
expect_error "VM option for a container" "--disk is for virtual machines (--virt-type qemu)" \
    "$VI" --connect "$URI" --name a5 --filesystem "$ROOT" --disk "$TMP/d.img,size=1"
expect_error "container option for a VM" \
    "--filesystem is for containers and jails, not for virtual machines" \
    "$VI" --connect "$ALL" --name a5 --virt-type qemu --filesystem "$ROOT"
expect_error "unknown template" \
    "unknown template 'centos' (busybox, debian[:SUITE], tar=FILE, oci=DIR, oci-archive=FILE)" \
    "$VI" --connect "$URI" --name a6 --template centos
expect_error "template file missing" "template 'tar=$TMP/no.tar': '$TMP/no.tar' is not a file" \
    "$VI" --connect "$URI" --name a6 --template "tar=$TMP/no.tar"
expect_error "bad name" \
    "invalid domain name '../evil': use 1-64 of A-Z a-z 0-9 _ . - not starting with '.' or '-'" \
    "$VI" --connect "$URI" --name ../evil --filesystem "$ROOT"
expect_error "no name" "--name is required" "$VI" --connect "$URI" --filesystem "$ROOT"
expect_error "no root filesystem" \
    "a container needs a root filesystem: --filesystem DIR or --template TEMPLATE" \
    "$VI" --connect "$URI" --name a7
expect_error "stray argument" "unexpected argument 'extra'" \
    "$VI" --connect "$URI" --name a7 --filesystem "$ROOT" extra
expect_error "disk without size" \
    "disk '$TMP/absent.img' does not exist (add size=GiB to create it)" \
    "$VI" --connect "$ALL" --name a8 --virt-type qemu --disk "$TMP/absent.img"
expect_error "bad mac" "invalid --network 'bridge=lo,mac=01:00:5e:00:00:01': bad item 'mac=01:00:5e:00:00:01'" \
    "$VI" --connect "$URI" --name a9 --filesystem "$ROOT" \
    --network bridge=lo,mac=01:00:5e:00:00:01
mkdir -p "$STORE/rootfs/a10"
expect_error "template over an existing root" \
    "root filesystem directory '$STORE/rootfs/a10' already exists" \
    "$VI" --connect "$URI" --name a10 --template busybox
rmdir "$STORE/rootfs/a10"

# A failure after the root filesystem was made: init cannot run, so the start fails; the
# definition and the root this run made are gone again.
before=$(store_snapshot)
"$VI" --connect "$URI" --name late --template busybox --init /no/such/init \
    --noautoconsole > "$TMP/out" 2> "$TMP/err"
tap_is "failed start: exit status" "$?" 1
tap_check "failed start: one error line" \
    test "$(wc -l < "$TMP/err")" -eq 1 -a "$(cut -c1-7 "$TMP/err")" = "error: "
tap_is "failed start: root filesystem and definition removed" "$(store_snapshot)" "$before"

# ---------------------------------------------------------------- --print-xml, --dry-run
before=$(store_snapshot)
"$VI" --connect "$URI" --name web --ram 256 --vcpus 2 --filesystem "$ROOT" \
    --filesystem "$TMP,/srv/data" --init /bin/sh --init-arg -c --init-arg 'echo <&> "q"' \
    --network none --print-xml > "$TMP/web.xml"
tap_is "print-xml: exit status" "$?" 0
tap_is "print-xml: nothing created" "$(store_snapshot)" "$before"
tap_check "print-xml: valid for vsh's schema" \
    xmllint --noout --relaxng "$SCHEMA" "$TMP/web.xml" 2>/dev/null
if [ -n "$VIRT_XML_VALIDATE" ]; then
    tap_check "print-xml: valid for libvirt's schema" libvirt_validate "$TMP/web.xml"
else
    tap_skip "virt-xml-validate not installed (Debian: libvirt-clients)"
fi
tap_is "print-xml: memory in KiB" "$(xml_value "$TMP/web.xml" /domain/memory)" 262144
tap_is "print-xml: init argument escaped and kept" \
    "$(xml_value "$TMP/web.xml" '/domain/os/initarg[2]')" 'echo <&> "q"'
tap_is "print-xml: second filesystem" \
    "$(xml_value "$TMP/web.xml" "/domain/devices/filesystem[target/@dir='/srv/data']/source/@dir")" \
    "$TMP"
tap_is "print-xml: --network none is a private network" \
    "$(xml_value "$TMP/web.xml" 'count(/domain/features/privnet)')" 1
uuid=$(xml_value "$TMP/web.xml" /domain/uuid)
tap_check "print-xml: defines with vsh define" "$VSH" -q -c "$URI" define "$TMP/web.xml"
"$VSH" -c "$URI" dumpxml --inactive web > "$TMP/web-back.xml"
tap_is "round trip: same uuid" "$(xml_value "$TMP/web-back.xml" /domain/uuid)" "$uuid"
tap_is "round trip: same init arguments" \
    "$(xml_value "$TMP/web-back.xml" 'concat(/domain/os/initarg[1],/domain/os/initarg[2])')" \
    '-cecho <&> "q"'
"$VSH" -q -c "$URI" undefine web >/dev/null

"$VI" --connect "$ALL" --name vm --virt-type qemu --disk "$TMP/vm.img,size=1" --boot hd,cdrom \
    --print-xml > "$TMP/vm.xml"
tap_check "print-xml qemu: valid for vsh's schema" \
    xmllint --noout --relaxng "$SCHEMA" "$TMP/vm.xml" 2>/dev/null
if [ -n "$VIRT_XML_VALIDATE" ]; then
    tap_check "print-xml qemu: valid for libvirt's schema" \
        libvirt_validate "$TMP/vm.xml"
else
    tap_skip "virt-xml-validate not installed (Debian: libvirt-clients)"
fi
tap_check "print-xml qemu: the disk image is not created" test ! -e "$TMP/vm.img"

if have_driver chroot; then
    "$VI" --connect "chroot:///embed?root=$STORE" --name jail --filesystem "$ROOT" \
        --print-xml > "$TMP/jail.xml"
    tap_check "print-xml chroot: valid for vsh's schema" \
        xmllint --noout --relaxng "$SCHEMA" "$TMP/jail.xml" 2>/dev/null
    tap_is "print-xml chroot: type from the URI" "$(xml_value "$TMP/jail.xml" /domain/@type)" \
        chroot
else
    tap_skip "the chroot driver is not built"
    tap_skip "the chroot driver is not built"
fi

before=$(store_snapshot)
"$VI" --connect "$URI" --name dry --template busybox --dry-run > "$TMP/out"
tap_is "dry-run: exit status" "$?" 0
tap_is "dry-run: says so" "$(cat "$TMP/out")" "Dry run completed successfully"
tap_is "dry-run: nothing created" "$(store_snapshot)" "$before"

# ---------------------------------------------------------------- a VM end to end
"$VI" --connect "$ALL" --name vm --virt-type qemu --disk "$TMP/vm.img,size=1" -q \
    --noautoconsole > "$TMP/out"
tap_is "qemu: -q prints nothing" "$(cat "$TMP/out")" ""
tap_is "qemu: sparse disk of 1 GiB" "$(stat -c %s "$TMP/vm.img")" 1073741824
tap_is "qemu: running" "$(dom_field vm State "$ALL")" running

tap_done
