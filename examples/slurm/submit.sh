#!/bin/bash
# Submits batt-shards.sbatch as an array of SHARDS tasks, then a merge job that runs once
# all of them succeeded (afterok). Results land in RUN_DIR/merged.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARDS=${SHARDS:-4}
export RUN_DIR=${RUN_DIR:-$PWD/runs/$(date +%Y%m%d-%H%M%S)}
export ARGS=${ARGS:---split eval -- depth=3}
export BATT=${BATT:-$PWD/target/release/batt}
mkdir -p "$RUN_DIR"
array=$(sbatch --parsable --array=1-"$SHARDS" --export=ALL examples/slurm/batt-shards.sbatch)
sbatch --dependency=afterok:"$array" --job-name=batt-merge --output="$RUN_DIR/merge.log" \
  --wrap "\"$BATT\" merge \"$RUN_DIR\"/shard-* --out \"$RUN_DIR/merged\""
echo "submitted array job $array ($SHARDS shards) and its merge; results: $RUN_DIR/merged"
