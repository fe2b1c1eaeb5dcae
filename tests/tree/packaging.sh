#!/bin/sh
# packaging.sh: what a distribution relies on, through the built tree and
# the real binary: the licence file is shipped, `make install` puts the
# examples under the doc folder and `make uninstall` leaves nothing, no
# build path is compiled in (styles are found beside an uninstalled binary),
# a transparent background gives an RGBA PNG, output suffixes in any case,
# and the exit statuses of the contract for each command. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
G=$GRADVIZ
SRC=$(cd "$GDV_SRCDIR" && pwd) || exit 99
TOP=$(cd "$(dirname "$G")" && pwd) || exit 99
EX=$SRC/examples
M=$EX/mnist
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-pkg.XXXXXX") || exit 99
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
# The tree's own make, outside the `make check` that runs us.
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s -C "$TOP" "$@"; }

# ---- the licence -----------------------------------------------------------
check 'grep -q "^MIT License$" "$SRC/COPYING" &&
       grep -q "^Copyright (c) 2026 the gradviz authors$" "$SRC/COPYING"' \
  "COPYING holds the MIT licence of the gradviz authors, 2026"
check 'grep -q "COPYING" "$SRC/configure.ac" && grep -q "COPYING" "$SRC/README.md"' \
  "configure.ac and README.md name COPYING"
submake distdir distdir="$T/dist" >"$T/dist.log" 2>&1
check 'cmp -s "$SRC/COPYING" "$T/dist/COPYING"' "COPYING is in the tarball"

# ---- install and uninstall ---------------------------------------------------
S=$T/stage
submake install DESTDIR="$S" >"$T/install.log" 2>&1
rc=$?
P=$(cd "$S" && find . -path '*/bin/gradviz' | sed 's|^\.||; s|/bin/gradviz$||')
D=$S$P/share/doc/gradviz
check '[ $rc -eq 0 ] && [ -x "$S$P/bin/gradviz" ] && [ -f "$S$P/share/man/man1/gradviz.1" ] &&
       [ -f "$S$P/share/gradviz/styles/dark.style" ] &&
       [ -f "$S$P/share/gradviz/mnist/weights-784-30-10.txt" ]' \
  "make install DESTDIR: binary, man page, styles, MNIST data (rc $rc)"
check 'cmp -s "$SRC/python/gradviz_export.py" "$S$P/share/gradviz/python/gradviz_export.py" &&
       "$GDV_PYTHON" -c "import sys; sys.path.insert(0, sys.argv[1]); import gradviz_export" \
         "$S$P/share/gradviz/python"' \
  "gradviz_export.py in share/gradviz/python, importable by path"
check '(for f in "$EX"/*.dot "$EX"/*.expr "$EX/GALLERY.md"; do
          cmp -s "$f" "$D/examples/${f##*/}" || exit 1; done)' \
  "every example and GALLERY.md in share/doc/gradviz/examples"
check '[ -f "$D/examples/mnist/README.md" ] && [ -f "$D/examples/mnist/fetch-mnist.sh" ] &&
       [ -f "$D/examples/mnist/mnist-json-to-idx.py" ]' \
  "the MNIST README and the scripts that fetch the digits beside the examples"
submake uninstall DESTDIR="$S" >"$T/uninstall.log" 2>&1
rc=$?
left=$(cd "$S" && find . -mindepth 1 | head -n 5 | tr '\n' ' ')
check '[ $rc -eq 0 ] && [ -z "$left" ]' \
  "make uninstall leaves nothing, no empty folder (rc $rc; left: ${left:-none})"

# ---- no build path in the binary ----------------------------------------------
# The install folders are compiled in on purpose (data, and the examples
# that help texts name; they may lie in the build folder, as under
# distcheck): they are taken out before looking.
install_dir() {
  echo "gdv-print: ; @echo \$($1)" |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s -C "$TOP" -f Makefile -f - gdv-print
}
pkgdatadir=$(install_dir pkgdatadir)
docdir=$(install_dir docdir)
holds_path() {
  strings -a "$G" | awk -v p="$pkgdatadir" -v d="$docdir" -v a="$TOP" -v b="$SRC" -v c="$GDV_SRCDIR" '
    { while (p != "" && (i = index($0, p)) > 0) $0 = substr($0, 1, i - 1) substr($0, i + length(p))
      while (d != "" && (i = index($0, d)) > 0) $0 = substr($0, 1, i - 1) substr($0, i + length(d))
      if (index($0, a) || index($0, b) || index($0, c)) { print; found = 1 } }
    END { exit !found }'
}
found=$(holds_path | head -c 100)
check '[ -n "$pkgdatadir" ] && [ -z "$found" ]' \
  "the binary holds neither the build nor the source folder's path${found:+ (found: $found)}"
mkdir -p "$T/file"  # one name for both: an SVG's ids start with it
env -u GRADVIZ_STYLE_PATH "$G" render "$EX/neuron.expr" -o "$T/dark.svg" --style dark 2>"$T/err"
rc=$?
"$G" render "$EX/neuron.expr" -o "$T/file/dark.svg" --style "$SRC/styles/dark.style"
check '[ $rc -eq 0 ] && cmp -s "$T/dark.svg" "$T/file/dark.svg"' \
  "--style dark found beside an uninstalled binary (rc $rc: $(cat "$T/err"))"

