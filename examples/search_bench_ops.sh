#!/usr/bin/env bash
# What the vocabulary costs the device search: examples/search_bench.lua (ARC-AGI-1 eval,
# every task's shipped alphabet, exhaustive depth 3, GPU only) with the whole alphabet,
# without the ops added for the vocabulary issue (the alphabet of the issue-12 build), and
# without single costly ops. Run on the lent GPU machine after
#   bash ../shared/device/pack-for-gpu.sh target/release/batt                      (here)
#   bash examples/search_bench_ops.sh [DEPTH]                                      (there)
# Writes $OUT/search_bench_ops.txt; prints the candidates/s of each.
set -uo pipefail
out=${OUT:-out/search-bench-ops}
mkdir -p "$out"
log="$out/search_bench_ops.txt"
depth=${1:-3}
new_ops=pick,majority_color,count,fill_box,frame,resize_to,wrap_to,pad,unpad
note() { echo "$*" | tee -a "$log"; }
bench() { # label [drop list]
  local label=$1 drop=${2:-}
  local args=("depth=$depth" "rounds=2" "cpu=0")
  [ -n "$drop" ] && args+=("drop=$drop")
  note "== $label${drop:+ (drop=$drop)}"
  bash .gpu/vk-headless-nvidia.sh .gpu/batt run examples/search_bench.lua --split eval -q --backend gpu \
    --out "$out/run" -- "${args[@]}" 2>&1 | grep -E "round|error" | tee -a "$log"
}
note "== machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null), $(nproc) cores"
bench "whole alphabet"
bench "issue-12 vocabulary" "$new_ops"
bench "without pick" pick
bench "without count" count
rm -rf "$out/run"
