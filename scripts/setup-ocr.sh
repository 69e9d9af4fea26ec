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
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "error: cannot install the OCR tools: not root and no password-less sudo." >&2
  echo "       Install them by hand: apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: apt-get not found; install ${PACKAGES[*]} with this system's package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"
