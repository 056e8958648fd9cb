# Debian packages vsh needs, installed with apt-get only when missing.
# Sourced by ./run-demo and ./run-tests; not meant to be run on its own.

# What building vsh needs; the last line is the static archives that the static vsh
# links beyond what the -dev packages above bring (docs/architecture.md, "The static vsh")
# and musl, for vsh-monitor ("vsh-monitor on musl").
VSH_BUILD_PACKAGES="autoconf automake libtool pkg-config make gcc libc6-dev
    libglib2.0-dev libxml2-dev libreadline-dev libcap-dev
    zlib1g-dev liblzma-dev libstdc++-12-dev musl-tools"
# What running it needs beyond the build (busybox-static for the busybox template).
VSH_RUN_PACKAGES="busybox-static iproute2 xz-utils zstd"
# What the test suite needs: cmocka, libvirt's schema validator (the reference we check
# against), xmllint, bridge tools for the network tests, debootstrap for the Debian template,
# valgrind for the library's leak check.
VSH_TEST_PACKAGES="libcmocka-dev libvirt-clients libxml2-utils bridge-utils debootstrap
    procps util-linux file expect valgrind"

vsh_missing_packages() {
    missing=
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        case $status in
            *"install ok installed"*) ;;
            *) missing="$missing $pkg" ;;
        esac
    done
    echo "$missing"
}

# vsh_install_deps PACKAGE...: apt-get install the ones not installed yet.
vsh_install_deps() {
    missing=$(vsh_missing_packages "$@")
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing Debian packages:$missing (run as root to install them)" >&2
        return 1
    fi
    echo "Installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    # An apt-get update once, only when a package is missing; quiet unless it fails.
    apt-get update -qq >/dev/null || { echo "error: apt-get update failed" >&2; return 1; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || { echo "error: apt-get install$missing failed" >&2; return 1; }
}

# vsh_bootstrap_build BUILDDIR [CONFIGURE-ARGS...]: autogen (when needed), configure and
# build in BUILDDIR.
vsh_bootstrap_build() {
    builddir=$1; shift
    srcdir=$(pwd)
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
        ./autogen.sh >/dev/null 2>&1 || { ./autogen.sh; return 1; }
    fi
    mkdir -p "$builddir"
    (
        cd "$builddir" || exit 1
        if [ ! -f Makefile ] || [ "$srcdir/configure" -nt config.status ]; then
            # configure's exit trap runs "rm -f core", which complains about the build's
            # core/ directory (Makefile.am): that one line is not shown.
            rc=0
            "$srcdir/configure" -q "$@" 2>configure.err || rc=$?
            grep -v "^rm: cannot remove 'core': Is a directory$" configure.err >&2
            rm -f configure.err
            [ "$rc" -eq 0 ] || exit 1
        fi
        make -s -j"$(nproc)" >/dev/null || make -j1
    )
}
