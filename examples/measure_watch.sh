#!/usr/bin/env bash
# Measures watch mode against cold runs, in one script:
#  - save -> re-run start: the "started N ms after the change" of each re-run;
#  - a re-run of N tasks in the warm `batt watch` process against a cold `batt run` of the
#    same N tasks (a whole process: device start, data load, run, outputs).
#
#   bash examples/measure_watch.sh [N] [--backend auto|gpu|cpu]
# BATT=path/to/batt overrides the binary (default target/release/batt).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
shift || true
batt=${BATT:-target/release/batt}
tmp=$(mktemp -d)
trap 'kill "$watch_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cp -r scripts "$tmp/scripts"

now() { date +%s.%N; }
wait_for_count() { # file, pattern, count
  for _ in $(seq 1 600); do
    [ "$(grep -c "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0
    sleep 0.05
  done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}

cold_runs=()
for i in 1 2 3; do
  t0=$(now); "$batt" run "$tmp/scripts/main.lua" -c "$n" -q "$@" --out "$tmp/cold" >/dev/null; t1=$(now)
  cold_runs+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
done

"$batt" watch "$tmp/scripts/main.lua" -c "$n" -q "$@" --out "$tmp/warm" >"$tmp/watch.log" 2>&1 &
watch_pid=$!
wait_for_count "$tmp/watch.log" "waiting for changes" 1
for i in 2 3 4; do
  echo "-- edit $i" >>"$tmp/scripts/main.lua"
  wait_for_count "$tmp/watch.log" "waiting for changes" "$i"
done
kill -INT "$watch_pid"; wait "$watch_pid" || true

echo "cold batt run -c $n (whole process), 3 runs: ${cold_runs[*]} s"
echo "warm re-runs in batt watch (from the change to the results written):"
grep -E "^=== re-run|^wall time" "$tmp/watch.log" | sed 's/^/  /'
cold_best=$(printf '%s\n' "${cold_runs[@]}" | sort -n | head -1)
latency_max=$(grep -oE "started [0-9]+ ms" "$tmp/watch.log" | grep -oE "[0-9]+" | sort -n | tail -1)
# the wall time of a re-run is the last "wall time" line; change->start latency adds to it
warm_worst=$(grep -E "^wall time" "$tmp/watch.log" | tail -3 | grep -oE "[0-9.]+" | sort -n | tail -1)
echo "save -> re-run start: at most ${latency_max} ms"
awk -v w="$warm_worst" -v l="$latency_max" -v c="$cold_best" 'BEGIN {
  printf "warm re-run (worst of 3) / cold run (best of 3): %.3f\n", w / c
  printf "the same, counting the save -> start latency too: %.3f\n", (w + l / 1000) / c
}'
