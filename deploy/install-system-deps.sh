#!/usr/bin/env bash
# System libraries Qt 6 (PySide6-Essentials) needs on Debian 12 / Ubuntu 22.04+.
#   --test    also Xvfb, xauth, xdotool and xwd (x11-apps) for the real-window tests
#   --speech  also speech-dispatcher with espeak-ng for read-aloud
# Installs only what is missing; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(python3-venv libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
  libxcb-xkb1 libxkbcommon-x11-0)
for option in "$@"; do
  case "$option" in
    --test) packages+=(xvfb xauth xdotool x11-apps) ;;
    --speech) packages+=(libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng) ;;
    *) echo "usage: $0 [--test] [--speech]" >&2; exit 64 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
