#!/bin/sh
# slides.sh: issue 11's slide test in `make check`, so that no figure loses
# what it has reached. Every example and course graph is drawn with default
# options and measured by legible.py on a 1920x1080 slide: each must pass
# every criterion (text at 18 px/em, no text over text, no edge through a
# foreign box, at most 5% of labels without 12 pt of line beside them, the
# legend at most a fifth of the height), except the text size of the
# figures listed in SMALL_TEXT, which do not reach 18 px/em yet and must
# still pass the other four. Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-slides.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/tap.sh"

# Figures allowed under 18 px/em (none now; kept for a figure that cannot
# reach it yet, which must still pass the other four criteria).
SMALL_TEXT=" "

for g in "$SRC"/examples/*.dot "$SRC"/examples/*.expr "$SRC"/tests/figure/course/*.expr; do
  b=$(basename "$g"); b=${b%.*}
  if ! "$G" render "$g" -o "$T/$b.png" --dump-layout "$T/$b.json" 2>"$T/err"; then
    not_ok "$b: renders ($(cat "$T/err"))"
    continue
  fi
  python3 "$SRC/tests/figure/legible.py" "$T/$b.json" >"$T/out" 2>&1
  case $SMALL_TEXT in
    *" $b "*) need="2 3 4 5" ;;
    *) need="1 2 3 4 5" ;;
  esac
  for k in $need; do
    line=$(grep -E "^(not )?ok $k - " "$T/out")
    case $line in
      ok*) ok "${line#ok $k - }" ;;
      *) not_ok "${line#not ok $k - }"; grep '^#' "$T/out" | head -5 ;;
    esac
  done
done
printf '1..%d\n' "$n"
[ "$fails" -eq 0 ]
