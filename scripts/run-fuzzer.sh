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
# Undefined behaviour inside DCMTK or OpenJPEG (built with recoverable UBSan)
# is reported and the run goes on, so one benign finding there does not hide
# the rest; LocalSeg's own code is built to stop at its first report, and
# memory errors stop the run anywhere. The reports are listed after each
# phase (one line per source location); each is a finding in docs/reliability.md.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
shopt -s nullglob
library_ub() {
  if grep -q "runtime error" "$1"; then
    echo "fuzz: undefined behaviour reported in the libraries (not fatal; see $1):"
    grep -o "[^ ]*: runtime error: [a-z -]*" "$1" | sort | uniq -c | sort -rn | head -n 20
  fi
}
regressions=(tests/fuzz/regressions/*)
if ((${#regressions[@]})); then
  echo "fuzz: ${#regressions[@]} regression input(s)"
  "$fuzzer" -rss_limit_mb=2048 -timeout=25 "${regressions[@]}" >build/fuzz/regressions.log 2>&1 ||
    { tail -n 30 build/fuzz/regressions.log; exit 1; }
  tail -n 2 build/fuzz/regressions.log
  library_ub build/fuzz/regressions.log
fi
echo "fuzz: ${seconds} s from $(ls "$seeds" | wc -l) seed files"
log=build/fuzz/last-run.log
status=0
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 -max_len=1048576 \
  -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ build/fuzz/corpus "$seeds" >"$log" 2>&1 || status=$?
grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|stat::|ERROR|SUMMARY|Test unit written|==[0-9]+==" "$log" | tail -n 25 || true
library_ub "$log"
exit "$status"
