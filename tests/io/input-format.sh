#!/bin/sh
# input-format.sh: a formula on standard input. '-' (and a file whose name
# is neither .dot, .gv nor .expr) is a formula when its first line that is
# not blank or a '#' comment is a statement (x = 2, param w = 1, output y),
# else DOT; --input-format dot|expr says which whatever the name, on eval,
# check, stats and render. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-input-format.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
. "$GDV_SRCDIR/tests/tap.sh"

# reads NAME STATUS WANT_STDOUT_LINE WANT_STDERR INPUT ARGS...: gradviz ARGS
# with INPUT (printf format) on stdin exits STATUS, its stdout has the line
# WANT_STDOUT_LINE (unless empty) and its stderr is WANT_STDERR.
reads() {
  name=$1 status=$2 want_out=$3 want_err=$4 input=$5
  shift 5
  # shellcheck disable=SC2059
  printf "$input" | "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(cat err.txt)" = "$want_err" ] &&
     { [ -z "$want_out" ] || grep -qxF "$want_out" out.txt; }; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status)"; sed 's/^/# err: /' err.txt; head -n 5 out.txt | sed 's/^/# out: /'
  fi
}

reads "eval -: a formula piped in is read as one" 0 "dC/dx = 2 + 2 = 4" "" \
  'x = 2\ny = x*x\n' eval -
reads "comments and blank lines before the first statement" 0 "output y = 6" "" \
  '# a comment\n\n   # another\nparam w = 2\ny = w*3\noutput y\n' eval -
reads "a first statement with a role" 0 "output w = 3" "" 'param w = 3\n' eval -
reads "DOT on stdin is still DOT" 0 "output b = -1" "" \
  'digraph { a [value=1]; b [op=neg]; a -> b }\n' eval -
reads "DOT after a # line is still DOT" 0 "output b = -1" "" \
  '# made by hand\ndigraph { a [value=1]; b [op=neg]; a -> b }\n' eval -
reads "check -" 0 "checked 1 of 1 leaves: 1 passed, 0 failed (eps 1e-06, rtol 1e-05)" "" \
  'x = 2\ny = x*x\n' check -
reads "stats -" 0 "graph <stdin>" "" 'x = 2\ny = x*x\n' stats - --no-timing
reads "--input-format expr: formula messages for a bad formula" 2 "" \
  "gradviz: <stdin>:1: expected a name at the start of the statement, found '2'" \
  '2 = x\n' eval --input-format expr -
reads "--input-format dot: a formula read as DOT" 2 "" \
  "gradviz: <stdin>:1: expected 'digraph', found 'x'" 'x = 2\n' eval --input-format dot -
reads "--input-format with a value it does not know" 2 "" \
  "gradviz: stats: --input-format: unknown format 'exr' (dot or expr) (see 'gradviz stats --help')" \
  'x = 2\n' stats --input-format exr -
reads "mnist reads no GRAPH: no --input-format" 2 "" \
  "gradviz: mnist: unknown option '--input-format' (see 'gradviz mnist --help')" \
  '' mnist --input-format expr -o m.png

# A file named neither .dot nor .expr is told by its first line too; a
# suffix wins over the content unless --input-format says otherwise.
printf 'x = 3\ny = x*x\n' >graph
printf 'x = 3\ny = x*x\n' >formula.dot
reads "a file without a suffix holding a formula" 0 "output y = 9" "" '' eval graph
reads "a .dot file is DOT whatever it holds" 2 "" \
  "gradviz: formula.dot:1: expected 'digraph', found 'x'" '' eval formula.dot
reads "--input-format expr reads a .dot name as a formula" 0 "output y = 9" "" '' \
  eval --input-format expr formula.dot

# render from stdin: the figure is drawn, and a PNG carries the formula.
printf 'x = 2\ny = tanh(3*x)\n' | "$GRADVIZ" render - -o piped.svg --id-prefix p- 2>err.txt
if [ $? -eq 0 ] && [ ! -s err.txt ] && grep -q 'tanh' piped.svg; then
  ok "render -: a piped formula is drawn"
else
  not_ok "render -: a piped formula is drawn"; sed 's/^/# /' err.txt
fi

# Each command that reads a GRAPH says so in its --help.
for cmd in eval check stats render; do
  if "$GRADVIZ" "$cmd" --help | grep -q -- '--input-format F  dot or expr'; then
    ok "$cmd --help lists --input-format"
  else
    not_ok "$cmd --help lists --input-format"
  fi
done
echo "1..$n"
