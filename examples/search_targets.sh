#!/usr/bin/env bash
# Issue 25's targets measured in one run on the lent GPU machine: the search bench (100 eval
# tasks, depth 3) twice with the device profile, a per-op profile, the default eval run and
# the first 40 eval tasks at depth 3 on the GPU and on the machine's own cores (files
# compared), and the whole eval split at depth 3 on the GPU. With another build at
# .gpu/batt-other (the one before a change, built here), its bench twice, alternating with
# this build's, and its 40-task depth-3 file beside this build's.
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/search_targets.sh                                 (there; writes under $OUT)
set -u
o=${OUT:-/tmp}
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null), $(nproc) cores; build $(.gpu/batt --version 2>&1 | head -1)"
b() { # label binary env...
  local l=$1 bin=$2; shift 2
  env "$@" BATT_SEARCH_DEVICE_PROFILE=$o/device-$l.tsv timeout 200 bash .gpu/vk-headless-nvidia.sh $bin run examples/search_bench.lua --split eval -c 100 -q --backend gpu -- depth=3 rounds=1 cpu=0 > $o/bench-$l.txt 2>&1
  echo "bench $l exit $?: $(grep round $o/bench-$l.txt | grep -o 'in [0-9.]* s: [0-9.]* M candidates/s')"
  echo "  device: $(tr '\t\n' ' ;' < $o/device-$l.tsv 2>/dev/null)"
}
r() { # label seconds binary args...
  local l=$1 t=$2 bin=$3; shift 3
  timeout $t bash .gpu/vk-headless-nvidia.sh $bin "$@" > $o/$l.log 2>&1
  echo "$l exit $?: $(grep -E 'wall time' $o/$l.log) $(sha256sum < $o/$l/submission.json 2>/dev/null | cut -c1-16) $(grep -o 'top-2 [0-9/]*' $o/$l.log | head -1)"
  grep -E "^(timing|search|engine)" $o/$l.log | head -4 | sed 's/^/  /'
}
other=.gpu/batt-other
b warm .gpu/batt X=1
[ -x $other ] && b other $other X=1
b main .gpu/batt X=1
[ -x $other ] && b other-again $other X=1
b main-again .gpu/batt X=1
BATT_SEARCH_OP_PROFILE=$o/ops.tsv timeout 200 bash .gpu/vk-headless-nvidia.sh .gpu/batt run examples/search_bench.lua --split eval -c 100 -q --backend gpu -- depth=3 rounds=1 cpu=0 > $o/bench-ops.txt 2>&1
echo "op profile (ms, dispatches), the heaviest:"; sort -t$'\t' -k2 -gr $o/ops.tsv 2>/dev/null | head -14 | sed 's/^/  /'
r d2-gpu 100 .gpu/batt run --split eval --backend gpu -q --timing --out $o/d2-gpu
r d2-cpu 100 .gpu/batt run --split eval --backend cpu -q --timing --out $o/d2-cpu
r d3-40-gpu 100 .gpu/batt run --split eval -c 40 --backend gpu -q --timing --out $o/d3-40-gpu -- depth=3
[ -x $other ] && r d3-40-gpu-other 100 $other run --split eval -c 40 --backend gpu -q --timing --out $o/d3-40-gpu-other -- depth=3
r d3-40-cpu 150 .gpu/batt run --split eval -c 40 --backend cpu -q --timing --out $o/d3-40-cpu -- depth=3
r d3-gpu 200 .gpu/batt run --split eval --backend gpu -q --timing --out $o/d3-gpu -- depth=3
rm -f $o/*/submission.json $o/*/results.json
