#!/bin/sh
# generated.sh: the generated sources are what their generators write, so a
# change to either shows here rather than as a number written differently.
# Prints TAP.
: "${GDV_SRCDIR:=.}"
. "$GDV_SRCDIR/tests/tap.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-generated.XXXXXX")
trap 'rm -rf "$T"' EXIT

if command -v python3 >/dev/null 2>&1; then
  if python3 "$GDV_SRCDIR/scripts/gen-number-table.py" >"$T/table.h" &&
     cmp -s "$T/table.h" "$GDV_SRCDIR/src/core/gdv_number_table.h"; then
    ok "src/core/gdv_number_table.h is what scripts/gen-number-table.py writes"
  else
    not_ok "src/core/gdv_number_table.h is what scripts/gen-number-table.py writes"
    diff "$T/table.h" "$GDV_SRCDIR/src/core/gdv_number_table.h" | head -5 | sed 's/^/# /'
  fi
else
  n=$((n + 1))
  echo "ok $n - src/core/gdv_number_table.h # SKIP python3 not found"
fi
echo "1..$n"
[ "$fails" -eq 0 ]
