#!/bin/sh
# inputs.sh: inputs from people gradviz does not trust (TAP). A NUL byte in
# any text input, text that is not UTF-8, inputs over the size limit,
# endless inputs (/dev/zero), style files a graph file names, and PNGs over
# the pixel limit: each is one exact line on stderr, exit 2, quickly and in
# bounded memory. Reads /dev/zero; writes only in its own folder.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
examples="$GDV_SRCDIR/examples"

work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-inputs.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
unset GRADVIZ_MAX_INPUT GRADVIZ_MAX_PIXELS

. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
diag() { cat "$@" | head -n 20 | sed 's/^/# /'; }

# Peak memory and time through /usr/bin/time when the machine has it.
if [ -x /usr/bin/time ]; then timed="/usr/bin/time -f %e:%M -o time.txt"; else timed=""; fi
# Generous: a sanitizer build's own overhead fits, gigabytes do not.
max_kb=400000 max_s=5

# fails NAME 'STDERR' ARGS...: gradviz ARGS (stdin from in.txt when it
# exists) exits 2 within 10 s, with exactly STDERR (one line) and nothing
# on stdout; with /usr/bin/time, also within max_s seconds and max_kb KB.
fails() {
  name=$1 want=$2
  shift 2
  [ -f in.txt ] || : >in.txt
  rm -f time.txt
  timeout 10 $timed "$GRADVIZ" "$@" <in.txt >out.txt 2>err.txt
  got=$?
  t=$(cat time.txt 2>/dev/null | tail -n 1)
  secs=${t%%:*} kb=${t##*:}
  if [ "$got" -eq 2 ] && [ "$(cat err.txt)" = "$want" ] &&
     [ "$(wc -l <err.txt)" -eq 1 ] && [ ! -s out.txt ] &&
     { [ -z "$t" ] || { [ "$kb" -le "$max_kb" ] &&
       awk "BEGIN { exit !($secs <= $max_s) }"; }; }; then
    ok "$name${t:+ (${secs} s, ${kb} KB)}"
  else
    not_ok "$name"
    echo "# exit $got (want 2), time:memory ${t:-?}; stderr:"
    diag err.txt
    echo "# want: $want"
  fi
  rm -f in.txt
}

# fails_match NAME 'REGEX' ARGS...: as fails, the line matching REGEX (ERE).
fails_match() {
  name=$1 re=$2
  shift 2
  timeout 10 $timed "$GRADVIZ" "$@" </dev/null >out.txt 2>err.txt
  got=$?
  t=$(cat time.txt 2>/dev/null | tail -n 1)
  secs=${t%%:*} kb=${t##*:}
  if [ "$got" -eq 2 ] && grep -Eqx "$re" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] &&
     { [ -z "$t" ] || { [ "$kb" -le "$max_kb" ] &&
       awk "BEGIN { exit !($secs <= $max_s) }"; }; }; then
    ok "$name${t:+ (${secs} s, ${kb} KB)}"
  else
    not_ok "$name"
    echo "# exit $got (want 2), time:memory ${t:-?}; stderr:"
    diag err.txt
    echo "# want: $re"
  fi
}

# works NAME ARGS...: gradviz ARGS exits 0.
works() {
  name=$1
  shift
  if "$GRADVIZ" "$@" >out.txt 2>err.txt; then ok "$name"
  else not_ok "$name"; diag err.txt; fi
}

# ---- a NUL byte in every text input ----------------------------------------
printf 'digraph {\n  x [value=2]\000\n}\n' >nul.dot
fails "NUL in a DOT file" "gradviz: nul.dot:2: a NUL byte: this is not a text file" eval nul.dot
printf 'x = 2\ny = x*x\n# a comment \000 and more\n' >nul.expr
fails "NUL in a formula file" "gradviz: nul.expr:3: a NUL byte: this is not a text file" eval nul.expr
printf 'digraph {\n\n\n  x [value=2]\000\n}\n' >in.txt
fails "NUL on standard input" "gradviz: <stdin>:4: a NUL byte: this is not a text file" eval -
# Before, the NUL ended the style file: the bad key after it went unseen.
printf 'forward = #000000\n\000\nno_such_key = 1\n' >nul.style
fails "NUL in a style file" "gradviz: nul.style:2: a NUL byte: this is not a text file" \
  render "$examples/chain.dot" --style nul.style -o chain.svg
head -n 3 "$examples/mnist/weights-784-30-10.txt" >nul.txt
printf '0.5 \000 0.25\n' >>nul.txt
fails "NUL in a weights file" "gradviz: nul.txt:4: a NUL byte: this is not a text file" \
  mnist --weights nul.txt -o w.dot

# ---- endless inputs: one line at once, bounded memory ----------------------
fails "eval /dev/zero" "gradviz: /dev/zero:1: a NUL byte: this is not a text file" eval /dev/zero
fails "--style /dev/zero" "gradviz: /dev/zero:1: a NUL byte: this is not a text file" \
  render "$examples/chain.dot" --style /dev/zero -o chain.svg
fails "--weights /dev/zero" "gradviz: /dev/zero:1: a NUL byte: this is not a text file" \
  mnist --weights /dev/zero -o w.dot
lab="$examples/mnist/test100-labels-idx1-ubyte"
fails "--images /dev/zero" \
  "gradviz: /dev/zero: not an IDX images file: magic number 0x00000000, expected 0x00000803" \
  mnist --images /dev/zero --labels "$lab" --index 0 -o w.dot
# A valid header followed by endless data: the header's counts bound the read.
printf '\000\000\010\003\000\000\000\001\000\000\000\002\000\000\000\002' >head.idx
timeout 10 $timed sh -c 'cat head.idx /dev/zero | "$GRADVIZ" mnist --images - --labels "$1" --index 0 -o w.dot' \
  sh "$lab" >out.txt 2>err.txt
t=$(tail -n 1 time.txt 2>/dev/null)
if [ "$(cat err.txt)" = "gradviz: <stdin>: at least 4096 bytes of trailing data after the 4 the header promises" ] &&
   { [ -z "$t" ] || [ "${t##*:}" -le "$max_kb" ]; }; then
  ok "IDX header then endless data (${t:-?})"
else
  not_ok "IDX header then endless data"; diag err.txt time.txt
fi

# ---- the input size limit ---------------------------------------------------
awk 'BEGIN { print "digraph {"; for (i = 0; i < 100; i++) print "  x" i " [value=1]"; print "}" }' >big.dot
export GRADVIZ_MAX_INPUT=1K
fails "a file over GRADVIZ_MAX_INPUT" \
  "gradviz: big.dot: larger than 1 KiB, the input size limit (GRADVIZ_MAX_INPUT sets it)" eval big.dot
cp big.dot in.txt
fails "standard input over GRADVIZ_MAX_INPUT" \
  "gradviz: <stdin>: larger than 1 KiB, the input size limit (GRADVIZ_MAX_INPUT sets it)" eval -
# 10,000,000 bytes promised, 16 given: refused by the promise, not the size.
printf '\000\000\010\003\000\000\003\350\000\000\000\144\000\000\000\144' >big.idx
GRADVIZ_MAX_INPUT=1M
fails "an IDX header promising more than the limit" \
  "gradviz: big.idx: the header promises 10000000 bytes of data, over 1 MiB, the input size limit (GRADVIZ_MAX_INPUT sets it)" \
  mnist --images big.idx --labels "$lab" --index 0 -o w.dot
GRADVIZ_MAX_INPUT=lots
fails "a malformed GRADVIZ_MAX_INPUT" \
  "gradviz: GRADVIZ_MAX_INPUT='lots' is not a size (bytes, or a number with K, M or G, such as 200M)" \
  eval "$examples/chain.dot"
GRADVIZ_MAX_INPUT=200M
works "GRADVIZ_MAX_INPUT=200M reads an example" eval "$examples/chain.dot"
unset GRADVIZ_MAX_INPUT
# Style files stop at 1 MiB whatever the limit: 1.4 MB of comment lines.
awk 'BEGIN { for (i = 0; i < 30000; i++) print "# a comment line of some fifty bytes, no more" }' >huge.style
fails "a style file over 1 MiB" \
  "gradviz: huge.style: larger than 1 MiB, the limit for a style file" \
  render "$examples/chain.dot" --style huge.style -o chain.svg
# An endless text without NUL stops at the limit.
GRADVIZ_MAX_INPUT=10M timeout 10 $timed sh -c 'yes | "$GRADVIZ" eval -' >out.txt 2>err.txt
t=$(tail -n 1 time.txt 2>/dev/null)
if [ "$(cat err.txt)" = "gradviz: <stdin>: larger than 10 MiB, the input size limit (GRADVIZ_MAX_INPUT sets it)" ] &&
   { [ -z "$t" ] || [ "${t##*:}" -le "$max_kb" ]; }; then
  ok "endless text stops at the limit (${t:-?})"
else
  not_ok "endless text stops at the limit"; diag err.txt time.txt
fi

# ---- UTF-8 --------------------------------------------------------------------
printf 'digraph {\n  x [value=1, label="caf\351"]\n}\n' >latin.dot
fails "a Latin-1 byte in a label" \
  "gradviz: latin.dot:2: byte 0xE9 is not UTF-8: DOT files are UTF-8 unless the graph says charset=latin1" \
  eval latin.dot --format json
printf 'digraph {\n  subgraph s { charset=latin1 }\n  x [value=1, label="caf\351"]\n}\n' >sub.dot
fails "a subgraph's charset is not the graph's" \
  "gradviz: sub.dot:3: byte 0xE9 is not UTF-8: DOT files are UTF-8 unless the graph says charset=latin1" \
  eval sub.dot
printf 'digraph {\n  x [value=1, label="a\355\240\200"]\n}\n' >surrogate.dot
fails "a UTF-16 surrogate is not UTF-8" \
  "gradviz: surrogate.dot:2: byte 0xED is not UTF-8: DOT files are UTF-8 unless the graph says charset=latin1" \
  eval surrogate.dot
printf 'x = 1\n# caf\351\ny = x*x\n' >latin.expr
fails "a Latin-1 byte in a formula file" \
  "gradviz: latin.expr:2: byte 0xE9 is not UTF-8: formula files are UTF-8" eval latin.expr
printf '# caf\351\nforward = #000000\n' >latin.style
fails "a Latin-1 byte in a style file" "gradviz: latin.style:1: byte 0xE9 is not UTF-8" \
  render "$examples/chain.dot" --style latin.style -o chain.svg
# A graph that says it is Latin-1 is read as Latin-1: é is U+00E9.
for decl in 'charset=latin1' 'graph [charset="ISO-8859-1"]'; do
  printf 'digraph {\n  %s\n  x [value=1, label="caf\351"]\n}\n' "$decl" >declared.dot
  "$GRADVIZ" eval declared.dot --format json >out.json 2>err.txt
  if "$GDV_PYTHON" -c 'import json, sys
d = json.load(open("out.json", encoding="utf-8", errors="strict"))
sys.exit(d["nodes"][0]["label"] != "caf\u00e9")'; then ok "$decl is read as Latin-1"
  else not_ok "$decl is read as Latin-1"; diag err.txt out.json; fi
done
# Written back out, the converted graph says what it now is.
"$GRADVIZ" render declared.dot -o back.dot >/dev/null 2>err.txt
if "$GDV_PYTHON" -c 'import sys
t = open("back.dot", "rb").read().decode("utf-8")
sys.exit(not ("charset=\"UTF-8\"" in t and "caf\u00e9" in t and "8859" not in t))'; then
  ok "annotated DOT of a Latin-1 graph is UTF-8 and says so"
else
  not_ok "annotated DOT of a Latin-1 graph is UTF-8 and says so"; diag err.txt back.dot
fi
# Control characters (DEL too) are escaped: strict JSON, the name kept.
printf 'digraph {\n  "a\001b\177c" [value=1]\n}\n' >ctl.dot
"$GRADVIZ" eval ctl.dot --format json >out.json 2>err.txt
if grep -q '"a\\u0001b\\u007fc"' out.json && "$GDV_PYTHON" -c 'import json, sys
d = json.load(open("out.json", encoding="utf-8"))
sys.exit(d["nodes"][0]["id"] != "a\x01b\x7fc")'; then ok "control characters in JSON are \\u00XX"
else not_ok "control characters in JSON are \\u00XX"; diag err.txt out.json; fi

# ---- style files a graph file names -----------------------------------------
mkdir -p g sub
printf 'forward = #000000\n' >g/ok.style
mkdir -p g/styles && cp g/ok.style g/styles/
mkfifo g/fifo.style 2>/dev/null
ln -sf /dev/zero g/zero.style
# style_graph NAME STYLE: a graph in g/ whose gradviz_style is STYLE.
style_graph() {
  printf 'digraph {\n  gradviz_style="%s"\n  x [value=1]\n}\n' "$2" >"g/$1.dot"
}
refused() {
  echo "gradviz: g/$1.dot: gradviz_style '$2' is $3; a graph file may name a style or a style file beside it (--style takes any file)"
}
style_graph abs /dev/zero
fails "gradviz_style: an absolute path" "$(refused abs /dev/zero 'an absolute path')" \
  render g/abs.dot -o g/abs.svg
style_graph up ../ok.style
fails "gradviz_style: a path through .." "$(refused up ../ok.style "a path through '..'")" \
  render g/up.dot -o g/up.svg
style_graph upin styles/../../ok.style
fails "gradviz_style: .. inside the path" "$(refused upin styles/../../ok.style "a path through '..'")" \
  render g/upin.dot -o g/upin.svg
style_graph fifo fifo.style
fails "gradviz_style: a FIFO" "$(refused fifo fifo.style 'not a regular file')" \
  render g/fifo.dot -o g/fifo.svg
style_graph dev zero.style
fails "gradviz_style: a link to a device" "$(refused dev zero.style 'not a regular file')" \
  render g/dev.dot -o g/dev.svg
style_graph beside ok.style
works "gradviz_style: a file beside the graph" render g/beside.dot -o g/beside.svg
style_graph below styles/ok.style
works "gradviz_style: a file in a folder beside the graph" render g/below.dot -o g/below.svg
style_graph named print
works "gradviz_style: a style name" render g/named.dot -o g/named.svg
works "--style takes any file (the user typed it)" \
  render "$examples/chain.dot" --style g/../g/ok.style -o chain.svg

# ---- the PNG pixel limit -----------------------------------------------------
# 72 leaves with long labels at 2400 dpi ask for over 10^10 pixels at their
# natural size (no page).
awk 'BEGIN { print "digraph {\n  gradviz_dpi=2400; gradviz_page=none"
  for (i = 0; i < 72; i++) {
    l = sprintf("%0300d", i); print "  x" i " [value=" i ", label=\"" l "\"]; x" i " -> s" }
  print "  s [op=add]\n}" }' >huge.dot
