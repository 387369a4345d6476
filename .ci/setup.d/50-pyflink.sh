#!/usr/bin/env bash
# PyFlink for test/analytics/flink-job*.test.ts: a venv with apache-flink at the release pinned in the example job's
# requirements-local.txt (Flink 1.20, the runtime the anomaly-detection example declares), on Python 3.11 and Java 17.
# Idempotent: a venv that already has the pinned release is kept. Override its place with PYFLINK_VENV.
set -euo pipefail
cd "$(dirname "$0")/../.."

requirements=examples/anomaly-detection/job/requirements-local.txt
venv=${PYFLINK_VENV:-.cache/pyflink-venv}
pin=$(sed -n 's/^apache-flink==\([0-9.]*\).*/\1/p' "$requirements")
[ -n "$pin" ] || { echo "pyflink: no 'apache-flink==<version>' line in $requirements" >&2; exit 1; }

python=$(command -v python3.11 || true)
[ -n "$python" ] || { echo "pyflink: python3.11 not found (PyFlink $pin supports Python 3.8 to 3.11)" >&2; exit 1; }
if ! java_version=$(java -version 2>&1 | head -1); then
  echo "pyflink: java not found; PyFlink runs Flink in a JVM (install openjdk-17-jre-headless)" >&2
  exit 1
fi

installed() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" - "$pin" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
import pyflink  # noqa: F401  (fails when the wheel is broken, not only missing)
sys.exit(0 if m.version("apache-flink") == sys.argv[1] else 1)
PY
}

if installed; then
  echo "pyflink: apache-flink $pin already in $venv ($java_version)"
  exit 0
fi

echo "pyflink: installing apache-flink $pin into $venv (about 700 MB; several minutes when nothing is cached)"
start=$(date +%s)
if [ -e "$venv" ]; then
  # Only ever replace a venv (a broken or outdated one), never whatever else PYFLINK_VENV might name.
  [ -f "$venv/pyvenv.cfg" ] || { echo "pyflink: $venv exists and is not a venv; remove it or set PYFLINK_VENV" >&2; exit 1; }
  rm -rf "$venv"
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" || {
  echo "pyflink: pip could not install apache-flink==$pin from $requirements" >&2
  exit 1
}
installed || { echo "pyflink: apache-flink $pin installed into $venv but 'import pyflink' fails" >&2; exit 1; }
echo "pyflink: apache-flink $pin installed in $(( $(date +%s) - start )) s ($java_version)"
