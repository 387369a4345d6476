#!/usr/bin/env bash
# The cfn-lint gate (test/gates/examples.test.ts) lints every synthesized example template with cfn-lint.
set -euo pipefail
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is missing: the test suite lints every synthesized template with it." >&2
  echo "Install it with 'pip install cfn-lint' (Python 3.9 or later), or 'pipx install cfn-lint', then run .ci/setup again." >&2
  exit 1
fi
if ! version=$(cfn-lint --version 2>&1); then
  echo "cfn-lint is installed but 'cfn-lint --version' fails: ${version}" >&2
  echo "Reinstall it with 'pip install --force-reinstall cfn-lint'." >&2
  exit 1
fi
echo "cfn-lint: ${version}"
