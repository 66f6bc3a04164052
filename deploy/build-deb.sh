#!/usr/bin/env bash
# Build als-kiosk_<version>-<revision>_<arch>.deb from uv.lock, for kiosk images (Debian 12+, Ubuntu 24.04+
# with the same Python minor version as the build machine's /usr/bin/python3).
#   bash deploy/build-deb.sh [--revision N] [--out DIR]
# The package: the app in its own environment under /opt/als-kiosk (exactly the locked packages, with the
# speech extra), /usr/bin/als-kiosk, both systemd units, /etc/als-kiosk/kiosk.toml as a conffile, and
# maintainer scripts that create the kiosk user and /var/lib/als-kiosk. It enables nothing: IT sets the
# staff PIN, runs `als-kiosk check`, then enables a unit (deploy/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/system-packages.sh

revision=1
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --revision) revision="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [--revision N] [--out DIR]" >&2; exit 64 ;;
  esac
done

for tool in dpkg-deb fakeroot; do
  command -v "$tool" >/dev/null || { echo "build-deb: needs $tool (apt-get install dpkg-dev fakeroot)" >&2; exit 69; }
done
bash deploy/bootstrap-uv.sh
uv=.tools/bin/uv
export UV_PYTHON_DOWNLOADS=never

python=/usr/bin/python3  # the target's Python: the environment is built for it
py_version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' kiosk/__init__.py)
arch=$(dpkg --print-architecture)
name="als-kiosk_${version}-${revision}_${arch}"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
app="$root/opt/als-kiosk"

# The app's own environment, at its final path, with exactly the locked packages (hash-checked).
"$uv" build --quiet --wheel --out-dir "$stage/dist"
"$uv" export --quiet --frozen --no-dev --no-emit-project --extra speech --format requirements.txt \
  --output-file "$stage/requirements.txt"
"$uv" venv --quiet --relocatable --python "$python" "$app"
"$uv" pip install --quiet --python "$app/bin/python" --require-hashes -r "$stage/requirements.txt"
"$uv" pip install --quiet --python "$app/bin/python" --no-deps "$stage"/dist/*.whl
rm -f "$app"/bin/activate* "$app"/bin/deactivate.bat "$app"/bin/pydoc.bat
# Shared libraries are loaded, not run.
find "$app" -type f -name '*.so*' -exec chmod 0644 {} +
# Bytecode compiled as the files will be named once installed, so the kiosk user never writes to /opt.
"$python" -m compileall -q -j 0 -x '\.tmpl\.py$' -s "$root" -p / "$app/lib" >"$stage/compileall.log" || { cat "$stage/compileall.log" | head -20 >&2; exit 1; }

install -d "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/als-kiosk" "$root/usr/share/doc/als-kiosk" \
  "$root/usr/share/lintian/overrides" "$root/DEBIAN"
ln -s /opt/als-kiosk/bin/als-kiosk "$root/usr/bin/als-kiosk"
install -m 0644 deploy/als-kiosk.service deploy/als-kiosk-x11.service "$root/lib/systemd/system/"
# The shipped config: every setting at its default, the data folder set to the one postinst makes.
sed 's|^data_dir = ""$|data_dir = "/var/lib/als-kiosk"|' deploy/kiosk.toml >"$root/etc/als-kiosk/kiosk.toml"
grep -q '^data_dir = "/var/lib/als-kiosk"$' "$root/etc/als-kiosk/kiosk.toml"
install -m 0644 deploy/README.md "$root/usr/share/doc/als-kiosk/README.deploy.md"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: als-kiosk"
  echo
  echo "Files: *"
  echo "Copyright: 2026 the ALS kiosk project"
  echo "License: LicenseRef-Proprietary"
  sed 's/^/ /; s/^ $/ ./' LICENSE
  echo
  echo "Files: opt/als-kiosk/lib/*/site-packages/kiosk/resources/fonts/*"
  echo "Copyright: 2012 Google Inc."
  echo "License: OFL-1.1"
  sed 's/^/ /; s/^ $/ ./' resources/fonts/OFL.txt
  echo
  echo "Files: opt/als-kiosk/lib/*/site-packages/*"
  echo "Copyright: the authors of each Python package, as its dist-info says"
  echo "License: various (see each package's dist-info/licenses or METADATA)"
} >"$root/usr/share/doc/als-kiosk/copyright"
printf 'als-kiosk (%s-%s) unstable; urgency=medium\n\n  * Built from uv.lock.\n\n -- ALS kiosk team <kiosk@invalid.example>  %s\n' \
  "$version" "$revision" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n >"$root/usr/share/doc/als-kiosk/changelog.Debian.gz"
install -m 0644 deploy/debian/lintian-overrides "$root/usr/share/lintian/overrides/als-kiosk"
for script in postinst prerm postrm; do
  install -m 0755 "deploy/debian/$script" "$root/DEBIAN/$script"
done
echo /etc/als-kiosk/kiosk.toml >"$root/DEBIAN/conffiles"

join() { local IFS=","; echo "$*"; }
deps() { local out=() p; for p in "$@"; do out+=("${p//|/ | }"); done; join "${out[@]}" | sed 's/,/, /g'; }
cat >"$root/DEBIAN/control" <<CONTROL
Package: als-kiosk
Version: ${version}-${revision}
Architecture: ${arch}
Maintainer: ALS kiosk team <kiosk@invalid.example>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: python${py_version}, passwd, libc6 (>= 2.34), $(deps "${RUNTIME_PACKAGES[@]}" "${X11_PACKAGES[@]}")
Recommends: cage | xinit, $(deps "${SPEECH_PACKAGES[@]}")
Section: misc
Priority: optional
Homepage: https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als
Description: touchscreen kiosk that teaches patients and families about ALS
 A fullscreen touchscreen app for clinic waiting rooms and hospital lobbies
 that explains ALS in English, French, German, Italian, Brazilian Portuguese
 and Russian, resets itself when a visitor walks away and needs no network.
 It runs under systemd in the cage Wayland compositor (or on a bare X server).
CONTROL

mkdir -p "$out"
# gzip: a fraction of xz's time for a 700 MB tree, and a format every dpkg and lintian reads.
fakeroot dpkg-deb --build -Zgzip -z6 "$root" "$out/$name.deb" >/dev/null
echo "$out/$name.deb ($(du -h "$out/$name.deb" | cut -f1), installed $(du -sh --exclude=DEBIAN "$root" | cut -f1))"
