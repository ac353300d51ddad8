#!/usr/bin/env python3
"""Exported symbols == version script == TLSRPT_API declarations in the public headers.

usage: symbols-test.py LIBRARY MAPFILE HEADERDIR
"""
import os
import re
import subprocess
import sys

# Names that sys4's MTA library (libtlsrpt.so.0) exports; we must never export them (API.md, Conventions).
SYS4_EXACT = {"tlsrpt_open", "tlsrpt_close", "tlsrpt_version", "tlsrpt_version_check", "tlsrpt_strerror",
              "tlsrpt_init_delivery_request", "tlsrpt_init_policy", "tlsrpt_get_socket",
              "tlsrpt_set_malloc_and_free", "tlsrpt_errno_from_error_code", "tlsrpt_error_code_is_internal"}
SYS4_PATTERNS = [re.compile(p) for p in (r"^tlsrpt_add_", r"^tlsrpt_finish_", r"^tlsrpt_cancel_",
                                          r"^tlsrpt_set_.*blocking$")]


def map_symbols(path):
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    nodes = {}
    for node, body in re.findall(r"(LIBTLSRPT_[0-9.]+)\s*\{(.*?)\}", text, flags=re.S):
        glob = re.search(r"global:(.*?)(local:|$)", body, flags=re.S)
        names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*;", glob.group(1) if glob else "")
        nodes[node] = names
    return nodes


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name = parts[2]
        if "@" not in name:
            syms[name] = None
            continue
        base, _, version = name.partition("@")
        syms[base] = version.lstrip("@")
    return syms


def declared(headerdir):
    names = set()
    for fn in sorted(os.listdir(headerdir)):
        if not fn.endswith(".h") and not fn.endswith(".h.in"):
            continue
        text = open(os.path.join(headerdir, fn)).read()
        for m in re.finditer(r"TLSRPT_API\s+[^;(]*?\b(tlsrpt_[a-z0-9_]+)\s*\(", text):
            names.add(m.group(1))
    return names


def main():
    lib, mapfile, headerdir = sys.argv[1:4]
    errors = []
    nodes = map_symbols(mapfile)
    in_map = {}
    for node, names in nodes.items():
        for n in names:
            if n in in_map:
                errors.append(f"{n} is listed twice in the map")
            in_map[n] = node
    exp = {k: v for k, v in exported(lib).items() if not k.startswith("LIBTLSRPT_")}
    decl = declared(headerdir)

    for n in sorted(set(exp) - set(in_map)):
        errors.append(f"exported but not in the map: {n}")
    for n in sorted(set(in_map) - set(exp)):
        errors.append(f"in the map but not exported (not implemented?): {n}")
    for n, v in sorted(exp.items()):
        if n in in_map and v != in_map[n]:
            errors.append(f"{n} has version {v!r}, the map says {in_map[n]!r}")
    for n in sorted(decl - set(in_map)):
        errors.append(f"declared TLSRPT_API in a header but not in the map: {n}")
    for n in sorted(set(in_map) - decl):
        errors.append(f"in the map but not declared TLSRPT_API in any public header: {n}")
    for n in sorted(exp):
        if not n.startswith("tlsrpt_"):
            errors.append(f"exported symbol without the tlsrpt_ prefix: {n}")
        if n in SYS4_EXACT or any(p.search(n) for p in SYS4_PATTERNS):
            errors.append(f"exported symbol collides with sys4's libtlsrpt: {n}")

    for e in errors:
        print("FAIL:", e)
    print(f"{len(exp)} exported, {len(in_map)} in map, {len(decl)} declared; {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
