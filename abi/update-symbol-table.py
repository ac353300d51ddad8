#!/usr/bin/env python3
"""Rewrites the symbol table at the end of doc/ABI.md and doc/man-links.txt (one man page link per function, installed
by doc/meson.build) from lib/libtlsrpt.map and the man pages in doc/."""
import os
import re
import sys
root=sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
m=open(f'{root}/lib/libtlsrpt.map').read()
m=re.sub(r"/\*.*?\*/","",m,flags=re.S)
rows=[]
for node, body in re.findall(r"(LIBTLSRPT_[0-9.]+)\s*\{(.*?)\}", m, flags=re.S):
    since=node.split('_')[1]
    for sym in re.findall(r"\b(tlsrpt_[a-z0-9_]+)\s*;", body):
        page=None
        cands=[f for f in sorted(os.listdir(f'{root}/doc')) if re.search(r"\.[13]$", f) and re.search(r"\b"+sym+r"\s*\(", open(f'{root}/doc/'+f).read())]
        cands.sort(key=lambda f: -len(os.path.commonprefix([f.rsplit('.',1)[0], sym])))
        if cands:
            f=cands[0]; page=f.rsplit('.',1)[0]+'('+f.rsplit('.',1)[1]+')'
        rows.append((sym, since, page))
out="## Symbols and the version that added them\n\nEvery exported function, its ELF version node and its man page (the `docs` test checks that this table lists\nexactly the symbols of `lib/libtlsrpt.map`).\n\n| function | since | man page |\n|---|---|---|\n"
for sym,since,page in sorted(rows):
    out+=f"| `{sym}` | {since} | {page} |\n"
p=f'{root}/doc/ABI.md'; s=open(p).read()
s=s[:s.index("## Symbols and the version")]+out
open(p,'w').write(s)
print(len(rows))
links = "".join(f"{sym}.3 {page.replace('(3)', '.3').replace('(1)', '.1')}\n" for sym, since, page in sorted(rows)
                if page and page != sym + "(3)")
open(f'{root}/doc/man-links.txt', 'w').write(links)
