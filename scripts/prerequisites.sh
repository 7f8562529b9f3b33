#!/usr/bin/env bash
# What `make` needs before it can install the rest itself, checked first so that a missing piece is one clear
# message instead of an error several minutes in (or, for python3, an error make ignores).
#   scripts/prerequisites.sh PYTHON [DEBIAN_PACKAGE...]
# PYTHON must exist and be able to create a virtualenv with pip in it (Debian: python3-venv). As root the
# Debian packages are installed later by the Makefile; as another user they must be installed already.
set -euo pipefail
python=${1:-}
shift || true
sudo=
[ "$(id -u)" -eq 0 ] || sudo="sudo "
fail() {
  printf 'make: %s\n' "$@" >&2
  exit 1
}
if [ -z "$python" ] || ! command -v "$python" >/dev/null; then
  fail "python3 is not installed. First run: ${sudo}apt-get update && ${sudo}apt-get install -y make python3 python3-venv"
fi
# Without ensurepip (Debian's python3-venv) `python3 -m venv` leaves a virtualenv without pip behind.
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  fail "$python cannot create a virtualenv with pip. First run: ${sudo}apt-get install -y python3-venv"
fi
if [ "$(id -u)" -ne 0 ] && [ $# -gt 0 ]; then
  missing=$("$(dirname "$0")/system-packages.sh" --missing "$@")
  if [ -n "$missing" ]; then
    fail "these Debian packages are missing: $missing" \
      "Run make as root (it installs them) or first run: sudo apt-get install -y $missing"
  fi
fi
