#!/bin/sh
# Installs koffi (the Node FFI library that tests/ffi/test_koffi.js uses) into tests/ffi/node_modules, git-ignored,
# at the version package-lock.json pins (npm ci: the exact tarballs and their integrity hashes). .ci/deps runs it;
# run it by hand after a fresh clone. Tests never download: the test only looks here.
# Where npm is missing or cannot reach its registry, this writes tests/ffi/.koffi-unavailable with the reason; the
# test then skips and prints it. Anywhere else a missing koffi fails the test.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
marker="$dir/.koffi-unavailable"
rm -f "$marker"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed" > "$marker"
  echo "install-koffi: npm is not installed; the ffi-koffi test will skip" >&2
  exit 0
fi
if log=$(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error 2>&1); then
  echo "install-koffi: koffi $(cd "$dir" && node -p "require('koffi').version") in $dir/node_modules"
else
  printf 'npm ci failed:\n%s\n' "$log" | tail -n 20 > "$marker"
  echo "install-koffi: npm could not install koffi (see $marker); the ffi-koffi test will skip" >&2
fi
exit 0
