#!/usr/bin/env python3
"""layers.py: the include rules of docs/layers.md, checked against the
code. Each source file has a layer; a file may include the headers of
files in its own layer or below, and no two files may depend on each
other, however long the way round. Prints one line per problem and
"layers: N passed, N failed"."""
import os
import re
import sys

# layer: files (without .c); a header x.h belongs to x.c, a private
# header to the family named after it
LAYERS = [
    ("support", "buf log proto config sandbox memtrim label zone msg"),
    ("blocks", "utf8 gemtext path mime scheme memo authors"),
    ("transport", "loop listen tls_key tls iplimit proxy certcheck ticket conn"),
    ("core", "convert convert_md convert_html convert_html_tree "
             "convert_html_meta convert_html_pick convert_html_page "
             "convert_txt article article_news catalog catalog_bulk "
             "catalog_scan site "
             "site_entry site_walk site_image site_patch site_load search counter "
             "counter_map "
             "counter_redis pagecache "
             "render route"),
    ("serve", "serve"),
    ("front", "gopher_render gemini gopher titan"),
    ("processes", "server master privsep preview import publish main"),
]
PRIVATE = {"convert_int": "convert", "convert_html_int": "convert_html",
           "site_int": "site", "site_walk": "site_walk",
           "site_entry": "site_entry", "site_patch": "site_patch",
           "catalog_int": "catalog",
           "catalog_bulk": "catalog_bulk"}

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
layer = {}
for i, (_, names) in enumerate(LAYERS):
    for n in names.split():
        layer[n] = i
problems = []
deps = {}
srcs = sorted(f[:-2] for f in os.listdir(os.path.join(root, "src"))
              if f.endswith(".c"))
for m in srcs:
    if m not in layer:
        problems.append(f"src/{m}.c: in no layer of tests/layers.py")
        continue
    text = open(os.path.join(root, "src", m + ".c")).read()
    deps[m] = set()
    for h in re.findall(r'#include "([a-z0-9_]+)\.h"', text):
        owner = PRIVATE.get(h, h)
        if owner == m or owner not in layer:
            continue
        deps[m].add(owner)
        if layer[owner] > layer[m]:
            problems.append(f"src/{m}.c includes {h}.h: "
                            f"{LAYERS[layer[m]][0]} -> "
                            f"{LAYERS[layer[owner]][0]} runs up")
# no circles: depth-first search for a way back
state = {}


def visit(m, path):
    state[m] = 1
    for d in sorted(deps.get(m, ())):
        if state.get(d) == 1:
            cyc = path[path.index(d):] + [d]
            problems.append("circle: " + " -> ".join(cyc))
        elif d not in state:
            visit(d, path + [d])
    state[m] = 2


for m in sorted(deps):
    if m not in state:
        visit(m, [m])
for p in problems:
    print(p)
checked = len(deps)
print(f"layers: {checked - len(problems) if checked > len(problems) else 0}"
      f" passed, {len(problems)} failed")
sys.exit(1 if problems else 0)
