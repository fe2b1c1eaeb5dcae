#!/bin/sh
# cli_core.sh: `gradviz eval` and `gradviz check` through the real binary.
# Bad input: the exact stderr line, exit status 2, nothing on stdout.
# Good input: exit 0, strict JSON whose numbers read back as the same
# doubles, check's exit 1 on a true mismatch. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
data="$GDV_SRCDIR/tests/data/core"
examples="$GDV_SRCDIR/examples"

work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-cli-core.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { cat "$@" | head -n 20 | sed 's/^/# /'; }

# fails NAME STATUS 'STDERR' ARGS...: gradviz ARGS must exit with STATUS,
# print exactly STDERR (one line) and nothing on stdout.
fails() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(cat err.txt)" = "$want" ] &&
     [ "$(wc -l <err.txt)" -eq 1 ] && [ ! -s out.txt ]; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status); stderr:"
    diag err.txt
    echo "# want: $want"
  fi
}

# bad_file NAME FILE 'CONTENT' 'STDERR': eval of FILE holding CONTENT (a
# printf format, so \n and \xHH work) exits 2 with STDERR.
bad_file() {
  printf "$3" >"$2"
  fails "$1" 2 "$4" eval "$2"
}

# ---- DOT input -----------------------------------------------------------
bad_file "empty file" empty.dot '' \
  "gradviz: empty.dot: the file is empty: no graph in it"
bad_file "only blanks and a comment" blank.dot '  \n// nothing\n' \
  "gradviz: blank.dot: the file is empty: no graph in it"
bad_file "garbage bytes" garbage.dot '\001\002\377\376' \
  "gradviz: garbage.dot:1: expected 'digraph', found byte 0x01"
bad_file "NUL byte" nul.dot 'digraph { a [value=1] }\000' \
  "gradviz: nul.dot:1: a NUL byte: this is not a text file"
bad_file "byte-order mark" bom.dot '\357\273\277digraph { a [value=1] }\n' \
  "gradviz: bom.dot:1: the file starts with a UTF-8 byte-order mark; save it without one"
bad_file "undirected graph" und.dot 'graph {\n  a [value=1]\n}\n' \
  "gradviz: und.dot:1: an undirected graph: gradviz needs a 'digraph' (u -> v: u is an operand of v)"
bad_file "strict digraph" strict.dot 'strict digraph {\n  x [value=3]; m [op=mul]; x -> m; x -> m\n}\n' \
  "gradviz: strict.dot:1: a 'strict digraph' merges repeated edges such as x -> m; x -> m (x*x); write 'digraph'"
bad_file "second graph after the first" two.dot 'digraph {\n  a [value=1]\n}\ndigraph { b [value=2] }\n' \
  "gradviz: two.dot:4: text after the graph's closing '}' (line 3); one file holds one graph"
bad_file "stray brace after the graph" brace.dot 'digraph { a [value=1] }\n\n}\n' \
  "gradviz: brace.dot:3: text after the graph's closing '}' (line 1); one file holds one graph"
bad_file "syntax error with its line" syntax.dot 'digraph {\n  a [value=1]\n  b [op=neg\n  a -> b\n}\n' \
  "gradviz: syntax.dot:4: syntax error near '->'"
bad_file "unknown op" unknown.dot 'digraph {\n  a [value=1]\n  b [op=sigma]\n  a -> b\n}\n' \
  "gradviz: unknown.dot:3: node 'b': unknown op 'sigma'"
bad_file "sub with 3 operands" sub3.dot 'digraph {\n  a [value=1]\n  s [op=sub]\n  a -> s; a -> s; a -> s\n}\n' \
  "gradviz: sub3.dot:3: node 's': op 'sub' takes 2 operands, it has 3"
bad_file "tanh with 2 operands" tanh2.dot 'digraph {\n  a [value=1]\n  t [op=tanh]\n  a -> t; a -> t\n}\n' \
  "gradviz: tanh2.dot:3: node 't': op 'tanh' takes 1 operand, it has 2"
bad_file "add with 0 operands" add0.dot 'digraph {\n  s [op=add]\n}\n' \
  "gradviz: add0.dot:2: node 's': op 'add' takes at least 1 operand, it has none"
bad_file "pow with 1 operand and no exponent" pow1.dot 'digraph {\n  a [value=2]\n  p [op=pow]\n  a -> p\n}\n' \
  "gradviz: pow1.dot:3: node 'p': op 'pow' takes 2 operands, or 1 with 'exponent'; it has 1"
