#!/usr/bin/env bash
# Solve rates and times of the shipped scripts on the lent GPU machine, side by side on that
# one machine: ARC-AGI-1 eval at depth 2 on the GPU and on the machine's CPU cores (their
# submission.json compared byte for byte), train without the hand-written solvers
# (solvers=0) on the GPU, and eval at exhaustive depth 3 on the GPU (with and without the
# normalised variant).
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/solve_rates_side_by_side.sh                     (there)
#
# Writes $OUT/figures.txt (the summary lines and --timing of each run).
set -uo pipefail
o=$OUT
w() { bash .gpu/vk-headless-nvidia.sh "$@"; }
echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(nproc) cores" | tee $o/figures.txt
run() { # name timeout args...
  local name=$1 t=$2; shift 2
  local s=$(date +%s%N)
  timeout $t bash .gpu/vk-headless-nvidia.sh .gpu/batt run -q --timing --out $o/$name "$@" > $o/$name.log 2>&1
  local c=$?; local e=$(date +%s%N)
  echo "== $name ($*): exit $c, $(( (e-s)/1000000 )) ms" | tee -a $o/figures.txt
  grep -E "train-solved|test outputs|wall time|engine( stats)?:|timing:|search \(" $o/$name.log | tee -a $o/figures.txt
}
run gpu-d2 300 --split eval --backend gpu
run cpu-d2 300 --split eval --backend cpu
cmp -s $o/gpu-d2/submission.json $o/cpu-d2/submission.json && echo "d2 eval: gpu and cpu submission.json byte-identical" | tee -a $o/figures.txt || echo "d2 eval: DIFFER" | tee -a $o/figures.txt
run gpu-train 200 --split train --backend gpu -- solvers=0
run gpu-d3 240 --split eval --backend gpu -- depth=3
run gpu-d3-plain 240 --split eval --backend gpu -- depth=3 variants=none
sha256sum $o/*/submission.json | tee -a $o/figures.txt
rm -rf $o/*/ $o/*.log
