# mkoci.sh — sourced: oci_blob and oci_layout build a small OCI image layout with the
# system's tar, gzip and sha256sum (no registry, no image tools).

# oci_blob LAYOUT FILE MEDIATYPE: moves FILE into LAYOUT/blobs/sha256 and prints its
# descriptor as JSON.
oci_blob() {
    sum=$(sha256sum "$2" | cut -d' ' -f1)
    size=$(stat -c %s "$2")
    mkdir -p "$1/blobs/sha256"
    mv "$2" "$1/blobs/sha256/$sum"
    printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$3" "$sum" "$size"
}

# oci_layout LAYOUT WORKDIR: an image of two layers for this machine, reached through a
# nested image index that also lists an arm64 image whose blobs are missing (picking it
# would fail). Layer 1 (tar+gzip): a/keep a/gone opq/old usr/bin/tool. Layer 2 (tar): a
# whiteout of a/gone, opq/ made opaque, opq/new, a/added. Layer 3 (tar+zstd): z/file. Config: Entrypoint, Cmd, Env,
# WorkingDir, User ($OCI_USER, default 1000:100); layer 1 has an /etc/passwd with "svc"
# (uid 70, group 77).
oci_layout() {
    layout=$1; work=$2
    arch=$(uname -m)
    case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
    mkdir -p "$layout" "$work/l1/a" "$work/l1/opq" "$work/l1/usr/bin" "$work/l2/a" "$work/l2/opq"
    mkdir -p "$work/l1/etc"
    echo 'svc:x:70:77:service:/srv:/bin/sh' > "$work/l1/etc/passwd"
    echo keep > "$work/l1/a/keep"
    echo gone > "$work/l1/a/gone"
    echo old > "$work/l1/opq/old"
    printf '#!/bin/sh\necho tool\n' > "$work/l1/usr/bin/tool"
    chmod 755 "$work/l1/usr/bin/tool"
    : > "$work/l2/a/.wh.gone"
    : > "$work/l2/opq/.wh..wh..opq"
    echo new > "$work/l2/opq/new"
    echo added > "$work/l2/a/added"
    tar -C "$work/l1" -cf - . | gzip -n > "$work/layer1"
    tar -C "$work/l2" -cf "$work/layer2" .
    l1=$(oci_blob "$layout" "$work/layer1" application/vnd.oci.image.layer.v1.tar+gzip)
    l2=$(oci_blob "$layout" "$work/layer2" application/vnd.oci.image.layer.v1.tar)
    # a third layer, zstd-compressed, when zstd is installed
    if command -v zstd >/dev/null 2>&1; then
        mkdir -p "$work/l3/z"
        echo zstd > "$work/l3/z/file"
        tar -C "$work/l3" -cf - . | zstd -q -c > "$work/layer3"
        l2="$l2,$(oci_blob "$layout" "$work/layer3" application/vnd.oci.image.layer.v1.tar+zstd)"
    fi
    cat > "$work/config" <<JSON
{"architecture":"$arch","os":"linux","config":{"Entrypoint":["/usr/bin/tool","--serve"],
 "Cmd":["--port","80"],"Env":["PATH=/usr/bin:/bin","GREETING=hello \"world\" & <all>"],
 "WorkingDir":"/srv","User":"${OCI_USER:-1000:100}"},
 "rootfs":{"type":"layers","diff_ids":[]}}
JSON
    cfg=$(oci_blob "$layout" "$work/config" application/vnd.oci.image.config.v1+json)
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s,%s]}' \
        "$cfg" "$l1" "$l2" > "$work/manifest"
    man=$(oci_blob "$layout" "$work/manifest" application/vnd.oci.image.manifest.v1+json)
    other='{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1,"platform":{"architecture":"arm64","os":"linux"}}'
    [ "$arch" = arm64 ] && other=$(echo "$other" | sed 's/arm64/s390x/')
    man=$(echo "$man" | sed "s/}\$/,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}}/")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}' \
        "$other" "$man" > "$work/nested"
    nested=$(oci_blob "$layout" "$work/nested" application/vnd.oci.image.index.v1+json)
    printf '{"schemaVersion":2,"manifests":[%s]}\n' "$nested" > "$layout/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}\n' > "$layout/oci-layout"
}
