#!/bin/sh
# messages.sh: every error is one line of printable text. Names and file
# names holding a newline, an escape sequence (ESC [31m, ESC [2J), a C1
# control or bytes that are not UTF-8 go through eval, render, check and
# stats, and through usage errors; each message must be exactly one line,
# hold no control byte, and show the escapes as \n, \x1b, \xHH. A
# misspelt command, option, op, style or font gets "did you mean" with the
# closest name, on that one line. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-messages.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"

# one_line NAME STATUS 'STDERR' ARGS...: gradviz ARGS exits STATUS and
# prints exactly STDERR, one line with no control byte but its newline.
one_line() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  controls=$(tr -d '\n' <err.txt | tr -d '\040-\176\200-\377' | wc -c)
  if [ "$got" -eq "$status" ] && [ "$(wc -l <err.txt)" -eq 1 ] &&
     [ "$controls" -eq 0 ] && [ "$(cat err.txt)" = "$want" ]; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status), $(wc -l <err.txt) lines, $controls control bytes:"
    od -c err.txt | head -n 8 | sed 's/^/# /'
    echo "# want: $want"
  fi
}

# silent NAME ARGS...: gradviz ARGS exits 0 and writes nothing to stderr.
silent() {
  name=$1
  shift
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq 0 ] && [ ! -s err.txt ]; then
    ok "$name"
  else
    not_ok "$name"; echo "# exit $got"; sed 's/^/# /' err.txt
  fi
}

# A node whose name holds ESC [31m and a newline, with an unknown op.
printf 'digraph {\n  "red\033[31mX\nY" [op=frobnicate];\n}\n' >esc.dot
want_node="gradviz: esc.dot:2: node 'red\\x1b[31mX\\nY': unknown op 'frobnicate'"
for cmd in eval check stats; do
  one_line "$cmd: a node name with ESC and a newline" 2 "$want_node" "$cmd" esc.dot
done
one_line "render: a node name with ESC and a newline" 2 "$want_node" render esc.dot -o esc.png

# A file name with a clear-screen sequence, a newline, a C1 CSI (U+009B as
# UTF-8) and a byte that is not UTF-8.
bad=$(printf 'no\033[2Jsuch\nfile\302\233x\377.dot')
want_file="gradviz: no\\x1b[2Jsuch\\nfile\\xc2\\x9bx\\xff.dot: cannot open: No such file or directory"
for cmd in eval check stats; do
  one_line "$cmd: a file name with control characters" 2 "$want_file" "$cmd" "$bad"
done
one_line "render: a file name with control characters" 2 "$want_file" render "$bad" -o x.png

# Names from the command line.
printf 'digraph { a [value=1]; b [op=neg]; a -> b }\n' >ok.dot
one_line "eval --output with a newline in the name" 2 \
  "gradviz: ok.dot: --output: no node named 'x\\ny'" eval ok.dot --output "$(printf 'x\ny')"
one_line "an unknown command with ESC" 2 \
  "gradviz: unknown command 'ev\\x1bal' (did you mean 'eval'?)" "$(printf 'ev\033al')"
one_line "a usage error quoting an argument with ESC" 2 \
  "gradviz: eval: unknown format 'j\\x1b[0mson' (text, json or csv) (see 'gradviz eval --help')" \
  eval ok.dot --format "$(printf 'j\033[0mson')"

# A library message over several lines (cgraph's unterminated string).
printf 'digraph { a [label="abc\n def\n]; }\n' >multi.dot
"$GRADVIZ" eval multi.dot >out.txt 2>err.txt
if [ $? -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ]; then
  ok "a multi-line library message is one line"
else
  not_ok "a multi-line library message is one line"; sed 's/^/# /' err.txt
fi

# A style file with an unknown key holding ESC.
printf 'font-size = 12\n\033[31mcolour = red\n' >bad.style
one_line "render --style: an unknown key with ESC" 2 \
  "gradviz: ./bad.style:2: unknown style key '\\x1b[31mcolour'" render ok.dot --style ./bad.style -o ok.png
# The text report escapes names as the messages do (ESC [2J would clear
# the screen), and keeps its columns.
printf 'digraph { "a\033[2Jb" [value=1]; c [op=neg]; "a\033[2Jb" -> c }\n' >esc.dot
"$GRADVIZ" eval esc.dot >out.txt 2>err.txt
controls=$(tr -d '\n' <out.txt | tr -d '\040-\176\200-\377' | wc -c)
if [ "$controls" -eq 0 ] && grep -q '^a\\x1b\[2Jb  input ' out.txt &&
   grep -q '^a\\x1b\[2Jb -> c ' out.txt; then
  ok "eval's text report escapes control characters in names"
else
  not_ok "eval's text report escapes control characters in names"; sed 's/^/# /' out.txt
