#!/bin/sh
# vsh with real containers (root): the Type column when a store holds several domain types,
# exec and lxc-enter-namespace with the command's exit status, and console on a
# pseudo-terminal: the domain's shell answers, Ctrl+] detaches, the terminal is restored,
# and an interactive session goes on afterwards.
. "$VSH_TOP_SRCDIR/tests/tap.sh"
. "$VSH_TOP_SRCDIR/tests/integration/lxc-common.sh"

HARNESS="$VSH_TOP_BUILDDIR/tests/shell/pty-harness"
DATA="$VSH_TOP_SRCDIR/tests/data/vsh"
[ -x "$HARNESS" ] || tap_skip_all "tests/shell/pty-harness is not built"
HOME="$LXC_T/home"
mkdir -p "$HOME"
export HOME
ALL_URI="vsh:///embed?root=$LXC_T/store"

# run_pty NAME CMD...: the harness with the steps on stdin; one TAP line
run_pty() {
    name=$1
    shift
    cat > "$LXC_T/steps"
    if TERM=dumb INPUTRC=/dev/null "$HARNESS" "$LXC_T/steps" -- "$@" > "$LXC_T/pty.log" 2>&1
    then
        ok "$name"
    else
        not_ok "$name"
        sed 's/^/# /' "$LXC_T/pty.log"
    fi
}

lxc_define c1 "$LXC_INIT"
# a container whose init is a shell on its console
lxc_define c2 'exec /bin/sh -i'
"$VSH" -q -c "$ALL_URI" define "$DATA/web.xml" > /dev/null
lxc_vsh start c1 > /dev/null
lxc_vsh start c2 > /dev/null

pid=$(lxc_init_pid c1)
out=$("$VSH" -c "$ALL_URI" list --all)
tap_is "list: a Type column when the store holds several types" \
    "$(printf '%s\n' "$out" | head -n 1 | tr -s ' ')" " Id Name State Type"
tap_check "list: the container's id is its init pid, its type lxc" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^ $2 +c1 +running +lxc$"' sh "$out" "$pid"
tap_check "list: the stub VM is listed with type qemu" \
    sh -c 'printf "%s\n" "$1" | grep -Eq "^ - +web +shut off +qemu$"' sh "$out"
out=$("$VSH" -c "$LXC_URI" list --all | head -n 1)
tap_is "list: no Type column on an lxc:/// connection" "$(printf '%s' "$out" | tr -s ' ')" \
    " Id Name State"
out=$("$VSH" -q -c "$ALL_URI" list --all --type lxc --name)
# running domains come by id, as in virsh; pids wrap (pid_max can be 32768), so c2's init
# may have the lower one
if [ "$pid" -lt "$(lxc_init_pid c2)" ]; then expected="c1
c2"; else expected="c2
c1"; fi
tap_is "list --type lxc: both containers, by id" "$out" "$expected"
out=$("$VSH" -c "$ALL_URI" dominfo c1 | grep -E '^(OS Type|Type):')
tap_is "dominfo: OS Type exe and Type lxc" "$out" "OS Type:        exe
Type:           lxc"
tap_is "domid is the init pid" "$(lxc_vsh domid c1)" "$pid"

"$VSH" -q -c "$LXC_URI" exec c1 -- /bin/sh -c 'echo inside; exit 7' > "$LXC_T/out" 2>&1
tap_is "exec: output and the command's exit status" "$?:$(cat "$LXC_T/out")" "7:inside"
out=$(lxc_vsh lxc-enter-namespace c1 -- hostname)
tap_is "lxc-enter-namespace runs in the container's UTS namespace" "$?:$out" "0:c1"
out=$(lxc_vsh lxc-enter-namespace c1 --noseclabel -- /bin/sh -c 'hostname; exit 3')
tap_is "lxc-enter-namespace takes virsh's --noseclabel and keeps the status" "$?:$out" "3:c1"
out=$(echo piped | lxc_vsh exec c1 -- cat)
tap_is "exec passes stdin through" "$out" "piped"
lxc_vsh exec c1 -- /nonexistent > "$LXC_T/out" 2> "$LXC_T/err"
tap_check "exec of a missing program fails with status >= 1" test "$?" -ge 1
lxc_vsh suspend c1 > /dev/null
tap_is "suspend: state paused" "$(lxc_vsh domstate c1 --reason)" "paused (user)"
lxc_vsh resume c1 > /dev/null
tap_is "resume: state running" "$(lxc_vsh domstate c1)" "running"

run_pty "console: the domain's shell answers; Ctrl+] detaches and restores the terminal" \
    sh -c '"$1" -c "$2" console c2; echo "STTY: $(stty -a | tr "\n" " ")"' sh "$VSH" \
    "$LXC_URI" <<'EOF'
expect Connected to domain 'c2'
expect Escape character is ^] (Ctrl + ])
send echo hi-$((6*7))\r
expect hi-42
send \x1d
expect STTY:
expect  icanon
expect  echo
exit 0
EOF

PROMPT='vsh # '
run_pty "console from an interactive session; the session goes on after Ctrl+]" \
    "$VSH" -c "$LXC_URI" <<EOF
expect $PROMPT
send console c2\r
expect Escape character
send echo in-console-\$((5+5))\r
expect in-console-10
send \x1d
expect $PROMPT
send domstate c2\r
expect running
expect $PROMPT
send \x04
exit 0
EOF

lxc_vsh destroy c2 > /dev/null
run_pty "start --console starts the domain and attaches its console" \
    "$VSH" -c "$LXC_URI" start --console c2 <<'EOF'
expect Domain 'c2' started
expect Connected to domain 'c2'
send echo started-$((1+2))\r
expect started-3
send \x1d
exit 0
EOF

lxc_vsh destroy c2 > /dev/null
lxc_vsh console c2 > "$LXC_T/out" 2> "$LXC_T/err"
status=$?
tap_is "console of a stopped domain: status 1" "$status" 1
tap_check "console of a stopped domain: one error line saying why" \
    grep -qx "error: failed to open the console of domain 'c2': .*not running.*" "$LXC_T/err"

lxc_vsh destroy c1 > /dev/null
tap_is "destroy: state shut off" "$(lxc_vsh domstate c1 --reason)" "shut off (destroyed)"

tap_done
