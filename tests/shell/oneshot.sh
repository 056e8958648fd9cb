#!/bin/sh
# One-shot vsh commands against the qemu-stub driver, compared line for line with the
# expected transcripts under tests/data/vsh/.
#
# Each tests/data/vsh/NAME.in is a case: every line is one vsh invocation
# ("vsh -c URI LINE", the line being one command string, as in  vsh "start a; list"),
# run against a fresh embed store with the domain files of tests/data/vsh/ at hand. The
# URI is qemu:///embed, so that layouts do not depend on which drivers are built (a
# vsh:/// connection serving several types adds a Type column to list).
# NAME.out is the transcript: "$ LINE", what vsh printed on stdout, each stderr line as
# "stderr: ...", and "exit: N". Values that change from run to run (CPU time, the
# temporary directory) are replaced by fixed words first.
# VSH_TEST_REGENERATE=1 rewrites the .out files (review the diff before committing).
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
DATA="$VSH_TOP_SRCDIR/tests/data/vsh"
[ -x "$VSH" ] || tap_skip_all "shell/vsh is not built"

TMP=$(mktemp -d /tmp/vsh-oneshot.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
HOME="$TMP/home"
export HOME
mkdir -p "$HOME"
unset VSH_DEFAULT_URI VISUAL EDITOR XDG_STATE_HOME

normalize() {
    sed -e "s|$TMP|TMPDIR|g" \
        -e 's|^\(CPU time: *\)[0-9.]*s$|\1N.Ns|' \
        -e 's|^\(  cpu\.time=\)[0-9]*$|\1N|' \
        -e 's|^\(	[a-z_]*time *\)[0-9][0-9.]* seconds$|\1N seconds|'
}

# run_case NAME: prints the transcript of tests/data/vsh/NAME.in
run_case() {
    store="$TMP/store-$1"
    rm -rf "$store"
    mkdir -p "$store"
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in ''|'#'*) continue ;; esac
        printf '$ %s\n' "$line"
        (cd "$DATA" && "$VSH" -c "qemu:///embed?root=$store" "$line" \
            >"$TMP/stdout" 2>"$TMP/stderr" </dev/null)
        status=$?
        cat "$TMP/stdout"
        sed 's/^/stderr: /' "$TMP/stderr"
        printf 'exit: %s\n' "$status"
    done < "$DATA/$1.in" | normalize
}

for in in "$DATA"/*.in; do
    name=$(basename "$in" .in)
    got=$(run_case "$name")
    if [ -n "$VSH_TEST_REGENERATE" ]; then
        printf '%s\n' "$got" > "$DATA/$name.out"
    fi
    if [ -f "$DATA/$name.out" ]; then
        tap_is "$name: output as expected" "$got" "$(cat "$DATA/$name.out")"
    else
        not_ok "$name: no expected output $name.out (run with VSH_TEST_REGENERATE=1)"
    fi
done

# Commands whose output depends on the host: checked by shape, not by value.
URI="vsh:///embed?root=$TMP/host"
mkdir -p "$TMP/host"
out=$("$VSH" -c "$URI" uri)
tap_is "uri prints the canonical URI" "$out" "vsh:///embed?root=$TMP/host"
out=$("$VSH" -q -c "$URI" hostname)
tap_is "hostname prints the host's name" "$out" "$(hostname)"
out=$("$VSH" -c "$URI" version)
tap_check "version names library, API and hypervisor" \
    sh -c 'printf "%s\n" "$1" | grep -q "^Compiled against library: vsh [0-9]" &&
           printf "%s\n" "$1" | grep -q "^Using library: vsh [0-9]" &&
           printf "%s\n" "$1" | grep -q "^Running hypervisor: Linux "' sh "$out"
out=$("$VSH" -q -c "$URI" nodeinfo | sed 's/ *[^ ]*$//' | sed 's/ *[0-9]*$//')
tap_is "nodeinfo prints virsh's keys" "$out" "CPU model:
CPU(s):
CPU frequency:
CPU socket(s):
Core(s) per socket:
Thread(s) per core:
NUMA cell(s):
Memory size:"
out=$("$VSH" -q -c "$URI" capabilities)
tap_check "capabilities is XML with a qemu guest" \
    sh -c 'printf "%s\n" "$1" | xmllint --noout - &&
           printf "%s\n" "$1" | grep -q "<domain type=.qemu./>"' sh "$out"
# host-validate: virt-host-validate's lines; this machine has everything (as root, the
# veth probe runs in a network namespace of its own and leaves nothing).
out=$("$VSH" -q host-validate)
tap_is "host-validate passes here" "$?" 0
tap_is "host-validate: every line is a check in virt-host-validate's layout" \
    "$(printf '%s\n' "$out" | grep -cvE '^ *(LXC|CHROOT): Checking .{60}: (PASS|WARN \(.+\))$')" 0
tap_is "host-validate: lxc and chroot checks" \
    "$(printf '%s\n' "$out" | sed 's/^ *//; s/:.*//' | sort | uniq -c | tr -s ' ')" " 12 CHROOT
 16 LXC"
