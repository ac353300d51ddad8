#!/bin/sh
# Single-report reading (issue 15, bench/README.md "Single-report reading"): libtlsrpt beside the libdeflate +
# simdjson reader of the same fields, on the medium report, interleaved so that both see the same machine load.
#   bench/single.sh [BUILD-DIR] [ROUNDS] [SECONDS] [BEFORE-BUILD-DIR]
# BUILD-DIR (default build-bench) is configured as in run.sh if it does not exist. Each round runs simdjson_bench,
# report_bench (and BEFORE-BUILD-DIR's report_bench, e.g. a release build of an older commit, when given) for
# SECONDS (default 0.5) on medium.json (the JSON + object stage: parse, every field into the objects, the walk) and
# medium.json.gz (end to end). Prints the load average before and after, every round's figures, and the best of
# each; the instructions per report (valgrind callgrind, when installed) close the output.
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-$src/build-bench}
rounds=${2:-5}
seconds=${3:-0.5}
before=${4:-}

if [ ! -d "$build" ]; then
    meson setup "$build" "$src" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" -j2 bench/report_bench bench/report_heap >/dev/null
if ninja -C "$build" -t targets all 2>/dev/null | grep -q '^bench/simdjson_bench:'; then
    ninja -C "$build" -j2 bench/simdjson_bench >/dev/null
    simdjson=$build/bench/simdjson_bench
else
    echo "simdjson_bench not configured (libsimdjson-dev or a C++ compiler missing): libtlsrpt only" >&2
    simdjson=
fi

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
python3 "$here/gen_reports.py" "$data" >/dev/null
files="$data/medium.json $data/medium.json.gz"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
k=0
while [ "$k" -lt "$rounds" ]; do
    [ -n "$simdjson" ] && "$simdjson" --seconds "$seconds" $files 2>/dev/null
    "$build/bench/report_bench" --seconds "$seconds" $files
    if [ -n "$before" ]; then
        "$before/bench/report_bench" --seconds "$seconds" $files | sed 's/^libtlsrpt/libtlsrpt-before/'
    fi
    k=$((k + 1))
done > "$data/rounds.tsv"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
sed 's/^/  /' "$data/rounds.tsv"
echo "best of $rounds rounds (µs per report):"
awk -F'\t' '{ f = $2; sub(".*/", "", f); k = $1 "\t" f; if (!(k in best) || $4 < best[k]) best[k] = $4; sum[k] = $5 }
    END { for (k in best) printf "  %-34s %9.2f   checksum %s\n", k, best[k], sum[k] }' "$data/rounds.tsv" | sort
"$build/bench/report_heap" --heap "$data/medium.json.gz" |
    awk -F'\t' '{ printf "peak heap, medium.json.gz: %d bytes = %.2f x the JSON\n", $5, $5 / $3 }'
"$build/bench/report_heap" --heap "$data/medium.json" |
    awk -F'\t' '{ printf "peak heap, medium.json:    %d bytes = %.2f x the JSON\n", $5, $5 / $3 }'

if command -v valgrind >/dev/null 2>&1; then
    for f in medium.json medium.json.gz; do
        valgrind --tool=callgrind --callgrind-out-file="$data/cg.out" --toggle-collect=once \
            "$build/bench/report_bench" --iterations 10 "$data/$f" >/dev/null 2>&1
        n=$(sed -n 's/^totals: //p;s/^summary: //p' "$data/cg.out" | head -1)
        printf 'instructions per report, libtlsrpt, %-15s %9d\n' "$f" $((n / 10))
        if [ -n "$simdjson" ]; then
            # valgrind does not run AVX-512: simdjson picks a narrower kernel under it than natively.
            valgrind --tool=callgrind --callgrind-out-file="$data/cg.out" '--toggle-collect=*::once*' \
                "$simdjson" --iterations 10 "$data/$f" >/dev/null 2>&1
            n=$(sed -n 's/^totals: //p;s/^summary: //p' "$data/cg.out" | head -1)
            printf 'instructions per report, simdjson,  %-15s %9d (under valgrind)\n' "$f" $((n / 10))
        fi
    done
fi