fails_match "a PNG of over 10^10 pixels" \
  "gradviz: huge.png: a PNG of [0-9]+x[0-9]+ pixels at 2400 dpi is over the limit \(100 megapixels, 32767 a side; GRADVIZ_MAX_PIXELS sets it\): [0-9]+ dpi or less fits, or write SVG or PDF \(--dpi\)" \
  render huge.dot -o huge.png
if [ -f err.txt ]; then
  px=$(sed -n 's/.*a PNG of \([0-9]*\)x\([0-9]*\) pixels.*/\1 \2/p' err.txt)
  if awk -v p="$px" 'BEGIN { split(p, a, " "); exit !(a[1] * a[2] >= 1e10) }'; then
    ok "the refused PNG was over 10^10 pixels ($px)"
  else not_ok "the refused PNG was over 10^10 pixels ($px)"; fi
fi
[ ! -e huge.png ] && ok "nothing written for the refused PNG" || not_ok "nothing written for the refused PNG"
works "the same graph as SVG" render huge.dot -o huge.svg
# 73 nodes, eight chains of nine: both sides fit under 32767 pixels at
# 1130 dpi, the area (about 385 megapixels, 1.5 GB before) does not.
awk 'BEGIN { print "digraph {\n  gradviz_dpi=1130"
  for (c = 0; c < 8; c++) { print "  a" c "_0 [value=" c "]"
    for (k = 1; k < 9; k++) print "  a" c "_" k " [op=tanh]; a" c "_" (k - 1) " -> a" c "_" k
    print "  a" c "_8 -> s" }
  print "  s [op=add]\n}" }' >grid.dot