fi

# "Did you mean": the closest known name when one is close (same first
# letter, at most one edit in three letters), else the usual pointer.
one_line "a misspelt command gets the closest" 2 \
  "gradviz: unknown command 'rendr' (did you mean 'render'?)" rendr ok.dot
one_line "help with a misspelt command" 2 \
  "gradviz: unknown command 'rendr' (did you mean 'render'?)" help rendr
one_line "a command close to none: the pointer to --help" 2 \
  "gradviz: unknown command 'x' (see 'gradviz --help')" x
one_line "a misspelt long option gets the closest" 2 \
  "gradviz: render: unknown option '--pgae' (did you mean '--page'?)" render ok.dot -o ok.png --pgae a4
one_line "a misspelt long option with =VALUE" 2 \
  "gradviz: eval: unknown option '--formt' (did you mean '--format'?)" eval ok.dot --formt=json
one_line "a misspelt --input-format" 2 \
  "gradviz: check: unknown option '--input-fromat' (did you mean '--input-format'?)" \
  check ok.dot --input-fromat expr
one_line "an option close to none: the pointer to --help" 2 \
  "gradviz: eval: unknown option '--zzz' (see 'gradviz eval --help')" eval ok.dot --zzz
printf 'x = 1\ny = sigmod(x)\n' >sigmod.expr
one_line "a formula's misspelt op" 2 \
  "gradviz: sigmod.expr:2: unknown function 'sigmod' (did you mean 'sigmoid'?)" eval sigmod.expr
printf 'x = 1\ny = gelu(x)\n' >gelu.expr
one_line "an op beginning otherwise is no slip (gelu is not relu)" 2 \
  "gradviz: gelu.expr:2: unknown function 'gelu'" eval gelu.expr
printf 'digraph {\n  a [value=2]; b [value=3]\n  m [op=mull]\n  a -> m; b -> m\n}\n' >mull.dot
one_line "DOT: op=mull" 2 "gradviz: mull.dot:3: node 'm': unknown op 'mull' (did you mean 'mul'?)" \
  eval mull.dot
printf 'digraph {\n  a [value=2]\n  s [op=sigmod]\n  a -> s\n}\n' >sigmod.dot
one_line "DOT: op=sigmod, through render" 2 \
  "gradviz: sigmod.dot:3: node 's': unknown op 'sigmod' (did you mean 'sigmoid'?)" \
  render sigmod.dot -o s.png
one_line "a misspelt style" 2 "gradviz: --style: no style named 'drak' (did you mean 'dark'?)" \
  render ok.dot --style drak -o ok.png
one_line "a style in another case" 2 "gradviz: --style: no style named 'Print' (did you mean 'print'?)" \
  mnist --style Print -o m.png
mkdir styles
printf 'precision = 3\n' >styles/mine.style
saved_path=$GRADVIZ_STYLE_PATH
GRADVIZ_STYLE_PATH="$PWD/styles:$GRADVIZ_STYLE_PATH"
export GRADVIZ_STYLE_PATH
one_line "a style of GRADVIZ_STYLE_PATH is suggested too" 2 \
  "gradviz: --style: no style named 'mien' (did you mean 'mine'?)" render ok.dot --style mien -o ok.png
GRADVIZ_STYLE_PATH=$saved_path
"$GRADVIZ" render ok.dot --style zzzz -o ok.png >out.txt 2>err.txt
case $(cat err.txt) in
"gradviz: --style: no style named 'zzzz' (try cs231n, dark, default, print"*", or a FILE.style)")
  ok "a style close to none: the styles there are, sorted" ;;
*) not_ok "a style close to none: the styles there are, sorted"; sed 's/^/# /' err.txt ;;
esac

# A font that is not installed: a warning naming the font drawn instead,
# and the installed family closest to it; the figure is drawn (exit 0).
if fc-list : family 2>/dev/null | grep -q '^DejaVu Sans$'; then
  printf 'font = DejaVu Sanz\n' >sanz.style
  one_line "a misspelt font: what draws instead, and the closest" 0 \
    "gradviz: render: warning: style 'sanz': font 'DejaVu Sanz' is not installed: drawing with 'DejaVu Sans' (did you mean 'DejaVu Sans'?)" \
    render ok.dot --style ./sanz.style -o sanz.png
  one_line "the same through mnist" 0 \
    "gradviz: mnist: warning: style 'sanz': font 'DejaVu Sanz' is not installed: drawing with 'DejaVu Sans' (did you mean 'DejaVu Sans'?)" \
    mnist --layers 784,4,10 --show-units 2,2,2 --style ./sanz.style -o sanz-m.png
  printf 'font = dejavu sans\n' >lower.style
  silent "an installed family in another case: no warning" render ok.dot --style ./lower.style -o lower.png
