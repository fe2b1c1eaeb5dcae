#!/bin/sh
# `gradviz batch --shard K/N` and `--list`: four shards run side by side
# with GNU parallel into one folder give exactly the files of one whole
# batch, byte for byte, each figure drawn by one shard only, and one
# manifest that lists every figure (the shards merge theirs under a lock).
# Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
if ! command -v parallel > /dev/null 2>&1; then
  echo "1..0 # SKIP GNU parallel is not installed (scripts/install-deps.sh)"
  exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-shard.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
F=png,svg,pdf,dot
# sha256 of every file below a folder (the manifest and its lock aside)
hashes() { (cd "$1" && find . -type f ! -name '.gradviz-batch*' | LC_ALL=C sort | xargs sha256sum); }

echo "1..13"
mkdir -p "$T/in/sub"
cp "$SRC"/examples/*.dot "$SRC"/examples/*.expr "$T/in/"
mv "$T/in/chain.dot" "$T/in/sub/chain.dot"
n_in=$(find "$T/in" -name '*.dot' -o -name '*.expr' | wc -l)

"$G" batch "$T/in" -o "$T/whole" --formats $F -j 2 2> "$T/whole.err"
check '[ $? -eq 0 ]' "one whole batch draws every graph"

"$G" batch "$T/in" -o "$T/whole" --formats $F --list > "$T/whole.list"
check '[ $? -eq 0 ] && [ "$(wc -l < "$T/whole.list")" -eq "$n_in" ] && ! grep -q "	" "$T/whole.list"' \
  "--list after the batch: every graph, no figure left to draw"
for k in 0 1 2 3; do
  "$G" batch "$T/in" -o "$T/shards" --formats $F --shard $k/4 --list > "$T/list.$k" || echo fail >> "$T/list.fail"
done
check '[ ! -e "$T/list.fail" ] && [ ! -e "$T/shards" ]' "--list of each shard exits 0 and makes no folder"
cat "$T"/list.? | cut -f1 | LC_ALL=C sort > "$T/union"
check '[ "$(wc -l < "$T/union")" -eq "$n_in" ] && [ "$(uniq -d < "$T/union" | wc -l)" -eq 0 ]' \
  "the four lists are disjoint and hold $n_in graphs in all"
check '[ "$(cut -f1 "$T/whole.list" | LC_ALL=C sort)" = "$(cat "$T/union")" ]' \
  "the four lists together are the whole list"
check '[ "$(cat "$T"/list.? | tr "\t" "\n" | grep -c "^$T/shards/")" -eq $((4 * n_in)) ]' \
  "the lists name every figure once ($((4 * n_in)))"
check '[ "$("$G" batch "$T/in" -o "$T/shards" --shard 1/4 --list | cut -f1)" = "$(cut -f1 "$T/list.1")" ]' \
  "a shard's list is the same on a second run"

parallel --will-cite -j 4 "$G" batch "$T/in" -o "$T/shards" --formats $F -j 1 --shard {}/4 \
  '2>' "$T/shard.{}.err" ::: 0 1 2 3
check '[ $? -eq 0 ]' "four shards under GNU parallel all exit 0"
drawn=$(cat "$T"/shard.?.err | sed -n 's/.*graphs*: \([0-9]*\) drawn.*/\1/p' | awk '{s += $1} END {print s + 0}')
check '[ "$drawn" -eq "$n_in" ]' "the shards drew $n_in graphs in all, none twice ($drawn)"
hashes "$T/whole" > "$T/whole.sha"
hashes "$T/shards" > "$T/shards.sha"
check '[ -s "$T/whole.sha" ] && cmp -s "$T/whole.sha" "$T/shards.sha"' \
  "the shards' folder has the whole batch's files, byte for byte ($(wc -l < "$T/whole.sha"))"
check 'cmp -s "$T/whole/.gradviz-batch" "$T/shards/.gradviz-batch"' \
  "the shards' manifest lists every figure, as one batch's does"
"$G" batch "$T/in" -o "$T/shards" --formats $F 2> "$T/again.err"
check 'grep -q "graphs*: 0 drawn, $n_in up to date" "$T/again.err"' "a whole batch afterwards finds everything up to date"

"$G" batch "$T/in" -o "$T/bad" --shard 4/4 2> "$T/bad.err"; rc1=$?
"$G" batch "$T/in" -o "$T/bad" --shard 1 2>> "$T/bad.err"; rc2=$?
check '[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && grep -q "K must be 0 to N-1" "$T/bad.err" && [ ! -e "$T/bad" ]' \
  "--shard 4/4 and --shard 1 are usage errors (exit 2)"
[ $fails -eq 0 ]
