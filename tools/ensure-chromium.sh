#!/usr/bin/env bash
# Make sure a headless Chromium is on this machine for the browser tests (Debian's package), with
# a font that has Chinese characters so screenshots show names like 宁波.
set -euo pipefail
have_browser() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}
have_cjk_font() {
  ! command -v fc-list >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q .
}
if have_browser && have_cjk_font; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium for the browser tests (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
else
  echo "Chromium is not installed and cannot be installed here; browser tests will be skipped" >&2
fi
