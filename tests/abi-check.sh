#!/bin/sh
# meson test `abidiff`: the built libtlsrpt.so.1 must keep the ABI recorded in abi/libtlsrpt.abi.
# usage: abi-check.sh BASELINE.abi LIBTLSRPT.so.1
#
# Fails on any change other than an addition: a removed symbol or a symbol moved to another version node
# (abidiff bit 8, ABIDIFF_ABI_INCOMPATIBLE_CHANGE), a changed function signature, changed public type or changed
# callback type (bit 4, ABIDIFF_ABI_CHANGE), and on any error (bits 1 and 2). Added functions and symbols are
# allowed: --no-added-syms takes them out of the verdict, so they set no bit. Only public types count: the baseline
# was written with --headers-dir include/tlsrpt --drop-private-types, so the opaque structs (defined in lib/) are
# declaration-only there, and their layout in the new build is never compared. --exported-interfaces-only makes
# abidiff pair every exported symbol with its definition (without it, libabigail 2.2 leaves functions that are also
# called from another file of the library without a signature, and would miss a change of theirs).
# No --headers-dir2 here: it would also hide changes of system typedefs used in signatures (uint32_t -> uint64_t).
# The library must carry DWARF debug info (the default debugoptimized build has -g): without it abidiff could only
# compare symbol names, not signatures, so the test fails rather than pass on half a check.
set -u
baseline=$1
lib=$2

command -v abidiff >/dev/null 2>&1 || { echo "FAIL: abidiff not found (Debian package abigail-tools)"; exit 1; }
[ -f "$baseline" ] || { echo "FAIL: no baseline $baseline (run abi/update-baseline.sh)"; exit 1; }
if ! readelf -S --wide "$lib" | grep -q '\.debug_info'; then
  echo "FAIL: $lib has no debug info; the ABI check needs a build with -g (buildtype debug or debugoptimized)"
  exit 1
fi

abidiff --exported-interfaces-only --no-added-syms "$baseline" "$lib"
rc=$?
# Additions, shown for the reviewer only (they never fail the test).
report=$(abidiff --exported-interfaces-only "$baseline" "$lib" 2>&1)
if printf '%s\n' "$report" | grep -q '^ *\[A\]'; then
  echo "additions (allowed; each must be in a new version node of lib/libtlsrpt.map):"
  printf '%s\n' "$report" | grep '^ *\[A\]'
fi

if [ "$rc" -eq 0 ]; then
  echo "OK: no incompatible ABI change against $(basename "$baseline")"
  exit 0
fi
if [ $((rc & 3)) -ne 0 ]; then
  echo "FAIL: abidiff could not compare (exit $rc)"
elif [ $((rc & 8)) -ne 0 ]; then
  echo "FAIL: incompatible ABI change: a symbol was removed or moved to another version node (abidiff exit $rc)"
else
  echo "FAIL: ABI change: a function signature or a public type changed (abidiff exit $rc)"
fi
echo "If the change is intended for a new release whose functions are all in, run: sh abi/update-baseline.sh"
exit 1