bad_file "leaf with an operand" leafin.dot 'digraph {\n  a [value=1]\n  b [value=2]\n  a -> b\n}\n' \
  "gradviz: leafin.dot:3: node 'b' has 1 operand but no op"
bad_file "leaf without value" noval.dot 'digraph {\n  a\n  b [op=neg]\n  a -> b\n}\n' \
  "gradviz: noval.dot:2: leaf 'a' has no value (give it value=... or an op)"
bad_file "value on an op node" valop.dot 'digraph {\n  a [value=1]\n  b [op=neg, value=3]\n  a -> b\n}\n' \
  "gradviz: valop.dot:3: node 'b': 'value' is for leaves; an op node computes its own"
bad_file "value that overflows" big.dot 'digraph {\n  a [value="1e999"]\n}\n' \
  "gradviz: big.dot:2: node 'a': value '1e999' overflows a double"
for v in abc nan inf -inf 0x10 1.2.3 1e 1,5; do
  bad_file "value '$v' rejected" num.dot "digraph {\n  a [value=\"$v\"]\n}\n" \
    "gradviz: num.dot:2: node 'a': value '$v' is not a number (decimal or exponent notation, finite)"
done
bad_file "unknown role" role.dot 'digraph {\n  a [value=1, role=weight]\n}\n' \
  "gradviz: role.dot:2: node 'a': unknown role 'weight' (input, param or const)"
bad_file "role on an op node" roleop.dot 'digraph {\n  a [value=1]\n  b [op=neg, role=param]\n  a -> b\n}\n' \
  "gradviz: roleop.dot:3: node 'b': 'role' is for leaves, not op nodes"
bad_file "exponent on another op" expo.dot 'digraph {\n  a [value=1]\n  b [op=neg, exponent=2]\n  a -> b\n}\n' \
  "gradviz: expo.dot:3: node 'b': 'exponent' is only for op=pow"
bad_file "arg out of range" argr.dot 'digraph {\n  a [value=1]; b [value=2]; s [op=sub]\n  a -> s [arg=0]\n  b -> s [arg=2]\n}\n' \
  "gradviz: argr.dot:4: edge b -> s: arg 2 is out of range (2 operands: 0 to 1)"
bad_file "arg repeated" argrep.dot 'digraph {\n  a [value=1]; b [value=2]; s [op=sub]\n  a -> s [arg=1]\n  b -> s [arg=1]\n}\n' \
  "gradviz: argrep.dot:4: node 's': arg 1 is given twice"
bad_file "arg on some edges only" argpart.dot 'digraph {\n  a [value=1]; b [value=2]; s [op=sub]\n  a -> s [arg=1]\n  b -> s\n}\n' \
  "gradviz: argpart.dot:3: node 's': 'arg' is on 1 of its 2 in-edges; give it on all or none"
bad_file "arg not a number" argnan.dot 'digraph {\n  a [value=1]; s [op=neg]\n  a -> s [arg=first]\n}\n' \
  "gradviz: argnan.dot:3: edge a -> s: arg 'first' is not a whole number from 0"
bad_file "several sinks, no output" sinks.dot 'digraph {\n  a [value=1]\n  b [value=2]\n  c [op=neg]\n  a -> c\n}\n' \
  "gradviz: sinks.dot: 2 sinks and no node marked output=true: b, c"
bad_file "two outputs" twoout.dot 'digraph {\n  a [value=1, output=true]\n  b [value=2, output=true]\n}\n' \
  "gradviz: twoout.dot:3: two outputs: 'a' and 'b'"
bad_file "output not a boolean" outbool.dot 'digraph {\n  a [value=1, output=maybe]\n}\n' \
  "gradviz: outbool.dot:2: node 'a': output 'maybe' is not true or false"
bad_file "cycle, along the edges" cycle.dot 'digraph {\n  x [value=1]\n  a [op=add]\n  b [op=identity]\n  c [op=identity]\n  x -> a\n  a -> b\n  b -> c\n  c -> a\n}\n' \
  "gradviz: cycle.dot:3: cycle: a -> b -> c -> a"
bad_file "self-loop" loop.dot 'digraph {\n  a [op=identity]\n  a -> a\n}\n' \
  "gradviz: loop.dot:2: cycle: a -> a"

# ---- formula input -------------------------------------------------------
bad_file "empty formula file" empty.expr '# nothing here\n\n' \
  "gradviz: empty.expr: the graph is empty"
bad_file "formula syntax error, line number" syn.expr 'x = 1\n\ny = x +\n' \
  "gradviz: syn.expr:3: expected an expression at the end of the line"
bad_file "formula: two operands in a row" syn2.expr 'x = 1\ny = x x\n' \
  "gradviz: syn2.expr:2: expected an operator but found 'x'"
