#!/bin/sh
# An interactive vsh session on a pseudo-terminal, driven by tests/shell/pty-harness:
# the welcome line and prompt, TAB completion of commands, options and domain names
# (filtered by what the command acts on), history recall with Up and its file, several
# commands in one line, an error that does not end the session, help, quit and Ctrl+D,
# and a session whose readline cannot be loaded (or, in a static vsh, is built in).
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
HARNESS="$VSH_TOP_BUILDDIR/tests/shell/pty-harness"
DATA="$VSH_TOP_SRCDIR/tests/data/vsh"
[ -x "$VSH" ] || tap_skip_all "shell/vsh is not built"
[ -x "$HARNESS" ] || tap_skip_all "tests/shell/pty-harness is not built"

TMP=$(mktemp -d /tmp/vsh-interactive.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
HOME="$TMP/home"
URI="vsh:///embed?root=$TMP/store"
mkdir -p "$HOME" "$TMP/store"
unset XDG_STATE_HOME
# a plain terminal and no personal readline settings: the keys mean what readline's
# defaults say
TERM=dumb
INPUTRC=/dev/null
VSH_DEFAULT_URI=$URI
export HOME TERM INPUTRC VSH_DEFAULT_URI
PROMPT='vsh # '
[ "$(id -u)" = 0 ] || PROMPT='vsh $ '

for f in vm1 web database-server; do
    "$VSH" -q define "$DATA/$f.xml" > /dev/null
done
"$VSH" -q start web > /dev/null

# session NAME: runs the harness with the steps on stdin; ok when every step passed
session() {
    cat > "$TMP/$1.steps"
    if "$HARNESS" "$TMP/$1.steps" -- "$VSH" > "$TMP/$1.log" 2>&1; then
        ok "$1"
    else
        not_ok "$1"
        sed 's/^/# /' "$TMP/$1.log"
    fi
}

session "welcome line, prompt, a command, quit exits 0" <<EOF
expect Welcome to vsh
expect 'quit' to quit
expect $PROMPT
send uri\r
expect $URI
expect $PROMPT
send quit\r
exit 0
EOF

session "TAB completes a partial domain name (dominfo data -> database-server)" <<EOF
expect $PROMPT
send dominfo data\t\r
expect Name:           database-server
expect $PROMPT
send \x04
exit 0
EOF

session "TAB completes a command name and an option" <<EOF
expect $PROMPT
send dumpx\t--inac\tweb\r
expect <name>web</name>
expect $PROMPT
send \x04
exit 0
EOF

session "start completes inactive domains only (w -> not web, which runs)" <<EOF
expect $PROMPT
send start \t\t
expect database-server
expect vm1
expect $PROMPT
send \x15destroy \t\r
expect Domain 'web' destroyed
expect $PROMPT
send start w\t\r
expect Domain 'web' started
expect $PROMPT
send \x04
exit 0
EOF

session "history: Up recalls the previous line" <<EOF
expect $PROMPT
send domid web\r
expect $PROMPT
send echo marker-one\r
expect marker-one
expect $PROMPT
send \e[A\e[A\r
expect domid web
expect $PROMPT
send \x04
exit 0
EOF

tap_check "history is kept in ~/.vsh_history" grep -qx "echo marker-one" "$HOME/.vsh_history"

# no exit step: the harness kills the session (SIGKILL, by pid) when the steps are done
session "a session that gets killed" <<EOF
expect $PROMPT
send echo survivor\r
expect survivor
expect $PROMPT
EOF
tap_check "the line of a killed session is in the history" \
    grep -qx "echo survivor" "$HOME/.vsh_history"

session "history from an earlier session is recalled" <<EOF
expect $PROMPT
send \e[A\e[A\e[A\r
expect echo marker-one
expect marker-one
expect $PROMPT
send \x04
exit 0
EOF

session "several commands in one line" <<EOF
expect $PROMPT
send echo first; echo second; domstate web\r
expect first
expect second
expect running
expect $PROMPT
send \x04
exit 0
EOF

session "an error does not end the session" <<EOF
expect $PROMPT
send domstate nosuch\r
expect error: failed to get domain 'nosuch'
expect $PROMPT
send strat web\r
expect error: unknown command: 'strat' (did you mean 'start'?)
expect $PROMPT
send echo 'unterminated\r
expect error: missing closing ' quote
expect $PROMPT
send echo still here\r
expect still here
expect $PROMPT
send \x04
exit 0
EOF

session "help and help COMMAND" <<EOF
expect $PROMPT
send help\r
expect Domain Management (help keyword 'domain'):
expect $PROMPT
send help suspend\r
expect SYNOPSIS
expect suspend <domain>
expect $PROMPT
send exit\r
exit 0
EOF

session "Ctrl+C throws the line away; the session goes on" <<EOF
expect $PROMPT
send destroy web-half-typed
expect web-half-typed
send \x03
expect $PROMPT
send echo after-ctrl-c\r
expect after-ctrl-c
expect $PROMPT
send domstate web\r
expect running
expect $PROMPT
send \x04
exit 0
EOF

session "Ctrl+D on an empty line exits 0" <<EOF
expect $PROMPT
send \x04
exit 0
EOF

XDG_STATE_HOME="$TMP/state" session "XDG_STATE_HOME holds the history when set" <<EOF
expect $PROMPT
send echo xdg-line\r
expect xdg-line
expect $PROMPT
send \x04
exit 0
EOF
tap_check "the history file is \$XDG_STATE_HOME/vsh/history" \
    grep -qx "echo xdg-line" "$TMP/state/vsh/history"

# the history is bounded: 1200 lines in, at most 1000 kept
i=0
while [ $i -lt 1200 ]; do echo "echo line-$i"; i=$((i + 1)); done >> "$HOME/.vsh_history"
session "a long history still loads" <<EOF
expect $PROMPT
send \x04
exit 0
EOF
lines=$(wc -l < "$HOME/.vsh_history")
tap_check "the history file is bounded to 1000 lines (has $lines)" test "$lines" -le 1000

if [ "$VSH_STATIC_VSH" = yes ]; then
    # a static vsh has readline inside: $VSH_READLINE does not apply
    VSH_READLINE=$TMP/no-such-library.so
    export VSH_READLINE
    # the first session's steps again
    session "a static vsh ignores \$VSH_READLINE: its own readline runs the session" \
        < "$TMP/welcome line, prompt, a command, quit exits 0.steps"
    unset VSH_READLINE
else
    # readline is opened when the session starts; when it cannot be, one error line, exit 1
    VSH_READLINE=$TMP/no-such-library.so
    export VSH_READLINE
    session "a missing readline is one error, exit 1" <<EOF
expect error: cannot load readline ($TMP/no-such-library.so):
exit 1
EOF
    VSH_READLINE=libc.so.6
    session "a library that is not readline is refused by symbol" <<EOF
expect error: cannot load readline (libc.so.6): no symbol 'readline'
exit 1
EOF
    unset VSH_READLINE
    if grep -q Welcome "$TMP/a missing readline is one error, exit 1.log"; then
        not_ok "a session without readline prints no welcome"
    else
        ok "a session without readline prints no welcome"
    fi
fi

tap_done
