#!/usr/bin/env bash
# The local run's report test (test/local/report.test.ts) opens local-report.html in headless Chromium through
# playwright-core, which drives a browser but ships none: Debian's `chromium` package is that browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing at /usr/bin/chromium and apt-get is not available: install Debian's 'chromium' package (or a Chromium at that path) to run test/local/report.test.ts" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "could not install Debian's 'chromium' package with apt-get: the local-run report test needs /usr/bin/chromium" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "apt-get installed 'chromium' but /usr/bin/chromium is not there: the local-run report test needs it at that path" >&2
  exit 1
fi
/usr/bin/chromium --version
