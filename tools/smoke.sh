#!/usr/bin/env bash
# The package as users install it: a wheel built from this tree, installed without extras into a
# clean virtual environment, then the commands a new user runs first. Fails on the first that does not work.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/twinlink-*.whl
bin="$work/venv/bin"
cd "$work"
export TWINLINK_CACHE_DIR="$work/cache"

"$bin/twinlink" --help > /dev/null
"$bin/twinlink" --version
printf 'Notes\n\nDerby is twinned with Hefei since 1996.\n' > notes.txt
printf '<html><head><title>Links</title></head><body><h1>Our twin towns</h1><p>Leeds is twinned with Hangzhou.</p></body></html>' > page.html
"$bin/python" - <<'PY'
from fpdf import FPDF
pdf = FPDF()
pdf.add_page()
pdf.set_font("Helvetica", size=12)
pdf.multi_cell(0, 8, "Minutes. York is twinned with Nanjing.")
pdf.output("minutes.pdf")
PY
"$bin/twinlink" extract page.html | grep Hangzhou > /dev/null  # (not -q: an early exit would break the pipe under pipefail)
"$bin/twinlink" extract minutes.pdf | grep Nanjing > /dev/null
"$bin/twinlink" ingest notes.txt page.html minutes.pdf --db register.db
"$bin/twinlink" partnerships --db register.db | grep Hefei > /dev/null
"$bin/python" -c "from twinlink import extract_text; print(extract_text('Bristol is twinned with Guangzhou.').partnerships[0].parties)"

port=$("$bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$bin/twinlink" serve --db register.db --port "$port" > serve.log 2>&1 &
server=$!
for _ in $(seq 1 100); do
  if "$bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/search?q=Derby')" 2>/dev/null; then break; fi
  sleep 0.2
done
"$bin/python" -c "
import urllib.request
page = urllib.request.urlopen('http://127.0.0.1:$port/search?q=Derby').read().decode()
assert 'Hefei' in page, page[:500]
"
echo "smoke: the wheel installs without extras; help, extract (HTML, PDF), ingest, Python and a served page work"