else
  ok "a misspelt font # SKIP DejaVu Sans is not installed"
  ok "the same through mnist # SKIP DejaVu Sans is not installed"
  ok "an installed family in another case # SKIP DejaVu Sans is not installed"
fi
printf 'font = Nonexistent Sans\n' >none.style
"$GRADVIZ" render ok.dot --style ./none.style -o none.png >out.txt 2>err.txt
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <err.txt)" -eq 1 ] && [ -s none.png ] &&
   grep -Eq "^gradviz: render: warning: style 'none': font 'Nonexistent Sans' is not installed: drawing with '[^']+'$" err.txt; then
  ok "a font close to no installed one: the font drawn instead, no hint"
else
  not_ok "a font close to no installed one: the font drawn instead, no hint"; sed 's/^/# /' err.txt
fi
printf 'font = sans-serif\n' >generic.style
silent "a generic family resolves: no warning" render ok.dot --style ./generic.style -o g.png

# Numbers out of their range: one wording for every option and graph
# attribute, "NAME VALUE is out of range (RANGE)".
one_line "--eps 0" 2 "gradviz: check: --eps 0 is out of range (above 0) (see 'gradviz check --help')" \
  check ok.dot --eps 0
one_line "--rtol -1" 2 "gradviz: check: --rtol -1 is out of range (0 or more) (see 'gradviz check --help')" \
  check ok.dot --rtol -1
one_line "--eta 0" 2 "gradviz: train: --eta 0 is out of range (above 0) (see 'gradviz train --help')" \
  train --eta 0 -o w.txt
one_line "--batch 0" 2 "gradviz: train: --batch 0 is out of range (1 or more) (see 'gradviz train --help')" \
  train --batch 0 -o w.txt
one_line "--jobs 0" 2 "gradviz: batch: --jobs 0 is out of range (1 or more) (see 'gradviz batch --help')" \
  batch ok.dot -o out -j 0
one_line "batch --precision 18, before any figure" 2 \
  "gradviz: batch: --precision 18 is out of range (1 to 17) (see 'gradviz batch --help')" \
  batch ok.dot -o out --precision 18
one_line "mnist --precision 0" 2 \
  "gradviz: mnist: --precision 0 is out of range (1 to 17) (see 'gradviz mnist --help')" \
  mnist --precision 0 -o m.png
printf 'digraph { gradviz_dpi=5; a [value=1]; b [op=neg]; a -> b }\n' >dpi.dot
one_line "a graph's gradviz_dpi" 2 "gradviz: dpi.dot: gradviz_dpi 5 is out of range (10 to 2400)" \
  render dpi.dot -o dpi.png
"$GRADVIZ" batch dpi.dot -o dpi-out >out.txt 2>err.txt
if grep -qxF "  gradviz: dpi.dot: gradviz_dpi 5 is out of range (10 to 2400)" err.txt; then
  ok "batch: a graph's gradviz_dpi, the same words"
else
  not_ok "batch: a graph's gradviz_dpi, the same words"; sed 's/^/# /' err.txt | head -5
fi
printf 'digraph { gradviz_precision=x; a [value=1]; b [op=neg]; a -> b }\n' >prec.dot
one_line "a graph's gradviz_precision that is no number" 2 \
  "gradviz: prec.dot: gradviz_precision 'x' is not a whole number" render prec.dot -o prec.png
printf 'font-size = 0.5\n' >small.style
one_line "a style's font-size: the same words" 2 \
  "gradviz: ./small.style:1: font-size 0.5 is out of range (1 to 1000)" \
  render ok.dot --style ./small.style -o s.png
printf 'precision = 18\n' >prec.style
one_line "a style's precision: the same words" 2 \
  "gradviz: ./prec.style:1: precision 18 is out of range (1 to 17)" \
  render ok.dot --style ./prec.style -o s.png
one_line "--eps that is no number" 2 "gradviz: check: --eps 'abc' is not a number (see 'gradviz check --help')" \
  check ok.dot --eps abc

# A pipe with no writer yet: gradviz says what it waits for, then reads.
if mkfifo pipe.dot 2>/dev/null; then
  (sleep 1; cat ok.dot >pipe.dot) &
  timeout 20 "$GRADVIZ" eval pipe.dot >out.txt 2>err.txt
  rc=$?
  wait
  if [ $rc -eq 0 ] && [ "$(cat err.txt)" = "gradviz: pipe.dot: a pipe; waiting for a program to write to it" ]; then
    ok "reading a FIFO says it waits for a writer, then reads it"
  else
    not_ok "reading a FIFO says it waits for a writer, then reads it"; sed 's/^/# /' err.txt
  fi
else
  ok "reading a FIFO says it waits # SKIP mkfifo failed"
fi
echo "1..$n"
