#!/usr/bin/env bash
# The search kernel's mechanisms side by side on the lent GPU machine (issue 25): the search
# bench with pick groups and the cell kernel on and off, a per-op device profile, and the
# default and depth-3 eval runs on the GPU and the 16 cores with their files compared.
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/search_kernel_side_by_side.sh                    (there; writes under $OUT)
set -u
o=$OUT
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(nproc) cores; build $(.gpu/batt --version 2>&1 | head -1)"
r() { # label seconds args...
  local l=$1 t=$2; shift 2
  local s=$(date +%s%N)
  timeout $t bash .gpu/vk-headless-nvidia.sh .gpu/batt "$@" > $o/$l.log 2>&1
  echo "== $l: exit $?, $(( ($(date +%s%N)-s)/1000000 )) ms"
}
b() { local l=$1; shift; env "$@" timeout 200 bash .gpu/vk-headless-nvidia.sh .gpu/batt run examples/search_bench.lua --split eval -c 100 -q --backend gpu -- depth=3 rounds=1 cpu=0 > $o/bench-$l.txt 2>&1; echo "bench $l exit $?: $(grep round $o/bench-$l.txt)"; }
b warm X=1
b all X=1
b without-pick-groups BATT_SEARCH_PICK_GROUPS=off
b without-cell-kernel BATT_SEARCH_CELL_KERNEL=off
b without-both BATT_SEARCH_PICK_GROUPS=off BATT_SEARCH_CELL_KERNEL=off
b profile BATT_SEARCH_OP_PROFILE=$o/profile.tsv
head -12 $o/profile.tsv
r d2-gpu 100 run --split eval --backend gpu -q --timing --out $o/d2-gpu
r d2-cpu 100 run --split eval --backend cpu -q --timing --out $o/d2-cpu
r d3-40-gpu 100 run --split eval -c 40 --backend gpu -q --timing --out $o/d3-40-gpu -- depth=3
BATT_GPU_MAX_BUFFER=134217728 r d3-40-gpu-128mib 120 run --split eval -c 40 --backend gpu -q --timing --out $o/d3-40-gpu-128mib -- depth=3
r d3-40-cpu 150 run --split eval -c 40 --backend cpu -q --timing --out $o/d3-40-cpu -- depth=3
r d3-gpu 240 run --split eval --backend gpu -q --timing --out $o/d3-gpu -- depth=3
for l in d2-gpu d2-cpu d3-40-gpu d3-40-gpu-128mib d3-40-cpu d3-gpu; do echo "$l: $(grep -E 'wall time' $o/$l.log) $(sha256sum < $o/$l/submission.json | cut -c1-16) $(grep -o 'top-2 [0-9/]*' $o/$l.log)"; done
grep -E "engine stats|search \(" $o/d3-gpu.log
rm -f $o/*/submission.json
