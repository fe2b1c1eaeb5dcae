#!/bin/sh
# fuzz-regress.sh: every kept fuzz input through its harness, built with the
# normal compiler (fuzz/driver.c): fuzz/regress/NAME holds reproducers of
# crashes and hangs found and fixed, fuzz/corpus/NAME the seeds. One TAP
# line per file; a crash, a sanitizer report or a run over 20 s fails it.
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
: "${GRADVIZ:?set GRADVIZ to the built binary}"
build=$(dirname "$GRADVIZ")
work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-fuzz-regress.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0
for name in dot expr style weights idx; do
  driver="$build/fuzz/regress_$name"
  for f in "$GDV_SRCDIR/fuzz/regress/$name"/* "$GDV_SRCDIR/fuzz/corpus/$name"/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    what="$name: ${f#"$GDV_SRCDIR"/fuzz/}"
    timeout 20 "$driver" "$f" >/dev/null 2>"$work/err"
    status=$?
    if [ "$status" -eq 0 ]; then
      echo "ok $n - $what"
    else
      echo "not ok $n - $what (exit $status; 124 is a hang)"
      head -n 20 "$work/err" | sed 's/^/# /'
    fi
  done
done
echo "1..$n"