# ---- PNG with alpha -------------------------------------------------------------
# png_info FILE: "COLOUR-TYPE R,G,B[,A]" of the IHDR and the top-left pixel
# (a first row's first pixel is stored as is whatever the row's filter).
png_info() {
  "$GDV_PYTHON" - "$1" <<'EOF'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, ctype = 8, b"", None
while pos < len(d):
    ln, kind = struct.unpack(">I4s", d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + ln]
    if kind == b"IHDR":
        ctype = body[9]
    elif kind == b"IDAT":
        idat += body
    pos += 12 + ln
raw = zlib.decompress(idat)
px = raw[1:1 + (4 if ctype == 6 else 3)]
print(ctype, ",".join(str(b) for b in px))
EOF
}
if command -v "$GDV_PYTHON" >/dev/null 2>&1; then
  printf 'background = #FFFFFF00\n' >"$T/clear.style"
  printf 'background = #FF800080\n' >"$T/half.style"
  "$G" render "$EX/neuron.expr" -o "$T/clear.png" --style "$T/clear.style"
  "$G" render "$EX/neuron.expr" -o "$T/half.png" --style "$T/half.style"
  "$G" render "$EX/neuron.expr" -o "$T/white.png"
  check '[ "$(png_info "$T/clear.png")" = "6 0,0,0,0" ]' \
    "transparent background: RGBA PNG (colour type 6), corner alpha 0 ($(png_info "$T/clear.png"))"
  check '[ "$(png_info "$T/half.png")" = "6 255,128,0,128" ]' \
    "half-transparent background: colour un-premultiplied, alpha 128 ($(png_info "$T/half.png"))"
  check '[ "$(png_info "$T/white.png")" = "2 255,255,255" ]' \
    "opaque background: RGB PNG as before ($(png_info "$T/white.png"))"
else
  for i in 1 2 3; do n=$((n + 1)); echo "ok $n - PNG alpha $i # SKIP $GDV_PYTHON not found"; done
fi

# ---- output suffixes in any case --------------------------------------------------
magic() { head -c "$2" "$1" | od -An -c | tr -d ' \n'; }
"$G" render "$EX/neuron.expr" -o "$T/FIG.PNG" && "$G" render "$EX/neuron.expr" -o "$T/fig.Svg" &&
  "$G" render "$EX/neuron.expr" -o "$T/fig.PDF" && "$G" render "$EX/neuron.expr" -o "$T/fig.DOT" &&
  "$G" render "$EX/neuron.expr" -o "$T/fig.Gv"
rc=$?
check '[ $rc -eq 0 ] && [ "$(magic "$T/FIG.PNG" 4)" = "211PNG" ] &&
       grep -q "<svg" "$T/fig.Svg" && [ "$(magic "$T/fig.PDF" 4)" = "%PDF" ] &&
       head -n 1 "$T/fig.DOT" | grep -q "^digraph" && cmp -s "$T/fig.DOT" "$T/fig.Gv"' \
  "render -o FIG.PNG, .Svg, .PDF, .DOT, .Gv: each in its format (rc $rc)"
"$G" render "$EX/neuron.expr" -o "$T/fig.PNGX" 2>"$T/err"
rc=$?
check '[ $rc -eq 2 ] && grep -q "cannot tell the format of" "$T/err"' \
  "render -o fig.PNGX is still refused (exit $rc)"
"$G" mnist --layers 784,4,10 --show-units 2,2,2 -o "$T/MNIST.PNG" 2>"$T/err"
rc=$?
check '[ $rc -eq 0 ] && [ "$(magic "$T/MNIST.PNG" 4)" = "211PNG" ]' "mnist -o MNIST.PNG (rc $rc)"

# ---- exit statuses the other tests do not cover -------------------------------------
# (0 and 2 of every command, 1 of check and batch and 3 of render are in
# cli/cli_core.sh, render/render_figures.sh, mnist/mnist-cli.sh, batch/*.)
# status WANT ARGS...: gradviz ARGS with stdout to /dev/full exits WANT.
full() { "$G" "$@" >/dev/full 2>"$T/err"; echo $?; }
if [ -c /dev/full ]; then
  check '[ "$(full eval "$EX/neuron.expr")" = 3 ]' "eval to a full disk: exit 3"
  check '[ "$(full stats "$EX/neuron.expr")" = 3 ]' "stats to a full disk: exit 3"
  check '[ "$(full render "$EX/neuron.expr" -o - --format svg)" = 3 ]' "render -o - to a full disk: exit 3"
  check '[ "$(full mnist --layers 784,4,10 --emit dot -o -)" = 3 ]' "mnist --emit dot -o - to a full disk: exit 3"
  check '[ "$(full check "$EX/neuron.expr")" = 3 ]' "check to a full disk: exit 3"
  check '[ "$(full --help)" = 3 ]' "--help to a full disk: exit 3"
else
  for i in 1 2 3 4 5 6; do n=$((n + 1)); echo "ok $n - full disk $i # SKIP no /dev/full"; done
fi
"$G" mnist --layers 784,4,10 -o "$T/none/m.png" 2>"$T/err"
rc=$?
check '[ $rc -eq 3 ] && [ "$(cat "$T/err")" = "gradviz: $T/none/m.png: cannot write: No such file or directory" ]' \
  "mnist -o into a missing folder: exit 3 ($rc)"
"$G" train --layers 784,3,10 --epochs 1 --train-images "$M/test100-images-idx3-ubyte" \
  --train-labels "$M/test100-labels-idx1-ubyte" -o "$T/none/w.txt" >/dev/null 2>"$T/err"
rc=$?
check '[ $rc -eq 3 ] && tail -n 1 "$T/err" | grep -qx "gradviz: $T/none/w.txt: cannot write: No such file or directory"' \
  "train -o into a missing folder: exit 3 ($rc)"
: >"$T/afile"
"$G" batch "$EX/neuron.expr" -o "$T/afile/out" >/dev/null 2>"$T/err"
rc=$?
check '[ $rc -eq 3 ]' "batch into a folder it cannot make: exit 3 ($rc)"

echo "1..$n"
