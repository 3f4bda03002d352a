#!/usr/bin/env python3
"""Edits one file for the "one file edited" benchmark, the way a person edits code: a comment
line goes in just before the file's first tracking call (so that call and everything after it
move), or comes out again if the previous run put it there. Every run sees a changed file of
the same size class. usage: toggle_edit.py FILE"""
import re
import sys

MARK = b"tracklint-bench-edit"
path = sys.argv[1]
with open(path, "rb") as f:
    lines = f.read().split(b"\n")
comment = b"# " if path.endswith(".rb") else b"// "
marked = [i for i, line in enumerate(lines) if MARK in line]
if marked:
    del lines[marked[0]]
else:
    call = re.compile(rb"\.(track|capture)\(")
    at = next((i for i, line in enumerate(lines) if call.search(line)), len(lines) // 2)
    indent = re.match(rb"[ \t]*", lines[at]).group(0) if at < len(lines) else b""
    lines.insert(at, indent + comment + MARK)
with open(path, "wb") as f:
    f.write(b"\n".join(lines))
