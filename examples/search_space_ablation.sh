#!/usr/bin/env bash
# What each search-space mechanism of issues 22 and 23 adds, on this machine's cores, side by side
# in one script: ARC-AGI-1 eval (default settings) and train (solvers=0) with each
# mechanism turned off and on. Prints each run's summary lines and wall time.
#
#   cargo build --release && bash examples/search_space_ablation.sh [OUT_DIR]
#   CONFIGS="before:output_size=0 variants=normalised finishing=0 lines=0;default:" bash examples/search_space_ablation.sh
set -uo pipefail
out=${1:-/tmp/batt-ablation}
mkdir -p "$out"
batt=${BATT:-target/release/batt}
run() { # name split args...
  local name=$1 split=$2; shift 2
  local s=$(date +%s%N)
  "$batt" run -q --split "$split" --backend cpu --out "$out/$name" -- "$@" > "$out/$name.log" 2>&1
  local c=$?; local e=$(date +%s%N)
  echo "== $name ($split: $*): exit $c, $(( (e-s)/1000000 )) ms"
  grep -E "test outputs" "$out/$name.log"
}
# (the rows of the earlier mechanisms, measured in earlier sessions, are left out here:
# pass them as CONFIGS to re-run, e.g. "before_positions:placing=0 lists=0;no_placing:placing=0;no_lists:lists=0;no_products:products=0;default:")
configs=(
  "no_fill:fill=0"
  "default:"
)
if [ -n "${CONFIGS:-}" ]; then IFS=';' read -ra configs <<< "$CONFIGS"; fi
for split in eval train; do
  for c in "${configs[@]}"; do
    name=${c%%:*}; args=${c#*:}
    extra=(); [ "$split" = train ] && extra=(solvers=0)
    # shellcheck disable=SC2086
    run "$split-$name" "$split" $args "${extra[@]}"
  done
done
