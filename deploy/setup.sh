#!/usr/bin/env bash
# Set up a checkout: system libraries, a Python 3.11+ virtual environment in .venv, the kiosk in it.
#   bash deploy/setup.sh           the kiosk
#   bash deploy/setup.sh --test    the kiosk, its test extra, and Xvfb/xdotool for real-window tests
#   bash deploy/setup.sh --speech  the kiosk with read-aloud (speech-dispatcher, espeak-ng)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=()
deps=()
for option in "$@"; do
  case "$option" in
    --test) extras+=(test); deps+=(--test) ;;
    --speech) extras+=(speech); deps+=(--speech) ;;
    *) echo "usage: $0 [--test] [--speech]" >&2; exit 64 ;;
  esac
done

bash deploy/install-system-deps.sh "${deps[@]}"

# Python 3.11 or newer: Debian 12's python3 is 3.11; Ubuntu 22.04 needs its python3.11 package.
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$candidate"; break
  fi
done
if [ -z "$python" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq python3.11 python3.11-venv >/dev/null
  python=python3.11
fi

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
spec="."
if [ ${#extras[@]} -gt 0 ]; then
  spec=".[$(IFS=,; echo "${extras[*]}")]"
fi
.venv/bin/pip install --quiet -e "$spec"