bad_file "formula: undefined name" undef.expr 'x = 1\ny = z * 2\n' \
  "gradviz: undef.expr:2: undefined name 'z'"
bad_file "formula: name assigned twice" twice.expr 'x = 1\ny = 2\nx = 3\n' \
  "gradviz: twice.expr:3: 'x' is assigned twice (first on line 1)"
bad_file "formula: unknown function" func.expr 'x = 1\ny = gelu(x)\n' \
  "gradviz: func.expr:2: unknown function 'gelu'"
bad_file "formula: a function without parentheses" nocall.expr 'x = 1\ny = tanh x\n' \
  "gradviz: nocall.expr:2: 'tanh' is a function: write tanh(...)"
bad_file "formula: Python's ** power" starstar.expr 'x = 1\ny = x ** 2\n' \
  "gradviz: starstar.expr:2: '**' is not an operator: write x^2 for a power"
bad_file "formula: missing ')'" paren1.expr 'x = 1\ny = tanh((x + 1)\n' \
  "gradviz: paren1.expr:2: unbalanced parentheses: missing ')'"
bad_file "formula: extra ')'" paren2.expr 'x = 1\ny = (x + 1))\n' \
  "gradviz: paren2.expr:2: unbalanced parentheses: ')' without '('"
bad_file "formula: tanh with 2 arguments" args.expr 'x = 1\ny = tanh(x, x)\n' \
  "gradviz: args.expr:2: 'tanh' takes 1 argument, it has 2"
bad_file "formula: add with none" add0.expr 'x = 1\ny = add()\n' \
  "gradviz: add0.expr:2: 'add' needs an argument"
bad_file "formula: number overflows" big.expr 'x = 1e999\n' \
  "gradviz: big.expr:1: number '1e999' overflows a double"
bad_file "formula: hexadecimal" hex.expr 'x = 0x10\n' \
  "gradviz: hex.expr:1: '0x10' is not a number (decimal or exponent notation)"
bad_file "formula: nan is a name, not a number" nan.expr 'x = nan\n' \
  "gradviz: nan.expr:1: undefined name 'nan'"
bad_file "formula: output never assigned" out.expr 'x = 1\noutput y\n' \
  "gradviz: out.expr:2: output names 'y', which is never assigned"
bad_file "formula: role on an expression" role.expr 'x = 1\nparam w = x * 2\n' \
  "gradviz: role.expr:2: 'param' is for leaves: write param w = NUMBER"
bad_file "formula: cycle impossible, name used before" self.expr 'y = y + 1\n' \
  "gradviz: self.expr:1: undefined name 'y'"
bad_file "formula: non-ASCII byte" utf.expr 'x = 1\ny = \303\251\n' \
  "gradviz: utf.expr:2: unexpected byte 0xC3 (formulas are ASCII)"

# ---- files and options ---------------------------------------------------
fails "missing file" 2 "gradviz: nowhere.dot: cannot open: No such file or directory" \
  eval nowhere.dot
mkdir folder.dot
fails "a folder given as file" 2 "gradviz: folder.dot: cannot read: Is a directory" \
  eval folder.dot
printf 'graph { a [value=1] }\n' >und.txt
"$GRADVIZ" eval - <und.txt >out.txt 2>err.txt
if [ $? -eq 2 ] && [ "$(cat err.txt)" = "gradviz: <stdin>:1: an undirected graph: gradviz needs a 'digraph' (u -> v: u is an operand of v)" ]; then
  ok "bad DOT on standard input names <stdin>"
else
  not_ok "bad DOT on standard input names <stdin>"; diag err.txt
fi
cp "$examples/ab-b1.dot" ab.dot
fails "--output that does not exist" 2 "gradviz: ab.dot: --output: no node named 'zz'" \
  eval --output zz ab.dot
fails "bad option" 2 "gradviz: eval: unknown option '--colour' (see 'gradviz eval --help')" \
  eval --colour ab.dot
fails "bad --format" 2 "gradviz: eval: unknown format 'xml' (text, json or csv) (see 'gradviz eval --help')" \
  eval --format xml ab.dot
fails "bad --format=VALUE" 2 "gradviz: eval: unknown format 'yaml' (text, json or csv) (see 'gradviz eval --help')" \
  eval --format=yaml ab.dot
fails "--format without a value" 2 "gradviz: eval: option '--format' needs a value (see 'gradviz eval --help')" \
  eval ab.dot --format
fails "-o without a value" 2 "gradviz: eval: option '-o' needs a value (see 'gradviz eval --help')" \
  eval ab.dot -o
