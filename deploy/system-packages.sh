# Debian / Ubuntu packages the kiosk needs, declared once: install-system-deps.sh installs them on a
# development machine, build-deb.sh turns them into the .deb's Depends and Recommends.
# Alternatives ("a|b") name Debian 13's t64 package first.

# Qt 6 (PySide6-Essentials) offscreen and on Wayland ...
RUNTIME_PACKAGES=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 "libglib2.0-0t64|libglib2.0-0"
  libxkbcommon0)
# ... and on X11 (xcb).
X11_PACKAGES=(libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0)
# Read-aloud: speech-dispatcher with espeak-ng voices, and a sound server to play them through
# (Debian's speech-dispatcher plays through PulseAudio; without a server a spoken text never ends).
SPEECH_PACKAGES=("libpulse0" "libspeechd2" speech-dispatcher speech-dispatcher-espeak-ng "pipewire-pulse|pulseaudio"
  "wireplumber|pulseaudio" pulseaudio-utils)
# What the tests need beyond the runtime: a real X server and tools to drive and photograph it, and
# the Linux accessibility stack (a session bus, the AT-SPI registry and its Python bindings) to read
# the kiosk as a screen reader does. dbus-daemon is its own package from Debian 12 on.
TEST_PACKAGES=(xvfb xauth xdotool x11-apps "dbus-daemon|dbus" at-spi2-core python3-gi gir1.2-atspi-2.0)
