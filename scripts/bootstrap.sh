#!/usr/bin/env bash
# Installs what the portal needs on a Debian machine: system libraries (as root, or prints the apt-get line) and the
# Python virtual environment from requirements.txt. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# WeasyPrint needs Pango; libharfbuzz-subset0 makes a Chinese PDF take 0.4 s instead of 10+ s (font subsetting);
# fonts-noto-cjk gives the CJK glyphs; gettext compiles the translations; poppler-utils lets the tests read a PDF's
# text (pdftotext) as a person reads the notice.
SYSTEM_PACKAGES=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext poppler-utils)
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "==> installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!! missing system packages. Run as root:" >&2
    echo "   sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
[[ "${1:-}" == "--system-only" ]] && exit 0

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "==> installing requirements.txt"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi
