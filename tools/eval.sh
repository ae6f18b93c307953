#!/usr/bin/env bash
# Score extraction on the seed documents against their hand annotations; fail below the floors.
set -euo pipefail
shared="${1:-../shared}"
if [ ! -f "$shared/eval/score.py" ]; then
  echo "no $shared/eval: nothing to score"
  exit 0
fi
out="$(mktemp)"
.venv/bin/twinlink extract "$shared"/corpus/seeds/*.txt -o "$out"
python3 "$shared/eval/score.py" "$shared/eval/seeds-gold.jsonl" "$out" --quiet
python3 "$shared/eval/score.py" "$shared/eval/seeds-gold.jsonl" "$out" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
p, e = s["partnerships"], s["events"]
floors = [("partnership F1", p["f1"], 0.90), ("partnership year accuracy", p["year_accuracy"] or 0, 0.80),
          ("event strict-F1", e["strict_f1"], 0.75)]
bad = [f"{name} {value} < {floor}" for name, value, floor in floors if value < floor]
if bad:
    sys.exit("extraction below its floors: " + "; ".join(bad))
print("extraction meets its floors")
'
