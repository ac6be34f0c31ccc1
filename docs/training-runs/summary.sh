#!/usr/bin/env bash
# Summarises the training logs in this folder (unetq train output) into summary.md: per run the
# epochs logged, where frozen BatchNorm statistics began, the last epoch, the best epoch at the
# paper's threshold 0.999 (overall, and among frozen epochs: the one `train` keeps), and the spread of the last 50 logged epochs. Nothing here is typed by hand.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "<!-- written by docs/training-runs/summary.sh from the *.log files beside it -->"
  echo "| run | epochs logged | BN frozen from | last epoch: Dice t=0.999 / t=0.5 | best t=0.999 (epoch) | best frozen epoch: t=0.999 / t=0.5 (epoch) | last 50 epochs: t=0.999 min-max, t=0.5 mean |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for f in *.log; do
    awk -v run="${f%.log}" 'BEGIN { best = -1; bestF = -1 }
      /^epoch/ {
        split($2, a, "/"); e = a[1]; d9 = $7; d5 = $10
        n++; ep[n] = e; x9[n] = d9; x5[n] = d5
        if (first == "") first = e
        if (frozen == "" && /BN frozen/) frozen = e
        if (d9 > best) { best = d9; bestEp = e }
        if (/BN frozen/ && d9 > bestF) { bestF = d9; bestF5 = d5; bestFEp = e }
      }
      END {
        lo = 1e9; hi = -1; s = 0; k = 0
        for (i = (n > 50 ? n - 49 : 1); i <= n; i++) { if (x9[i] < lo) lo = x9[i]; if (x9[i] > hi) hi = x9[i]; s += x5[i]; k++ }
        bf = bestFEp == "" ? "-" : sprintf("%.2f / %.2f %% (%d)", bestF, bestF5, bestFEp)
        printf "| `%s` | %d-%d | %s | %.2f / %.2f %% | %.2f %% (%d) | %s | %.2f-%.2f %%, %.2f %% |\n", run, first, ep[n],
               frozen == "" ? "-" : frozen, x9[n], x5[n], best, bestEp, bf, lo, hi, s / k
      }' "$f"
  done
} > summary.md
cat summary.md
