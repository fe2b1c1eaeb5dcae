#!/bin/sh
# `gradviz batch --shard K/N` and `--list`: four shards into one folder,
# one after another (in two orders) and side by side, from an empty folder,
# from a folder drawn with other settings and from a messy folder (a lock
# file and a work folder left by killed runs, figures deleted, lines
# missing, lines for graphs that are gone), each leave exactly the files
# and manifest of one unsharded batch from the same state (`diff -r`), each
# figure drawn by one shard only, and no lock file or work folder.
# Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-shard.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
# same A B NAME: `diff -r A B` finds nothing (else its first lines follow
# as TAP comments)
same() {
  if diff -r "$1" "$2" > "$T/diff" 2>&1; then ok "$3"; else not_ok "$3"; head -5 "$T/diff" | sed 's/^/# /'; fi
}
F=png,svg,pdf,dot
# the lock file and work folders a run may leave beside the figures
litter() { find "$1" -name '.gradviz-batch.lock' -o -name '.gradviz-batch-work.*' | head -3; }
# four shards one after another, in the order given, into $1; the
# litter after each is collected in $T/litter
seq_shards() {
  out=$1; shift
  for k in "$@"; do
    "$G" batch "$T/in" -o "$out" --formats $F -j 1 --shard "$k/4" 2>> "$T/seq.err" || echo "shard $k failed" >> "$T/seq.err"
    litter "$out" >> "$T/litter"
  done
}
# four shards at once into $1
par_shards() {
  pids=
  for k in 0 1 2 3; do
    "$G" batch "$T/in" -o "$1" --formats $F -j 1 --shard "$k/4" 2> "$T/par.$k.err" &
    pids="$pids $!"
  done
  rc=0
  for p in $pids; do wait "$p" || rc=1; done   # each shard's own status
  return $rc
}

echo "1..24"
mkdir -p "$T/in/sub"
cp "$SRC"/examples/*.dot "$SRC"/examples/*.expr "$T/in/"
mv "$T/in/chain.dot" "$T/in/sub/chain.dot"
n_in=$(find "$T/in" -name '*.dot' -o -name '*.expr' | wc -l)

"$G" batch "$T/in" -o "$T/whole" --formats $F -j 2 2> "$T/whole.err"
check '[ $? -eq 0 ] && [ -z "$(litter "$T/whole")" ]' \
  "one whole batch draws every graph and leaves no lock file or work folder ($(litter "$T/whole"))"

"$G" batch "$T/in" -o "$T/whole" --formats $F --list > "$T/whole.list"
check '[ $? -eq 0 ] && [ "$(wc -l < "$T/whole.list")" -eq "$n_in" ] && ! grep -q "	" "$T/whole.list"' \
  "--list after the batch: every graph, no figure left to draw"
for k in 0 1 2 3; do
  "$G" batch "$T/in" -o "$T/lists" --formats $F --shard $k/4 --list > "$T/list.$k" || echo fail >> "$T/list.fail"
done
check '[ ! -e "$T/list.fail" ] && [ ! -e "$T/lists" ]' "--list of each shard exits 0 and makes no folder"
cat "$T"/list.? | cut -f1 | LC_ALL=C sort > "$T/union"
check '[ "$(wc -l < "$T/union")" -eq "$n_in" ] && [ "$(uniq -d < "$T/union" | wc -l)" -eq 0 ]' \
  "the four lists are disjoint and hold $n_in graphs in all"
check '[ "$(cut -f1 "$T/whole.list" | LC_ALL=C sort)" = "$(cat "$T/union")" ]' \
  "the four lists together are the whole list"
check '[ "$(cat "$T"/list.? | tr "\t" "\n" | grep -c "^$T/lists/")" -eq $((4 * n_in)) ]' \
  "the lists name every figure once ($((4 * n_in)))"
check '[ "$("$G" batch "$T/in" -o "$T/lists" --shard 1/4 --list | cut -f1)" = "$(cut -f1 "$T/list.1")" ]' \
  "a shard's list is the same on a second run"

# One after another, into an empty folder, in two orders.
: > "$T/litter"
seq_shards "$T/seq" 0 1 2 3
check '[ ! -s "$T/litter" ]' "no lock file or work folder after any sequential shard ($(head -1 "$T/litter"))"
check '! grep -q "^shard [0-9] failed" "$T/seq.err"' "each sequential shard exits 0"
same "$T/whole" "$T/seq" "shards 0 1 2 3 one after another leave one batch's files and manifest"
drawn=$(sed -n 's/.*graphs*: \([0-9]*\) drawn.*/\1/p' "$T/seq.err" | awk '{s += $1} END {print s + 0}')
check '[ "$drawn" -eq "$n_in" ]' "the sequential shards drew $n_in graphs in all, none twice ($drawn)"
: > "$T/seq.err"
seq_shards "$T/seq2" 3 1 0 2
same "$T/whole" "$T/seq2" "shards 3 1 0 2 one after another: the same"