fails_match "a 73-node graph at gradviz_dpi=1130 is refused by area" \
  "gradviz: grid.png: a PNG of [0-9]+x[0-9]+ pixels at 1130 dpi is over the limit \(100 megapixels, 32767 a side; GRADVIZ_MAX_PIXELS sets it\): [0-9]+ dpi or less fits, or write SVG or PDF \(--dpi\)" \
  render grid.dot -o grid.png
# The limit is by area: a 1-megapixel limit refuses a tall figure whose
# sides are both small, and the --dpi it suggests fits exactly.
export GRADVIZ_MAX_PIXELS=1M
fails_match "GRADVIZ_MAX_PIXELS=1M refuses by area" \
  "gradviz: chain.png: a PNG of [0-9]+x[0-9]+ pixels at 1200 dpi is over the limit \(1 megapixels, 32767 a side; GRADVIZ_MAX_PIXELS sets it\): [0-9]+ dpi or less fits, or write SVG or PDF \(--dpi\)" \
  render "$examples/chain.dot" --dpi 1200 -o chain.png
fit=$(sed -n 's/.*: \([0-9]*\) dpi or less fits.*/\1/p' err.txt)
if [ -n "$fit" ] && "$GRADVIZ" render "$examples/chain.dot" --dpi "$fit" -o chain.png 2>err.txt &&
   ! "$GRADVIZ" render "$examples/chain.dot" --dpi $((fit + 1)) -o chain2.png 2>/dev/null; then
  ok "--dpi $fit fits and $((fit + 1)) does not"
else
  not_ok "--dpi ${fit:-?} fits and one more does not"; diag err.txt
fi
GRADVIZ_MAX_PIXELS=many
fails "a malformed GRADVIZ_MAX_PIXELS" \
  "gradviz: chain.png: GRADVIZ_MAX_PIXELS='many' is not a number of pixels (such as 100M)" \
  render "$examples/chain.dot" -o chain.png
unset GRADVIZ_MAX_PIXELS

echo "1..$n"