tap_check "host-validate: the kernel and the memory controller are checked" \
    sh -c 'printf "%s\n" "$1" | grep -q "^   LXC: Checking for Linux >= 5.12 *: PASS$" &&
           printf "%s\n" "$1" | grep -q "^CHROOT: Checking for cgroup .memory. controller support *: PASS$"' \
    sh "$out"
tap_is "host-validate lxc: only the lxc checks" \
    "$("$VSH" -q host-validate lxc | grep -vc '^   LXC: ')" 0
tap_is "the veth probe leaves no interface behind" "$(ip -o link show | grep -c vshprobe)" 0
mkdir -p "$TMP/no-cgroups"
VSH_CGROUP_ROOT="$TMP/no-cgroups" "$VSH" -q host-validate chroot >"$TMP/out" 2>"$TMP/err"
tap_is "host-validate without cgroups fails, and says where it looked" "$?:$(tail -1 "$TMP/out")" \
    "1:CHROOT: Checking for a cgroup filesystem                                     : FAIL (none mounted under $TMP/no-cgroups: No such file or directory)"
"$VSH" -q host-validate qemu >"$TMP/out" 2>"$TMP/err"
tap_is "host-validate of a type without host checks" "$?:$(cat "$TMP/out" "$TMP/err")" \
    "1:error: cannot validate the host: the qemu driver has no host checks"
"$VSH" -q host-validate bogus >"$TMP/out" 2>"$TMP/err"
tap_is "host-validate of an unknown type" "$?:$(cat "$TMP/out" "$TMP/err")" \
    "1:error: cannot validate the host: unknown domain type 'bogus' (this vsh has lxc, chroot, qemu)"
out=$("$VSH" --version)
tap_is "--version prints the version" "$out" "$("$VSH" -q -c "$URI" version |
    sed -n 's/^Using library: vsh //p')"
"$VSH" --help > "$TMP/help" 2>&1
tap_check "--help lists the options and commands" \
    grep -q -- "--readonly" "$TMP/help"
"$VSH" --bogus > "$TMP/out" 2> "$TMP/err"
status=$?
tap_is "an unknown program option is an error" "$status:$(cat "$TMP/err")" \
    "1:error: unsupported option '--bogus'. See --help."
VSH_DEFAULT_URI="vsh:///embed?root=$TMP/host" "$VSH" uri > "$TMP/out"
tap_is "VSH_DEFAULT_URI picks the connection" "$(cat "$TMP/out")" \
    "vsh:///embed?root=$TMP/host"

# connect, -r and -q
"$VSH" -q -c "$URI" "define $DATA/vm1.xml; define $DATA/web.xml; start web" > /dev/null
URI2="vsh:///embed?root=$TMP/other"
mkdir -p "$TMP/other"
out=$("$VSH" -q -c "$URI" "connect $URI2; uri")
tap_is "connect switches the connection" "$out" "$URI2"
"$VSH" -q -c "$URI" "connect bogus:///x" > "$TMP/out" 2> "$TMP/err"
tap_check "connect to a bad URI: status 1 and one error line naming it" \
    sh -c '[ "$(wc -l < "$1")" = 1 ] && grep -q "^error: failed to connect to '"'"'bogus:///x'"'"': " "$1"' \
    sh "$TMP/err"
