#!/usr/bin/env bash
# The search on the lent GPU machine, side by side on that one machine: ARC-AGI-1 eval with
# the shipped scripts at depth 2 and at exhaustive depth 3, on the GPU and on the machine's
# CPU cores (and, when given, an earlier build at depth 2 first, as the baseline), each
# with --timing, their submission.json files compared byte for byte.
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt; cp OLD_BUILD .gpu/batt-prev   (here)
#   (and its scripts, when the current ones need the new build: cp -r OLD/scripts .gpu/scripts-prev)
#   bash examples/search_side_by_side.sh [.gpu/batt-prev] [-- DEPTHS]                          (there)
#
# DEPTHS defaults to "2 3". Writes $OUT/search_side_by_side.txt; prints a summary.
set -uo pipefail
out=${OUT:-out/search-side-by-side}
mkdir -p "$out"
log="$out/search_side_by_side.txt"
baseline=""
[ $# -gt 0 ] && [ "$1" != "--" ] && { baseline=$1; shift; }
[ "${1:-}" = "--" ] && shift
if [ $# -gt 0 ]; then depths=("$@"); else depths=(2 3); fi
wrap() { bash .gpu/vk-headless-nvidia.sh "$@"; }
note() { echo "$*" | tee -a "$log"; }

one_run() { # build name backend depth [script]
  local bin=$1 name=$2 backend=$3 depth=$4 script=${5:-scripts/main.lua}
  local dir="$out/$name-$backend-d$depth"
  local start end
  start=$(date +%s%N)
  wrap "$bin" run "$script" --split eval -q --timing --backend "$backend" --out "$dir" -- "depth=$depth" > "$dir.log" 2>&1
  local code=$?
  end=$(date +%s%N)
  note "== $name --backend $backend depth=$depth: exit $code, $(( (end - start) / 1000000 )) ms"
  grep -E "test outputs|wall time|engine( stats)?:|timing:|search \(" "$dir.log" | tee -a "$log"
}

note "== machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null), $(nproc) cores"
if [ -n "$baseline" ]; then
  old_script=scripts/main.lua
  [ -f .gpu/scripts-prev/main.lua ] && old_script=.gpu/scripts-prev/main.lua
  one_run "$baseline" before gpu 2 "$old_script"
  one_run "$baseline" before cpu 2 "$old_script"
fi
for depth in "${depths[@]}"; do
  one_run .gpu/batt this gpu "$depth"
  one_run .gpu/batt this cpu "$depth"
  if cmp -s "$out/this-gpu-d$depth/submission.json" "$out/this-cpu-d$depth/submission.json"; then
    note "depth $depth: submission.json of --backend gpu and --backend cpu are byte-identical"
  else
    note "depth $depth: submission.json of --backend gpu and --backend cpu DIFFER"
  fi
done
sha256sum "$out"/*/submission.json | tee -a "$log"
rm -rf "$out"/*-d*/ "$out"/*.log
