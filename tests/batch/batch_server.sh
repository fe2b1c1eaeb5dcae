#!/bin/sh
# `gradviz batch` on a course server (issue 25): a style file edited beside
# an unchanged graph is redrawn; a batch killed after a style change leaves
# a manifest whose every line describes the figure beside it; drawing
# processes die with the batch; --time-limit kills a figure that hangs and
# the batch goes on; inputs that are symbolic links out of their folder are
# refused unless --follow-links; links planted in the output folder are
# never written through; --list escapes names. Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-bserver.XXXXXX")
kids=
# a child left blocked on the FIFO must not outlive the test
trap 'for k in $kids; do kill -9 "$k" 2> /dev/null; done; rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
# the processes whose parent is $1, from /proc (no ps needed)
children() { cat /proc/[0-9]*/stat 2> /dev/null | awk -v p="$1" '$4 == p { print $1 }'; }
# 1 when process $1 exists and is not a zombie
alive() { s=$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null); [ -n "$s" ] && [ "$s" != Z ]; }
# waits up to $2 tenths of a second for the command $1 to succeed
wait_for() { i=0; while [ $i -lt "$2" ] && ! eval "$1"; do sleep 0.1; i=$((i + 1)); done; eval "$1"; }
mtime() { stat -c %y "$1"; }
line_of() { grep "^$2	" "$1/.gradviz-batch"; }

echo "1..30"

# --- a style file edited beside an unchanged graph ----------------------
mkdir -p "$T/st"
cp "$SRC/styles/print.style" "$T/st/my.style"
sed 's/^digraph chain {/digraph chain { gradviz_style="my.style";/' "$SRC/examples/chain.dot" > "$T/st/g.dot"
"$G" batch "$T/st" -o "$T/st.out" 2> /dev/null
"$G" batch "$T/st" -o "$T/st.out" 2> "$T/e"
check 'grep -q "1 graph: 0 drawn, 1 up to date" "$T/e"' "nothing changed: up to date"
cp "$T/st.out/g.png" "$T/g.print.png"
cp "$SRC/styles/dark.style" "$T/st/my.style"
"$G" batch "$T/st" -o "$T/st.out" 2> "$T/e"
"$G" render "$T/st/g.dot" -o "$T/g.dark.png" 2> /dev/null
check 'grep -q "1 graph: 1 drawn, 0 up to date" "$T/e"' \
  "the graph's own style file edited, the graph not: redrawn ($(tail -1 "$T/e"))"
check '! cmp -s "$T/st.out/g.png" "$T/g.print.png" && cmp -s "$T/st.out/g.png" "$T/g.dark.png"' \
  "the figure is redrawn in the edited style"
check 'line_of "$T/st.out" g.png | grep -q " graph-style=my.style@[0-9a-f]\{16\}"' \
  "the manifest records the graph's style file with its content hash"
cp "$SRC/styles/print.style" "$T/opt.style"
"$G" batch "$SRC/examples/neuron.expr" -o "$T/so" --style "$T/opt.style" 2> /dev/null
cp "$SRC/styles/dark.style" "$T/opt.style"
"$G" batch "$SRC/examples/neuron.expr" -o "$T/so" --style "$T/opt.style" 2> "$T/e"
check 'grep -q "1 graph: 1 drawn, 0 up to date" "$T/e"' "the --style file edited: redrawn ($(tail -1 "$T/e"))"
cp "$SRC/examples/neuron.expr" "$T/n.expr"
"$G" batch "$T/n.expr" -o "$T/no" 2> /dev/null
before=$(mtime "$T/no/n.png")
echo "# a comment changes the file, not the graph" >> "$T/n.expr"
touch -d '1 hour ago' "$T/n.expr"   # edited, yet older than its figure
"$G" batch "$T/n.expr" -o "$T/no" 2> "$T/e"
check 'grep -q "1 drawn" "$T/e" && [ "$(mtime "$T/no/n.png")" != "$before" ]' \
  "a graph file edited but older than its figure is redrawn: its content is hashed"

# --- a batch killed after a style change --------------------------------
mkdir -p "$T/many"
i=10
while [ $i -lt 40 ]; do cp "$SRC/examples/neuron.expr" "$T/many/n$i.expr"; i=$((i + 1)); done
# n10 is the biggest, so it is drawn first
{ cat "$SRC/examples/neuron.expr"; i=0; while [ $i -lt 50 ]; do echo "# padding"; i=$((i + 1)); done; } > "$T/many/n10.expr"
cp "$SRC/styles/print.style" "$T/a.style"
cp "$SRC/styles/dark.style" "$T/b.style"
"$G" batch "$T/many" -o "$T/kout" --style "$T/a.style" -j 2 2> /dev/null
cp -a "$T/kout" "$T/kA"
"$G" batch "$T/many" -o "$T/kB" --style "$T/b.style" -j 2 2> /dev/null
"$G" batch "$T/many" -o "$T/kout" --style "$T/b.style" -j 1 2> /dev/null &
pid=$!
wait_for 'cmp -s "$T/kout/n10.png" "$T/kB/n10.png"' 300
kill -9 $pid 2> /dev/null
wait $pid 2> /dev/null
nA=0 nB=0 bad=
for f in "$T"/kout/*.png; do
  b=${f##*/}
  have=$(line_of "$T/kout" "$b")
  if cmp -s "$f" "$T/kB/$b"; then nB=$((nB + 1)); want=$(line_of "$T/kB" "$b")
  elif cmp -s "$f" "$T/kA/$b"; then nA=$((nA + 1)); want=$(line_of "$T/kA" "$b")
  else bad="$bad $b(neither)"; continue
  fi
  [ -z "$have" ] || [ "$have" = "$want" ] || bad="$bad $b"
