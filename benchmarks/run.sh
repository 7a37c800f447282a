#!/usr/bin/env bash
# Runs a benchmark suite and regenerates docs/benchmarks.md:
#   ./benchmarks/run.sh SUITE [--quick] [--runs N]      SUITE: l1 l2 codec invalidation stampede simulate faults warming memory all
# Results go to benchmarks/results/SUITE.json, plots to docs/benchmarks/. The suites start their own
# redis-server and nats-server on free loopback ports (both must be on the PATH, or nats-server in /usr/sbin).
# JAVA_HOME (or java on the PATH) picks the JDK that runs the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  echo "usage: $0 SUITE [--quick] [--runs N]   (SUITE: l1 l2 codec invalidation stampede simulate faults warming memory all)" >&2
  exit 2
fi

# Build the module and what it depends on (tests neither compiled nor run: these are benchmarks, not the tests).
./mvnw -B -q -ntp -pl benchmarks -am package -Dmaven.test.skip=true

# Run from a private copy of the classes and libraries: JMH forks JVMs on the same class path, and a `mvn clean`
# elsewhere in the tree must not pull it away in the middle of a run.
work=$(mktemp -d "${TMPDIR:-/tmp}/lamina-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r benchmarks/target/classes "$work/classes"
cp -r benchmarks/target/lib "$work/lib"

java_cmd=java
if [ -n "${JAVA_HOME:-}" ]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Outputs of earlier runs do not count as changes to what is measured.
if [ -n "$(git status --porcelain -- . ':!benchmarks/results' ':!docs/benchmarks.md' ':!docs/benchmarks' \
    2>/dev/null | head -1)" ]; then
  commit="$commit (with uncommitted changes)"
fi

extra=()
if [ "$("$java_cmd" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')" -ge 24 ] 2>/dev/null; then
  extra+=(--sun-misc-unsafe-memory-access=allow)
fi

"$java_cmd" -Xms1g -Xmx1g "${extra[@]}" -Dlamina.bench.commit="$commit" \
  -cp "$work/classes:$work/lib/*" io.lamina.benchmarks.Main "$@"
