#!/bin/sh
# -o x.tex (issue 22): every example as a TikZ picture compiled by
# pdflatex in the standalone class and, as Beamer overlays, in a Beamer
# frame (tests/teach/tikz.py); then what the file holds. Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-teach-tikz.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/tap.sh"
cd "$T" || exit 1
E=$SRC/examples
if ! command -v pdflatex >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "1..0 # SKIP pdflatex or pdftotext missing (scripts/install-deps.sh installs them)"
  exit 0
fi
mkdir work
python3 "$SRC/tests/teach/tikz.py" "$G" "$E" "$T/work" >tikz.tap
while IFS= read -r line; do
  case $line in
    ok*) ok "${line#ok * - }" ;;
    "not ok"*) not_ok "${line#not ok * - }" ;;
    "#"*) echo "$line" ;;
  esac
done <tikz.tap
grep -q '^1\.\.7$' tikz.tap || not_ok "tikz.py ran to its end"

"$G" render "$E/net-2-2-1.expr" -o net.tex
check_case "the file needs nothing but tikz: no \\usepackage, no \\documentclass" \
  sh -c 'grep -v "^%" net.tex | grep -q "^.begin{tikzpicture}" &&
         ! grep -v "^%" net.tex | grep -q "usepackage\|documentclass\|RequirePackage"'
check_case "names become math with subscripts: \$\\partial C/\\partial w_{11} = ...\$" \
  grep -q '\$\\partial C/\\partial w_{11} = ' net.tex
check_case "colours from the style, one \\definecolor each (default style's value blue 0072B2)" \
  grep -q '^\\definecolor{gdvc[0-9]*}{HTML}{0072B2}$' net.tex
check_case "edges keep their curves (controls) and widths by gradient (several line widths)" sh -c \
  "grep -q '^\\\\draw.*controls' net.tex && [ \$(grep -o 'line width=[0-9.]*' net.tex | sort -u | wc -l) -ge 3 ]"
"$G" render "$E/neuron.expr" --steps-by node -o steps.tex
check_case "--steps-by node: overlays 1 to 13 (\\only through \\gdvstep)" sh -c \
  "grep -q 'def.gdvstep#1#2{.only<#1-#2>}' steps.tex && grep -q '^.gdvstep{13}{13}' steps.tex"
"$G" render "$E/neuron.expr" --style dark -o dark.tex
check_case "a dark style fills the page with its background" grep -q '^\\fill\[gdvc[0-9]*\] (0,0) rectangle (960,540);$' dark.tex
printf 'digraph g {\n  k [value=2, label="\316\272"]; x [value=3, label="\316\276\342\202\201"];\n  p [op=mul, label="\316\250"]; k -> p; x -> p;\n}\n' >greek.dot
"$G" render greek.dot -o greek.tex
check_case "every Greek letter as LaTeX's (kappa, xi, Psi; none written '?')" sh -c \
  "grep -q '\\\\kappa' greek.tex && grep -q '\\\\xi _{1}' greek.tex && grep -q '\\\\Psi' greek.tex &&
   ! grep -v '^%' greek.tex | grep -q '?'"
echo "1..$n"
[ "$fails" -eq 0 ]