fails "no graph file" 2 "gradviz: eval: needs a GRAPH file (see 'gradviz eval --help')" eval
fails "two graph files" 2 "gradviz: eval: takes one GRAPH file (see 'gradviz eval --help')" \
  eval ab.dot ab.dot
fails "check: bad --eps" 2 "gradviz: check: --eps 'small' is not a number (see 'gradviz check --help')" \
  check --eps small ab.dot
fails "check: zero --eps" 2 "gradviz: check: --eps 0 is out of range (above 0) (see 'gradviz check --help')" \
  check --eps 0 ab.dot
fails "check: --sample 0" 2 "gradviz: check: --sample 0 is out of range (1 or more) (see 'gradviz check --help')" \
  check --sample 0 ab.dot
fails "check: missing file" 2 "gradviz: nowhere.expr: cannot open: No such file or directory" \
  check nowhere.expr
fails "unknown command" 2 "gradviz: unknown command 'evaluate' (see 'gradviz --help')" evaluate ab.dot

# ---- good input ----------------------------------------------------------
# expect NAME 'GREP PATTERN' ARGS...: exit 0 and stdout has a line
# matching the fixed string.
expect() {
  name=$1 want=$2
  shift 2
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq 0 ] && [ ! -s err.txt ] && grep -qxF -- "$want" out.txt; then
    ok "$name"
  else
    not_ok "$name"; echo "# exit $got"; diag err.txt; diag out.txt
  fi
}
expect "fan-out sum written term by term" "dC/db = 2 + 3 = 5" eval ab.dot
expect "same sum from the formula file" "dC/db = 2 + 3 = 5" eval "$data/ab-b1.expr"
expect "text output names the output" "output e = c*d = 6" eval ab.dot
expect "--output switches C" "output c = a+b = 3" eval --output c ab.dot
expect "--output=NODE form" "output d = b+1 = 2" eval --output=d ab.dot
expect "csv header" "kind,id,label,op,role,value,grad,from,to,arg,local,reaches_output" \
  eval --format csv ab.dot
expect "csv edge row" "edge,,,,,,3,one,d,1,1," eval --format csv ab.dot
expect "text shows NaN as nan" "y     log                  nan              1  (output C)" \
  eval "$data/log-negative.expr"

"$GRADVIZ" eval --format json ab.dot >a.json && "$GRADVIZ" eval --format json ab.dot >b.json &&
  cmp -s a.json b.json && ok "same input, same bytes" || not_ok "same input, same bytes"
"$GRADVIZ" eval --format json -o c.json ab.dot && cmp -s a.json c.json &&
  ok "-o FILE holds what stdout shows" || not_ok "-o FILE holds what stdout shows"
"$GRADVIZ" eval --format json - <ab.dot >d.json && cmp -s a.json d.json &&
  ok "standard input reads DOT" || not_ok "standard input reads DOT"

# JSON through a strict parser: no NaN/Infinity constants accepted.
if command -v "$GDV_PYTHON" >/dev/null 2>&1; then
  json_check() {
    name=$1 script=$2
    shift 2
    "$GRADVIZ" eval --format json "$@" >j.json 2>err.txt
    got=$?
    if [ "$got" -eq 0 ] && "$GDV_PYTHON" -c '
import json, sys
def reject(c): raise ValueError("non-standard constant " + c)
d = json.load(open(sys.argv[1]), parse_constant=reject)
nodes = {n["id"]: n for n in d["nodes"]}
edges = d["edges"]
exec(sys.argv[2])
' j.json "$script" 2>py.txt; then
      ok "$name"
    else
      not_ok "$name"; echo "# exit $got"; diag err.txt py.txt
    fi
  }
  json_check "JSON: the fan-out example" '
assert d["output"] == "e"
assert nodes["b"]["grad"] == 5 and nodes["a"]["grad"] == 2
assert nodes["b"]["fan_out"] == 2 and nodes["e"]["fan_in"] == 2
assert nodes["one"]["role"] == "const" and nodes["e"]["role"] is None
assert nodes["a"]["op"] is None and nodes["e"]["op"] == "mul"
assert [(e["from"], e["arg"], e["grad"]) for e in edges if e["to"] == "e"] == [("c", 0, 2), ("d", 1, 3)]
assert all(n["reaches_output"] for n in d["nodes"])
for n in d["nodes"]:
    out = [e["grad"] for e in edges if e["from"] == n["id"]]
    if out: assert sum(out) == n["grad"], n
' ab.dot
  json_check "JSON: numbers read back as the same doubles" '
