#!/bin/sh
# The archive and image templates: tar=FILE (gzip, xz, zstd; hostile archives refused
# before anything is written), oci=DIR and oci-archive=FILE (layers in order, whiteouts,
# opaque directories, digests checked, the image config turned into init settings).
. "$VSH_TOP_SRCDIR/tests/install/common.sh"
. "$VSH_TOP_SRCDIR/tests/install/mkoci.sh"

have_driver lxc || tap_skip_all "the lxc driver is not built or not usable here"
URI="lxc:///embed?root=$STORE"
"$VSH" -q -c "$URI" list --all >/dev/null

# ---------------------------------------------------------------- tar=FILE
SRC="$TMP/src"
sh "$MKROOTFS" "$SRC" >/dev/null || tap_skip_all "cannot build a busybox root (busybox-static)"
mkdir -p "$SRC/srv/deep/er"
echo data > "$SRC/srv/deep/er/file"
chmod 4711 "$SRC/srv/deep/er/file"
chown 1000:1000 "$SRC/srv/deep"
ln "$SRC/srv/deep/er/file" "$SRC/srv/hard"
mknod "$SRC/dev/null" c 1 3
mkfifo "$SRC/srv/fifo"
touch -h -d '2001-02-03 04:05:06' "$SRC/srv/deep/er/file" "$SRC/bin/sh"
# names past ustar's 100/155 limits: GNU long-name records and pax headers
long="$SRC/srv/$(printf 'd%.0s' $(seq 1 120))/$(printf 'f%.0s' $(seq 1 130))"
mkdir -p "$(dirname "$long")"
echo long > "$long"
ln -s "$(printf 't%.0s' $(seq 1 140))" "$SRC/srv/longlink"
listing() { (cd "$1" && find . ! -path . -printf '%p %y %m %U %G %l %s\n' | sort); }
tar -C "$SRC" --format=gnu -cf "$TMP/root.tar" .
gzip -c "$TMP/root.tar" > "$TMP/root.tar.gz"
tar -C "$SRC" --format=pax -cf - . | xz -c > "$TMP/root.tar.xz"
zstd -q -c "$TMP/root.tar" > "$TMP/root.tar.zst" 2>/dev/null
for ext in tar.gz tar.xz tar.zst; do
    name=t-$(echo "$ext" | tr . -)
    if [ "$ext" = tar.zst ] && ! command -v zstd >/dev/null 2>&1; then
        tap_skip "zstd is not installed (Debian: zstd)"; tap_skip "zstd"; tap_skip "zstd"
        continue
    fi
    out=$("$VI" --connect "$URI" --name "$name" --template "tar=$TMP/root.$ext" --no-start 2>&1)
    tap_is "tar $ext: defined" "$out" "Domain '$name' defined"
    tap_is "tar $ext: same tree, modes, owners, links" "$(listing "$STORE/rootfs/$name")" \
        "$(listing "$SRC")"
    tap_is "tar $ext: times kept" "$(stat -c %Y "$STORE/rootfs/$name/srv/deep/er/file")" \
        "$(stat -c %Y "$SRC/srv/deep/er/file")"
done
tap_is "tar: hard link kept" "$(stat -c %h "$STORE/rootfs/t-tar-gz/srv/hard")" 2

# Hostile archives: each is refused as a whole, nothing is written anywhere.
mkdir -p "$TMP/evil/in" "$TMP/outside"
echo pwned > "$TMP/evil/escape"
tar -C "$TMP/evil/in" -cPf "$TMP/dotdot.tar" ../escape
echo pwned > "$TMP/evil/abs-file"
tar -cPf "$TMP/absolute.tar" "$TMP/evil/abs-file"
rm "$TMP/evil/escape" "$TMP/evil/abs-file"
ln -s "$TMP/outside" "$TMP/evil/in/link"
echo pwned > "$TMP/evil/payload"
tar -C "$TMP/evil/in" -cf "$TMP/symlink.tar" link
tar -C "$TMP/evil" -rf "$TMP/symlink.tar" --transform 's,^payload$,link/pwned,' payload
expect_error "tar: a '..' member" \
    "'$TMP/dotdot.tar': member '../escape' would be written outside the target directory" \
    "$VI" --connect "$URI" --name evil1 --template "tar=$TMP/dotdot.tar" --no-start
