#!/usr/bin/env bash
# Runs the DICOM fuzzer (build/fuzz, `make fuzz-build`): first every committed
# reproducer in tests/fuzz/regressions (each must now decode or fail cleanly),
# then fuzzing for $1 seconds from the real sample files in tests/data and the
# demo series, with the corpus it grows kept in build/fuzz/corpus for the
# next run. Crashes land in build/fuzz/artifacts; the exit status is non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
fuzzer=build/fuzz/localseg_dicom_fuzzer
seeds=build/fuzz/seeds
mkdir -p "$seeds" build/fuzz/corpus build/fuzz/artifacts
find tests/data public/demo -name '*.dcm' -exec cp -f {} "$seeds"/ \;
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
shopt -s nullglob
regressions=(tests/fuzz/regressions/*)
if ((${#regressions[@]})); then
  echo "fuzz: ${#regressions[@]} regression input(s)"
  "$fuzzer" -rss_limit_mb=2048 -timeout=25 "${regressions[@]}" 2>&1 | tail -n 3
fi
echo "fuzz: ${seconds} s from $(ls "$seeds" | wc -l) seed files"
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 -max_len=1048576 \
  -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ build/fuzz/corpus "$seeds" 2>&1 |
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|stat::|ERROR|SUMMARY|Test unit written|==[0-9]+==" | tail -n 25
exit "${PIPESTATUS[0]}"
