#!/usr/bin/env python3
"""Reads the benchmark lines (impl, file, JSON bytes, µs per report, checksum) on stdin and prints, per input, each
implementation's µs per report, reports per second and MB/s of JSON text, its ratio to libtlsrpt, and whether the
checksums agree (every implementation must read the same values). The targets of the issue are printed beside.
SPDX-License-Identifier: MIT
"""
import os
import sys

rows = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
by_file = {}
heap = []
for row in rows:
    if row[3] == "peak-heap":  # impl, file, JSON bytes, "peak-heap", bytes, checksum
        heap.append((row[1], int(row[2]), int(row[4])))
        continue
    impl, path, size, us, checksum = row
    by_file.setdefault(os.path.basename(path), []).append((impl, int(size), float(us), checksum))

TARGETS = {"python3": 4, "node": 2, "jansson+zlib": 10}
ok = True
for name, entries in by_file.items():
    base = next((e for e in entries if e[0] == "libtlsrpt"), None)
    print("%s (%d bytes of JSON)" % (name, entries[0][1]))
    print("  %-14s %12s %12s %10s %16s" % ("implementation", "µs/report", "reports/s", "MB/s", "libtlsrpt is"))
    for impl, size, us, checksum in entries:
        ratio = "" if base is None or impl == "libtlsrpt" else "%.2fx faster" % (us / base[2])
        if base and impl != "libtlsrpt" and us / base[2] < 1:
            ratio = "%.2fx slower" % (base[2] / us)
        if name.startswith("medium") and name.endswith(".gz") and impl in TARGETS:
            ratio += " (target >= %dx)" % TARGETS[impl]
        print("  %-14s %12.1f %12.0f %10.1f %16s" % (impl, us, 1e6 / us, size / us, ratio))
        if base and checksum != base[3]:
            print("  CHECKSUM MISMATCH: %s read %s, libtlsrpt %s" % (impl, checksum, base[3]))
            ok = False
    if name == "medium.json" and base:
        print("  JSON stage alone (plain JSON input): %.1f MB/s (target >= 600 MB/s)" % (base[1] / base[2]))
    print()
for path, size, peak in heap:
    print("peak heap, %s: %d bytes = %.2f x the JSON size (%d bytes; target <= 2x)" %
          (os.path.basename(path), peak, peak / size, size))
sys.exit(0 if ok else 1)
