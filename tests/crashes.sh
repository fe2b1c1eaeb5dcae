#!/bin/sh
# crashes.sh: inputs that crashed or ran away before, through the real
# binary. Each must end with one line on stderr and the contract's status.
# Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"

work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-crashes.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
diag() { head -n 20 "$@" | sed 's/^/# /'; }

# fails NAME STATUS 'STDERR' ARGS...: gradviz ARGS exits STATUS and prints
# exactly the one line STDERR.
fails() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(cat err.txt)" = "$want" ] &&
     [ "$(wc -l <err.txt)" -eq 1 ]; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status); stderr:"
    diag err.txt
    echo "# want: $want"
  fi
}

# ---- DOT: a quoted string where the graph should start (was SIGSEGV) ------
printf '""' >empty-quotes
fails "eval of the two bytes \"\"" 2 \
  "gradviz: empty-quotes:1: expected 'digraph', found a quoted string" eval empty-quotes
printf '"' >lone-quote
fails "eval of the single byte \"" 2 \
  "gradviz: lone-quote:1: expected 'digraph', found a quoted string" eval lone-quote
printf 'digraph { "" [value=1] }\n' >empty-name.dot
"$GRADVIZ" eval empty-name.dot >out.txt 2>err.txt
got=$?
if [ "$got" -le 2 ] && [ "$(wc -l <err.txt)" -le 1 ]; then
  ok "a node named \"\" is no crash (exit $got)"
else
  not_ok "a node named \"\" is no crash"; echo "# exit $got"; diag err.txt
fi

echo "1..$n"
