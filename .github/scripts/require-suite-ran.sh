#!/usr/bin/env bash
# Fails unless a conformance suite class actually ran on this machine: its surefire report must
# exist under integration-tests/target/surefire-reports and hold at least MIN passing tests (run
# minus skipped minus failed). The CI jobs for macOS, FreeBSD and Windows call it after
# `mvn -B verify`, so a backend that silently skipped (wrong OS detection, unavailable backend)
# turns the job red instead of green.
#
# Usage: require-suite-ran.sh CLASS [MIN]     e.g. require-suite-ran.sh KqueueConformanceTest 200
# REPORTS=DIR reads another reports directory, such as integration-tests/target/surefire-reports-jna
# (the suite's second run on JDK 22+, on the JNA binding).
set -euo pipefail
class=${1:?usage: require-suite-ran.sh CLASS [MIN]}
min=${2:-1}
report="${REPORTS:-integration-tests/target/surefire-reports}/TEST-dev.poll4j.it.${class}.xml"
if [ ! -f "$report" ]; then
  echo "require-suite-ran: no report for $class ($report): the suite did not run" >&2
  exit 1
fi
# The <testsuite> element carries the counts as attributes.
attr() {
  sed -n 's/.*<testsuite [^>]*\b'"$1"'="\([0-9]*\)".*/\1/p' "$report" | head -n 1
}
tests=$(attr tests)
skipped=$(attr skipped)
failures=$(attr failures)
errors=$(attr errors)
passed=$((tests - skipped - failures - errors))
echo "require-suite-ran: $class: $tests tests, $skipped skipped, $failures failed, $errors errors"
if [ "$passed" -lt "$min" ]; then
  echo "require-suite-ran: $class passed $passed tests, fewer than $min: it did not run here" >&2
  exit 1
fi
