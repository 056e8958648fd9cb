#!/bin/sh
# The debian template: debootstrap --variant=minbase from the host's apt mirror, progress
# lines when not on a terminal, a root that runs as a container. It downloads a base system
# (minutes); it is the only test that does, and it runs once per `make check`.
. "$VSH_TOP_SRCDIR/tests/install/common.sh"

have_driver lxc || tap_skip_all "the lxc driver is not built or not usable here"
command -v debootstrap >/dev/null 2>&1 || tap_skip_all "debootstrap is not installed (Debian: debootstrap)"
URI="lxc:///embed?root=$STORE"
R="$STORE/rootfs/deb"

"$VI" --connect "$URI" --name deb --template debian --noautoconsole > "$TMP/out" 2> "$TMP/err"
rc=$?
tap_is "debian: exit status" "$rc" 0
if [ $rc -ne 0 ]; then
    sed 's/^/# /' "$TMP/err" "$TMP/out" | tail -20
fi
tap_check "debian: plain progress lines off a terminal" grep -q '^I: Retrieving ' "$TMP/out"
tap_is "debian: the last line says what happened" "$(tail -1 "$TMP/out")" \
    "Domain 'deb' defined and started"
tap_check "debian: a Debian root" test -s "$R/etc/debian_version"
tap_check "debian: minbase has dpkg and apt" test -x "$R/usr/bin/dpkg" -a -x "$R/usr/bin/apt-get"
tap_check "debian: an init" test -x "$R/sbin/init"
tap_is "debian: running" "$(dom_field deb State)" running
tap_is "debian: commands run inside" \
    "$("$VSH" -c "$URI" exec deb -- /bin/sh -c '. /etc/os-release; echo $ID' 2>&1)" debian
mirror=$(sed -n 's/^debootstrap [^ ]* from //p' "$TMP/out")
tap_check "debian: the mirror comes from the host's apt sources ($mirror)" \
    grep -rqs -- "$mirror" /etc/apt/sources.list /etc/apt/sources.list.d

expect_error "debian: a bad suite" "invalid Debian suite 'no/such'" \
    "$VI" --connect "$URI" --name deb2 --template debian:no/such

tap_done