a, b, three = 0.1, 0.2, 3.0
s = a + b; q = 1.0 / three; r = s * q + 1e-300
assert nodes["s"]["value"] == s == 0.30000000000000004
assert nodes["q"]["value"] == q and nodes["r"]["value"] == r
assert nodes["q"]["grad"] == s and nodes["s"]["grad"] == q
assert nodes["three"]["grad"] == s * (-1.0 / (three * three))
assert nodes["r#2"]["value"] == 1e-300 and nodes["r#2"]["role"] == "const"
assert all("nonfinite" not in n for n in d["nodes"])
' "$data/round-trip.expr"
  json_check "JSON: log of a negative is null, nonfinite, exit 0" '
y = nodes["y"]
assert y["value"] is None and y["nonfinite"] is True and y["grad"] == 1
assert nodes["x"]["value"] == -1 and "nonfinite" not in nodes["x"]
assert edges[0]["local"] == -1
' "$data/log-negative.expr"
  json_check "JSON: --output marks what reaches it" '
assert d["output"] == "c"
assert nodes["c"]["grad"] == 1 and nodes["b"]["grad"] == 1
assert not nodes["d"]["reaches_output"] and not nodes["e"]["reaches_output"]
assert not nodes["one"]["reaches_output"] and nodes["one"]["grad"] == 0
' --output c ab.dot
  json_check "JSON: the tanh neuron" '
assert abs(nodes["n"]["grad"] - 0.5) < 1e-12
assert abs(nodes["w1"]["grad"] - 1.0) < 1e-12 and abs(nodes["x1"]["grad"] + 1.5) < 1e-12
assert nodes["w1"]["role"] == "param" and nodes["n"]["fan_in"] == 3
' "$examples/neuron.expr"
  printf 'x = 0\ny = 1 / x\nz = y - y\n' >inf.expr
  json_check "JSON: infinities are null too" '
assert nodes["y"]["value"] is None and nodes["y"]["nonfinite"]
assert nodes["z"]["value"] is None and nodes["z"]["nonfinite"]
assert any(e.get("nonfinite") for e in edges)
' inf.expr
else
  for t in 1 2 3 4 5 6; do skip "JSON test $t" "python3 not found"; done
fi

# ---- check ---------------------------------------------------------------
# check_status NAME STATUS 'GREP' FILE: exit status and a line of its table.
check_status() {
  "$GRADVIZ" check "$4" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$2" ] && grep -qF -- "$3" out.txt; then
    ok "$1"
  else
    not_ok "$1"; echo "# exit $got (want $2)"; diag out.txt err.txt
  fi
}
check_status "check passes the fan-out example" 0 "checked 3 of 3 leaves: 3 passed, 0 failed" ab.dot
check_status "check passes the neuron" 0 "checked 5 of 5 leaves: 5 passed, 0 failed" "$examples/neuron.expr"
check_status "check fails relu at exactly 0" 1 "checked 1 of 1 leaves: 0 passed, 1 failed" "$data/relu-at-zero.expr"
check_status "the relu mismatch is marked" 1 "x     param                  0               0.5   5.00e-01  MISMATCH" "$data/relu-at-zero.expr"
check_status "check passes abs at 0 (both sides say 0)" 0 "checked 1 of 1 leaves: 1 passed, 0 failed" "$data/abs-at-zero.expr"
check_status "check on NaN: a mismatch, printed as nan" 1 "x     input                 -1               nan        nan  MISMATCH" "$data/log-negative.expr"
check_status "check fails a max tie" 1 "checked 2 of 2 leaves: 0 passed, 2 failed" "$data/max-tie.dot"
"$GRADVIZ" check "$examples/neuron.expr" >out.txt 2>err.txt
case $(sed -n 4p out.txt) in
  "w1    param                  1                 1 "*) ok "check: params first" ;;
  *) not_ok "check: params first"; diag out.txt ;;
esac

# ---- size: a long formula file and a deep one through the binary ---------
awk 'BEGIN { print "x0 = 0.5"; for (i = 1; i < 100000; i++)
  if (i % 2) printf "x%d = -x%d\n", i, i - 1; else printf "x%d = x%d + 1\n", i, i - 1 }' >long.expr
expect "a 100,000-line formula file" "output x99999 = -0.5" eval long.expr
awk 'BEGIN { printf "x = 2\ny = "; for (i = 0; i < 100000; i++) printf "(";
  printf "x*x"; for (i = 0; i < 100000; i++) printf ")"; print "" }' >deep.expr
expect "100,000 nested parentheses" "output y = 4" eval deep.expr

echo "1..$n"
