#!/bin/sh
# messages.sh: every error is one line of printable text. Names and file
# names holding a newline, an escape sequence (ESC [31m, ESC [2J), a C1
# control or bytes that are not UTF-8 go through eval, render, check and
# stats, and through usage errors; each message must be exactly one line,
# hold no control byte, and show the escapes as \n, \x1b, \xHH. Prints TAP.
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
  "gradviz: unknown command 'ev\\x1bal' (see 'gradviz --help')" "$(printf 'ev\033al')"
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
