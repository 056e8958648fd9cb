#!/bin/sh
# vsh event: virsh's line format, one event without --loop, every event with --loop,
# --domain filtering, and the timeout.
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
DATA="$VSH_TOP_SRCDIR/tests/data/vsh"
[ -x "$VSH" ] || tap_skip_all "shell/vsh is not built"

TMP=$(mktemp -d /tmp/vsh-event.XXXXXX)
watcher=
cleanup() {
    [ -n "$watcher" ] && kill "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
HOME="$TMP/home"
VSH_DEFAULT_URI="vsh:///embed?root=$TMP/store"
mkdir -p "$HOME" "$TMP/store"
export HOME VSH_DEFAULT_URI

"$VSH" -q define "$DATA/vm1.xml" > /dev/null
"$VSH" -q define "$DATA/web.xml" > /dev/null

# wait_for FILE TEXT ACTION...: repeats ACTION until FILE holds TEXT (the watcher may
# not be listening yet the first time); false after many tries
wait_for() {
    file=$1 text=$2
    shift 2
    tries=0
    while ! grep -q "$text" "$file" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -le 100 ] || return 1
        "$@" > /dev/null 2>&1
        sleep 0.1
    done
}

cycle_web() { "$VSH" -q start web; "$VSH" -q destroy web; }
cycle_both() { "$VSH" -q start vm1; "$VSH" -q destroy vm1; cycle_web; }

# stop_watcher: ends the background vsh if it is still running (a failed wait_for), so
# the test fails instead of waiting for ever; returns its exit status
stop_watcher() {
    tries=0
    while kill -0 "$watcher" 2>/dev/null && [ $tries -lt 100 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill "$watcher" 2>/dev/null
    wait "$watcher"
    rc=$?
    watcher=
    return $rc
}

# One event, without --loop: the first event ends the command with status 0.
"$VSH" event --event lifecycle --domain web > "$TMP/one" 2>&1 &
watcher=$!
wait_for "$TMP/one" "events received" cycle_both
stop_watcher
status=$?
tap_is "event without --loop ends after one event with status 0" "$status" 0
tap_is "only the --domain's event is printed, in virsh's format" \
    "$(grep -c "^event 'lifecycle' for domain 'web': " "$TMP/one"):$(grep -c "'vm1'" "$TMP/one")" \
    "1:0"
tap_check "the count line follows" grep -qx "events received: 1" "$TMP/one"

# --loop: every event until interrupted.
"$VSH" event --all --loop > "$TMP/loop" 2>&1 &
watcher=$!
wait_for "$TMP/loop" "'web': Started Booted" cycle_web
wait_for "$TMP/loop" "'web': Stopped Destroyed" true
"$VSH" -q start --paused vm1
"$VSH" -q resume vm1
"$VSH" -q destroy vm1
wait_for "$TMP/loop" "'vm1': Stopped Destroyed" true
kill -INT "$watcher"
stop_watcher
status=$?
tap_is "event --loop ends on Ctrl+C with status 0" "$status" 0
tap_check "Started Booted is printed" grep -q "^event 'lifecycle' for domain 'web': Started Booted$" \
    "$TMP/loop"
tap_check "Stopped Destroyed is printed" \
    grep -q "^event 'lifecycle' for domain 'web': Stopped Destroyed$" "$TMP/loop"
tap_is "a paused start, resume and destroy in order" \
    "$(grep "'vm1'" "$TMP/loop" | sed 's/.*: //')" "Started Booted
Suspended Paused
Resumed Unpaused
Stopped Destroyed"
tap_check "the count line ends the output" sh -c 'grep -v "^$" "$1" | tail -n 1 | grep -q "^events received: [0-9]"' \
    sh "$TMP/loop"

# --timeout with nothing happening: virsh's lines and status 1.
out=$("$VSH" -q event --all --timeout 1 2>&1)
tap_is "a timeout without events: status 1 and virsh's lines" "$?:$out" "1:event loop timed out
events received: 0"

"$VSH" event --all --loop --timestamp > "$TMP/stamp" 2>&1 &
watcher=$!
wait_for "$TMP/stamp" "Started Booted" cycle_web
kill -INT "$watcher"
stop_watcher
tap_check "--timestamp prefixes the date and time" \
    grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: event 'lifecycle'" \
    "$TMP/stamp"

out=$("$VSH" -q event --list)
tap_is "event --list names the lifecycle type" "$out" "lifecycle"
out=$("$VSH" -q event --all --domain nosuch 2>&1)
tap_is "an unknown --domain is an error" "$?:$out" "1:error: failed to get domain 'nosuch'"

tap_done
