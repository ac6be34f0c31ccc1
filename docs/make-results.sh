#!/usr/bin/env bash
# Regenerates docs/results.md from the shipped models: integer golden-model Dice of every .unetq,
# float Dice of every full-precision baseline, per dataset (validation split). Run from the
# repository root after training; nothing in docs/results.md is edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/results.md
tmp=$(mktemp -d)
{
  echo "# Results"
  echo
  echo "Written by \`docs/make-results.sh\` on $(date -u +%Y-%m-%d) from the models in \`models/\`."
  echo "Every row names the \`unetq train\` command that made its model; each table the \`unetq eval\` command that measured it."
  echo "The last section measures the generated accelerator in Verilator; the blocks' own measurements are in \`docs/hardware.md\`."
  echo
  echo "How to read: Dice is per image, then averaged (the paper's protocol), at the paper's threshold 0.999 (logit 6.9)"
  echo "and at 0.5. Each table holds models trained the same way, and its first float model is the reference of the loss"
  echo "column (t=0.999 / t=0.5); each row's command says how it was trained (\`docs/training.md\` explains the options)."
  echo "The confidence table under each dataset shows how far the foreground logits clear 6.9."
  echo "The column 'integer vs fake-quant float' is measured when the model is exported (\`unetq train\` or \`unetq export\`,"
  echo "whose provenance says which) on the same validation images, the float network evaluated in float64. Masks agree"
  echo "on 99.4 % of pixels or more; logit codes agree less where logits leave the Q7.8 range (soft-Dice models reach"
  echo "hundreds), where a 1/256 grid (Q8.8) lets one-step flips grow through the layers, or where learned steps round"
  echo "multipliers that the float network keeps exact (docs/training.md). The integer golden model is"
  echo "the truth for every quantized Dice reported here."
} > "$out"
# One table per group of models trained the same way; the first float model of a table is its reference.
tables=(
  "em|bit-widths: fine-tuned from the float model (calibrated, learned steps, it as teacher), 60 epochs, the frozen epochs averaged|em-compact-kd100-fp.ckpt em-compact-w2a4.unetq em-compact-w4a6-lsq.unetq em-compact-w8a8.unetq em-compact-q88.unetq"
  "em|earlier recipes: 400 epochs, the paper's fixed grid (the demo's model)|em-compact-fp.ckpt em-compact-kd-fp.ckpt em-compact-w4a6-paper.unetq em-compact-w4a6.unetq em-compact-paper-fp.ckpt"
  "gm|recipe paper, resampled to 0.25 mm; W4A6 fine-tuned from the float model, calibrated|gm-compact-fp.ckpt gm-compact-w4a6.unetq"
  "pancreas|recipe paper; W4A6 fine-tuned from the float model|pancreas-compact-fp.ckpt pancreas-compact-w4a6.unetq"
)
declare -A folder=([em]=isbi2012-em [gm]=spinal-cord-gm-t2star [pancreas]=nih-pancreas-ct)
k=0
for t in "${tables[@]}"; do
  IFS='|' read -r name title list <<< "$t"
  args=()
  for m in $list; do
    [ -e "models/$m" ] || { echo "models/$m is missing" >&2; exit 2; }
    args+=(--model "models/$m")
  done
  k=$((k + 1))
  ./unetq eval "${args[@]}" --data "../shared/data/${folder[$name]}" --threads 1 --confidence --markdown "$tmp/$k.md" > /dev/null
  { echo; echo "## $name: $title"; echo; cat "$tmp/$k.md"; } >> "$out"
done

# The accelerator: the shipped W4A6 model at 200x200, --fps 10 at 100 MHz, two EM validation crops.
gen=(./unetq generate --model models/em-compact-w4a6.unetq --size 200x200 --fps 10 --out "$tmp/design" --force)
sim=(./unetq simulate "$tmp/design" --image models/samples/em/20_28_28.png --label models/samples/em/20_28_28-label.png
     --image models/samples/em/21_28_28.png --label models/samples/em/21_28_28-label.png --out "$tmp/sim")
"${gen[@]}" > "$tmp/generate.txt"
"${sim[@]}" > /dev/null
{
  echo
  echo "## accelerator"
  echo
  echo "\`${gen[*]//$tmp/\$TMP}\`, then \`${sim[*]//$tmp/\$TMP}\`:"
  echo
  echo '```'
  grep -E "^  (enc|dec|head)|slowest layer" "$tmp/generate.txt"
  sed -n '/^```$/,/^```$/p' "$tmp/sim/simulate-report.md" | sed '1d;$d'
  echo '```'
  echo
  echo "Bound = the slowest layer's cycles per frame at its folding (the analytical bound); the cycles per frame are measured"
  echo "between the last mask pixels of the two frames. Skip buffer depths come from the analysis in \`docs/hardware.md\`."
} >> "$out"
rm -rf "$tmp"
echo "wrote $out"
