#!/usr/bin/env bash
# The search's speed on the lent GPU machine (issue 25), one script on one machine: the
# depth-3 search bench (examples/search_bench.lua, the first C eval tasks, default 100) on
# the GPU for this build, for it with the cell kernel off (BATT_SEARCH_CELL_KERNEL=off) and,
# when OLD names an earlier build's binary, for that one too;
# the whole eval run at exhaustive depth 3 on the GPU with --timing. Then, unless
# PART=speed, examples/search_space_side_by_side.sh PART=1 (eval at depth 2 on the GPU and
# the 16 cores, and 40 eval tasks at depth 3 under a 128 MiB storage-buffer limit against
# the CPU, each pair's submission.json compared byte for byte).
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   OLD=.gpu/batt-old bash examples/search_speed_side_by_side.sh  (there)
#
# Writes $OUT/speed.txt (and $OUT/figures.txt from the second script).
set -uo pipefail
o=$OUT
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(nproc) cores" | tee $o/speed.txt
bench() { # label binary [environment]
  local s=$(date +%s%N)
  env ${3:-} timeout 150 bash .gpu/vk-headless-nvidia.sh $2 run examples/search_bench.lua --split eval -c ${C:-100} -q --backend gpu -- depth=3 rounds=1 cpu=0 > $o/bench-$1.txt 2>&1
  echo "== bench $1 ($2): exit $?, $(( ($(date +%s%N)-s)/1000000 )) ms: $(grep round $o/bench-$1.txt) | $(grep -o 'compute [0-9.]* ms' $o/bench-$1.txt)" | tee -a $o/speed.txt
}
[ -n "${OLD:-}" ] && bench old $OLD
bench new .gpu/batt
bench new-without-cell-kernel .gpu/batt BATT_SEARCH_CELL_KERNEL=off
s=$(date +%s%N)
timeout 240 bash .gpu/vk-headless-nvidia.sh .gpu/batt run --split eval --backend gpu -q --timing --out $o/gpu-d3 -- depth=3 > $o/gpu-d3.log 2>&1
echo "== eval depth 3 on the GPU: exit $?, $(( ($(date +%s%N)-s)/1000000 )) ms" | tee -a $o/speed.txt
grep -E "test outputs|wall time|engine( stats)?:|timing:|search \(" $o/gpu-d3.log | tee -a $o/speed.txt
sha256sum $o/gpu-d3/submission.json | tee -a $o/speed.txt
rm -rf $o/gpu-d3 $o/bench-*.txt
[ "${PART:-}" = speed ] || PART=1 bash examples/search_space_side_by_side.sh
