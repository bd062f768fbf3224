#!/usr/bin/env bash
# Install the Debian packages MBK Studio needs when their binaries are missing.
# Usage: scripts/ensure-system.sh BINARY:PACKAGE [BINARY:PACKAGE ...]
# As root it runs apt-get (update once, then install), after waiting for another apt/dpkg run's
# lock (scripts/wait-apt-lock.sh); otherwise it prints the command.
set -euo pipefail
missing=()
for pair in "$@"; do
  bin=${pair%%:*}; pkg=${pair#*:}
  if [[ $bin == font-* ]]; then
    # fonts have no binary: ask dpkg whether the package is installed
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  elif ! command -v "$bin" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "MBK Studio needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# another apt/dpkg run (unattended-upgrades on a fresh Debian) may hold the locks: wait, saying so
"$(dirname "$0")/wait-apt-lock.sh"
apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
