#!/usr/bin/env bash
# The Debian tools the paper-scan channel runs (OCR, PDF/A, text extraction, barcodes). Idempotent: installs only
# what is missing, with apt-get (through sudo when not root); fails with a clear message when that is impossible.
# qrencode is only used by the tests (cover-sheet QR codes for the scan e2e tests).
set -euo pipefail

PACKAGES=(tesseract-ocr tesseract-ocr-deu ocrmypdf poppler-utils zbar-tools ghostscript qrencode)
missing=()
for cmd in tesseract ocrmypdf pdftotext pdfinfo pdftoppm zbarimg gs qrencode; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx deu; then missing+=("tesseract language deu"); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "OCR tools present (tesseract+deu, ocrmypdf, poppler-utils, zbar-tools, ghostscript, qrencode)"
  exit 0
fi

echo "OCR tools missing: ${missing[*]}; installing ${PACKAGES[*]}"
# shellcheck source=scripts/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install "the OCR tools" "${PACKAGES[@]}"
