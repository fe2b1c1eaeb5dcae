#!/bin/sh
# readme-commands.sh: the documentation is true. CI runs what the README
# tells a new user to run: the README's first ```sh block holds the set-up
# command and then the test command; .ci/run takes its commands from that
# block (its dry run prints them) and calls no script of its own; both
# scripts exist and parse; the test command ends with the line CI reports.
# Then every other command the README shows (its ```sh blocks, and its
# ```python block after a `loss` is made) and every command of the man
# page's EXAMPLES runs in a scratch folder holding a copy of examples/ and
# exits as it should, unless skipped() says why it cannot run here; the
# README's count of examples is the number in examples/; the man page runs
# no words together; the --help texts say nothing untrue. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
cd "$GDV_SRCDIR" || exit 99
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() {
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# The block, read independently of .ci/run (sed, not its awk), comments
# and blank lines dropped.
block=$(sed -n '/^```sh *$/,/^```/p' README.md | sed '1d' | sed '/^```/,$d' |
        sed 's/[[:space:]]*#.*$//' | sed '/^$/d')
want='sh scripts/setup.sh
sh scripts/test.sh'
check "README's first sh block: set-up command, then test command" [ "$block" = "$want" ]
[ "$block" = "$want" ] || printf '%s\n' "$block" | sed 's/^/# README: /'

ci=$(GDV_CI_DRY_RUN=1 sh .ci/run | sed 's/[[:space:]]*#.*$//')
check ".ci/run runs exactly the README's commands, in order" [ "$ci" = "$block" ]
[ "$ci" = "$block" ] || printf '%s\n' "$ci" | sed 's/^/# .ci\/run: /'
check ".ci/run names no script itself (it reads them from the README)" \
  sh -c "! grep -v '^#' .ci/run | grep -q 'scripts/'"
check "scripts/setup.sh parses" sh -n scripts/setup.sh
check "scripts/test.sh parses" sh -n scripts/test.sh
check "scripts/test.sh ends with 'tests: N passed, M failed'" \
  sh -c "tail -n 3 scripts/test.sh | grep -q 'echo \"tests: \$passed passed, .* failed\"'"
check "scripts/setup.sh never configures the source folder in place" \
  sh -c "! grep -Eq '^[^#]*(^|[[:space:];&|(])\./configure' scripts/setup.sh"

# --- the number of examples is the number in examples/ -----------------
files=$(ls examples/*.dot examples/*.expr | wc -l)
said=$(sed -n 's/^The \([0-9][0-9]*\) course examples.*/\1/p' README.md)
cells=$(grep -o '<code>[^<]*\.\(dot\|expr\)</code>' README.md | sort -u | wc -l)
check "the README's count of examples ($said) is examples/'s ($files)" [ "$said" = "$files" ]
check "the README's table shows each of the $files examples" [ "$cells" = "$files" ]

# --- every command the README shows -------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-readme.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cp -R examples "$work/examples" && mkdir "$work/bin" || exit 99
ln -s "$GRADVIZ" "$work/gradviz" && ln -s "$GRADVIZ" "$work/bin/gradviz" || exit 99

# The commands of every ```sh block after the first, one a line (a line
# ending in \ goes on), comments dropped; a ```python block is PYTHON.
awk '
  /^```sh *$/ { sh++; inside = sh > 1; next }
  /^```python *$/ { print "PYTHON"; next }
  /^```/ { inside = 0; next }
  inside { print }' README.md |
  sed 's/^[[:space:]]*#.*$//; s/[[:space:]][[:space:]]*#.*$//' |
  awk '/\\$/ { sub(/\\$/, ""); held = held $0; next } { print held $0; held = "" }' |
  sed '/^[[:space:]]*$/d' >"$work/commands.txt"

# Why a command cannot run here (a prefix of it, then the reason).
skipped() {
  case $1 in
  "sh scripts/fetch-mnist.sh"*) echo "downloads the digits (network)" ;;
  "./gradviz train --train-images data/mnist/"*) echo "needs the digits fetch-mnist.sh downloads" ;;
  "gradviz batch figures/ -o /shared/out"*) echo "a Slurm job script: writes to /shared" ;;
  "sh scripts/install-deps.sh"*|"autoreconf"*|"mkdir -p build/dev"*|"../../configure"*|"make "*)
    echo "the build itself: scripts/setup.sh runs it in CI" ;;
  *) return 1 ;;
  esac
}
# The exit status a command must give (0 unless it shows a failure).
status_of() {
  case $1 in
  "./gradviz check examples/student-overwrite.dot"*) echo 1 ;;
  "printf 'quantity,item,value\\ngrad,b,2"*) echo 1 ;;   # grade: a wrong answer
  *) echo 0 ;;
  esac
}

# The lecture's Value class (tests/python/micrograd.py, shared with the
# exporter's tests) for the README's Python blocks, and a `loss` whose
# gradients its own backward pass filled.
"$GDV_PYTHON" -B -c 'import sys; sys.path.insert(0, sys.argv[1]); import micrograd
print(micrograd.VALUE_SOURCE)
print("loss = (Value(2.0) * Value(-3.0) + Value(6.88)).tanh()")
print("loss.backward()")' "$GDV_SRCDIR/tests/python" >"$work/value.py"
py=$GDV_PYTHON
blocks=0
while IFS= read -r cmd; do
  if [ "$cmd" = PYTHON ]; then
    # each block on its own, after the Value above; the module from the
    # tree; a block importing torch only where torch is
    blocks=$((blocks + 1))
    awk -v k="$blocks" '/^```python *$/ { on = (++b == k); next } /^```/ { on = 0 } on' \
      README.md >"$work/block.py"
    if grep -q "import torch" "$work/block.py" && ! "$py" -c "import torch" 2>/dev/null; then
      ok "README python block $blocks # SKIP no torch"
      continue
    fi
    rm -f "$work/loss.dot"
    if (cd "$work" && cat value.py block.py >readme.py &&
        PYTHONPATH="$GDV_SRCDIR/python" "$py" readme.py </dev/null >out.txt 2>&1 &&
        "$GRADVIZ" check loss.dot >>out.txt 2>&1 &&
        grep -q '^recorded numbers: \([0-9][0-9]*\) of \1 match' out.txt); then
      ok "README python block $blocks: writes loss.dot, whose recorded gradients gradviz check confirms"
    else
      not_ok "README python block $blocks: writes loss.dot, whose recorded gradients gradviz check confirms"
      sed 's/^/# /' "$work/out.txt"
    fi
    continue
  fi
  if why=$(skipped "$cmd"); then
    ok "README: $cmd # SKIP $why"
    continue
  fi
  case $cmd in
  ./gradviz*|gradviz*|printf*"| ./gradviz"*|parallel*) ;;
  *) not_ok "README: $cmd (neither run here nor listed in skipped())"; continue ;;
  esac
  case $cmd in
  parallel*)
    if ! command -v parallel >/dev/null 2>&1; then ok "README: $cmd # SKIP no GNU parallel"; continue; fi ;;
  esac
  want=$(status_of "$cmd")
  (cd "$work" && PATH="$work/bin:$PATH" sh -c "$cmd" </dev/null >out.txt 2>err.txt)
  got=$?
  if [ "$got" -eq "$want" ]; then
    ok "README: $cmd"
  else
    not_ok "README: $cmd (exit $got, want $want)"; tail -n 5 "$work/err.txt" | sed 's/^/# /'
  fi
done <"$work/commands.txt"

# --- the man page's EXAMPLES --------------------------------------------
awk '/^\.SH EXAMPLES/ { ex = 1; next } /^\.SH/ { ex = 0 }
     ex && /^\.nf/ { on = 1; next } ex && /^\.fi/ { on = 0 } on { print }' gradviz.1 |
  sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\e/\\/g' >"$work/man-examples.txt"
check "the man page has EXAMPLES" [ -s "$work/man-examples.txt" ]
while IFS= read -r cmd; do
  (cd "$work" && PATH="$work/bin:$PATH" sh -c "$cmd" </dev/null >out.txt 2>err.txt)
  got=$?
  if [ "$got" -eq 0 ]; then
    ok "man EXAMPLES: $cmd"
  else
    not_ok "man EXAMPLES: $cmd (exit $got)"; tail -n 5 "$work/err.txt" | sed 's/^/# /'
  fi
done <"$work/man-examples.txt"

# --- the man page runs no words together ---------------------------------
# .BR, .IR, ... join their arguments without a space: a word that ends one
# argument and a word that starts the next run together
# (".BR "\-o \-" ). Without data" gave "-o -).Withoutdata").
joined=$(awk '/^\.(BR|RB|BI|IB|IR|RI)[ \t]/ {
    line = substr($0, 5); n = 0; i = 1
    while (i <= length(line)) {
      c = substr(line, i, 1)
      if (c == " " || c == "\t") { i++; continue }
      arg = ""
      if (c == "\"") {
        for (i++; i <= length(line); i++) {
          c = substr(line, i, 1)
          if (c == "\"" && substr(line, i + 1, 1) == "\"") { arg = arg c; i++; continue }
          if (c == "\"") { i++; break }
          arg = arg c
        }
      } else {
        for (; i <= length(line) && substr(line, i, 1) != " "; i++) arg = arg substr(line, i, 1)
      }
      args[++n] = arg
    }
    for (k = 1; k < n; k++)
      if (args[k] ~ /[A-Za-z0-9.,;)]$/ && args[k + 1] ~ /^[A-Za-z0-9]/)
        printf "%d: %s|%s\n", NR, args[k], args[k + 1]
  }' gradviz.1)
check "no .BR/.IR/... line runs two words together" [ -z "$joined" ]
[ -z "$joined" ] || printf '%s\n' "$joined" | sed 's/^/# gradviz.1:/'
if command -v groff >/dev/null 2>&1; then
  warnings=$(groff -man -Tutf8 -ww -z gradviz.1 2>&1)
  check "groff reads the man page without a warning" [ -z "$warnings" ]
  [ -z "$warnings" ] || printf '%s\n' "$warnings" | sed 's/^/# /'
  groff -man -Tutf8 -P-cbou gradviz.1 2>/dev/null >"$work/man.txt"
  check "the rendered man page has no 'Withoutdata'" sh -c "! grep -q Withoutdata '$work/man.txt'"
else
  ok "groff reads the man page # SKIP no groff"
  ok "the rendered man page # SKIP no groff"
fi

# --- the --help texts ----------------------------------------------------
"$GRADVIZ" --help >"$work/help.txt"
check "gradviz --help shows html among render's outputs" \
  grep -q 'render GRAPH -o OUT.{png,svg,pdf,dot,html}' "$work/help.txt"
"$GRADVIZ" render --help | tr '\n' ' ' >"$work/render-help.txt"
check "render --help does not say --highlight needs --expand all" \
  sh -c "! grep -q 'highlight *needs *--expand all' '$work/render-help.txt'"
for cmd in render eval check mnist train batch stats; do
  check "$cmd --help cites no CONTRACT (users do not have it)" \
    sh -c "! '$GRADVIZ' $cmd --help | grep -q CONTRACT"
done
# --highlight draws every group by itself, as render --help says.
(cd "$work" && "$GRADVIZ" render examples/net-2-2-1.expr -o h.svg --highlight x1 --dump-layout h.json &&
 "$GRADVIZ" render examples/net-2-2-1.expr -o a.svg --expand all --dump-layout a.json) >/dev/null 2>&1
h=$(grep -o '"on_path"' "$work/h.json" 2>/dev/null | wc -l)
a=$(grep -o '"on_path"' "$work/a.json" 2>/dev/null | wc -l)
check "--highlight draws as many nodes as --expand all ($h, $a)" [ "$h" -gt 0 ] && [ "$h" = "$a" ]
echo "1..$n"
