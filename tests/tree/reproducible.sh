#!/bin/sh
# reproducible.sh (`make check-reproducible`): configures and builds the
# source tree again in temporary folders. Two builds at different paths
# (and depths) with the same flags give byte-identical binaries; configure
# without Check builds the tool, says tests need Check, and `make check`
# then stops with that message; -Werror only with --enable-werror.
# Slow-ish (three builds of gradviz), so not part of `make check`. Prints TAP.
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
SRC=$(cd "$GDV_SRCDIR" && pwd) || exit 99
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-repro.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
JOBS=${JOBS:-2}
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" "$@"; }

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
failed=0
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$1"; then ok "$2"; else nok "$2"; fi; }
# build DIR CONFIGURE-ARGS...: configures SRC in DIR and makes gradviz.
build() {
  dir=$1; shift
  mkdir -p "$dir" &&
    (cd "$dir" && "$SRC/configure" "$@" >configure.out 2>&1 &&
       mk -j"$JOBS" gradviz >make.out 2>&1)
}

# ---- two builds in different folders ----------------------------------------
A=$T/a
B=$T/longer-name/b/c
build "$A"; ra=$?
build "$B"; rb=$?
check '[ $ra -eq 0 ] && [ $rb -eq 0 ] && cmp -s "$A/gradviz" "$B/gradviz"' \
  "two builds in different folders: identical binaries (rc $ra $rb; $(cmp "$A/gradviz" "$B/gradviz" 2>&1 | head -n 1))"
check '! grep -a -q -e "$T" -e "$SRC" "$A/gradviz" "$B/gradviz"' \
  "neither binary holds its build or source path"

# ---- configure without Check ---------------------------------------------------
# A pkg-config that knows every package but Check: as on a machine without it.
real_pc=$(command -v pkg-config)
cat >"$T/pkg-config" <<EOF
#!/bin/sh
for a in "\$@"; do case \$a in check|check\ *) exit 1;; esac; done
exec "$real_pc" "\$@"
EOF
chmod +x "$T/pkg-config"
C=$T/nocheck
build "$C" PKG_CONFIG="$T/pkg-config"; rc=$?
check '[ $rc -eq 0 ] && [ -x "$C/gradviz" ] && "$C/gradviz" --version >/dev/null' \
  "without Check, configure and make build gradviz (rc $rc)"
check 'grep -q "Check (>= 0.11) was not found: gradviz builds, but .make check. needs it" "$C/configure.out"' \
  "configure says that make check needs Check"
(cd "$C" && mk check >check.out 2>&1); rc=$?
check '[ $rc -ne 0 ] && grep -q "^make check needs Check (>= 0.11), which configure did not find:" "$C/check.out"' \
  "make check without Check fails, saying what to install (rc $rc)"

# ---- -Werror only on request -----------------------------------------------------
check 'grep "^WARN_CFLAGS = " "$A/Makefile" | grep -q -- "-Wall -Wextra" &&
       ! grep "^WARN_CFLAGS = " "$A/Makefile" | grep -q -- "-Werror"' \
  "default build: -Wall -Wextra, no -Werror"
W=$T/werror
mkdir -p "$W" && (cd "$W" && "$SRC/configure" --enable-werror >configure.out 2>&1); rc=$?
check '[ $rc -eq 0 ] && grep "^WARN_CFLAGS = " "$W/Makefile" | grep -q -- "-Wall -Wextra.* -Werror"' \
  "--enable-werror adds -Werror (rc $rc)"

echo "1..$n"
[ "$failed" -eq 0 ]