tap_check "tar: nothing written next to the target" test ! -e "$STORE/escape" -a ! -e "$STORE/rootfs/escape"
abs=$(echo "$TMP/evil/abs-file")
expect_error "tar: an absolute member" \
    "'$TMP/absolute.tar': member '$abs' would be written outside the target directory" \
    "$VI" --connect "$URI" --name evil2 --template "tar=$TMP/absolute.tar" --no-start
tap_check "tar: the absolute path was not written" test ! -e "$abs"
expect_error "tar: a member through the archive's symlink" \
    "'$TMP/symlink.tar': member 'link/pwned' goes through the symlink 'link'" \
    "$VI" --connect "$URI" --name evil3 --template "tar=$TMP/symlink.tar" --no-start
tap_is "tar: nothing written through the symlink" "$(ls -A "$TMP/outside")" ""
printf 'not an archive at all, just text padded out to more than one block\n%600s\n' x \
    > "$TMP/junk.tar"
expect_error "tar: not a tar archive" \
    "'$TMP/junk.tar' is not a tar archive (bad header checksum)" \
    "$VI" --connect "$URI" --name evil4 --template "tar=$TMP/junk.tar" --no-start
head -c 3000 "$TMP/root.tar.gz" > "$TMP/cut.tar.gz"
"$VI" --connect "$URI" --name evil5 --template "tar=$TMP/cut.tar.gz" --no-start \
    > /dev/null 2> "$TMP/err"
tap_is "tar: a truncated archive fails" "$?" 1
tap_check "tar: and leaves no root filesystem" test ! -e "$STORE/rootfs/evil5"

# ---------------------------------------------------------------- oci=DIR
oci_layout "$TMP/oci" "$TMP/ociwork"
out=$("$VI" --connect "$URI" --name img --template "oci=$TMP/oci" --no-start 2>&1)
tap_is "oci: defined" "$out" "Domain 'img' defined"
R="$STORE/rootfs/img"
tap_is "oci: lower layer file kept" "$(cat "$R/a/keep")" keep
tap_check "oci: whiteout removed a lower file" test ! -e "$R/a/gone" -a ! -e "$R/a/.wh.gone"
tap_check "oci: opaque directory hid the lower content" test ! -e "$R/opq/old"
tap_is "oci: opaque directory keeps its own layer" "$(cat "$R/opq/new")" new
tap_check "oci: no whiteout markers left" test ! -e "$R/opq/.wh..wh..opq"
tap_is "oci: upper layer file added" "$(cat "$R/a/added")" added
tap_is "oci: modes kept" "$(stat -c %a "$R/usr/bin/tool")" 755
if command -v zstd >/dev/null 2>&1; then
    tap_is "oci: a tar+zstd layer" "$(cat "$R/z/file")" zstd
else
    tap_skip "zstd is not installed (Debian: zstd)"
fi
"$VSH" -c "$URI" dumpxml img > "$TMP/img.xml"
tap_is "oci: Entrypoint[0] is init" "$(xml_value "$TMP/img.xml" /domain/os/init)" /usr/bin/tool
tap_is "oci: Entrypoint rest + Cmd are initargs" \
    "$(xml_value "$TMP/img.xml" 'concat(/domain/os/initarg[1]," ",/domain/os/initarg[2]," ",/domain/os/initarg[3])')" \
    "--serve --port 80"
tap_is "oci: Env is initenv" \
    "$(xml_value "$TMP/img.xml" "/domain/os/initenv[@name='GREETING']")" 'hello "world" & <all>'
