#!/bin/sh
# Escape attempts from inside chroot jails, as root and as an unprivileged user: each
# must fail. The helper (escape.c, static) reports one line per attempt.
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/tap.sh"
. "${VSH_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/integration/lib.sh"

t_require_root
ESCAPE=$t_builddir/tests/integration/escape
[ -x "$ESCAPE" ] || tap_skip_all "the escape helper is not built ($ESCAPE)"
t_setup chroot-escape
ROOTFS=$T/rootfs
t_mkrootfs "$ROOTFS" || tap_skip_all "cannot build a busybox rootfs (busybox-static)"
cp "$ESCAPE" "$ROOTFS/bin/escape"

# Only the host can see this file; a jail that reaches it has escaped.
MARKER=$T/host-marker
touch "$MARKER"
# A host process for the ptrace and /proc/PID/root attempts; ended by its pid.
sleep 1000 &
HOSTPID=$!
t_on_cleanup "kill $HOSTPID 2>/dev/null"

# check_results FILE WHO: one TAP line per attempt the helper reported.
check_results() {
    if [ ! -s "$1" ]; then
        not_ok "$2: the escape helper produced a report"
        return
    fi
    while read -r verdict name detail; do
        name=${name%:}
        if [ "$verdict" = blocked ]; then
            ok "$2: $name is blocked ($detail)"
        else
            not_ok "$2: $name: $detail"
        fi
    done < "$1"
}

# The jail's init runs the attempts at boot, with /proc bound in read-only.
JAIL_DEVICES="    <filesystem type='mount'><source dir='/proc'/><target dir='/proc'/><readonly/></filesystem>" \
    chroot_xml jail "$ROOTFS" /bin/sh -c \
    "/bin/escape all $MARKER $HOSTPID > /tmp/init-result 2>&1; exec /bin/escape counter /tmp/alive" \
    > "$T/jail.xml"
t_vsh define "$T/jail.xml" >/dev/null
tap_check "start a jail whose init tries to escape" t_vsh -q start jail
tap_check "the jail's init ran the attempts and went on" t_wait test -s "$ROOTFS/tmp/alive"
check_results "$ROOTFS/tmp/init-result" "init"

tap_check "the jail's /proc bind mount is not in the host's mount table" \
    sh -c "! grep -q ' $ROOTFS/proc ' /proc/self/mountinfo"
init=$(t_init_pid jail)
tap_check "the jail's /proc is read-only inside" \
    sh -c "grep -q ' /proc ro,' /proc/$init/mountinfo"
# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID NET_BIND_SERVICE AUDIT_WRITE
tap_is "the jail's init has the jail's bounding set" \
    "$(awk '/^CapBnd:/ { print $2 }' "/proc/$init/status")" 00000000200004fb

t_vsh exec jail -- /bin/escape all "$MARKER" "$HOSTPID" > "$T/exec-result" 2>&1
tap_is "exec into the jail: the helper found no way out" "$?" "0"
check_results "$T/exec-result" "exec"
t_vsh -q destroy jail

# An unprivileged init cannot become root again.
JAIL_OS="    <inituser>user</inituser><initgroup>user</initgroup>" chroot_xml userjail "$ROOTFS" /bin/sh -c \
    "/bin/escape setuid > /tmp/user-result 2>&1; id -u > /tmp/user-id; exec sleep 1000" \
    > "$T/userjail.xml"
t_vsh define "$T/userjail.xml" >/dev/null
tap_check "start a jail running as an unprivileged user" t_vsh -q start userjail
tap_check "its init reported" t_wait test -s "$ROOTFS/tmp/user-id"
tap_is "its init runs as the user of the rootfs's /etc/passwd" "$(cat "$ROOTFS/tmp/user-id")" "1000"
check_results "$ROOTFS/tmp/user-result" "inituser"
tap_is "exec runs as that user too" "$(t_vsh exec userjail -- /bin/id -u)" "1000"
t_vsh exec userjail -- /bin/escape setuid > "$T/user-exec" 2>&1
check_results "$T/user-exec" "exec as user"
t_vsh -q destroy userjail

# libvirt's <features><capabilities> sets a jail's bounding set too.
JAIL_TUNE="  <features><capabilities policy='deny'><kill state='on'/><chown state='on'/></capabilities></features>" \
    chroot_xml capjail "$ROOTFS" /bin/escape counter /tmp/capalive > "$T/capjail.xml"
t_vsh define "$T/capjail.xml" >/dev/null
tap_check "start a jail with capabilities policy deny" t_vsh -q start capjail
tap_is "its init keeps only CHOWN and KILL" \
    "$(awk '/^CapBnd:/ { print $2 }' "/proc/$(t_init_pid capjail)/status")" 0000000000000021
t_vsh -q destroy capjail
tap_done
