#!/bin/sh
# library_words.sh: the library's messages say what is wrong in its own
# terms and never name a command-line flag (issue 24): a string in a C
# file of a library layer (every folder of src/ but cli) holding "--word"
# fails, unless the line builds a child's command line (argv[...]). The
# command line adds the flag: gdv_error_set_about names the setting that
# would help, gdv_cli_setting_hint words it. One TAP line per layer; the
# places still to change are listed in KNOWN as TODO (they fail the case
# once fixed, XPASS, so the list stays true). Prints TAP.
: "${GDV_SRCDIR:=.}"
cd "$GDV_SRCDIR" || { echo "1..0 # cannot enter $GDV_SRCDIR"; exit 1; }
. tests/tap.sh
# In src/mnist and src/mnist_draw, where the MNIST views are being rewritten:
# the figure's heading names --focus-unit, the page advice --page none and
# the training advice --eta.
KNOWN=""

# flags FILE...: each line whose strings name a flag, as FILE:LINE: text
flags() {
  awk '/^[ \t]*(\/\*|\*)/ { next }           # comment lines
       /argv\[/ { next }                     # a child process'"'"'s arguments
       { line = $0; found = 0
         while (match(line, /"([^"\\]|\\.)*"/)) {
           s = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH)
           if (s ~ /--[a-z]/) found = 1
         }
         if (found) printf "%s:%d: %s\n", FILENAME, FNR, $0 }' "$@"
}

for layer in core io mnist render mnist_draw batch teach; do
  files=$(find "src/$layer" -name '*.c' | LC_ALL=C sort)
  for k in $KNOWN; do files=$(printf '%s\n' $files | grep -vx "$k"); done
  # shellcheck disable=SC2086 # one name a file
  found=$(flags $files)
  if [ -n "$found" ]; then
    not_ok "src/$layer: no message names a command-line flag"
    printf '%s\n' "$found" | sed 's/^/# /'
  else
    ok "src/$layer: no message names a command-line flag"
  fi
done
for k in $KNOWN; do
  if [ -n "$(flags "$k")" ]; then
    n=$((n + 1)); printf 'not ok %d - %s names a flag # TODO left to the MNIST work\n' "$n" "$k"
  else
    n=$((n + 1)); printf 'ok %d - %s names a flag # TODO left to the MNIST work\n' "$n" "$k"
  fi
done
echo "1..$n"
