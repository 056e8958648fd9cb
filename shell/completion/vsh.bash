# bash completion for vsh (one-shot use: vsh [OPTIONS] COMMAND [ARGS]).
#
# Command names, each command's options and domain names come from vsh itself
# ("vsh complete -- WORDS..."), so they always match the installed vsh and the domains
# of the connection the command line names with -c/--connect.

_vsh_complete()
{
    local cur words cword
    local -a global=() args=()
    local i=1 w

    cur=${COMP_WORDS[COMP_CWORD]}
    # the global options before the command
    while [ "$i" -lt "$COMP_CWORD" ]; do
        w=${COMP_WORDS[i]}
        case $w in
            -c|--connect)
                global+=("$w" "${COMP_WORDS[i + 1]}")
                i=$((i + 2))
                continue
                ;;
            --connect=*|-r|--readonly)
                global+=("$w")
                ;;
            -q|--quiet)
                ;;
            -*)
                ;;
            *)
                break
                ;;
        esac
        i=$((i + 1))
    done

    if [ "$i" -eq "$COMP_CWORD" ] && [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-c --connect -q --quiet -r --readonly -v --version -h --help" \
                     -- "$cur"))
        return 0
    fi
    case ${COMP_WORDS[COMP_CWORD - 1]} in
        -c|--connect)
            COMPREPLY=($(compgen -W "vsh:///system lxc:/// chroot:/// qemu:/// vsh:///embed?root=" \
                         -- "$cur"))
            return 0
            ;;
    esac

    args=("${COMP_WORDS[@]:i:COMP_CWORD - i}")
    local IFS=$'\n'
    COMPREPLY=($(vsh "${global[@]}" -q complete -- "${args[@]}" "$cur" 2>/dev/null))
    # nothing offered: file names (define FILE, create FILE ...)
    if [ "${#COMPREPLY[@]}" -eq 0 ]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}

complete -o filenames -F _vsh_complete vsh
