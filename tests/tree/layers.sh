#!/bin/sh
# layers.sh: the layers of src/ depend one way. The order is read from the
# comment in Makefile.am (the line "#   core < io < ..."), so the written
# rule and the checked one cannot drift apart. Every #include "..." of every
# file under src/ must name a header of the file's own layer or of a layer
# before it in that order; a bare name must be a header beside the file (or
# configure's config.h). One TAP line per file; a failure names FILE:LINE.
: "${GDV_SRCDIR:=.}"
cd "$GDV_SRCDIR" || { echo "1..0 # cannot enter $GDV_SRCDIR"; exit 1; }
order=$(sed -n 's/^#   \(core < .*\)$/\1/p' Makefile.am | sed 's/ < / /g')
if [ -z "$order" ]; then
  echo "not ok 1 - Makefile.am states the layer order (a line '#   core < io < ...')"
  echo "1..1"
  exit 1
fi
find src -name '*.[ch]' | LC_ALL=C sort | xargs awk -v order="$order" '
BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
function report() {
  t++
  if (bad == "") print "ok " t " - " file " (" layer ")"
  else { print "not ok " t " - " file " (" layer ")" bad; fails++ }
}
FNR == 1 {
  if (NR > 1) report()
  file = FILENAME
  nf = split(file, part, "/")
  layer = part[2]
  dir = substr(file, 1, length(file) - length(part[nf]))
  bad = ""
  if (!(layer in rank)) bad = "\n# " file ": folder " layer " is not in the layer order: " order
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
  inc = $0
  sub(/^[^"]*"/, "", inc)
  sub(/".*/, "", inc)
  if (index(inc, "/") == 0) {
    if (inc != "config.h" && system("test -f \"" dir inc "\"") != 0)
      bad = bad sprintf("\n# %s:%d: includes \"%s\", which is not beside it", file, FNR, inc)
    next
  }
  split(inc, q, "/")
  to = q[1]
  if (!(to in rank))
    bad = bad sprintf("\n# %s:%d: includes \"%s\" of no layer (%s)", file, FNR, inc, order)
  else if (layer in rank && rank[to] > rank[layer])
    bad = bad sprintf("\n# %s:%d: includes \"%s\": %s is above %s (%s)", file, FNR, inc, to, layer, order)
}
END { report(); print "1.." t; exit fails > 0 }' || exit 1
