#!/bin/sh
# Regenerates abi/libtlsrpt.abi, the ABI baseline that tests/abi-check.sh (meson test `abidiff`) compares every build
# of libtlsrpt.so.1 against. Run it once per release, from a clean tree, after every symbol of the release is in:
#
#   sh abi/update-baseline.sh            # fresh gcc build in build-abi-baseline/ (debugoptimized, so with -g)
#   sh abi/update-baseline.sh BUILDDIR   # use an existing build dir instead (must have debug info)
#
# The baseline holds the exported functions with their ELF versions and the types reachable from them, as declared
# in include/tlsrpt/. Private types (the opaque structs' definitions, lib/*.h) are dropped, so they may change
# freely; locations are file names only and no paths, so the file does not depend on where it was built.
# Needs abigail-tools (abidw, abidiff). See doc/ABI.md, "How it is enforced".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ $# -ge 1 ]; then
  builddir=$1
else
  builddir=build-abi-baseline
  rm -rf "$builddir"
  CC=${CC:-gcc} meson setup "$builddir" -Dbuildtype=debugoptimized -Dtests=false >/dev/null
fi
meson compile -C "$builddir" lib/tlsrpt:shared_library >/dev/null
lib="$builddir/lib/libtlsrpt.so.1"
if ! readelf -S --wide "$lib" | grep -q '\.debug_info'; then
  echo "update-baseline: $lib has no debug info; build with -Dbuildtype=debugoptimized or debug" >&2
  exit 1
fi
abidw --exported-interfaces-only --headers-dir include/tlsrpt --drop-private-types --no-corpus-path --no-comp-dir-path --short-locs \
  --no-elf-needed --out-file abi/libtlsrpt.abi "$lib"
# The new baseline must compare equal to the library it was made from, through the same check the test runs.
sh tests/abi-check.sh abi/libtlsrpt.abi "$lib"
echo "wrote abi/libtlsrpt.abi: $(grep -c '<elf-symbol ' abi/libtlsrpt.abi) exported symbols"
