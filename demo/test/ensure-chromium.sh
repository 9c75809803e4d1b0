#!/usr/bin/env bash
# Makes sure the browser test has Debian's Chromium (and a CJK font, so the study note's Chinese
# renders in screenshots). As root it installs what is missing with apt-get; otherwise it says
# what to run. Under CI=true a missing browser is an error: the browser test never skips in CI.
set -euo pipefail
chromium=${CHROMIUM:-/usr/bin/chromium}
want=()
[ -x "$chromium" ] || want+=(chromium)
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then want+=(fonts-wqy-zenhei); fi
if [ ${#want[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-chromium: installing ${want[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "${want[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y "${want[@]}" >/dev/null; } ||
    echo "ensure-chromium: apt-get install ${want[*]} failed" >&2
fi
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = true ]; then
    echo "ensure-chromium: $chromium is missing under CI=true; the browser test cannot run (apt-get install -y chromium as root)" >&2
    exit 1
  fi
  echo "ensure-chromium: $chromium is missing; the browser test will skip. Install it: sudo apt-get install -y chromium" >&2
  exit 0
fi
echo "ensure-chromium: $("$chromium" --version 2>/dev/null | head -1)"
