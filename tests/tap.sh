# tap.sh: what every shell test here prints with, sourced by each
# (". "$GDV_SRCDIR/tests/tap.sh"): a TAP line per case, numbered, and a
# count of failures for scripts that end on it. printf, not echo: dash's
# echo would turn a "\n" in a test's name into a line break.
n=0
fails=0

# ok NAME: the case passed.
ok() { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }

# not_ok NAME: the case failed.
not_ok() { n=$((n + 1)); fails=$((fails + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }
