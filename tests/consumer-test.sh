#!/bin/sh
# Installs the build into a throwaway DESTDIR and builds a consumer with pkg-config against it, as a downstream
# project would. usage: consumer-test.sh BUILDDIR CONSUMER.c
set -eu
builddir=$1
src=$2
# A sanitizer build of the library needs the consumer built with the same runtime (ASan must come first).
sanitize=${3:-none}
san_flags=""
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then san_flags="-fsanitize=$sanitize"; fi
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet >/dev/null
pcfile=$(find "$dest" -name tlsrpt.pc | head -n 1)
[ -n "$pcfile" ] || { echo "FAIL: tlsrpt.pc was not installed"; exit 1; }
# Headers must be under include/tlsrpt/, never a top-level tlsrpt.h (sys4's library installs one).
if find "$dest" -path '*/include/tlsrpt.h' | grep -q .; then echo "FAIL: top-level tlsrpt.h installed"; exit 1; fi
export PKG_CONFIG_PATH="$(dirname "$pcfile")"
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags tlsrpt)
libs=$(pkg-config --libs tlsrpt)
echo "pkg-config: $cflags $libs"
${CC:-cc} -std=c99 -Wall -Wextra -Werror $san_flags $cflags "$src" -o "$dest/consumer" $libs
libdir=$(dirname "$(dirname "$pcfile")")
LD_LIBRARY_PATH="$libdir" "$dest/consumer"
# The program must have resolved libtlsrpt from the DESTDIR, by SONAME libtlsrpt.so.1.
LD_LIBRARY_PATH="$libdir" ldd "$dest/consumer" | grep -q "libtlsrpt.so.1 => $libdir" || {
  echo "FAIL: consumer did not link libtlsrpt.so.1 from $libdir"; exit 1; }
echo "consumer OK"
