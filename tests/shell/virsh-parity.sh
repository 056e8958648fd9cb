#!/bin/sh
# Output parity with virsh: for the same domains (a running "test" with id 1 and an
# inactive "database-server"), vsh's `list --all` and `dominfo` must have virsh's layout:
# the same header, rule, column positions and keys. virsh runs against libvirt's
# test:///default driver, which needs no daemon.
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
[ -x "$VSH" ] || tap_skip_all "shell/vsh is not built"
command -v virsh > /dev/null || tap_skip_all "virsh is not installed (Debian: libvirt-clients)"

TMP=$(mktemp -d /tmp/vsh-parity.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
HOME="$TMP/home"
mkdir -p "$HOME" "$TMP/store"
export HOME
# one driver only, so that vsh prints no Type column
URI="qemu:///embed?root=$TMP/store"

cat > "$TMP/test.xml" <<'EOF'
<domain type='qemu'>
  <name>test</name>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
    <interface type='ethernet'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <target dev='testnet0'/>
    </interface>
  </devices>
</domain>
EOF
cat > "$TMP/db.xml" <<'EOF'
<domain type='TYPE'>
  <name>database-server</name>
  <memory unit='KiB'>1048576</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
</domain>
EOF
sed 's/TYPE/qemu/' "$TMP/db.xml" > "$TMP/db-qemu.xml"
sed 's/TYPE/test/' "$TMP/db.xml" > "$TMP/db-test.xml"
"$VSH" -q -c "$URI" "define $TMP/test.xml; start test; define $TMP/db-qemu.xml" > /dev/null

# layout: every visible character becomes 'x', so only positions and lengths remain
layout() { sed 's/[^ -]/x/g'; }

virsh_list=$(virsh -c test:///default "define $TMP/db-test.xml; list --all" | sed '1,2d')
vsh_list=$("$VSH" -c "$URI" list --all)
tap_is "list --all: virsh's header line" "$(printf '%s\n' "$vsh_list" | head -n 1)" \
    "$(printf '%s\n' "$virsh_list" | head -n 1)"
tap_is "list --all: the same rule line" "$(printf '%s\n' "$vsh_list" | sed -n 2p)" \
    "$(printf '%s\n' "$virsh_list" | sed -n 2p)"
tap_is "list --all: the same layout" \
    "$(printf '%s\n' "$vsh_list" | layout)" "$(printf '%s\n' "$virsh_list" | layout)"
tap_is "list --all: the same blank line at the end" \
    "$("$VSH" -c "$URI" list --all | tail -n 1 | layout; echo .)" \
    "$(virsh -c test:///default list --all | tail -n 1 | layout; echo .)"
tap_is "list --all: the same text for the same domains" "$vsh_list" "$virsh_list"

virsh_q=$(virsh -q -c test:///default "define $TMP/db-test.xml; list --all")
vsh_q=$("$VSH" -q -c "$URI" list --all)
tap_is "list --all -q: the same layout without header" "$(printf '%s\n' "$vsh_q" | layout)" \
    "$(printf '%s\n' "$virsh_q" | layout)"

virsh_name=$(virsh -c test:///default "define $TMP/db-test.xml; list --all --name" | sed '1,2d')
vsh_name=$("$VSH" -c "$URI" list --all --name)
tap_is "list --all --name: the same lines" "$vsh_name" "$virsh_name"

# the state filters and the id forms: the same domains, lines and fields
for opts in "--state-running" "--state-shutoff" "--all --state-shutoff --name" \
            "--state-paused --name" "--id" "--all --id --name"; do
    tap_is "list $opts: what virsh prints" "$("$VSH" -c "$URI" list $opts)" \
        "$(virsh -c test:///default "define $TMP/db-test.xml; list $opts" | sed '1,2d')"
done

# domstats: the same lines for the groups asked for, the same blank lines between records,
# the same domains kept by a --list-* filter (values aside: each driver has its own)
values() { sed 's/=.*/=V/'; }
tap_is "domstats --state DOMAIN: virsh's lines" \
    "$("$VSH" -c "$URI" domstats --state test | values)" \
    "$(virsh -c test:///default domstats --state test | values)"
tap_is "domstats --state --list-shutoff: the inactive domain, as virsh prints it" \
    "$("$VSH" -c "$URI" domstats --state --list-shutoff | values)" \
    "$(virsh -c test:///default "define $TMP/db-test.xml; domstats --state --list-shutoff" |
       sed '1,2d' | values)"
tap_is "domstats --state: records apart as virsh's, and one blank line at the end" \
    "$("$VSH" -c "$URI" domstats --state | values | sed "s/^Domain: .*/D/"; echo .)" \
    "$(virsh -c test:///default "define $TMP/db-test.xml; domstats --state" | sed '1,2d' |
       values | sed "s/^Domain: .*/D/"; echo .)"

# dumpxml --xpath: the selected nodes as virsh prints them
for args in "--xpath //name" "--xpath /domain/name/text()" "--xpath //name --wrap" \
            "--xpath //nosuch" "--xpath //nosuch --wrap"; do
    tap_is "dumpxml $args: what virsh prints" \
        "$("$VSH" -c "$URI" dumpxml test $args; echo .)" \
        "$(virsh -c test:///default dumpxml test $args; echo .)"
done

# dominfo: the same keys in the same order, values starting in the same column. virsh's
# test driver adds a security label vsh has no counterpart for; vsh adds its Type last.
keys() { sed 's/^\(.\{16\}\).*/\1/'; }
virsh_info=$(virsh -c test:///default dominfo test | grep -v '^Security label:')
vsh_info=$("$VSH" -c "$URI" dominfo test | grep -v '^Type:')
tap_is "dominfo: virsh's keys, order and value column" "$(printf '%s\n' "$vsh_info" | keys)" \
    "$(printf '%s\n' "$virsh_info" | keys)"
tap_check "dominfo: vsh's Type line comes last" \
    sh -c '"$1" -c "$2" dominfo test | grep -v "^$" | tail -n 1 | grep -qx "Type:           qemu"' \
    sh "$VSH" "$URI"
# (libvirt's test driver reports CPU time even for an inactive domain; its real drivers
# leave the line out, as vsh does)
virsh_info=$(virsh -c test:///default "define $TMP/db-test.xml; dominfo database-server" |
    sed '1,2d' | grep -v -e '^Security label:' -e '^CPU time:')
vsh_info=$("$VSH" -c "$URI" dominfo database-server | grep -v '^Type:')
tap_is "dominfo of an inactive domain: the same keys (no CPU time)" \
    "$(printf '%s\n' "$vsh_info" | keys)" "$(printf '%s\n' "$virsh_info" | keys)"

tap_is "domstate --reason: the same form" "$("$VSH" -q -c "$URI" domstate test --reason |
    sed 's/(.*)/(R)/')" "$(virsh -q -c test:///default domstate test --reason | sed 's/(.*)/(R)/')"

# domifstat: the interface as given, then virsh's counter names in virsh's order (the
# values differ: libvirt's test driver makes them up, the stub counts nothing).
counters() { cut -d' ' -f1,2; }
for dev in testnet0 AA:BB:CC:DD:EE:FF; do
    tap_is "domifstat $dev: virsh's lines" \
        "$("$VSH" -q -c "$URI" domifstat test "$dev" | counters)" \
        "$(virsh -q -c test:///default domifstat test "$dev" | counters)"
done
tap_is "domifstat of an unknown interface: libvirt's words" \
    "$("$VSH" -q -c "$URI" domifstat test vnet9 2>&1 | sed 's/.*: //')" \
    "$(virsh -q -c test:///default domifstat test vnet9 2>&1 | tail -n 1 | sed 's/.*: //')"

# desc: the same words shown and set (one session each, so that what is set is seen)
desc_session="desc test --new-desc ''; desc test; desc test --title --new-desc A short title;
 desc test --title; desc test --new-desc Some longer words; desc test;
 desc test --title --new-desc ''; desc test --title"
tap_is "desc: what virsh prints" "$("$VSH" -c "$URI" "$desc_session"; echo .)" \
    "$(virsh -c test:///default "$desc_session"; echo .)"
tap_is "desc -q: what virsh prints" "$("$VSH" -q -c "$URI" "$desc_session"; echo .)" \
    "$(virsh -q -c test:///default "$desc_session"; echo .)"

# attach-interface --print-xml: the element virsh writes (libvirt's test driver plugs
# nothing, but prints the same), in a one-shot run and in a session
for args in "test bridge br0" \
    "test bridge br0 --target tap9 --mac 52:54:00:00:00:01 --model virtio" \
    "test bridge br0 --model e1000 --mac 52:54:00:aa:bb:cc"; do
    tap_is "attach-interface $args --print-xml: what virsh prints" \
        "$("$VSH" -c "$URI" attach-interface $args --print-xml; echo .)" \
        "$(virsh -c test:///default attach-interface $args --print-xml; echo .)"
done
tap_is "attach-interface --print-xml in a session: what virsh prints" \
    "$("$VSH" -c "$URI" "attach-interface test bridge br1 --print-xml; domid test"; echo .)" \
    "$(virsh -c test:///default "attach-interface test bridge br1 --print-xml; domid test"; echo .)"

# cpu-stats: virsh's headings and the width of its lines (the values differ: libvirt's test
# driver makes up times per CPU that a modelled VM does not have)
tap_is "cpu-stats --total: virsh's heading and line width" \
    "$("$VSH" -c "$URI" cpu-stats test --total | sed -n '1,2p' | awk '{ print NR == 1 ? $0 : length($0) }')" \
    "$(virsh -c test:///default cpu-stats test --total | sed -n '1,2p' | awk '{ print NR == 1 ? $0 : length($0) }')"

# blkiotune of a domain with no I/O settings: virsh's lines, blank line at the end
tap_is "blkiotune: what virsh prints" "$("$VSH" -c "$URI" blkiotune test; echo .)" \
    "$(virsh -c test:///default blkiotune test; echo .)"

tap_is "help: virsh's section headings" \
    "$("$VSH" -q help start | grep -E '^  [A-Z]+$')" \
    "$(virsh -q help start | grep -E '^  [A-Z]+$')"

tap_done
