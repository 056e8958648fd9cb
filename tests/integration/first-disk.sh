#!/bin/sh
# Prints "PATH MAJ:MIN" of this machine's first disk (not a loop, ram, zram or nbd device,
# with a node under /dev and a size), for the tests of <blkiotune>; nothing when there is
# none.
for d in /sys/block/*; do
    n=${d##*/}
    case $n in loop*|ram*|zram*|nbd*) continue ;; esac
    if [ -b "/dev/$n" ] && [ "$(cat "$d/size" 2>/dev/null)" != 0 ]; then
        echo "/dev/$n $(cat "$d/dev")"
        exit 0
    fi
done
