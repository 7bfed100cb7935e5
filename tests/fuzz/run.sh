#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, -DMIGRATOR_FUZZ=ON) and run each
# over its seed corpus (tests/fuzz/corpus/NAME), then fuzz it for a while.
#
#   tests/fuzz/run.sh                  every harness, MG_FUZZ_SECONDS each
#   tests/fuzz/run.sh xml csv          only these
#
# Environment:
#   MG_FUZZ_BUILD    build directory (default: build-fuzz)
#   MG_FUZZ_SECONDS  fuzzing time per harness after the corpus (default 60;
#                    0 runs the corpus only)
#   MG_FUZZ_JOBS     harnesses run at once (default 2)
#   MG_FUZZ_OUT      where new corpus entries, crashes and logs go (default
#                    $MG_FUZZ_BUILD/out); the checked-in corpus is only read
#   MG_FUZZ_NICE     nice level of the fuzzers (default 0)
#   MG_FUZZ_RUNS     also stop a harness after this many executions (for
#                    long runs: 10000000 with MG_FUZZ_SECONDS=3600)
# Exit status 0 when no harness found a crash, leak, timeout or UB.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${MG_FUZZ_BUILD:-$SRC/build-fuzz}
case "$BUILD" in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
SECONDS_EACH=${MG_FUZZ_SECONDS:-60}
JOBS=${MG_FUZZ_JOBS:-2}
OUT=${MG_FUZZ_OUT:-$BUILD/out}
NICE=${MG_FUZZ_NICE:-0}
ALL=(xml yaml json sql props expr csv url flow)
NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=("${ALL[@]}")
T0=$SECONDS

command -v clang >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
echo "== fuzz: build ($BUILD)"
CC=clang cmake -S "$SRC" -B "$BUILD" -DMIGRATOR_FUZZ=ON -DMIGRATOR_BUILD_TESTS=OFF \
    -DMIGRATOR_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for n in "${NAMES[@]}"; do targets+=("fuzz_$n"); done
cmake --build "$BUILD" -j 2 --target "${targets[@]}" >/dev/null
T_BUILD=$((SECONDS - T0))

# Leaks, UB and ASan reports all fail the harness; the runtime aborts so
# that libFuzzer writes the input that did it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# One harness: its slow regression inputs (tests/fuzz/regress/NAME, kept
# out of the corpus so that fuzzing does not spend its time mutating
# them) once, the seed corpus (and what earlier runs added in $OUT), and
# then SECONDS_EACH seconds of fuzzing. A single input may take 10 s and
# 2 GB at most: beyond that is a hang or a blow-up, reported as a failure.
run_one() {
    local n=$1 dir=$OUT/$n log=$OUT/$n.log
    local rc=0 execs limit=-max_total_time=$SECONDS_EACH
    # libFuzzer reads -max_total_time=0 as "no limit"
    [ "$SECONDS_EACH" -gt 0 ] || limit=-runs=0
    [ -z "${MG_FUZZ_RUNS:-}" ] || [ "$SECONDS_EACH" -eq 0 ] || limit+=" -runs=$MG_FUZZ_RUNS"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    if [ -d "$SRC/tests/fuzz/regress/$n" ]; then
        TMPDIR=$TMP "$BUILD/fuzz_$n" -timeout=30 -artifact_prefix="$dir/artifacts/" \
            "$SRC/tests/fuzz/regress/$n"/* >"$OUT/$n.regress.log" 2>&1 || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "fuzz: $n: a regression input failed, exit status $rc" >"$dir/result"
            cat "$OUT/$n.regress.log" >"$log"
            return $rc
        fi
    fi
    TMPDIR=$TMP nice -n "$NICE" "$BUILD/fuzz_$n" \
        $limit -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" \
        "$dir/corpus" "$SRC/tests/fuzz/corpus/$n" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz: $n: ${execs:-0} executions, exit status $rc" >"$dir/result"
    return $rc
}

echo "== fuzz: ${NAMES[*]} (${SECONDS_EACH}s each after the corpus, $JOBS at a time)"
pids=()
failed=0
for n in "${NAMES[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
    run_one "$n" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done

total=0
for n in "${NAMES[@]}"; do
    cat "$OUT/$n/result"
    if ! grep -q 'exit status 0$' "$OUT/$n/result"; then
        failed=$((failed + 1))
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$OUT/$n.log" | head -n 8 | sed 's/^/    /'
    fi
    e=$(sed -n 's/.*: \([0-9]*\) executions.*/\1/p' "$OUT/$n/result")
    total=$((total + ${e:-0}))
done
echo "fuzz: ${#NAMES[@]} harnesses, $total executions, $failed failed, build ${T_BUILD}s, total $((SECONDS - T0))s"
[ "$failed" -eq 0 ]
