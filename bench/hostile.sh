#!/bin/sh
# Hostile input (issue 10): builds bench/hostile and runs it; bench/README.md ("Hostile input") explains the output.
#   bench/hostile.sh [BUILD-DIR] [HOSTILE-ARGUMENTS...]
# BUILD-DIR (default build-bench; a first argument that starts with '-' or a digit is hostile's) is configured if
# it does not exist (release build, -Dtests=false), as run.sh does; hostile is built there with -j1.
# Without further arguments every class runs at 1 MiB and at 8 MiB of JSON; otherwise the arguments go to hostile
# as they are, e.g.  bench/hostile.sh build-bench --only name-flood,ordinary 256K 1M
# SPDX-License-Identifier: MIT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=$src/build-bench
case "${1:-}" in
    '' | -* | [0-9]*) ;;  # no BUILD-DIR given: the arguments are hostile's
    *) build=$1; shift ;;
esac

if [ ! -d "$build" ]; then
    meson setup "$build" "$src" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" -j1 bench/hostile >/dev/null

echo "hostile: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, git $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')"
if [ $# -eq 0 ]; then
    set -- 1M 8M
fi
"$build/bench/hostile" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
