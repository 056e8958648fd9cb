#!/bin/sh
# vsh edit with scripted editors: a change is stored, an unchanged file changes nothing,
# an invalid file is never stored and brings virsh's question, answered from stdin (a
# script) or at a terminal (pty harness). And desc --edit.
. "$VSH_TOP_SRCDIR/tests/tap.sh"

VSH="$VSH_TOP_BUILDDIR/shell/vsh"
HARNESS="$VSH_TOP_BUILDDIR/tests/shell/pty-harness"
DATA="$VSH_TOP_SRCDIR/tests/data/vsh"
[ -x "$VSH" ] || tap_skip_all "shell/vsh is not built"

TMP=$(mktemp -d /tmp/vsh-edit.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
HOME="$TMP/home"
TMPDIR="$TMP"
VSH_DEFAULT_URI="vsh:///embed?root=$TMP/store"
mkdir -p "$HOME" "$TMP/store"
unset VISUAL XDG_STATE_HOME
export HOME TMPDIR VSH_DEFAULT_URI

"$VSH" -q define "$DATA/vm1.xml" > /dev/null
before=$("$VSH" dumpxml --inactive vm1)

# the editors
cat > "$TMP/ed-memory" <<'EOF'
#!/bin/sh
sed -i "s|<memory unit='KiB'>524288</memory>|<memory unit='KiB'>786432</memory>|" "$1"
EOF
cat > "$TMP/ed-invalid" <<'EOF'
#!/bin/sh
printf '<domain type="qemu">\n  <name>vm1</name>\n  <memory>-1</memory>\n' > "$1"
EOF
sed "s|<memory unit='KiB'>524288</memory>|<memory unit='KiB'>786432</memory>|" \
    "$DATA/vm1.xml" > "$TMP/fixed.xml"
cat > "$TMP/ed-invalid-then-fix" <<EOF
#!/bin/sh
# first run: invalid XML; second run (on that invalid file): a valid definition
if [ -e "$TMP/ran-once" ]; then
    cat "$TMP/fixed.xml" > "\$1"
else
    touch "$TMP/ran-once"
    "$TMP/ed-invalid" "\$1"
fi
EOF
chmod +x "$TMP"/ed-*

EDITOR=true "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
tap_is "an unchanged file: exit 0 and virsh's message" "$?:$(cat "$TMP/out")" \
    "0:Domain 'vm1' XML configuration not changed."
tap_is "an unchanged file changes nothing" "$("$VSH" dumpxml --inactive vm1)" "$before"

echo n | EDITOR="$TMP/ed-invalid" "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
status=$?
tap_is "invalid XML answered 'n': exit 1" "$status" 1
tap_check "invalid XML: the question is asked" grep -q "Failed. Try again? \[y,n,f,?\]:" \
    "$TMP/out"
tap_check "invalid XML: the parser's error is printed" grep -q "^error: .*vsh-edit-vm1-" \
    "$TMP/err"
tap_is "invalid XML: the definition is unchanged" "$("$VSH" dumpxml --inactive vm1)" "$before"
tap_is "invalid XML: the temporary copy is removed" "$(ls "$TMP" | grep -c vsh-edit)" 0

printf '?\nf\nn\n' | EDITOR="$TMP/ed-invalid" "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
status=$?
tap_is "'?' then 'f' then 'n': exit 1" "$status" 1
tap_check "'?' prints what each answer does" grep -q "^f - " "$TMP/out"
tap_is "'f' defines the same file again (and fails again)" \
    "$(grep -c "Failed. Try again" "$TMP/out")" 3
tap_is "nothing changed after 'f'" "$("$VSH" dumpxml --inactive vm1)" "$before"

EDITOR="$TMP/ed-invalid" "$VSH" edit vm1 < /dev/null > "$TMP/out" 2> "$TMP/err"
tap_is "end of input at the question gives up: exit 1" "$?" 1

echo y | EDITOR="$TMP/ed-invalid-then-fix" "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
tap_is "'y' runs the editor again; the fixed file is stored" \
    "$?:$(tail -n 2 "$TMP/out" | head -n 1)" "0:Domain 'vm1' XML configuration edited."
tap_check "the new memory is in the definition" \
    sh -c '"$1" dominfo vm1 | grep -q "^Max memory:     786432 KiB"' sh "$VSH"
rm -f "$TMP/ran-once"

"$VSH" -q define "$DATA/vm1.xml" > /dev/null
VISUAL="$TMP/ed-memory" EDITOR=false "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
tap_is "VISUAL comes before EDITOR; the change is stored" "$?:$(head -n 1 "$TMP/out")" \
    "0:Domain 'vm1' XML configuration edited."
tap_check "the stored definition has the new memory" \
    sh -c '"$1" dumpxml --inactive vm1 | grep -q "<memory unit=.KiB.>786432</memory>"' \
    sh "$VSH"

"$VSH" -q define "$DATA/vm1.xml" > /dev/null
EDITOR=false "$VSH" edit vm1 > "$TMP/out" 2> "$TMP/err"
tap_is "a failing editor is an error and changes nothing" \
    "$?:$(cat "$TMP/err")" "1:error: editor 'false' failed: Child process exited with code 1"
EDITOR="$TMP/ed-memory" "$VSH" -r edit vm1 > "$TMP/out" 2> "$TMP/err"
tap_is "edit is refused on a read-only shell" "$?:$(cat "$TMP/err")" \
    "1:error: command 'edit' changes domains and the connection is read-only (-r)"
EDITOR=true "$VSH" edit nosuch > "$TMP/out" 2> "$TMP/err"
tap_is "edit of an unknown domain" "$?:$(cat "$TMP/err")" "1:error: failed to get domain 'nosuch'"

# At a terminal: the question, answered with a key and Enter.
if [ -x "$HARNESS" ]; then
    cat > "$TMP/steps" <<EOF
expect Try again? [y,n,f,?]:
send n\r
exit 1
EOF
    if EDITOR="$TMP/ed-invalid" TERM=dumb "$HARNESS" "$TMP/steps" -- "$VSH" edit vm1 \
        > "$TMP/log" 2>&1; then
        ok "at a terminal, the question appears and 'n' gives exit 1"
    else
        not_ok "at a terminal, the question appears and 'n' gives exit 1"
        sed 's/^/# /' "$TMP/log"
    fi
    tap_is "at a terminal: nothing changed" "$("$VSH" dumpxml --inactive vm1)" "$before"
else
    tap_skip "tests/shell/pty-harness is not built"
    tap_skip "tests/shell/pty-harness is not built"
fi

# desc --edit: the editor gets the text as it is; what it leaves is the new text, with
# the line break editors add at the end taken off a title; an untouched file changes nothing
cat > "$TMP/ed-desc" <<EOF
#!/bin/sh
cp "\$1" "$TMP/desc-seen"
printf 'Web front\\n' > "\$1"
EOF
chmod +x "$TMP/ed-desc"
tap_is "desc --title --edit: the title set" \
    "$(EDITOR="$TMP/ed-desc" "$VSH" desc vm1 --title --edit)" "Domain title updated successfully"
tap_is "the editor got the old title" "$(cat "$TMP/desc-seen")" "first test machine"
tap_is "the new title, without the line break" "$("$VSH" -q desc vm1 --title; echo .)" \
    "Web front."
tap_is "desc --edit with an untouched file" "$(EDITOR=true "$VSH" desc vm1 --title --edit)" \
    "Domain title not changed"
tap_is "and the title is as it was" "$("$VSH" -q desc vm1 --title)" "Web front"

tap_done
