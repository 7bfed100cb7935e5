#!/usr/bin/env bash
# Line coverage of migrator/ and drivers/ from the gcov counters a
# coverage build's test run left (tests/run-all.sh with MG_COVERAGE=1
# calls this after the tests).
#
#   tests/coverage.sh BUILD_DIR        prints the summary and one line a file
#
# Environment: MG_COVERAGE_MIN (default 80): a lower line coverage fails;
# MG_COVERAGE_HTML=DIR also writes an HTML report there.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:?usage: coverage.sh BUILD_DIR}
MIN=${MG_COVERAGE_MIN:-80}
extra=()
[ -z "${MG_COVERAGE_HTML:-}" ] || { mkdir -p "$MG_COVERAGE_HTML"; extra+=(--html-details "$MG_COVERAGE_HTML/index.html"); }
echo "== coverage (gcovr, lines of migrator/ and drivers/)"
# the fuzz harnesses and unit tests are not what is measured
gcovr -r "$SRC" --object-directory "$BUILD" -f "$SRC/migrator/" -f "$SRC/drivers/" \
    --print-summary --fail-under-line "$MIN" "${extra[@]}" \
    --txt "$BUILD/coverage.txt" -j 2 "$BUILD" > "$BUILD/coverage-summary.txt" 2>&1 || rc=$?
cat "$BUILD/coverage-summary.txt"
sort -t' ' -k1,1 "$BUILD/coverage.txt" | awk 'NR > 0' | grep -E '^(migrator|drivers)/' | \
    awk '{ printf "  %-40s %s\n", $1, $4 }' | sort -k2 -n | head -n 15
echo "(the 15 files of lowest coverage; all in $BUILD/coverage.txt)"
exit "${rc:-0}"
