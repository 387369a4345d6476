#!/usr/bin/env bash
# The compatibility test (test/compat/) synthesizes the examples against the oldest aws-cdk-lib the peer dependency
# allows, as well as the pinned one in node_modules. Install that version (and constructs) into
# .cache/aws-cdk-lib-<version>/, apart from node_modules; idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
range=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib']")
version=${range#^}
constructs=$(node -p "require('./package.json').peerDependencies['constructs']")
constructs=${constructs#^}
dir=".cache/aws-cdk-lib-$version"
if [ -f "$dir/node_modules/aws-cdk-lib/package.json" ] && [ "$(node -p "require('./$dir/node_modules/aws-cdk-lib/package.json').version")" = "$version" ]; then
  echo "aws-cdk-lib $version already in $dir"
  exit 0
fi
mkdir -p "$dir"
echo '{ "name": "aws-cdk-lib-oldest", "private": true }' > "$dir/package.json"
npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "aws-cdk-lib@$version" "constructs@$constructs"
echo "installed aws-cdk-lib $version and constructs $constructs into $dir"