done
check '[ $nB -ge 1 ] && [ $nA -ge 1 ]' "killed half way: $nB figures in the new style, $nA in the old"
check '[ -z "$bad" ]' "every manifest line describes the figure beside it (wrong:$bad)"
"$G" batch "$T/many" -o "$T/kout" --style "$T/b.style" -j 2 2> "$T/e"
check 'diff -r "$T/kout" "$T/kB" > /dev/null' \
  "the next batch leaves exactly a whole batch's files, manifest and nothing else ($(tail -1 "$T/e"))"

# --- drawing processes die with the batch ------------------------------
mkdir -p "$T/styles" "$T/stuck"
mkfifo "$T/styles/slow.style"   # a style no child can finish reading
printf 'digraph { gradviz_style=slow; a [value=1]; b [op=neg]; a -> b; }\n' > "$T/stuck/stuck.dot"
GRADVIZ_STYLE_PATH="$T/styles" "$G" batch "$T/stuck" -o "$T/sout" 2> /dev/null &
pid=$!
wait_for '[ -n "$(children $pid)" ]' 100
kid=$(children $pid); kids="$kids $kid"
kill -9 $pid 2> /dev/null
wait $pid 2> /dev/null
wait_for '! alive "$kid"' 50
check '[ -n "$kid" ] && ! alive "$kid"' "a batch killed with SIGKILL takes its drawing process with it ($kid)"
GRADVIZ_STYLE_PATH="$T/styles" "$G" batch "$T/stuck" -o "$T/sout" 2> /dev/null &
pid=$!
wait_for '[ -n "$(children $pid)" ]' 100
kid=$(children $pid); kids="$kids $kid"
kill -TERM $pid 2> /dev/null
wait $pid; rc=$?
wait_for '! alive "$kid"' 50
check '[ $rc -eq 143 ] && [ -n "$kid" ] && ! alive "$kid"' "SIGTERM: the batch stops (exit $rc), its drawing process too"
check '[ -z "$(ls -A "$T/sout")" ]' "and leaves nothing in the output folder ($(ls -A "$T/sout" | head -3))"

# --- --time-limit -----------------------------------------------------
mkdir -p "$T/tl"
cp "$T/stuck/stuck.dot" "$SRC/examples/neuron.expr" "$SRC/examples/chain.dot" "$T/tl/"
# 5 s: the neuron and the chain take a fraction of a second, but several
# under the sanitizer on a loaded machine (at 1 s they were stopped too)
start=$(date +%s)
GRADVIZ_STYLE_PATH="$T/styles" "$G" batch "$T/tl" -o "$T/tlo" --time-limit 5 -j 2 2> "$T/e"
rc=$?
took=$(($(date +%s) - start))
check '[ $rc -eq 1 ] && [ $took -lt 40 ]' "a figure that hangs fails the batch (exit $rc) within its limit (${took} s)"
check 'grep -qx "  gradviz: $T/tl/stuck.dot: stopped after the time limit of 5 s (--time-limit)" "$T/e"' \
  "one line names the file and the limit ($(grep -A1 '^failed' "$T/e" | tail -1))"
check 'grep -q "3 graphs: 2 drawn, 0 up to date, 1 failed" "$T/e" && [ -s "$T/tlo/neuron.png" ] && [ -s "$T/tlo/chain.png" ]' \
  "the batch goes on: the other graphs are drawn ($(grep 'graphs:' "$T/e"))"
check '[ ! -e "$T/tlo/stuck.png" ] && ! grep -q "^stuck" "$T/tlo/.gradviz-batch" && [ -z "$(ls -A "$T/tlo" | grep -v -e "\.png\$" -e "^\.gradviz-batch\$")" ]' \
  "nothing of the stopped figure is left, not even in the manifest"
"$G" batch "$T/tl" -o "$T/tlo" --time-limit -1 2> "$T/e"; rc1=$?
"$G" batch "$T/tl" -o "$T/tlo" --time-limit soon 2>> "$T/e"; rc2=$?
check '[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ]' "--time-limit -1 and soon are usage errors"
check '"$G" batch --help | grep -q "default 60"' "--help gives the default limit"

