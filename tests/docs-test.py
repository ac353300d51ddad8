#!/usr/bin/env python3
"""Docs in step with the code: every exported function has a man page that names it, every man page in doc/ is
installed, and every diagnostic id the library can emit is listed in doc/diagnostics.md.

usage: docs-test.py SOURCE_ROOT
"""
import os
import re
import sys


def main():
    root = sys.argv[1]
    errors = []
    mapfile = open(os.path.join(root, "lib", "libtlsrpt.map")).read()
    mapfile = re.sub(r"/\*.*?\*/", "", mapfile, flags=re.S)
    symbols = sorted(set(re.findall(r"\b(tlsrpt_[a-z0-9_]+)\s*;", mapfile)))
    docdir = os.path.join(root, "doc")
    pages = {f: open(os.path.join(docdir, f)).read() for f in os.listdir(docdir) if re.search(r"\.[13]$", f)}
    for sym in symbols:
        # The synopsis line of a man page: .BI "type name(" or .BR name ( ...
        if not any(re.search(r"\b" + re.escape(sym) + r"\s*\(", text) for text in pages.values()):
            errors.append(f"{sym} is exported but no man page in doc/ shows its synopsis")
    # doc/ABI.md's table lists exactly the exported symbols, each with its version node.
    nodes = {}
    for node, body in re.findall(r"(LIBTLSRPT_[0-9.]+)\s*\{(.*?)\}", mapfile, flags=re.S):
        for sym in re.findall(r"\b(tlsrpt_[a-z0-9_]+)\s*;", body):
            nodes[sym] = node.split("_", 1)[1]
    abi = open(os.path.join(docdir, "ABI.md")).read()
    table = dict(re.findall(r"^\| `(tlsrpt_[a-z0-9_]+)` \| ([0-9.]+) \|", abi, flags=re.M))
    for sym in sorted(set(nodes) - set(table)):
        errors.append(f"{sym} is exported but not in doc/ABI.md's symbol table")
    for sym in sorted(set(table) - set(nodes)):
        errors.append(f"doc/ABI.md lists {sym}, which the map does not export")
    for sym in sorted(set(table) & set(nodes)):
        if table[sym] != nodes[sym]:
            errors.append(f"doc/ABI.md says {sym} is since {table[sym]}, the map says {nodes[sym]}")
    # Every function has a man page of its own name: its page, or a link (doc/man-links.txt) to the page that shows
    # its synopsis.
    links = {}
    for line in open(os.path.join(docdir, "man-links.txt")).read().split("\n"):
        if line.strip():
            link, target = line.split(" ")
            links[link] = target
            if link in pages:
                # meson install refuses a link over an installed page (and a page linking to itself).
                errors.append(f"doc/man-links.txt makes {link} a link, but it is a page of its own")
    for sym in symbols:
        if f"{sym}.3" in pages:
            continue
        target = links.get(f"{sym}.3")
        if target is None:
            errors.append(f"{sym} has no man page and no link in doc/man-links.txt")
        elif target not in pages or not re.search(r"\b" + re.escape(sym) + r"\s*\(", pages[target]):
            errors.append(f"doc/man-links.txt points {sym}.3 at {target}, which does not show its synopsis")
    installed = open(os.path.join(docdir, "meson.build")).read()
    for page in sorted(pages):
        if f"'{page}'" not in installed:
            errors.append(f"doc/{page} is not in doc/meson.build's man_pages")

    # Diagnostic ids: string literals passed as the id argument of trpt_diag_add, or listed in a table of ids.
    ids = set()
    libdir = os.path.join(root, "lib")
    # lib/ and its rooms (lib/sts/, ...)
    sources = sorted(os.path.join(d, f) for d, _, files in os.walk(libdir) for f in files)
    for fn in sources:
        if not fn.endswith(".c"):
            continue
        text = open(fn).read()
        # The id is the first string literal of any call to a function whose name contains "diag"
        # (trpt_diag_add and the files' own wrappers); ids are kebab-case.
        for m in re.finditer(r"\b\w*diag\w*\s*\(", text):
            call = text[m.end():text.find(";", m.end())]
            lit = re.search(r'"([^"]*)"', call)
            if lit and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", lit.group(1)):
                ids.add(lit.group(1))
        # Ids that reach the list through a variable or a helper are marked DIAG_ID("...") (lib/internal.h).
        ids.update(re.findall(r'\bDIAG_ID\("([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"\)', text))
    diagdoc_path = os.path.join(docdir, "diagnostics.md")
    diagdoc = open(diagdoc_path).read() if os.path.exists(diagdoc_path) else ""
    for i in sorted(ids):
        if f"`{i}`" not in diagdoc:
            errors.append(f"diagnostic id {i} is emitted by lib/ but not listed in doc/diagnostics.md")

    for e in errors:
        print("FAIL:", e)
    print(f"{len(symbols)} symbols (table: abi/update-symbol-table.py), {len(pages)} man pages, {len(ids)} diagnostic ids; {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
