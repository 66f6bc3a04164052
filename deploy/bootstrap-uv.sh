#!/usr/bin/env bash
# uv, the tool that installs uv.lock, pinned and hash-checked (deploy/uv-requirements.txt), in .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .tools/bin/uv ] && [ "$(.tools/bin/uv --version | cut -d' ' -f2)" = "$(sed -n 's/^uv==\([^ ]*\).*/\1/p' deploy/uv-requirements.txt)" ]; then
  exit 0
fi
rm -rf .tools
python3 -m venv .tools
.tools/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r deploy/uv-requirements.txt
