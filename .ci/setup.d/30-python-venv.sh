#!/usr/bin/env bash
# The Python smoke test (test/packaging/python.test.ts) installs the built wheel into a virtual environment with
# aws-cdk-lib and constructs from PyPI, at the versions package.json pins. Create that environment once, in
# .cache/python-venv-<versions>/ (test/packaging/python-env.ts; idempotent), so that the test only installs the wheel.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -m venv --help >/dev/null 2>&1; then
  echo "python3 with the venv module not found: the Python smoke test needs it (apt-get install python3 python3-venv)" >&2
  exit 1
fi
node_modules/.bin/ts-node --transpile-only test/packaging/python-env.ts
