#!/usr/bin/env bash
# Drift check: the newest versions pyproject.toml's ranges allow, in a second environment. A package that
# moved past the lock shows in the diff below, and a break shows as a red check or smoke test after it.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=.tools/bin/uv
export UV_PYTHON_DOWNLOADS=never
rm -rf .venv-newest
"$uv" venv --quiet --python "$(command -v python3)" .venv-newest
"$uv" pip install --quiet --python .venv-newest/bin/python --resolution highest -e '.[test]'
echo "== newest allowed versions against the lock (< lock, > newest)"
diff <("$uv" pip freeze --python .venv/bin/python | grep -v '^-e ' | sort) \
     <("$uv" pip freeze --python .venv-newest/bin/python | grep -v '^-e ' | sort) || true
env -u ALS_KIOSK_CONFIG .venv-newest/bin/als-kiosk check
QT_QPA_PLATFORM=offscreen .venv-newest/bin/python -m pytest -q -p no:cacheprovider \
  tests/test_i18n.py tests/test_glossary.py tests/test_cli.py tests/test_navigation.py tests/content
