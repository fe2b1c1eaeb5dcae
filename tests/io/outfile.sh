#!/bin/sh
# outfile.sh: where -o writes, for every kind of place: a symbolic link
# (written through, the link stays), a FIFO and standard output (written
# directly), an existing file's mode (kept), a read-only folder and a full
# disk (exit 3, naming the file and the reason, the old file intact), stale
# temporaries of killed runs (removed), `-o -` for every command and format,
# and a failed write to standard output (exit 3). Never touches the
# machine's own /dev: standard output is reached as /proc/self/fd/N
# redirected by this shell, a full disk is /dev/full behind such a
# descriptor or a tiny tmpfs in a private mount namespace. Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
examples="$GDV_SRCDIR/examples"
mnist="$examples/mnist"

work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-outfile.XXXXXX") || exit 99
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 99

. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { head -n 20 "$@" | sed 's/^/# /'; }
# check NAME COMMAND...: ok when the shell command succeeds.
check() {
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}
mode_of() { stat -c %a "$1"; }
# no_temporaries DIR: no .NAME.PID.tmp left in DIR.
no_temporaries() { [ -z "$(find "$1" -maxdepth 1 -name '.*.tmp' | head -n 1)" ]; }

"$GRADVIZ" eval "$examples/chain.dot" >want.txt 2>err.txt || { diag err.txt; exit 99; }

# ---- a symbolic link: written through, stays a link ----------------------
mkdir -p links/real
echo old >links/real/target.txt
ln -s real/target.txt links/link.txt
"$GRADVIZ" eval "$examples/chain.dot" -o links/link.txt 2>err.txt
check "-o LINK exits 0" [ $? -eq 0 ]
check "-o LINK leaves the link a link" [ -L links/link.txt ]
check "-o LINK writes the link's target" cmp -s want.txt links/real/target.txt
check "no temporary left beside link or target" \
  sh -c 'no() { [ -z "$(find "$1" -maxdepth 1 -name ".*.tmp")" ]; }; no links && no links/real'
# A chain of two links, the last one dangling: the target is created.
ln -s link2.txt links/link1.txt
ln -s real/new.txt links/link2.txt
"$GRADVIZ" eval "$examples/chain.dot" -o links/link1.txt 2>err.txt
check "a chain of links ending nowhere creates the target" cmp -s want.txt links/real/new.txt
check "both links of the chain stay links" [ -L links/link1.txt ] && [ -L links/link2.txt ]
ln -s loop-b links/loop-a
ln -s loop-a links/loop-b
"$GRADVIZ" eval "$examples/chain.dot" -o links/loop-a 2>err.txt
st=$?
if [ $st -eq 3 ] && [ "$(cat err.txt)" = "gradviz: links/loop-a: cannot write: Too many levels of symbolic links" ]; then
  ok "a cycle of links is exit 3 naming the file"
else
  not_ok "a cycle of links is exit 3 naming the file"; echo "# exit $st"; diag err.txt
fi

# ---- an existing file keeps its mode -------------------------------------
echo old >mode.txt
chmod 640 mode.txt
"$GRADVIZ" eval "$examples/chain.dot" -o mode.txt 2>err.txt
check "an existing file's mode (640) is kept" [ "$(mode_of mode.txt)" = 640 ]
check "and its contents replaced" cmp -s want.txt mode.txt
chmod 600 links/real/target.txt
"$GRADVIZ" eval "$examples/chain.dot" -o links/link.txt 2>err.txt
check "the mode of a link's target (600) is kept" [ "$(mode_of links/real/target.txt)" = 600 ]

# ---- a FIFO: written directly, stays a FIFO ------------------------------
if mkfifo fifo 2>/dev/null; then
  timeout 20 cat fifo >from-fifo &
  reader=$!
  timeout 20 "$GRADVIZ" eval "$examples/chain.dot" -o fifo 2>err.txt
  st=$?
  wait "$reader"
  check "-o FIFO exits 0" [ $st -eq 0 ]
  check "-o FIFO: the reader gets the whole report" cmp -s want.txt from-fifo
  check "-o FIFO: the FIFO is still a FIFO" [ -p fifo ]
  check "-o FIFO: no temporary beside it" no_temporaries .
  timeout 20 cat fifo >from-fifo.png &
  reader=$!
  timeout 20 "$GRADVIZ" render "$examples/chain.dot" -o fifo --format png 2>err.txt
  wait "$reader"
  "$GRADVIZ" render "$examples/chain.dot" -o chain.png 2>err.txt
  check "render -o FIFO --format png: the same bytes as a file" cmp -s chain.png from-fifo.png
else
  skip "-o FIFO" "mkfifo failed"
fi

# ---- standard output: "-" and /proc/self/fd/1 ----------------------------
"$GRADVIZ" eval "$examples/chain.dot" -o /proc/self/fd/1 >via-proc.txt 2>err.txt
check "-o /proc/self/fd/1 writes standard output" cmp -s want.txt via-proc.txt
"$GRADVIZ" eval "$examples/chain.dot" -o /proc/self/fd/1 | cat >via-pipe.txt
check "-o /proc/self/fd/1 into a pipe" cmp -s want.txt via-pipe.txt
check "no temporary in the working folder" no_temporaries .
# (an SVG's ids start with the output's name, the input's for "-": the
# file is named like the input)
mkdir -p file
for fmt in png svg pdf dot; do
  "$GRADVIZ" render "$examples/chain.dot" -o "file/chain.$fmt" 2>err.txt
  "$GRADVIZ" render "$examples/chain.dot" -o - --format "$fmt" >"chain-out.$fmt" 2>err.txt
  check "render -o - --format $fmt: the same bytes as -o FILE" cmp -s "file/chain.$fmt" "chain-out.$fmt"
done
"$GRADVIZ" eval "$examples/chain.dot" -o - >eval-out.txt 2>err.txt
check "eval -o -" cmp -s want.txt eval-out.txt
for fmt in png svg pdf dot; do
  "$GRADVIZ" mnist -o "file/mnist.$fmt" >/dev/null 2>err.txt
  "$GRADVIZ" mnist -o - --format "$fmt" >"mnist-out.$fmt" 2>err.txt
  st=$?
  check "mnist -o - --format $fmt: the same bytes as -o FILE" \
    sh -c "[ $st -eq 0 ] && cmp -s file/mnist.$fmt mnist-out.$fmt"
done
"$GRADVIZ" mnist -o - >/dev/null 2>err.txt
st=$?
check "mnist -o - without --format is a usage error" \
  [ $st -eq 2 ] && [ "$(cat err.txt)" = "gradviz: mnist: -o - needs --format (png, svg, pdf or dot) (see 'gradviz mnist --help')" ]
train() {
  "$GRADVIZ" train --layers 784,10 --epochs 1 --train-images "$mnist/test100-images-idx3-ubyte" \
    --train-labels "$mnist/test100-labels-idx1-ubyte" "$@"
}
train -o weights-file.txt >/dev/null 2>err.txt
train -o - >weights-out.txt 2>err.txt
check "train -o -: standard output is exactly the weights file" cmp -s weights-file.txt weights-out.txt
check "train -o -: the epoch's result goes to stderr" grep -q '^epoch 1: mean training cost' err.txt
"$GRADVIZ" mnist --layers 784,10 --weights weights-out.txt -o from-stdout.png >/dev/null 2>err.txt
check "the weights written to standard output read back" [ $? -eq 0 ]

# ---- a full disk ---------------------------------------------------------
# fails_with NAME STATUS 'STDERR' ARGS...
fails_with() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(cat err.txt)" = "$want" ]; then ok "$name"
  else not_ok "$name"; echo "# exit $got (want $status)"; diag err.txt; echo "# want: $want"; fi
}
for fmt in png svg pdf dot; do
  fails_with "render --format $fmt to a full disk: exit 3 naming file and reason" 3 \
    "gradviz: /proc/self/fd/3: cannot write: No space left on device" \
    render "$examples/chain.dot" -o /proc/self/fd/3 --format "$fmt" 3>/dev/full
done
fails_with "eval to a full disk" 3 \
  "gradviz: /proc/self/fd/3: cannot write: No space left on device" \
  eval "$examples/chain.dot" -o /proc/self/fd/3 3>/dev/full
fails_with "mnist to a full disk" 3 \
  "gradviz: /proc/self/fd/3: cannot write: No space left on device" \
  mnist -o /proc/self/fd/3 --format png 3>/dev/full
# full_stdout NAME ARGS...: gradviz ARGS with standard output on /dev/full
# (a redirection of this shell's, not an -o) is exit 3 with one line.
full_stdout() {
  name=$1
  shift
  "$GRADVIZ" "$@" >/dev/full 2>err.txt
  got=$?
  want="gradviz: <stdout>: cannot write: No space left on device"
  if [ "$got" -eq 3 ] && [ "$(grep -v '^train\|^epoch' err.txt)" = "$want" ]; then ok "$name"
  else not_ok "$name"; echo "# exit $got (want 3)"; diag err.txt; echo "# want: $want"; fi
}
full_stdout "train -o - >/dev/full: exit 3" train --layers 784,10 --epochs 1 \
  --train-images "$mnist/test100-images-idx3-ubyte" \
  --train-labels "$mnist/test100-labels-idx1-ubyte" -o -
for cmd in "check" "eval" "stats" "render -o - --format svg"; do
  # shellcheck disable=SC2086
  full_stdout "$cmd >/dev/full: exit 3" $cmd "$examples/chain.dot"
