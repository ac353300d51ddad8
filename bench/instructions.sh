#!/bin/sh
# Instruction counts with valgrind's callgrind: unlike wall-clock time they do not depend on what else runs on the
# machine, so two builds can be compared on a loaded machine (bench/README.md).
#   bench/instructions.sh [BUILD-DIR]      (default: build-bench; configured as in run.sh if it does not exist)
# Prints, per report file, the instructions of one parse + walk (report_bench --iterations, counting only inside
# once(); the same for simdjson_bench when it is configured), and, per writing function, the instructions of one call (write_bench, counting inside its timing loop).
# Needs valgrind and python3.
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-$src/build-bench}

if [ ! -d "$build" ]; then
    meson setup "$build" "$src" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" -j2 bench/report_bench bench/write_bench >/dev/null

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
python3 "$here/gen_reports.py" "$data" >/dev/null

# The collected total of a callgrind output file.
total() {
    sed -n 's/^totals: //p;s/^summary: //p' "$1" | head -1
}

echo "reading: instructions per parse + walk"
for f in small.json.gz medium.json.gz medium.json large.json.gz; do
    n=20
    case $f in large*) n=2 ;; esac
    valgrind --tool=callgrind --callgrind-out-file="$data/cg.out" --toggle-collect=once \
        "$build/bench/report_bench" --iterations $n "$data/$f" >/dev/null 2>&1
    printf '  %-16s %12d\n' "$f" $(($(total "$data/cg.out") / n))
done

if ninja -C "$build" -t targets all 2>/dev/null | grep -q '^bench/simdjson_bench:' &&
    ninja -C "$build" -j2 bench/simdjson_bench >/dev/null 2>&1; then
    # The libdeflate + simdjson reader of the same fields (simdjson_bench.cpp). valgrind does not run AVX-512, so
    # simdjson picks a narrower kernel under it (printed) than it may natively.
    kernel=$(valgrind --tool=none "$build/bench/simdjson_bench" --iterations 1 "$data/small.json" 2>&1 >/dev/null |
        sed -n 's/^simdjson //p')
    echo "reading with libdeflate + simdjson ($kernel under valgrind): instructions per parse + walk"
    for f in medium.json.gz medium.json; do
        valgrind --tool=callgrind --callgrind-out-file="$data/cg.out" '--toggle-collect=*::once*' \
            "$build/bench/simdjson_bench" --iterations 20 "$data/$f" >/dev/null 2>&1
        printf '  %-16s %12d\n' "$f" $(($(total "$data/cg.out") / 20))
    done
fi

echo "writing: instructions per call"
for job in add_successes_job:tlsrpt_policy_add_successes add_failures_job:tlsrpt_policy_add_failures \
    serialize_job:tlsrpt_report_serialize serialize_gzip_job:tlsrpt_report_serialize_gzip; do
    valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$data/cg.out" \
        --toggle-collect="${job%%:*}" "$build/bench/write_bench" --seconds 0.02 "$data/large.json" >/dev/null 2>&1
    # Calls of the function from the collected job: the "calls=" line after each "cfn=" line naming it.
    calls=$(awk -v fn="${job##*:}" '/^cfn=/ { hit = ($0 ~ "[ =]" fn "$") } /^calls=/ && hit { split($0, a, /[= ]/); n += a[2]; hit = 0 } END { print n + 0 }' "$data/cg.out")
    printf '  %-30s %12d\n' "${job##*:}" $(($(total "$data/cg.out") / calls))
done
