#!/usr/bin/env bash
# Sets up reportscore from a fresh clone: Debian packages, then a virtualenv in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-wqy-microhei          # CJK font for the PDFs we make and render
  poppler-utils               # pdftoppm: page images for OCR and the review UI
  tesseract-ocr tesseract-ocr-chi-sim   # OCR of scanned reports
  libreoffice-writer-nogui    # .doc/.wps/.rtf/.odt conversion, Word→PDF rendering in tests
  libreoffice-calc-nogui      # renders the exported workbook to PDF in tests
  postgresql                  # the second database the tests run against
  chromium                    # the browser the UI tests drive (never downloaded by a tool)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: done (.venv/bin/reportscore)"