done
full_stdout "mnist -o - >/dev/full: exit 3" mnist -o - --format dot
full_stdout "--help >/dev/full: exit 3" --help
full_stdout "eval --help >/dev/full: exit 3" eval --help
full_stdout "--version >/dev/full: exit 3" --version

# A real full file system, where one can be mounted privately (unshare -m
# as root, unshare -rm with user namespaces): the old file stays whole and
# no temporary is left.
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
mkdir -p small
can_mount=no
$ns sh -c "mount -t tmpfs -o size=64k tmpfs small" 2>/dev/null && can_mount=yes
if [ $can_mount = yes ]; then
  # shellcheck disable=SC2016
  $ns sh -c '
    mount -t tmpfs -o size=64k tmpfs small || exit 99
    echo old >small/chain.png
    head -c 60000 /dev/zero >small/filler 2>/dev/null
    "$1" render "$2" -o small/chain.png 2>small-err.txt
    echo $? >small-status.txt
    cp small/chain.png small-after.png
    ls -a small >small-ls.txt
  ' sh "$GRADVIZ" "$examples/chain.dot"
  check "a full file system: exit 3" [ "$(cat small-status.txt)" = 3 ]
  check "a full file system: the message names file and reason" \
    [ "$(cat small-err.txt)" = "gradviz: small/chain.png: cannot write: No space left on device" ]
  check "a full file system: the old file is intact" [ "$(cat small-after.png)" = old ]
  check "a full file system: no temporary left" [ -z "$(grep '\.tmp$' small-ls.txt)" ]
else
  skip "a full file system" "cannot mount a tmpfs in a private namespace here"
fi

# ---- a read-only folder --------------------------------------------------
mkdir ro
echo old >ro/out.txt
if [ "$(id -u)" -ne 0 ]; then
  chmod 555 ro
  fails_with "a read-only folder: exit 3 naming file and reason" 3 \
    "gradviz: ro/out.txt: cannot write: Permission denied" \
    eval "$examples/chain.dot" -o ro/out.txt
  check "a read-only folder: the old file is intact" [ "$(cat ro/out.txt)" = old ]
  chmod 755 ro
elif [ $can_mount = yes ]; then
  # Root writes into any folder; a read-only mount stops even root.
  $ns sh -c '
    mount --bind ro ro && mount -o remount,ro,bind ro ro || exit 99
    "$1" eval "$2" -o ro/out.txt 2>ro-err.txt
    echo $? >ro-status.txt
  ' sh "$GRADVIZ" "$examples/chain.dot"
  check "a read-only folder: exit 3" [ "$(cat ro-status.txt)" = 3 ]
  check "a read-only folder: the message names file and reason" \
    [ "$(cat ro-err.txt)" = "gradviz: ro/out.txt: cannot write: Read-only file system" ]
  check "a read-only folder: the old file is intact" [ "$(cat ro/out.txt)" = old ]
else
  skip "a read-only folder" "root, and no private mount namespace"
fi

# ---- stale temporaries of killed runs ------------------------------------
# A PID that is surely gone: a child that has exited. $$ is alive.
sh -c 'exit 0' &
dead=$!
wait "$dead"
# stale_test NAME OUT ARGS...: gradviz ARGS writes OUT; the dead run's
# temporary goes, a live one's and a user's own dot-file stay.
stale_test() {
  name=$1 out=$2
  shift 2
  dir=$(dirname "$out") base=$(basename "$out")
  mkdir -p "$dir"
  : >"$dir/.$base.$dead.tmp"
  : >"$dir/.$base.$$.tmp"
  : >"$dir/.$base.backup"
  "$GRADVIZ" "$@" >/dev/null 2>err.txt
  if [ ! -e "$dir/.$base.$dead.tmp" ] && [ -e "$dir/.$base.$$.tmp" ] &&
     [ -e "$dir/.$base.backup" ] && [ -s "$out" ]; then
    ok "$name removes a killed run's temporary, keeps a live one's"
  else
    not_ok "$name removes a killed run's temporary, keeps a live one's"
    ls -a "$dir" | sed 's/^/# /'
    diag err.txt
  fi
}
stale_test "eval" stale/eval.txt eval "$examples/chain.dot" -o stale/eval.txt
stale_test "render" stale/chain.svg render "$examples/chain.dot" -o stale/chain.svg
stale_test "mnist" stale/mnist.dot mnist -o stale/mnist.dot
stale_test "train" stale/w.txt train --layers 784,10 --epochs 1 \
  --train-images "$mnist/test100-images-idx3-ubyte" \
  --train-labels "$mnist/test100-labels-idx1-ubyte" -o stale/w.txt
mkdir -p stale/real
ln -s real/t.txt stale/t-link.txt
stale_test "-o LINK (beside the target)" stale/real/t.txt eval "$examples/chain.dot" -o stale/t-link.txt
echo "1..$n"
