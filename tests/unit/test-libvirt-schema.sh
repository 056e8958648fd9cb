#!/bin/sh
# libvirt's own schema accepts every lxc and qemu definition vsh writes: each expected output
# under tests/data/xml2xml (NAME.out.xml, or NAME.xml when formatting leaves it unchanged)
# of type lxc or qemu is checked with libvirt's `virt-xml-validate FILE domain`.
top=${VSH_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/tap.sh"

validate=${VIRT_XML_VALIDATE:-$(command -v virt-xml-validate)}
[ -n "$validate" ] && [ -x "$validate" ] ||
    tap_skip_all "virt-xml-validate not found (Debian package libvirt-clients)"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

count=0
for input in "$top"/tests/data/xml2xml/*.xml; do
    case $input in *.out.xml) continue ;; esac
    expected=${input%.xml}.out.xml
    [ -f "$expected" ] || expected=$input
    name=$(basename "$expected")
    type=$(sed -n "s/^<domain type=['\"]\([a-z]*\)['\"].*/\1/p" "$expected" | head -n 1)
    case $type in
    lxc|qemu)
        count=$((count + 1))
        if "$validate" "$expected" domain > "$tmp/out" 2>&1; then
            ok "libvirt accepts $name"
        else
            not_ok "libvirt accepts $name"
            sed 's/^/# /' "$tmp/out"
        fi
        ;;
    esac
done
[ "$count" -gt 0 ] || not_ok "found lxc or qemu definitions under tests/data/xml2xml"
tap_done
