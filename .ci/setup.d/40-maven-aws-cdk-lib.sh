#!/usr/bin/env bash
# The Java smoke test (test/packaging/java.test.ts) and `npx projen package:java` build against aws-cdk-lib's Maven
# artifact. jsii-pacmak writes version ranges ([2.265.0,3.0.0)), which Maven resolves from the repository's
# maven-metadata.xml; the Maven Central mirror's metadata may lag behind the artifacts it serves (it listed 2.263.0
# as the newest while serving 2.265.0), and the range then matches nothing. Fetch the exact versions the
# repository pins and register them in the local repository (~/.m2), whose metadata Maven merges with the remote's.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v mvn >/dev/null 2>&1; then
  echo "mvn not found: the Java smoke test needs Java 17+ and Maven (apt-get install maven openjdk-17-jdk-headless)" >&2
  exit 1
fi

cdk_version=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
constructs_version=$(node -p "require('./package.json').devDependencies['constructs']")
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"

register() { # groupId artifactId version
  local group=$1 artifact=$2 version=$3
  local dir="$repo/${group//.//}/$artifact"
  if grep -qs "<version>$version</version>" "$dir/maven-metadata-local.xml"; then
    echo "$group:$artifact:$version already registered in $repo"
    return
  fi
  if ! mvn -B -q dependency:get -Dartifact="$group:$artifact:$version" -Dtransitive=true; then
    # Not a failure of the setup: the other tests need none of this, and test/packaging/java.test.ts says what it used.
    echo "WARNING: $group:$artifact:$version cannot be downloaded from the Maven repository; package:java will be skipped, and the Java smoke test builds against the newest older release served" >&2
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  cp "$dir/$version/$artifact-$version.jar" "$dir/$version/$artifact-$version.pom" "$tmp/"
  mvn -B -q install:install-file -Dfile="$tmp/$artifact-$version.jar" -DpomFile="$tmp/$artifact-$version.pom"
  rm -rf "$tmp"
  echo "registered $group:$artifact:$version in $repo"
}

register software.amazon.awscdk aws-cdk-lib "$cdk_version"
register software.constructs constructs "$constructs_version"
