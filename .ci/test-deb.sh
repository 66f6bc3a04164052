#!/usr/bin/env bash
# The Debian package as IT uses it, on this machine (as root): build, install with apt, check as the kiosk
# user, verify the units, upgrade over an edited config and a usage database, purge, and lintian.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
for tool in dpkg-deb:dpkg-dev fakeroot:fakeroot lintian:lintian systemd-analyze:systemd cage:cage xinit:xinit; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash deploy/build-deb.sh --revision 1 --out "$out"
first=$(ls "$out"/als-kiosk_*-1_*.deb)
# A second build with a higher version: the same tree, repacked as revision 2.
dpkg-deb -R "$first" "$out/tree"
sed -i 's/^Version: \(.*\)-1$/Version: \1-2/' "$out/tree/DEBIAN/control"
second="${first%-1_*}-2_${first##*_}"
fakeroot dpkg-deb --build -Zgzip "$out/tree" "$second" >/dev/null
rm -rf "$out/tree"

echo "== lintian"
lintian --fail-on error "$first" || { echo "lintian reports errors" >&2; exit 1; }

echo "== install"
apt-get purge -y -qq als-kiosk >/dev/null 2>&1 || true
apt-get install -y -qq "$first" >/dev/null
test "$(stat -c '%U:%G %a' /etc/als-kiosk/kiosk.toml)" = "root:kiosk 640"
test "$(stat -c '%U:%G' /var/lib/als-kiosk)" = "kiosk:kiosk"
if runuser -u kiosk -- als-kiosk check --config /etc/als-kiosk/kiosk.toml >"$out/check0.txt"; then
  echo "check passed without a staff PIN" >&2; exit 1
fi
grep -q "no staff_pin_hash" "$out/check0.txt"

echo "== configure as IT would: a PIN and one changed setting"
hash=$(/opt/als-kiosk/bin/python -c 'from kiosk.pin import hash_pin; print(hash_pin("24680"))')
sed -i "s|^staff_pin_hash = \"\"|staff_pin_hash = \"$hash\"|; s|^idle_timeout_s = 90|idle_timeout_s = 120|" \
  /etc/als-kiosk/kiosk.toml
runuser -u kiosk -- als-kiosk check --config /etc/als-kiosk/kiosk.toml | tee "$out/check1.txt"
topics=$(find resources/content -name '*.md' | wc -l)
grep -q "  ok    $topics topics loaded" "$out/check1.txt"
for language in fr de it pt_BR ru; do grep -q "  ok    $language: " "$out/check1.txt"; done
systemd-analyze verify /lib/systemd/system/als-kiosk.service /lib/systemd/system/als-kiosk-x11.service

echo "== run as the kiosk user: it counts a session into the usage database"
code=0
runuser -u kiosk -- env QT_QPA_PLATFORM=offscreen timeout 10 als-kiosk --config /etc/als-kiosk/kiosk.toml \
  --windowed --size 1280x800 || code=$?
test "$code" -eq 124
test -s /var/lib/als-kiosk/usage.sqlite3
before=$(sha256sum /var/lib/als-kiosk/usage.sqlite3 /etc/als-kiosk/kiosk.toml)

echo "== upgrade"
apt-get install -y -qq "$second" >/dev/null
dpkg-query -W -f='${Version}\n' als-kiosk | grep -q -- '-2$'
test "$(sha256sum /var/lib/als-kiosk/usage.sqlite3 /etc/als-kiosk/kiosk.toml)" = "$before"
grep -q '^idle_timeout_s = 120' /etc/als-kiosk/kiosk.toml
runuser -u kiosk -- als-kiosk check --config /etc/als-kiosk/kiosk.toml >/dev/null

echo "== purge"
apt-get purge -y -qq als-kiosk >/dev/null
for path in /opt/als-kiosk /etc/als-kiosk /var/lib/als-kiosk /usr/bin/als-kiosk /lib/systemd/system/als-kiosk.service \
    /lib/systemd/system/als-kiosk-x11.service /usr/share/doc/als-kiosk; do
  if [ -e "$path" ] || [ -L "$path" ]; then echo "left behind: $path" >&2; exit 1; fi
done
if getent passwd kiosk >/dev/null; then echo "left behind: the kiosk user" >&2; exit 1; fi
echo "deb: $(basename "$first") ($(du -h "$first" | cut -f1)): lintian, install, check, verify, upgrade, purge: ok"
