#!/bin/sh
# The course graphs of issue 11 (tests/figure/course/*.expr): their gradients
# agree with finite differences, and their layout dumps are what
# tests/figure/legible.py measures: every text has a font size, every node
# text's centre lies in its node's box (the dump's x, y are top-left
# corners), and the checker reads the dump (exit 0 or 1, not 2). Whether
# they pass is `make check-legible`, not this test. Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-course.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/tap.sh"

for g in "$SRC"/tests/figure/course/*.expr; do
  b=$(basename "$g" .expr)
  if "$G" check "$g" >"$T/out" 2>&1; then ok "$b: gradviz check passes"
  else not_ok "$b: gradviz check passes"; sed 's/^/# /' "$T/out" | tail -12; fi
  if "$G" render "$g" -o "$T/$b.png" --dump-layout "$T/$b.json" >"$T/out" 2>&1 &&
     "$GDV_PYTHON" - "$T/$b.json" >"$T/out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
nodes = {n["index"]: n for n in d["nodes"]}
assert d["texts"], "no texts"
for t in d["texts"]:
    assert t["size"] > 0, "text %r has size %r" % (t["text"], t["size"])
    if t["owner"] == "node":
        n = nodes[t["index"]]
        cx, cy = t["x"] + t["w"] / 2, t["y"] + t["h"] / 2
        assert n["x"] <= cx <= n["x"] + n["w"] and n["y"] <= cy <= n["y"] + n["h"], \
            "text %r centred at (%.1f, %.1f), outside its node %r" % (t["text"], cx, cy, n)
PY
  then ok "$b: dump has text sizes and top-left boxes"
  else not_ok "$b: dump has text sizes and top-left boxes"; sed 's/^/# /' "$T/out" | tail -5; fi
  "$GDV_PYTHON" "$SRC/tests/figure/legible.py" "$T/$b.json" >"$T/out" 2>&1
  rc=$?
  if [ "$rc" -le 1 ] && grep -q '^1\.\.5$' "$T/out"; then ok "$b: legible.py measures the dump (exit $rc)"
  else not_ok "$b: legible.py measures the dump (exit $rc)"; sed 's/^/# /' "$T/out" | tail -5; fi
done
echo "1..$n"
