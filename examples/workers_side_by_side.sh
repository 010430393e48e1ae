#!/usr/bin/env bash
# The task loop on 1 worker and on one per core, on the GPU and on the CPU, side by side on
# the lent GPU machine: ARC-AGI-1 eval with the shipped loop at its defaults (depth 2).
# Prints each run's summary and --timing, the Lua phase ratio (-j 1 over -j N) and whether
# the four submission.json files are byte-identical.
#
#   bash ../shared/device/pack-for-gpu.sh target/release/batt     (here; carry .gpu)
#   bash examples/workers_side_by_side.sh                         (there)
#
# Writes $OUT/figures.txt. Outside the GPU machine: BATT="target/release/batt" OUT=/tmp/x
# BACKENDS=cpu bash examples/workers_side_by_side.sh
set -uo pipefail
o=${OUT:?set OUT to a folder for the figures}
n=${JOBS:-$(nproc)}
backends=${BACKENDS:-gpu cpu}
if [ -z "${BATT:-}" ]; then batt() { bash .gpu/vk-headless-nvidia.sh .gpu/batt "$@"; }; else batt() { $BATT "$@"; }; fi
{
  echo "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo no GPU), $(nproc) cores"
  # the driver compiles the pipelines on a fresh machine's first run: not part of any figure
  case " $backends " in *" gpu "*) batt run -q -c 1 --split eval --backend gpu --out $o/warm > /dev/null 2>&1 ;; esac
  for backend in $backends; do
    for j in 1 $n; do
      name=$backend-j$j
      start=$(date +%s%N)
      batt run -q --timing --split eval --backend $backend -j $j --out $o/$name > $o/$name.log 2>&1
      code=$?
      echo "== $name: exit $code, $(( ($(date +%s%N) - start) / 1000000 )) ms"
      grep -E "test outputs|wall time|timing:|search \(" $o/$name.log
    done
    lua1=$(grep -o "lua [0-9.]* ms" $o/$backend-j1.log | grep -o "[0-9.]*")
    luan=$(grep -o "lua [0-9.]* ms" $o/$backend-j$n.log | grep -o "[0-9.]*")
    echo "$backend: Lua phase -j 1 $lua1 ms, -j $n $luan ms: $(awk -v a="$lua1" -v b="$luan" 'BEGIN { printf "%.1f", a / b }')x"
  done
  sha256sum $o/*-j*/submission.json
  [ "$(sha256sum $o/*-j*/submission.json | cut -d' ' -f1 | sort -u | wc -l)" = 1 ] && echo "submission.json: byte-identical" || echo "submission.json: DIFFER"
} | tee $o/figures.txt
rm -rf $o/*/
