#!/usr/bin/env bash
# Set up a checkout: system libraries, then .venv with exactly the locked Python packages (uv.lock,
# hash-checked) and the kiosk itself (editable, for development).
#   bash deploy/setup.sh           the kiosk
#   bash deploy/setup.sh --test    the kiosk, its test extra, and Xvfb/xdotool for real-window tests
#   bash deploy/setup.sh --speech  the kiosk with read-aloud (speech-dispatcher, espeak-ng, a sound server)
# The tool that installs the lock, uv, comes pinned and hash-checked into .tools/ (deploy/uv-requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

extras=()
deps=()
for option in "$@"; do
  case "$option" in
    --test) extras+=(--extra test); deps+=(--test) ;;
    --speech) extras+=(--extra speech); deps+=(--speech) ;;
    *) echo "usage: $0 [--test] [--speech]" >&2; exit 64 ;;
  esac
done

bash deploy/install-system-deps.sh "${deps[@]}"

# Python 3.11 or newer: Debian 12's python3 is 3.11; Ubuntu 22.04 needs its python3.11 package.
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$(command -v "$candidate")"; break
  fi
done
if [ -z "$python" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq python3.11 >/dev/null
  python="$(command -v python3.11)"
fi

bash deploy/bootstrap-uv.sh

# --locked: stop if uv.lock no longer matches pyproject.toml (refresh it with `.tools/bin/uv lock`).
UV_PYTHON_DOWNLOADS=never .tools/bin/uv sync --quiet --locked --python "$python" "${extras[@]}"
