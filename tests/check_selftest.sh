#!/bin/sh
# check_selftest.sh: Check's assertions still fail under tests/check_main.h,
# which redefines ck_assert_msg without Check's mark on a pass. Runs
# tests/check_selftest (whose tests fail on purpose) and checks its
# report: the failing tests, their messages, the file and line of each
# failure, the passing one, and a failing exit status. Prints TAP.
set -u
SRC=${GDV_SRCDIR:?}
PROG=$(dirname "${GRADVIZ:?}")/tests/check_selftest
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-check-selftest.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/tap.sh"
cd "$T" || exit 1

CK_TAP_LOG_FILE_NAME=- CK_FORK=yes "$PROG" >report.txt 2>&1
status=$?
check_case "the program exits non-zero when its tests fail" test "$status" -ne 0
check_case "passing assertions of every family pass" grep -q '^ok [0-9]* - .*:asserts:all_pass: Passed$' report.txt
# the line of the failing assertion in the source, as the report must give it
line_of() { grep -n "$1" "$SRC/tests/check_selftest.c" | head -n 1 | cut -d: -f1; }
# reported: the test's TAP line and Check's file:line:F line, both with MSG
reported() {  # TEST LINE MSG
  grep -qF ":asserts:$1: $3" report.txt &&
    grep -qF "check_selftest.c:$2:F:asserts:$1:0: $3" report.txt
}
expect() {  # NAME TEST PATTERN-IN-SOURCE MESSAGE
  check_case "$1" reported "$2" "$(line_of "$3")" "$4"
}
expect "ck_assert_int_eq fails with both values" int_fails "2 + 2, 5" \
  "Assertion '2 + 2 == 5' failed: 2 + 2 == 4, 5 == 5"
expect "ck_assert_msg fails with its own message" msg_fails '0 > 1, "zero' "zero is 0"
expect "ck_assert_str_eq fails with both strings" str_fails '"local", "grad"' \
  "Assertion '\"local\" == \"grad\"' failed: \"local\" == \"local\", \"grad\" == \"grad\""
expect "the first failure stops its test" first_failure_stops "1u, 2u" \
  "Assertion '1u == 2u' failed: 1u == 1, 2u == 2"
check_case "nothing after a failure runs" sh -c "! grep -q 'after the first failure' report.txt"
check_case "four of five fail" grep -q 'Checks: 5, Failures: 4, Errors: 0' report.txt
echo "1..$n"
[ "$fails" -eq 0 ]
