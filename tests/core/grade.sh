#!/bin/sh
# `gradviz grade`: exact answers pass (CSV and JSON, at full precision and
# as a hand computation writes them); a wrong answer is named with its
# cause: one term of a fan-out sum (naming the missing term), the sign,
# the local derivative for the gradient; an error carried from the
# student's own wrong answer costs once; bad answers files get one line
# and exit 2. Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-grade.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
cd "$T" || exit 1
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; sed 's/^/# /' out.txt 2>/dev/null | head -12; fi; }
PY=${GDV_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

echo "1..17"
AB="$SRC/examples/ab-b1.dot"
NET="$SRC/examples/net-2-2-1.expr"

# every quantity of student 3's net, from eval, as CSV and as JSON
"$G" eval "$NET" --variant 3 --format json > net3.json
$PY - net3.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [("value", v["id"], v["value"]) for v in d["nodes"]]
rows += [("grad", v["id"], v["grad"]) for v in d["nodes"]]
pairs = {}
for e in d["edges"]:
    pairs.setdefault((e["from"], e["to"]), []).append(e)
for (f, t), es in pairs.items():
    for k, e in enumerate(es):
        item = "%s->%s" % (f, t) + ("#%d" % (k + 1) if len(es) > 1 else "")
        rows += [("local", item, e["local"]), ("edge-grad", item, e["grad"])]
with open("full.csv", "w") as out:
    out.write("quantity,item,value\n")
    out.writelines("%s,%s,%r\n" % r for r in rows)
with open("hand.csv", "w") as out:   # four digits, the minus sign U+2212
    out.write("quantity,item,value\n")
    out.writelines(("%s,%s,%.4g\n" % r).replace(",-", ",\u2212") for r in rows)
with open("full.json", "w") as out:
    json.dump([{"quantity": q, "item": i, "value": v} for q, i, v in rows], out)
EOF
n_rows=$(($(wc -l < full.csv) - 1))
"$G" grade "$NET" full.csv --variant 3 > out.txt 2>&1
check '[ $? -eq 0 ] && grep -q "^score: $n_rows of $n_rows ($n_rows right, 0 errors)" out.txt' \
  "student 3's exact numbers, all $n_rows quantities, pass (exit 0)"
"$G" grade "$NET" hand.csv --variant 3 > out.txt 2>&1
check '[ $? -eq 0 ]' "the same at four digits, written with U+2212, pass"
"$G" grade "$NET" full.json --variant 3 --format json > out.txt 2>&1
check '[ $? -eq 0 ] && grep -q "\"wrong\": 0" out.txt && grep -q "\"score\": $n_rows" out.txt' \
  "the same as JSON, graded as JSON"
"$G" grade "$NET" full.csv --variant 4 > out.txt 2>&1
check '[ $? -eq 1 ] && grep -q "WRONG" out.txt' "student 3's answers are wrong for student 4 (exit 1)"

# ab-b1: dC/db = 2 + 3 = 5
cat > ab.csv <<'EOF'
quantity,item,value
grad,e,1
edge-grad,c->e,2
edge-grad,d->e,3
grad,c,2
grad,d,3
edge-grad,b->c,2
edge-grad,b->d,3
grad,b,2
edge-grad,a->c,-2
EOF
"$G" grade "$AB" ab.csv > out.txt 2>&1
rc=$?
check '[ $rc -eq 1 ]' "a file with wrong answers exits 1"
check 'grep -qx "line 9    grad b = 2: WRONG: expected 5; one term of the fan-out sum of 2 terms instead of the sum; missing b->d (3)" out.txt' \
  "one term of a fan-out sum is named, with the missing term"
check 'grep -qx "line 10   edge-grad a->c = -2: WRONG: expected 2; the sign is wrong" out.txt' \
  "a sign error is named"
check 'grep -qx "score: 7 of 9 (7 right, 2 errors)" out.txt' "each costs one"

# a wrong dC/dc carried down: only the first error costs
cat > carry.csv <<'EOF'
quantity,item,value
grad,e,1
edge-grad,c->e,2
grad,c,3
edge-grad,a->c,3
grad,a,3
EOF
"$G" grade "$AB" carry.csv > out.txt 2>&1
check 'grep -qx "line 4    grad c = 3: WRONG: expected 2" out.txt' "the first error is wrong"
check 'grep -qx "line 5    edge-grad a->c = 3: carried: expected 2; but right from your own grad c (line 4), which was wrong: only the first error costs" out.txt' \
  "the next one, right from it, is carried"
check 'grep -qx "line 6    grad a = 3: carried: expected 2; but right from your own grad c (line 4), which was wrong: only the first error costs" out.txt' \
  "and the one after names the first error too"
check 'grep -qx "score: 4 of 5 (2 right, 1 error, 2 answers carried from an earlier error)" out.txt' \
  "a carried error costs one, not a chain"
"$G" grade "$AB" carry.csv --format json > out.txt 2>&1
check 'grep -q "\"verdict\": \"carried\", \"cause\": \"carried\", \"from\": {\"quantity\": \"grad\", \"item\": \"c\", \"line\": 4}" out.txt' \
  "JSON names the error a carried answer comes from"

# the local derivative given for the gradient: z1 -> h1 of net-2-2-1
printf 'quantity,item,value\nedge-grad,z1->h1,0.2378\n' > local.csv
"$G" grade "$NET" local.csv > out.txt 2>&1
check 'grep -qx "line 2    edge-grad z1->h1 = 0.2378: WRONG: expected -0.0235; that is the local derivative of z1->h1: multiply it by the upstream gradient dC/dh1" out.txt' \
  "the local derivative for the gradient is named"

# bad answers files: one line, exit 2
printf 'quantity,item,value\ngrad,q,1\n' > bad1.csv
one_line "an unknown node names the line" 2 "gradviz: bad1.csv:2: no node named 'q'" grade "$AB" bad1.csv
printf 'item,value\nb,1\n' > bad2.csv
one_line "a header without quantity is refused" 2 \
  "gradviz: bad2.csv:1: the header must name the columns quantity,item,value (no 'quantity')" grade "$AB" bad2.csv
printf 'quantity,item,value\ngrad,b,5\ngrad,b,4\n' > bad3.csv
one_line "an answer given twice is refused" 2 "gradviz: bad3.csv:3: grad b is answered twice (line 2 too)" \
  grade "$AB" bad3.csv
exit $((fails > 0))
