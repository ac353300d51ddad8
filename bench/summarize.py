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
ok_runs = True
heap = []
write = {}  # metric -> {impl: value}
for row in rows:
    if row[0] == "write":  # "write", impl, metric, value (write_bench.c, bench_write_py.py)
        write.setdefault(row[2], {})[row[1]] = float(row[3])
        continue
    if row[3] == "peak-heap":  # impl, file, JSON bytes, "peak-heap", bytes, checksum
        heap.append((row[1], int(row[2]), int(row[4])))
        continue
    impl, path, size, us, checksum = row
    entries = by_file.setdefault(os.path.basename(path), [])
    # An implementation run several times on one file (run.sh interleaves libtlsrpt and simdjson): its best time.
    same = next((i for i, e in enumerate(entries) if e[0] == impl), None)
    if same is None:
        entries.append((impl, int(size), float(us), checksum))
    elif float(us) < entries[same][2] or checksum != entries[same][3]:
        entries[same] = (impl, int(size), min(float(us), entries[same][2]),
                         checksum if checksum != entries[same][3] else entries[same][3])
        if checksum != entries[same][3]:
            print("CHECKSUM CHANGED between runs: %s on %s" % (impl, path))
            ok_runs = False

TARGETS = {"python3": 4, "node": 2, "jansson+zlib": 10}
ok = ok_runs
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
        print("  JSON + object stage: %.1f µs per report (issue 15 target <= 10 µs, beside simdjson's)" % base[2])
    print()
for path, size, peak in heap:
    print("peak heap, %s: %d bytes = %.2f x the JSON size (%d bytes; target <= 2x)" %
          (os.path.basename(path), peak, peak / size, size))
if write:
    lib, py = "libtlsrpt", "python3"

    def value(metric, impl):
        return write.get(metric, {}).get(impl)

    print()
    print("writing (large report: %d bytes of compact JSON)" % value("json-bytes", lib))
    print("  %-34s %16s %16s %14s" % ("figure", "libtlsrpt", "python3", "target"))
    for metric, label, target in [("successes-per-s", "successes recorded per second", ">= 100 000 000"),
                                  ("failures-per-s", "failures on existing details /s", ">= 5 000 000")]:
        print("  %-34s %16.0f %16s %14s" % (label, value(metric, lib),
                                             "%.0f" % value(metric, py) if value(metric, py) else "-", target))
    ser, ser_py = value("serialize-us", lib), value("serialize-us", py)
    print("  %-34s %13.2f ms %13.2f ms %14s" % ("serialize (compact JSON)", ser / 1e3, ser_py / 1e3, ""))
    print("  %-34s %11.0f MB/s %11.0f MB/s %14s" % ("  as throughput", value("json-bytes", lib) / ser,
                                                    value("json-bytes", py) / ser_py, ""))
    print("  %-34s %13.2f ms %13.2f ms %14s" % ("serialize + gzip", value("serialize-gzip-us", lib) / 1e3,
                                                value("serialize-gzip-us", py) / 1e3, "< 20 ms"))
    print("  %-34s %16.0f %16.0f %14s" % ("gzip bytes", value("gzip-bytes", lib), value("gzip-bytes", py), ""))
    if value("json-bytes", lib) != value("json-bytes", py):
        print("  JSON SIZE MISMATCH: the two did not write the same report")
        ok = False
sys.exit(0 if ok else 1)