# --- symbolic links among the inputs ------------------------------------
mkdir -p "$T/li" "$T/outside"
printf 'digraph { secret [value=1]; }\n' > "$T/outside/secret.dot"
ln -s ../outside/secret.dot "$T/li/evil.dot"
cp "$SRC/examples/neuron.expr" "$T/li/"
ln -s neuron.expr "$T/li/alias.expr"
"$G" batch "$T/li" -o "$T/lo" 2> "$T/e"; rc=$?
want="  gradviz: $T/li/evil.dot: a symbolic link to a file outside its folder: not followed (--follow-links follows it)"
check '[ $rc -eq 1 ] && grep -qxF "$want" "$T/e" && [ ! -e "$T/lo/evil.png" ]' \
  "an input linking out of its folder fails with one line, unread (exit $rc)"
check '[ -s "$T/lo/neuron.png" ] && [ -s "$T/lo/alias.png" ]' "a link inside the folder is followed"
"$G" batch "$T/li/evil.dot" -o "$T/lo2" 2> "$T/e"; rc=$?
check '[ $rc -eq 1 ] && grep -qxF "$want" "$T/e"' "the same for a file named by itself (its folder is the one holding it)"
"$G" batch "$T/li" -o "$T/lo3" --follow-links 2> "$T/e"; rc=$?
check '[ $rc -eq 0 ] && [ -s "$T/lo3/evil.png" ]' "--follow-links follows it"
"$G" batch "$T/li" -o "$T/lo4" --list > "$T/list" 2> "$T/e"
check 'grep -qxF "gradviz: ${want#  gradviz: }" "$T/e" && grep -qx "$T/li/evil.dot" "$T/list"' \
  "--list says so too, and lists no figure for it"

# --- links planted in the output folder ---------------------------------
echo "a file of the test's own" > "$T/own.txt"
cp "$T/own.txt" "$T/own.orig"
mkdir -p "$T/po" "$T/elsewhere" "$T/pin/sub"
cp "$SRC/examples/neuron.expr" "$SRC/examples/ab-b1.dot" "$T/pin/"
cp "$SRC/examples/chain.dot" "$T/pin/sub/"
ln -s ../own.txt "$T/po/neuron.png"
ln -s ../elsewhere "$T/po/sub"
"$G" batch "$T/pin" -o "$T/po" 2> "$T/e"; rc=$?
check '[ $rc -eq 1 ] && cmp -s "$T/own.txt" "$T/own.orig" && [ -L "$T/po/neuron.png" ]' \
  "a figure's name planted as a link: the link's target is unchanged, the link stays (exit $rc)"
check 'grep -qxF "  gradviz: $T/po/neuron.png: a symbolic link; batch does not write through links in its output folder" "$T/e"' \
  "one line says why"
check '[ -z "$(ls -A "$T/elsewhere")" ] && grep -qxF "  gradviz: $T/po/sub: a symbolic link; batch does not write through links in its output folder" "$T/e"' \
  "a folder planted as a link is not written through"
check '[ -s "$T/po/ab-b1.png" ] && grep -q "3 graphs: 1 drawn, 0 up to date, 2 failed" "$T/e"' "the other figures are drawn"
mkdir -p "$T/pm"
ln -s ../own.txt "$T/pm/.gradviz-batch"
"$G" batch "$SRC/examples/neuron.expr" -o "$T/pm" 2> "$T/e"; rc=$?
check '[ $rc -eq 3 ] && cmp -s "$T/own.txt" "$T/own.orig" && grep -q "^gradviz: $T/pm/.gradviz-batch: a symbolic link" "$T/e"' \
  "a manifest planted as a link is neither read nor replaced (exit $rc)"
mkdir -p "$T/pi"
cp "$SRC/examples/chain.dot" "$T/pi/"
"$G" batch "$T/pi" -o "$T/pi" --formats dot 2> "$T/e"; rc=$?
check '[ $rc -eq 1 ] && cmp -s "$T/pi/chain.dot" "$SRC/examples/chain.dot" && grep -q "chain.dot: is the input file" "$T/e"' \
  "a DOT figure that would replace its own input is refused"

# --- --list escapes names ----------------------------------------------
mkdir -p "$T/esc"
esc=$(printf '\033')
cp "$SRC/examples/neuron.expr" "$T/esc/a${esc}[2Jb.expr"
"$G" batch "$T/esc" -o "$T/eo" --list > "$T/list" 2> "$T/e"
check '! grep -q "$esc" "$T/list" && grep -qF "$T/esc/a\\x1b[2Jb.expr	$T/eo/a\\x1b[2Jb.png" "$T/list"' \
  "--list writes an escape sequence in a name as \\x1b ($(head -c 120 "$T/list"))"
[ $fails -eq 0 ]
