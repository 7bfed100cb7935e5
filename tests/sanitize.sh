#!/usr/bin/env bash
# The sanitizer and valgrind pass (CI runs it after tests/run-all.sh):
#  1. build everything with ASan+UBSan (-DMIGRATOR_SANITIZE=ON) into its
#     own build directory and run the unit and integration tests with it
#     (not the compat suite: too slow under ASan);
#  2. run the unit tests of the plain build under valgrind memcheck.
# Any sanitizer report, leak or memcheck error fails the pass.
#
#   tests/sanitize.sh            both parts
#   tests/sanitize.sh asan       only the first
#   tests/sanitize.sh valgrind   only the second
#
# Environment:
#   MG_ASAN_BUILD  the sanitizer build directory (default: build-asan)
#   MG_BUILD_DIR   the plain build, for valgrind (default: build; built here
#                  when missing)
#   MG_JOBS        parallel build jobs (default: nproc)
#   MG_FORBID_SKIP=1  a skipped test fails the pass (CI)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
ASAN_BUILD=${MG_ASAN_BUILD:-$SRC/build-asan}
PLAIN_BUILD=${MG_BUILD_DIR:-$SRC/build}
case "$ASAN_BUILD" in /*) ;; *) ASAN_BUILD=$SRC/$ASAN_BUILD ;; esac
case "$PLAIN_BUILD" in /*) ;; *) PLAIN_BUILD=$SRC/$PLAIN_BUILD ;; esac
JOBS=${MG_JOBS:-$(nproc 2>/dev/null || echo 2)}
PARTS=${1:-all}
T0=$SECONDS
rc=0
summary=()

asan_pass() {
    local t0=$SECONDS logs=$ASAN_BUILD/sanitizer-logs log=$ASAN_BUILD/sanitize-ctest.log r=0
    echo "== sanitize: build with ASan+UBSan ($ASAN_BUILD)"
    cmake -S "$SRC" -B "$ASAN_BUILD" -DMIGRATOR_WERROR=ON -DMIGRATOR_BUILD_TESTS=ON \
        -DMIGRATOR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$ASAN_BUILD" -j "$JOBS" >/dev/null
    rm -rf "$logs"
    mkdir -p "$logs"
    # Every process (unit tests, the migrator binary the integration
    # scripts run, and its children) writes its reports to $logs, so that
    # one a script swallowed still fails the pass; leaks are errors, the
    # first error stops the process with a non-zero status. libpq and
    # libxml2 leak nothing that LSan reports here: no suppressions file.
    # A small quarantine keeps t1100's peak-memory bound meaningful, and
    # its CSV is cut to 100,000 rows (the streaming code is the same; a
    # million rows under ASan would take minutes).
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:quarantine_size_mb=16:log_path=$logs/asan"
    export MG_T1100_ROWS=${MG_T1100_ROWS:-100000}
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87:log_path=$logs/ubsan"
    echo "== sanitize: unit and integration tests under ASan+UBSan"
    ctest --test-dir "$ASAN_BUILD" -L 'unit|integration' -j2 --output-on-failure \
        --timeout 900 >"$log" 2>&1 || r=$?
    unset ASAN_OPTIONS UBSAN_OPTIONS MG_T1100_ROWS
    grep -E '^[0-9]+% tests passed|\*\*\*Failed|Failed  |\(Skipped\)' "$log" || true
    local nreports
    nreports=$(find "$logs" -type f | wc -l)
    if [ "$nreports" -gt 0 ]; then
        echo "sanitize: $nreports sanitizer report(s):"
        for f in "$logs"/*; do
            echo "--- $f"
            head -n 40 "$f"
        done
        r=1
    fi
    local tests skipped
    tests=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1 || echo "no ctest result")
    skipped=$(grep -c '(Skipped)$' "$log" || true)
    if [ "$skipped" -gt 0 ] && [ -n "${MG_FORBID_SKIP:-}" ]; then
        echo "sanitize: $skipped test(s) skipped and MG_FORBID_SKIP is set"
        r=1
    fi
    summary+=("asan+ubsan: $tests, $nreports report(s), $((SECONDS - t0))s")
    [ "$r" -eq 0 ] || rc=1
}

valgrind_pass() {
    local t0=$SECONDS n=0 bad=0
    command -v valgrind >/dev/null || { echo "sanitize: valgrind is not installed" >&2; rc=1; return; }
    if [ ! -x "$PLAIN_BUILD/unit_expr" ]; then
        echo "== sanitize: plain build ($PLAIN_BUILD)"
        cmake -S "$SRC" -B "$PLAIN_BUILD" -DMIGRATOR_WERROR=ON -DMIGRATOR_BUILD_TESTS=ON >/dev/null
    fi
    cmake --build "$PLAIN_BUILD" -j "$JOBS" >/dev/null
    echo "== sanitize: unit tests under valgrind ($PLAIN_BUILD)"
    for t in "$PLAIN_BUILD"/unit_*; do
        [ -x "$t" ] || continue
        n=$((n + 1))
        if valgrind -q --error-exitcode=1 --leak-check=full \
            --errors-for-leak-kinds=definite --track-origins=yes \
            "$t" >"$t.valgrind.log" 2>&1; then
            echo "valgrind: $(basename "$t"): clean"
        else
            bad=$((bad + 1))
            echo "valgrind: $(basename "$t"): FAILED"
            grep -E '==[0-9]+==|FAILED' "$t.valgrind.log" | head -n 40
        fi
    done
    summary+=("valgrind: $n unit programs, $bad failed, $((SECONDS - t0))s")
    [ "$bad" -eq 0 ] || rc=1
}

case "$PARTS" in
    all) asan_pass; valgrind_pass ;;
    asan) asan_pass ;;
    valgrind) valgrind_pass ;;
    *) echo "usage: tests/sanitize.sh [asan|valgrind]" >&2; exit 2 ;;
esac

echo "== sanitize summary"
for s in "${summary[@]}"; do echo "$s"; done
if [ "$rc" -eq 0 ]; then
    echo "sanitize: OK, total $((SECONDS - T0))s"
else
    echo "sanitize: FAILED, total $((SECONDS - T0))s"
fi
exit "$rc"
