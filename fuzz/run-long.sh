#!/bin/sh
# run-long.sh: the long fuzzing runs, out of the way of everything else.
#   sh fuzz/run-long.sh BINDIR OUTDIR SECONDS NAME...
# runs BINDIR/fuzz_NAME for SECONDS each, two at a time, at nice 19, in
# libFuzzer's fork mode so one crash does not end the run: new inputs go
# to OUTDIR/corpus/NAME, crashes and hangs to OUTDIR/artifacts/NAME-*, the
# log to OUTDIR/NAME.log. Seeds: fuzz/corpus/NAME and fuzz/regress/NAME.
set -u
bindir=$1 outdir=$2 seconds=$3
shift 3
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir/artifacts" || exit 2

# One harness, start to end; the last "#N" line of the log has the count of
# executions.
run_one() {
  name=$1
  mkdir -p "$outdir/corpus/$name"
  echo "start $(date -u +%FT%TZ)" >"$outdir/$name.log"
  set -- "$outdir/corpus/$name"
  for d in "$src/corpus/$name" "$src/regress/$name"; do
    [ -d "$d" ] && set -- "$@" "$d"
  done
  nice -n 19 "$bindir/fuzz_$name" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds" \
    -artifact_prefix="$outdir/artifacts/$name-" "$@" >>"$outdir/$name.log" 2>&1
  echo "end $(date -u +%FT%TZ) status $?" >>"$outdir/$name.log"
}

while [ $# -gt 0 ]; do
  run_one "$1" &
  first=$!
  if [ $# -gt 1 ]; then
    run_one "$2" &
    second=$!
    wait "$first" "$second"
    shift 2
  else
    wait "$first"
    shift
  fi
done
