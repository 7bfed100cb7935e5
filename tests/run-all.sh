#!/usr/bin/env bash
# Install the dependencies (tests/install-deps.sh, skipped with MG_NO_INSTALL=1), configure,
# build and run every test: unit, integration and compat (real Liquibase).
#
#   ./tests/run-all.sh                 everything
#   ./tests/run-all.sh -L unit         extra arguments go to ctest
#
# Environment:
#   MG_BUILD_DIR     build directory (default: build)
#   MG_JOBS          parallel build jobs (default: nproc)
#   MG_CTEST_JOBS    tests run at once (default 2; 3 was no faster in a .ci/run rehearsal)
#   MG_COVERAGE=1    build with gcov instrumentation and, after the tests, print the line
#                    coverage of migrator/ and drivers/ (gcovr); under MG_COVERAGE_MIN
#                    percent (default 80) fails the run
#   MG_FORBID_SKIP=1 a skipped test (exit 77: no PostgreSQL, no java/npm) fails the run (CI)
#   MG_TEST_TIMEOUT  default time limit of one test in seconds (default 600; compat tests set
#                    their own limit in tests/CMakeLists.txt)
#   and those of tests/lib/test-lib.sh and tests/compat/t0100-vectors.sh (MIGRATOR_TEST_PGURL,
#   MG_CACHE_DIR, MG_VECTORS, ...).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MG_BUILD_DIR:-$SRC/build}
case "$BUILD" in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
JOBS=${MG_JOBS:-$(nproc 2>/dev/null || echo 2)}
T0=$SECONDS

[ -n "${MG_NO_INSTALL:-}" ] || bash "$SRC/tests/install-deps.sh" ${MG_COVERAGE:+--coverage}

COVERAGE_FLAGS=()
if [ -n "${MG_COVERAGE:-}" ]; then
    command -v gcovr >/dev/null || { echo "run-all: MG_COVERAGE needs gcovr (tests/install-deps.sh --coverage)" >&2; exit 1; }
    # optimised as the normal build: an -O0 build made the CPU-heavy tests
    # (checksums of big CSV files, 10,000-line changelogs) slower
    COVERAGE_FLAGS=(-DMIGRATOR_COVERAGE=ON)
fi

echo "== configure ($BUILD)"
cmake -S "$SRC" -B "$BUILD" -DMIGRATOR_WERROR=ON -DMIGRATOR_BUILD_TESTS=ON "${COVERAGE_FLAGS[@]}"
# counters of an earlier run would add to this one's
[ -z "${MG_COVERAGE:-}" ] || find "$BUILD" -name '*.gcda' -delete

echo "== build"
cmake --build "$BUILD" -j "$JOBS"
T_BUILD=$((SECONDS - T0))

echo "== test"
LOG=$BUILD/run-all-ctest.log
set +e
ctest --test-dir "$BUILD" --output-on-failure -j "${MG_CTEST_JOBS:-2}" --timeout "${MG_TEST_TIMEOUT:-600}" "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e

skipped=$(grep -c '(Skipped)$' "$LOG" || true)
summary=$(grep -E '^[0-9]+% tests passed' "$LOG" | tail -n 1 || true)
echo
echo "== summary"
echo "build: ${T_BUILD}s, total: $((SECONDS - T0))s"
echo "ctest: ${summary:-no result} (exit status $rc), skipped: $skipped"
if [ "$skipped" -gt 0 ]; then
    grep '(Skipped)$' "$LOG" | sed 's/^[[:space:]]*/  skipped: /'
    # tests/ci-may-skip.txt names the tests whose input may be missing (each with its reason)
    allowed=$(grep -v '^#' "$SRC/tests/ci-may-skip.txt" 2>/dev/null | grep . || true)
    forbidden=$(grep '(Skipped)$' "$LOG" | grep -v -F -f <(printf '%s\n' "${allowed:-^$}") | wc -l || true)
    [ "$forbidden" -lt "$skipped" ] && echo "  (allowed to skip: see tests/ci-may-skip.txt)"
    if [ -n "${MG_FORBID_SKIP:-}" ] && [ "$forbidden" -gt 0 ]; then
        echo "FAILED: tests were skipped and MG_FORBID_SKIP is set"
        exit 1
    fi
fi
if [ "$rc" -ne 0 ]; then
    echo "FAILED"
    exit "$rc"
fi
if [ -n "${MG_COVERAGE:-}" ]; then
    bash "$SRC/tests/coverage.sh" "$BUILD" || { echo "FAILED (coverage)"; exit 1; }
fi
echo "OK"
