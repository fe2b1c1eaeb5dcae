#!/bin/sh
# generated.sh: the generated sources are what their generators write, so a
# change to either shows here rather than as a number written differently.
# Prints TAP.
: "${GDV_SRCDIR:=.}"
. "$GDV_SRCDIR/tests/tap.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-generated.XXXXXX")
trap 'rm -rf "$T"' EXIT

# check_generated SCRIPT HEADER: HEADER is what SCRIPT writes
check_generated() {
  if ! command -v "$GDV_PYTHON" >/dev/null 2>&1; then
    n=$((n + 1))
    echo "ok $n - $2 # SKIP $GDV_PYTHON not found"
  elif "$GDV_PYTHON" "$GDV_SRCDIR/$1" >"$T/out.h" && cmp -s "$T/out.h" "$GDV_SRCDIR/$2"; then
    ok "$2 is what $1 writes"
  else
    not_ok "$2 is what $1 writes"
    diff "$T/out.h" "$GDV_SRCDIR/$2" | head -5 | sed 's/^/# /'
  fi
}
check_generated scripts/gen-number-table.py src/core/gdv_number_table.h
echo "1..$n"
[ "$fails" -eq 0 ]
