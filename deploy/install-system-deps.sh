#!/usr/bin/env bash
# System packages the kiosk needs on Debian 12 / Ubuntu 22.04+ (lists in system-packages.sh).
#   --test    also Xvfb, xauth, xdotool and xwd (x11-apps) for the real-window tests, and the
#             accessibility stack (dbus-daemon, at-spi2-core, python3-gi, gir1.2-atspi-2.0) for the AT-SPI tests
#   --speech  also speech-dispatcher with espeak-ng and a sound server for read-aloud
# Installs only what is missing; needs root (or sudo) only when something is missing.
set -euo pipefail
source "$(dirname "$0")/system-packages.sh"

packages=(python3-venv "${RUNTIME_PACKAGES[@]}" "${X11_PACKAGES[@]}")
for option in "$@"; do
  case "$option" in
    --test) packages+=("${TEST_PACKAGES[@]}") ;;
    --speech) packages+=("${SPEECH_PACKAGES[@]}") ;;
    *) echo "usage: $0 [--test] [--speech]" >&2; exit 64 ;;
  esac
done

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v '(none)')" ]; }

missing=()
for choice in "${packages[@]}"; do
  IFS='|' read -r -a alternatives <<<"$choice"
  done_=""
  for package in "${alternatives[@]}"; do
    if installed "$package"; then done_=yes; break; fi
  done
  [ -n "$done_" ] || missing+=("$choice")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
wanted=()
for choice in "${missing[@]}"; do  # of alternatives, the first this release has
  IFS='|' read -r -a alternatives <<<"$choice"
  for package in "${alternatives[@]}"; do
    if available "$package"; then wanted+=("$package"); break; fi
  done
done
echo "Installing: ${wanted[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