tap_is "oci: WorkingDir is initdir" "$(xml_value "$TMP/img.xml" /domain/os/initdir)" /srv
tap_is "oci: User is inituser and initgroup" \
    "$(xml_value "$TMP/img.xml" 'concat(/domain/os/inituser,":",/domain/os/initgroup)')" 1000:100
"$VI" --connect "$URI" --name img-x --template "oci=$TMP/oci" --print-xml > "$TMP/imgp.xml"
tap_is "oci: --print-xml reads the config without unpacking" \
    "$(xml_value "$TMP/imgp.xml" /domain/os/init):$(test -e "$STORE/rootfs/img-x" && echo unpacked)" \
    "/usr/bin/tool:"
if [ -n "$VIRT_XML_VALIDATE" ]; then
    tap_check "oci: --print-xml valid for libvirt's schema" \
        libvirt_validate "$TMP/imgp.xml"
else
    tap_skip "virt-xml-validate not installed (Debian: libvirt-clients)"
fi

# a User without a group: the primary group from the image's own /etc/passwd
OCI_USER=svc oci_layout "$TMP/oci-svc" "$TMP/ociwork-svc"
"$VI" --connect "$URI" --name svc --template "oci=$TMP/oci-svc" --no-start >/dev/null 2>&1
"$VSH" -c "$URI" dumpxml svc > "$TMP/svc.xml"
tap_is "oci: a bare user gets its group from the image's passwd" \
    "$(xml_value "$TMP/svc.xml" 'concat(/domain/os/inituser,":",/domain/os/initgroup)')" svc:77

# oci-archive=FILE: the same layout in one tar
tar -C "$TMP/oci" -cf "$TMP/image.tar" .
out=$("$VI" --connect "$URI" --name arch --template "oci-archive=$TMP/image.tar" --no-start 2>&1)
tap_is "oci-archive: defined" "$out" "Domain 'arch' defined"
tap_is "oci-archive: same tree as oci=DIR" "$(listing "$STORE/rootfs/arch")" "$(listing "$R")"
tap_is "oci-archive: temporary unpack removed" "$(ls -A "$STORE/rootfs" | grep -c oci-)" 0

# a tampered blob is refused and nothing stays behind
cp -a "$TMP/oci" "$TMP/bad"
layer=$(ls -S "$TMP/bad/blobs/sha256" | head -1)
printf 'X' | dd of="$TMP/bad/blobs/sha256/$layer" bs=1 seek=100 conv=notrunc 2>/dev/null
"$VI" --connect "$URI" --name bad --template "oci=$TMP/bad" --no-start >/dev/null 2>"$TMP/err"
tap_is "oci: tampered layer refused" "$?" 1
tap_check "oci: the message names the digest" grep -q "does not match its digest" "$TMP/err"
tap_check "oci: and the root filesystem is gone" test ! -e "$STORE/rootfs/bad"

# hostile layouts: a digest that tries to name a path, and an index that is not JSON
cp -a "$TMP/oci" "$TMP/trav"
sed 's|"digest":"sha256:[0-9a-f]*"|"digest":"sha256:../../../../etc/passwd"|' \
    "$TMP/oci/index.json" > "$TMP/trav/index.json"
expect_error "oci: a digest naming a path" \
    "'$TMP/trav': malformed digest 'sha256:../../../../etc/passwd'" \
    "$VI" --connect "$URI" --name trav --template "oci=$TMP/trav" --no-start
cp -a "$TMP/oci" "$TMP/notjson"
printf '{"schemaVersion": 2, "manifests": [' > "$TMP/notjson/index.json"
expect_error "oci: an index that is not JSON" \
    "$TMP/notjson/index.json: invalid JSON at offset 35: unexpected end of document" \
    "$VI" --connect "$URI" --name notjson --template "oci=$TMP/notjson" --no-start

tap_done
