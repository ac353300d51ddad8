#!/usr/bin/env bash
# One cost-seeking libFuzzer campaign (issue 10): inputs that cost too much CPU or memory are findings, not only
# crashes. Prints one summary line, a row for the campaign tables of fuzz/README.md:
#
#   | target | wall | CPU | executions | cov | peak RSS | findings |
#
#   fuzz/cost-campaign.sh TARGET SECONDS
#
# TARGET is a fuzz target name (report, message, json, ...), SECONDS the campaign's -max_total_time. The fuzzer runs
# at nice $COST_NICE (default 10; 0 on a machine busy with other work, where a niced fuzzer is starved long enough
# for a 40 ms input to pass the 2 s timeout — replay such an input alone before calling it a finding) on a temporary copy of fuzz/corpus/TARGET, with fuzz/TARGET.dict when there is one, and
#   -use_value_profile=1 -report_slow_units=1 -rss_limit_mb=512 -malloc_limit_mb=256 -timeout=2 -max_len=65536
# under /usr/bin/time -v, which gives the CPU time (user + system) and the peak RSS of the fuzzer process.
# Findings are libFuzzer's artifacts by kind (crash, leak, timeout, oom, slow-unit: an input that took 1 s or
# more); they and the log are kept in $FUZZ_BUILD/cost-campaign/TARGET/ (replaced by the next campaign of TARGET),
# with the campaign's corpus when COST_KEEP_CORPUS=1 (to merge into fuzz/corpus/TARGET, see fuzz/README.md).
#
# Environment: FUZZ_BUILD (default build-fuzz; configured as .ci/fuzz configures it if it does not exist, and the
# target built with -j1). Needs clang, libclang-rt-14-dev and /usr/bin/time (Debian: time).
# Exit status: 0 no finding, 1 findings, 2 usage or setup error.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: fuzz/cost-campaign.sh TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
case "$seconds" in
  '' | *[!0-9]*) echo "cost-campaign: SECONDS must be a number of seconds, not '$seconds'" >&2; exit 2 ;;
esac
case "$target" in
  '' | *[!a-z_]*) echo "cost-campaign: no such target '$target'" >&2; exit 2 ;;
esac
build="${FUZZ_BUILD:-build-fuzz}"
if [ ! -x /usr/bin/time ]; then
  echo "cost-campaign: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CFLAGS="-fno-sanitize-recover=all" \
    meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false >"$work/setup.log" 2>&1 ||
    { cat "$work/setup.log" >&2; exit 2; }
fi
ninja -C "$build" -j1 "fuzz/fuzz_$target" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 2; }
bin="$build/fuzz/fuzz_$target"

mkdir -p "$work/corpus" "$work/artifacts"
if [ -d "fuzz/corpus/$target" ]; then
  cp -R "fuzz/corpus/$target/." "$work/corpus/"
fi
args=(-max_total_time="$seconds" -use_value_profile=1 -report_slow_units=1 -rss_limit_mb=512 -malloc_limit_mb=256
      -timeout=2 -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/")
[ -f "fuzz/$target.dict" ] && args+=(-dict="fuzz/$target.dict")

export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:allocator_may_return_null=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

rc=0
/usr/bin/time -v -o "$work/time" nice -n "${COST_NICE:-10}" "$bin" "${args[@]}" "$work/corpus" >"$work/log" 2>&1 || rc=$?

# m:ss.cc or h:mm:ss -> seconds
wall="$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" |
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.0f", s }')"
cpu="$(awk -F': ' '/^[[:space:]]*(User|System) time \(seconds\)/ { s += $2 } END { printf "%.0f", s }' "$work/time")"
rss_kb="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time")"
execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)"
cov="$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | cut -d' ' -f2)"

findings=""
for kind in crash leak timeout oom slow-unit; do
  n="$(find "$work/artifacts" -type f -name "$kind-*" | wc -l)"
  [ "$n" -gt 0 ] && findings="${findings:+$findings, }$n $kind"
done
other="$(grep -m1 -o -E 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: .*|invariant failed: .*' "$work/log" || true)"
if [ -z "$findings" ] && { [ "$rc" -ne 0 ] || [ -n "$other" ]; }; then
  findings="${other:-exit $rc}"
fi
slowest="$(sed -n 's/^Slowest unit: \([0-9]*\) s:.*/\1/p' "$work/log" | tail -n 1)"
[ -n "$slowest" ] && findings="$findings (slowest input ${slowest} s)"

keep="$build/cost-campaign/$target"
rm -rf "$keep"
mkdir -p "$keep"
cp "$work/log" "$work/time" "$keep/"
cp "$work/artifacts/"* "$keep/" 2>/dev/null || true
if [ "${COST_KEEP_CORPUS:-0}" = 1 ]; then
  cp -R "$work/corpus" "$keep/corpus"
fi

# Thousands separators as in the README tables.
commas() { printf "%s" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
echo "| $target | $(commas "${wall:-?}") s | $(commas "${cpu:-?}") s | $(commas "${execs:-?}") | $(commas "${cov:-?}") |" \
  "$(commas "$(( ${rss_kb:-0} / 1024 ))") MB | ${findings:-none} |"
echo "cost-campaign: log and artifacts in $keep/" >&2
[ -z "$findings" ]
