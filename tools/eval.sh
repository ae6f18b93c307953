#!/usr/bin/env bash
# Score extraction against hand annotations: the seed documents and the development set (and
# its Chinese documents on their own), print each document's misses, and fail below the floors.
set -euo pipefail
shared="${1:-../shared}"
if [ ! -f "$shared/eval/score.py" ]; then
  echo "no $shared/eval: nothing to score"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
score="$shared/eval/score.py"

# check NAME GOLD PREDICTED "FLOOR..." : per-document misses, the overall lines, then the floors
check() {
  local name="$1" gold="$2" pred="$3" floors="$4"
  echo "== $name"
  python3 "$score" "$gold" "$pred" | awk '/^[^ ]/ && !/^(partnerships|events) P=/ {doc=$0; next}
    /missed|spurious/ {print "  " doc ": " $0; next} /^(partnerships|events) P=/ {print}'
  python3 "$score" "$gold" "$pred" --json | python3 -c '
import json, sys
name, floors = sys.argv[1], sys.argv[2].split()
s = json.load(sys.stdin)
values = {"partnership-f1": s["partnerships"]["f1"], "year": s["partnerships"]["year_accuracy"] or 0,
          "event-strict-f1": s["events"]["strict_f1"]}
bad = []
for floor in floors:
    key, value = floor.split("=")
    if values[key] < float(value):
        bad.append(f"{key} {values[key]} < {value}")
if bad:
    sys.exit(f"{name}: extraction below its floors: " + "; ".join(bad))
print(name + ": meets its floors (" + ", ".join(floors) + ")")
' "$name" "$floors"
}

.venv/bin/twinlink extract "$shared"/corpus/seeds/*.txt -o "$work/seeds.jsonl"
check seeds "$shared/eval/seeds-gold.jsonl" "$work/seeds.jsonl" "partnership-f1=0.90 year=0.80 event-strict-f1=0.75"

if [ -f "$shared/eval/dev/gold.jsonl" ]; then
  .venv/bin/twinlink extract "$shared"/eval/dev/docs/*.txt -o "$work/dev.jsonl" || true
  check dev "$shared/eval/dev/gold.jsonl" "$work/dev.jsonl" "partnership-f1=0.88 year=0.90 event-strict-f1=0.79"
  grep '"doc": "zh_' "$shared/eval/dev/gold.jsonl" > "$work/zh-gold.jsonl" || true
  if [ -s "$work/zh-gold.jsonl" ]; then
    check "dev, Chinese documents" "$work/zh-gold.jsonl" "$work/dev.jsonl" "partnership-f1=0.80"
  fi
fi
