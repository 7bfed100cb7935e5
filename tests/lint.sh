#!/usr/bin/env bash
# Static checks of migrator/ and drivers/: clang-tidy with the checked-in
# .clang-tidy (every finding is an error) and cppcheck (warning,
# performance and portability classes; inline suppressions carry their
# reason). Exit status 0 only with no finding from either.
#
#   tests/lint.sh                every source file
#   tests/lint.sh FILE...        only these (clang-tidy and cppcheck)
#
# Environment: MG_LINT_BUILD (default build-lint): where compile_commands.json
# is made. Needs clang-tidy and cppcheck (tests/install-deps.sh --lint).
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MG_LINT_BUILD:-$SRC/build-lint}
case "$BUILD" in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
TIDY=$(command -v run-clang-tidy-14 || command -v run-clang-tidy) ||
    { echo "lint: run-clang-tidy not found (tests/install-deps.sh --lint)" >&2; exit 1; }
command -v cppcheck >/dev/null || { echo "lint: cppcheck not found (tests/install-deps.sh --lint)" >&2; exit 1; }
T0=$SECONDS

cmake -S "$SRC" -B "$BUILD" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DMIGRATOR_BUILD_TESTS=OFF >/dev/null || exit 1
cmake --build "$BUILD" --target mg_commit >/dev/null || exit 1   # a generated header main.c includes

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    regex="$SRC/(migrator|drivers)/"
else
    regex=$(printf '%s|' "${files[@]/#/$SRC/}")
    regex="(${regex%|})\$"
fi

echo "== lint: clang-tidy ($(clang-tidy --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -n 1))"
"$TIDY" -p "$BUILD" -j 2 -quiet "$regex" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' > "$BUILD/clang-tidy.log"
tidy_rc=${PIPESTATUS[0]}
tidy_n=$(grep -c ' \(warning\|error\): ' "$BUILD/clang-tidy.log")
grep -A3 ' \(warning\|error\): ' "$BUILD/clang-tidy.log" | head -n 80

echo "== lint: cppcheck ($(cppcheck --version))"
cpp_files=()
[ ${#files[@]} -eq 0 ] || cpp_files=(--file-filter="*$(printf '%s' "${files[0]}")")
cppcheck --project="$BUILD/compile_commands.json" --enable=warning,performance,portability \
    --inline-suppr --quiet -j 2 --error-exitcode=1 --suppress=missingIncludeSystem \
    -i "$BUILD" "${cpp_files[@]}" > "$BUILD/cppcheck.log" 2>&1
cpp_rc=$?
cat "$BUILD/cppcheck.log"
cpp_n=$(grep -c ': \(error\|warning\|style\|performance\|portability\): ' "$BUILD/cppcheck.log")

echo "lint: clang-tidy $tidy_n findings (exit $tidy_rc), cppcheck $cpp_n findings (exit $cpp_rc), $((SECONDS - T0))s"
[ "$tidy_rc" -eq 0 ] && [ "$tidy_n" -eq 0 ] && [ "$cpp_rc" -eq 0 ] && [ "$cpp_n" -eq 0 ]
