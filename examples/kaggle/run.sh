#!/usr/bin/env bash
# A Kaggle notebook cell (untested on Kaggle): run batt on the competition's test tasks
# under an 11-hour budget and leave /kaggle/working/submission.json. Expects the dataset
# of examples/kaggle/README.md attached at $BATT_DATASET (batt, scripts/, libvulkan.so.1).
set -euo pipefail
BATT_DATASET=${BATT_DATASET:-/kaggle/input/batt-bin}
CHALLENGES=${CHALLENGES:-/kaggle/input/arc-prize-2025/arc-agi_test_challenges.json}
WORK=${WORK:-/kaggle/working}
BUDGET=${BUDGET:-11h}

mkdir -p "$WORK"
cp "$BATT_DATASET/batt" "$WORK/batt"
chmod +x "$WORK/batt"                            # datasets drop the executable bit
rm -rf "$WORK/scripts" && cp -r "$BATT_DATASET/scripts" "$WORK/scripts"
if [ -e "$BATT_DATASET/libvulkan.so.1" ]; then
  cp "$BATT_DATASET/libvulkan.so.1" "$WORK/"     # the Vulkan loader, found next to the binary
fi
cd "$WORK"
# --backend auto (the default): a GPU when one works, else every CPU core; BATT_FLAGS adds flags
./batt run --data "$CHALLENGES" --time-budget "$BUDGET" --out "$WORK" -q ${BATT_FLAGS:-}
ls -l "$WORK/submission.json"
