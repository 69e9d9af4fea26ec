#!/usr/bin/env bash
# The browser the console's end-to-end tests drive (playwright-core with Debian's Chromium at /usr/bin/chromium).
# Idempotent: installs the Debian package `chromium` only when /usr/bin/chromium is missing, with apt-get (through
# sudo when not root); fails with a clear message when that is impossible.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "browser present: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi

echo "/usr/bin/chromium missing; installing the Debian package chromium"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "error: cannot install chromium: not root and no password-less sudo." >&2
  echo "       Install it by hand: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: apt-get not found; install Chromium at /usr/bin/chromium with this system's package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y --no-install-recommends chromium