# Side by side into an empty folder.
par_shards "$T/par"
check '[ $? -eq 0 ]' "four shards at once all exit 0"
drawn=$(cat "$T"/par.?.err | sed -n 's/.*graphs*: \([0-9]*\) drawn.*/\1/p' | awk '{s += $1} END {print s + 0}')
check '[ "$drawn" -eq "$n_in" ]' "the parallel shards drew $n_in graphs in all, none twice ($drawn)"
same "$T/whole" "$T/par" "four shards at once leave one batch's files and manifest"
check '[ -z "$(litter "$T/par")" ]' "no lock file or work folder after shards at once"
"$G" batch "$T/in" -o "$T/par" --formats $F 2> "$T/again.err"
check 'grep -q "graphs*: 0 drawn, $n_in up to date" "$T/again.err"' "a whole batch afterwards finds everything up to date"

# A folder drawn with other settings: one batch and four shards at once
# each redraw the PNG figures alike.
"$G" batch "$T/in" -o "$T/old" --formats $F --dpi 50 -j 2 2> /dev/null
cp -a "$T/old" "$T/old.one" && cp -a "$T/old" "$T/old.par"
"$G" batch "$T/in" -o "$T/old.one" --formats $F -j 2 2> /dev/null
par_shards "$T/old.par"
same "$T/old.one" "$T/old.par" "over figures drawn at another --dpi: four shards at once leave what one batch does"

# A messy folder: what killed runs and users leave behind.
cp -a "$T/whole" "$T/mess"
rm "$T/mess/neuron.png" "$T/mess/sub/chain.svg"
: > "$T/mess/.gradviz-batch.lock"
# a work folder of this machine's killed run (no process has that number)
work="$T/mess/.gradviz-batch-work.$(uname -n | tr -c 'A-Za-z0-9.\n-' '_').2147483646"
mkdir -p "$work/3"
echo partial > "$work/3/x.png"
grep -v '^ab-b1\.pdf	' "$T/whole/.gradviz-batch" > "$T/mess/.gradviz-batch"
printf 'gone.png\tstyle=- show=- precision=- dpi=- input=1:0000000000000000\n' >> "$T/mess/.gradviz-batch"
cp -a "$T/mess" "$T/mess.one" && cp -a "$T/mess" "$T/mess.seq" && cp -a "$T/mess" "$T/mess.par"
"$G" batch "$T/in" -o "$T/mess.one" --formats $F -j 2 2> "$T/mess.err"
check 'grep -q "graphs*: 3 drawn" "$T/mess.err" && grep -q "^gone.png	" "$T/mess.one/.gradviz-batch"' \
  "one batch over a messy folder redraws the 3 graphs missing a figure or a line, keeps other lines"
check '[ -z "$(litter "$T/mess.one")" ]' "the lock file and the work folder killed runs left are gone ($(litter "$T/mess.one"))"
: > "$T/litter"
seq_shards "$T/mess.seq" 2 0 3 1
same "$T/mess.one" "$T/mess.seq" "over the messy folder, shards one after another leave what one batch does"
par_shards "$T/mess.par"
same "$T/mess.one" "$T/mess.par" "over the messy folder, shards at once leave what one batch does"

# GNU parallel, as the README shows it.
if command -v parallel > /dev/null 2>&1; then
  parallel --will-cite -j 4 "$G" batch "$T/in" -o "$T/gnu" --formats $F -j 1 --shard {}/4 \
    '2>' /dev/null ::: 0 1 2 3
  same "$T/whole" "$T/gnu" "four shards under GNU parallel: one batch's files and manifest"
else
  n=$((n + 1)); echo "ok $n # SKIP GNU parallel is not installed (scripts/install-deps.sh)"
fi

"$G" batch "$T/in" -o "$T/bad" --shard 4/4 2> "$T/bad.err"; rc1=$?
"$G" batch "$T/in" -o "$T/bad" --shard 1 2>> "$T/bad.err"; rc2=$?
check '[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && grep -q "K must be 0 to N-1" "$T/bad.err" && [ ! -e "$T/bad" ]' \
  "--shard 4/4 and --shard 1 are usage errors (exit 2)"
[ $fails -eq 0 ]
