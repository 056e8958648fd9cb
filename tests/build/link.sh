#!/bin/sh
# What each built binary loads at start-up: libvsh must not pull libxml2 in (the XML module
# does, on demand: docs/architecture.md, "The XML module"), vsh must not pull gio, and the
# module must load and give a parsing error with its line through libvsh.
. "$VSH_TOP_SRCDIR/tests/tap.sh"

B=$VSH_TOP_BUILDDIR
LIB=$B/.libs/libvsh.so
MOD=$B/core/.libs/vsh-xml.so
VSH=$B/shell/.libs/vsh
[ -f "$LIB" ] || tap_skip_all "libvsh.so is not built ($LIB)"
command -v readelf >/dev/null || tap_skip_all "readelf (binutils) is not installed"

needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

tap_plan 7
needed "$LIB" | grep -q '^libglib-2.0' && ok "libvsh.so needs glib" || not_ok "libvsh.so needs glib"
if needed "$LIB" | grep -q '^libxml2'; then not_ok "libvsh.so does not need libxml2"
else ok "libvsh.so does not need libxml2"; fi
needed "$MOD" | grep -q '^libxml2' && ok "vsh-xml.so needs libxml2" ||
    not_ok "vsh-xml.so needs libxml2"
if needed "$VSH" | grep -q -e '^libgio' -e '^libxml2'; then not_ok "vsh needs neither gio nor libxml2"
else ok "vsh needs neither gio nor libxml2"; fi

TMP=$(mktemp -d /tmp/vsh-link.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
printf '<domain type="qemu">\n  <name>x</name>\n  <bogus/>\n</domain>\n' > "$TMP/bad.xml"
out=$("$B/shell/vsh" -c "qemu:///embed?root=$TMP/store" define "$TMP/bad.xml" 2>&1)
case $out in
*bad.xml:3:*) ok "a parse through the module reports the line ($out)" ;;
*) not_ok "a parse through the module reports the line ($out)" ;;
esac
out=$(VSH_XML_MODULE=$TMP/none.so "$B/shell/vsh" -c "qemu:///embed?root=$TMP/store" \
    define "$TMP/bad.xml" 2>&1)
status=$?
case $status:$out in
1:"error: failed to define domain from $TMP/bad.xml: cannot load the XML module: "*)
    ok "a missing module is one error line, exit 1" ;;
*) not_ok "a missing module is one error line, exit 1 (exit $status: $out)" ;;
esac
tap_check "nothing was defined without the module" \
    test ! -e "$TMP/store/config/domains/x.xml"
