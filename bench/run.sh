#!/bin/sh
# Runs every report benchmark on the same generated files and prints one table (bench/README.md explains it).
#   bench/run.sh [BUILD-DIR] [SECONDS-PER-FILE]      (default: build-bench, 1 second per file and implementation)
# BUILD-DIR is configured if it does not exist (release build); the benchmark programs are built there. Needs
# python3 and, for the comparisons, node, libjansson-dev + zlib1g-dev and libsimdjson-dev + a C++ compiler (a
# missing one is skipped, and said).
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-$src/build-bench}
seconds=${2:-1}

if [ ! -d "$build" ]; then
    meson setup "$build" "$src" --buildtype=release -Dtests=false >/dev/null
fi
targets="bench/report_bench bench/report_heap bench/write_bench"
for t in jansson_bench simdjson_bench; do
    if ninja -C "$build" -t targets all 2>/dev/null | grep -q "^bench/$t:"; then
        targets="$targets bench/$t"
    fi
done
ninja -C "$build" -j2 $targets >/dev/null

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
python3 "$here/gen_reports.py" "$data"
gz="$data/small.json.gz $data/medium.json.gz $data/large.json.gz"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
{
    "$build/bench/report_bench" --seconds "$seconds" $gz "$data/medium.json"
    if [ -x "$build/bench/simdjson_bench" ]; then
        # Interleaved with libtlsrpt on the medium report, so that both see the same load (bench/README.md,
        # "Single-report reading").
        for k in 1 2 3; do
            "$build/bench/simdjson_bench" --seconds "$seconds" "$data/medium.json.gz" "$data/medium.json" 2>/dev/null
            "$build/bench/report_bench" --seconds "$seconds" "$data/medium.json.gz" "$data/medium.json"
        done
        "$build/bench/simdjson_bench" --seconds "$seconds" $gz 2>"$data/simdjson.txt"
    else
        echo "simdjson_bench not built (libsimdjson-dev or a C++ compiler missing): skipped" >&2
    fi
    python3 "$here/bench_py.py" --seconds "$seconds" $gz
    if command -v node >/dev/null 2>&1; then
        node "$here/bench_node.js" --seconds "$seconds" $gz
    else
        echo "node not found: skipped" >&2
    fi
    if [ -x "$build/bench/jansson_bench" ]; then
        "$build/bench/jansson_bench" --seconds "$seconds" $gz
    else
        echo "jansson_bench not built (libjansson-dev or zlib1g-dev missing): skipped" >&2
    fi
    "$build/bench/report_heap" --heap "$data/large.json.gz"
    "$build/bench/write_bench" --seconds "$seconds" "$data/large.json"
    python3 "$here/bench_write_py.py" --seconds "$seconds" "$data/large.json"
} > "$data/results.tsv"
if [ -s "$data/simdjson.txt" ]; then
    echo "comparator: $(cat "$data/simdjson.txt")"
fi
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/summarize.py" < "$data/results.tsv"

# Cross-check of the peak heap with valgrind's massif (heap blocks only, including the input buffer).
if command -v valgrind >/dev/null 2>&1; then
    valgrind --tool=massif --massif-out-file="$data/massif.out" "$build/bench/report_heap" --heap \
        "$data/large.json.gz" >/dev/null 2>&1
    peak=$(sed -n 's/^mem_heap_B=//p' "$data/massif.out" | sort -n | tail -1)
    echo "massif: peak heap of the whole process $peak bytes (includes the $(wc -c < "$data/large.json.gz")-byte input)"
fi