"$VSH" -q -c "$URI" "connect --readonly; start vm1" > "$TMP/out" 2> "$TMP/err"
tap_is "connect --readonly makes the shell read-only" "$?:$(cat "$TMP/err")" \
    "1:error: command 'start' changes domains and the connection is read-only (-r)"
for cmd in "start vm1" "destroy web" "define $DATA/vm1.xml" "undefine vm1" "setmem vm1 1M" \
    "schedinfo vm1 --set cpu_shares=2" "memtune vm1 --hard-limit 1G" \
    "blkiotune vm1 --weight 500" "autostart vm1"; do
    name=${cmd%% *}
    "$VSH" -r -c "$URI" "$cmd" > "$TMP/out" 2> "$TMP/err"
    tap_is "-r refuses $name" "$?:$(cat "$TMP/err")" \
        "1:error: command '$name' changes domains and the connection is read-only (-r)"
done
tap_is "-r leaves the domains as they were" \
    "$("$VSH" -q -c "qemu:///embed?root=$TMP/host" list --all)" \
    " 1   web   running
 -   vm1   shut off"
out=$("$VSH" -r -q -c "$URI" "domstate web; schedinfo vm1" | head -n 2)
tap_is "-r still reads" "$out" "running
Scheduler      : posix"
out=$("$VSH" -q -c "$URI" "suspend web; resume web; autostart --disable web")
tap_is "-q prints no success messages and no blank lines" "$out" ""

# Several words are one command, taken as they are; a single argument is a command line.
out=$("$VSH" -q -c "$URI" echo 'a;b' 'c d')
tap_is "several arguments are the words of one command" "$out" "a;b c d"
out=$("$VSH" -q -c "$URI" 'echo a;echo b')
tap_is "one argument is split at ';'" "$out" "a
b"

# A script on stdin: comments, quoting, every line runs, the status says if any failed.
printf '# a comment\necho "one two"  # trailing\ndomstate nosuch\necho three\n' |
    "$VSH" -q -c "$URI" > "$TMP/out" 2> "$TMP/err"
status=$?
tap_is "a script runs every line" "$(cat "$TMP/out")" "one two
three"
tap_is "a script with a failed line exits 1" "$status:$(cat "$TMP/err")" \
    "1:error: failed to get domain 'nosuch'"
printf 'echo fine\n' | "$VSH" -q -c "$URI" > "$TMP/out" 2>&1
tap_is "a script without failures exits 0" "$?:$(cat "$TMP/out")" "0:fine"
printf 'echo before\nquit\necho after\n' | "$VSH" -q -c "$URI" > "$TMP/out" 2>&1
tap_is "quit ends a script" "$?:$(cat "$TMP/out")" "0:before"

# The bash completion asks vsh itself.
out=$("$VSH" -q -c "$URI" complete -- sta)
tap_is "complete: command names" "$out" "start"
out=$("$VSH" -q -c "$URI" complete -- start --p)
tap_is "complete: a command's options" "$out" "--paused"
out=$("$VSH" -q -c "$URI" complete -- start "")
tap_is "complete: start offers inactive domains only" "$out" "vm1"
out=$("$VSH" -q -c "$URI" complete -- destroy "")
tap_is "complete: destroy offers active domains only" "$out" "web"
out=$("$VSH" -q -c "$URI" complete -- dominfo "")
tap_is "complete: dominfo offers every domain" "$out" "vm1
web"
if command -v bash > /dev/null; then
    out=$(PATH="$VSH_TOP_BUILDDIR/shell:$PATH" bash -c '
        . "$1"
        COMP_WORDS=(vsh -c "$2" dominfo v); COMP_CWORD=4
        _vsh_complete; printf "%s\n" "${COMPREPLY[@]}"' sh \
        "$VSH_TOP_SRCDIR/shell/completion/vsh.bash" "$URI")
    tap_is "bash completion completes a domain name" "$out" "vm1"
else
    tap_skip "bash is not installed"
fi

tap_done
