#!/usr/bin/env bash
# The search-space mechanisms of issue 22 measured on the lent GPU machine, side by side on
# that one machine: ARC-AGI-1 eval at depth 2 on the GPU and on all its CPU cores (their
# submission.json compared byte for byte), train without the hand-written solvers
# (solvers=0) on the GPU, eval at exhaustive depth 3 on the GPU, and the first 40 eval
# tasks at exhaustive depth 3 under a 128 MiB storage-buffer limit (lavapipe's) on the GPU
# against the CPU (submission.json compared byte for byte).
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/search_space_side_by_side.sh                    (there)
#
# Writes $OUT/figures.txt (the summary lines and --timing of each run). PART=1 runs the
# depth-2 and 40-task runs, PART=2 the whole depth-3 run (each fits one 600 s call); unset,
# both.
set -uo pipefail
o=$OUT
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(nproc) cores" | tee $o/figures.txt
run() { # name timeout [VAR=value] args...
  local name=$1 t=$2; shift 2
  local env=()
  while [[ ${1:-} == *=* && ${1:-} != -* ]]; do env+=("$1"); shift; done
  local s=$(date +%s%N)
  env "${env[@]}" timeout $t bash .gpu/vk-headless-nvidia.sh .gpu/batt run -q --timing --out $o/$name "$@" > $o/$name.log 2>&1
  local c=$?; local e=$(date +%s%N)
  echo "== $name (${env[*]} $*): exit $c, $(( (e-s)/1000000 )) ms" | tee -a $o/figures.txt
  grep -E "train-solved|test outputs|wall time|engine( stats)?:|error" $o/$name.log | head -8 | tee -a $o/figures.txt
}
same() { cmp -s $o/$1/submission.json $o/$2/submission.json && echo "$1 = $2: submission.json byte-identical" | tee -a $o/figures.txt || echo "$1 vs $2: DIFFER" | tee -a $o/figures.txt; }
part=${PART:-all}
if [ "$part" != 2 ]; then
  run gpu-d2 300 --split eval --backend gpu
  run cpu-d2 300 --split eval --backend cpu
  same gpu-d2 cpu-d2
  run gpu-train 200 --split train --backend gpu -- solvers=0
  run gpu-d3-40-128mib 200 BATT_GPU_MAX_BUFFER=134217728 --split eval -c 40 --backend gpu -- depth=3
  run cpu-d3-40 200 --split eval -c 40 --backend cpu -- depth=3
  same gpu-d3-40-128mib cpu-d3-40
fi
if [ "$part" != 1 ]; then
  run gpu-d3 580 --split eval --backend gpu -- depth=3
fi
sha256sum $o/*/submission.json | tee -a $o/figures.txt
rm -rf $o/*/ $o/*.log
