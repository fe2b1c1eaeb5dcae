# tap.sh: what every shell test here prints with, sourced by each
# (". "$GDV_SRCDIR/tests/tap.sh"): a TAP line per case, numbered, and a
# count of failures for scripts that end on it, and two cases most scripts
# want (a command's status; gradviz's one error line). printf, not echo:
# dash's echo would turn a "\n" in a test's name into a line break.
n=0
fails=0
# The Python tests run: configure's (GDV_PYTHON, the system's python3 before
# any on PATH); by hand, /usr/bin/python3 when there is one. Never a
# version manager's shim on PATH when the system has its own.
if [ -z "${GDV_PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then GDV_PYTHON=/usr/bin/python3; else GDV_PYTHON=python3; fi
fi
# so a script's own `python3 -c ...` lines run that Python too (command:
# not this function again when GDV_PYTHON is python3 itself)
python3() { command "$GDV_PYTHON" "$@"; }

# ok NAME: the case passed.
ok() { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }

# not_ok NAME: the case failed.
not_ok() { n=$((n + 1)); fails=$((fails + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }

# check_case NAME CMD...: one TAP line from a command's status.
check_case() {
  name=$1
  shift
  if "$@" >case.out 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' case.out | head -20; fi
}

# one_line NAME STATUS 'STDERR' ARGS...: exactly that one line, that status.
one_line() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(wc -l <err.txt)" -eq 1 ] && [ "$(cat err.txt)" = "$want" ]; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status):"; sed 's/^/# /' err.txt | head -5; echo "# want: $want"
  fi
}
