#!/bin/sh
# readme-commands.sh: CI runs what the README tells a new user to run. The
# README's first ```sh block holds the set-up command and then the test
# command; .ci/run takes its commands from that block (its dry run prints
# them) and calls no script of its own; both scripts exist and parse; the
# test command ends with the line CI reports. Prints TAP.
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
cd "$GDV_SRCDIR" || exit 99
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() {
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# The block, read independently of .ci/run (sed, not its awk), comments
# and blank lines dropped.
block=$(sed -n '/^```sh *$/,/^```/p' README.md | sed '1d' | sed '/^```/,$d' |
        sed 's/[[:space:]]*#.*$//' | sed '/^$/d')
want='sh scripts/setup.sh
sh scripts/test.sh'
check "README's first sh block: set-up command, then test command" [ "$block" = "$want" ]
[ "$block" = "$want" ] || printf '%s\n' "$block" | sed 's/^/# README: /'

ci=$(GDV_CI_DRY_RUN=1 sh .ci/run | sed 's/[[:space:]]*#.*$//')
check ".ci/run runs exactly the README's commands, in order" [ "$ci" = "$block" ]
[ "$ci" = "$block" ] || printf '%s\n' "$ci" | sed 's/^/# .ci\/run: /'
check ".ci/run names no script itself (it reads them from the README)" \
  sh -c "! grep -v '^#' .ci/run | grep -q 'scripts/'"
check "scripts/setup.sh parses" sh -n scripts/setup.sh
check "scripts/test.sh parses" sh -n scripts/test.sh
check "scripts/test.sh ends with 'tests: N passed, M failed'" \
  sh -c "tail -n 3 scripts/test.sh | grep -q 'echo \"tests: \$passed passed, .* failed\"'"
check "scripts/setup.sh never configures the source folder in place" \
  sh -c "! grep -Eq '^[^#]*(^|[[:space:];&|(])\./configure' scripts/setup.sh"
echo "1..$n"
