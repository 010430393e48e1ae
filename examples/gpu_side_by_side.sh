#!/usr/bin/env bash
# A change checked on the lent GPU machine, everything side by side on that one machine:
# `batt bench` of this build (and of other builds when given, e.g. the previous commit's,
# taking turns so drift hits all), then the whole ARC-AGI-1 eval run on the GPU, on the
# machine's CPU cores and under the default `auto`, with their submission.json files
# compared byte for byte.
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt [OTHER_BUILDS...]   (here)
#   bash examples/gpu_side_by_side.sh [.gpu/OTHER_BUILD...] [-- SCRIPT ARGS]        (there)
#
# Writes $OUT/side_by_side.txt (the log) and the bench tables as JSON; prints a summary last.
set -uo pipefail
out=${OUT:-out/side-by-side}
mkdir -p "$out"
log="$out/side_by_side.txt"
builds=(.gpu/batt)
while [ $# -gt 0 ] && [ "$1" != "--" ]; do builds+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
script_args=("$@")
wrap() { bash .gpu/vk-headless-nvidia.sh "$@"; }
note() { echo "$*" | tee -a "$log"; }

note "== machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null), $(nproc) cores"
wrap .gpu/batt devices >> "$log" 2>&1
for round in 1 2; do
  for bin in "${builds[@]}"; do
    name=$(basename "$bin")
    note "== bench $name (round $round): $bin bench --steps 1,3 --sizes 10000,100000,1000000 --min-time 1"
    wrap "$bin" bench --steps 1,3 --sizes 10000,100000,1000000 --min-time 1 --json "$out/bench-$name-$round.json" 2>/dev/null | tee -a "$log"
  done
done
for backend in gpu cpu auto; do
  start=$(date +%s%N)
  extra=()
  [ ${#script_args[@]} -gt 0 ] && extra=(-- "${script_args[@]}")
  wrap .gpu/batt run --split eval -q --timing --backend "$backend" --out "$out/run-$backend" "${extra[@]}" > "$out/run-$backend.log" 2>&1
  code=$?
  end=$(date +%s%N)
  note "== run --split eval --backend $backend ${script_args[*]}: exit $code, $(( (end - start) / 1000000 )) ms"
  grep -E "test outputs|wall time|engine( stats)?:|timing:" "$out/run-$backend.log" | tee -a "$log"
  rm -f "$out/run-$backend.log"
done
for backend in gpu auto; do
  if cmp -s "$out/run-$backend/submission.json" "$out/run-cpu/submission.json"; then
    note "submission.json: --backend $backend and --backend cpu are byte-identical"
  else
    note "submission.json: --backend $backend and --backend cpu DIFFER"
  fi
done
sha256sum "$out"/run-*/submission.json | tee -a "$log"
rm -rf "$out"/run-*
