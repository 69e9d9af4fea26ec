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
# shellcheck source=scripts/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install "the browser" chromium
