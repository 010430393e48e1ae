#!/usr/bin/env bash
# How many search threads in flight suit the device (issue 25): the search bench with the
# one-thread dispatches (apply, pick groups) and the cell kernel capped at fewer workgroups
# (BATT_SEARCH_WORKGROUPS, BATT_SEARCH_CELL_WORKGROUPS) and other workgroup sizes
# (BATT_SEARCH_WORKGROUP_SIZE), each with the device's own time per dispatch kind
# (BATT_SEARCH_DEVICE_PROFILE). The question it answers: whether each thread's private
# grids (local memory, several KB a thread) are slowed by too many threads sharing an SM's
# L1; fewer threads in flight keep them nearer the core but hide less latency.
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/search_occupancy_sweep.sh                        (there; writes under $OUT)
# The caps are in workgroups; an H200 has 132 SMs, so 528 workgroups of 64 threads is 256
# threads an SM. The files should not depend on the caps (a grid-stride loop takes the rest,
# as it already does past 65,535 workgroups); the last lines check that on the device: on
# lavapipe a thread taking more than one item gives wrong results (docs/search.md).
set -u
o=${OUT:-/tmp}
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null), $(nproc) cores; build $(.gpu/batt --version 2>&1 | head -1)"
b() { # label env...
  local l=$1; shift
  env "$@" BATT_SEARCH_DEVICE_PROFILE=$o/device-$l.tsv timeout 200 bash .gpu/vk-headless-nvidia.sh .gpu/batt run examples/search_bench.lua --split eval -c 100 -q --backend gpu -- depth=3 rounds=1 cpu=0 > $o/bench-$l.txt 2>&1
  echo "bench $l exit $?: $(grep round $o/bench-$l.txt | grep -o 'in [0-9.]* s: [0-9.]* M candidates/s')"
  echo "  device: $(tr '\t\n' ' ;' < $o/device-$l.tsv 2>/dev/null)"
}
b warm X=1
b default X=1
for groups in 264 528 1056 2112 4224 8448; do
  b apply-$groups BATT_SEARCH_WORKGROUPS=$groups
done
b size32 BATT_SEARCH_WORKGROUP_SIZE=32
b size128 BATT_SEARCH_WORKGROUP_SIZE=128
b size256 BATT_SEARCH_WORKGROUP_SIZE=256
for groups in 528 2112; do
  b cells-$groups BATT_SEARCH_CELL_WORKGROUPS=$groups
done
b default-again X=1
# the same files with and without a cap (first 40 eval tasks, depth 3)
for l in default apply-528; do
  cap=X=1; [ $l = apply-528 ] && cap=BATT_SEARCH_WORKGROUPS=528
  env $cap timeout 200 bash .gpu/vk-headless-nvidia.sh .gpu/batt run --split eval -c 40 -q --backend gpu --timing --out $o/d3-40-$l -- depth=3 > $o/d3-40-$l.log 2>&1
  echo "d3-40 $l exit $?: $(grep 'wall time' $o/d3-40-$l.log) $(sha256sum < $o/d3-40-$l/submission.json | cut -c1-16)"
done
