#!/usr/bin/env bash
# Install the Debian packages given as arguments, but only those not installed yet (apt-get update at most once).
#   scripts/system-packages.sh PACKAGE...            install the missing ones (as root)
#   scripts/system-packages.sh --missing PACKAGE...  only print the missing ones, one line
set -euo pipefail
only_print=
if [ "${1:-}" = --missing ]; then only_print=yes; shift; fi
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ -n "$only_print" ]; then
  echo "${missing[*]}"
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "[packages] installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
