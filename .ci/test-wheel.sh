#!/usr/bin/env bash
# What IT installs from PyPI-style artefacts: build the sdist and the wheel, install the wheel with the
# locked dependencies into a fresh environment, and run it from an unrelated folder.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=$PWD/.tools/bin/uv
export UV_PYTHON_DOWNLOADS=never
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$uv" build --quiet --out-dir "$work/dist"
ls "$work"/dist/als_kiosk-*.tar.gz "$work"/dist/als_kiosk-*-py3-none-any.whl >/dev/null
"$uv" export --quiet --frozen --no-dev --no-emit-project --format requirements.txt --output-file "$work/requirements.txt"
"$uv" venv --quiet --python "$(command -v python3)" "$work/venv"
"$uv" pip install --quiet --python "$work/venv/bin/python" --require-hashes -r "$work/requirements.txt"
"$uv" pip install --quiet --python "$work/venv/bin/python" --no-deps "$work"/dist/als_kiosk-*.whl

cd "$work"  # nothing of the checkout is reachable from here
topics=$(find "$OLDPWD/resources/content" -name '*.md' | wc -l)
env -u ALS_KIOSK_CONFIG venv/bin/als-kiosk check | tee check.txt
grep -q "  ok    $topics topics loaded" check.txt
for language in fr de it pt_BR ru; do grep -q "  ok    $language: " check.txt; done
QT_QPA_PLATFORM=offscreen venv/bin/als-kiosk render --out renders --languages en ru --sizes 1280x800 2>/dev/null
test "$(find renders -name '*.png' | wc -l)" -eq $(( 2 * (topics + 3) ))
# Runs: the windowed kiosk starts and keeps running until stopped.
code=0; QT_QPA_PLATFORM=offscreen timeout 8 venv/bin/als-kiosk --windowed --size 1280x800 || code=$?
test "$code" -eq 124
echo "wheel: built, installed in a fresh environment, check, render and run from $work: ok"
