#!/bin/sh
# mkrootfs.sh DIR — builds a minimal busybox root filesystem in DIR (created if missing):
#   /bin/busybox (Debian's busybox-static, or $BUSYBOX) and a symlink per applet in /bin,
#   /sbin/init -> /bin/busybox, /etc/passwd and /etc/group with root (0) and an
#   unprivileged user "user" (1000, group "user" 1000), empty /tmp /proc /dev /sys /root
#   /home/user. Exits non-zero with a message on stderr when busybox is missing.
set -e
dir=$1
if [ -z "$dir" ]; then
    echo "usage: mkrootfs.sh DIR" >&2
    exit 2
fi
busybox=${BUSYBOX:-}
[ -n "$busybox" ] || busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
    echo "mkrootfs.sh: busybox not found (Debian: busybox-static)" >&2
    exit 1
fi
# A dynamically linked busybox would need the host's libraries inside the jail.
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' &&
    command -v file >/dev/null 2>&1; then
    echo "mkrootfs.sh: $busybox is not statically linked (Debian: busybox-static)" >&2
    exit 1
fi
mkdir -p "$dir"
cd "$dir"
mkdir -p bin sbin usr/bin usr/sbin etc tmp proc dev sys root home/user var/run
chmod 1777 tmp
cp "$busybox" bin/busybox
chmod 0755 bin/busybox
for applet in $(bin/busybox --list); do
    [ "$applet" = busybox ] && continue
    [ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done
ln -sf ../bin/busybox sbin/init
cat > etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:unprivileged user:/home/user:/bin/sh
PASSWD
cat > etc/group <<'GROUP'
root:x:0:
user:x:1000:
GROUP
chown 1000:1000 home/user
