#!/usr/bin/env python3
"""Edits one file for the "one file edited" benchmark: adds a trailing comment line, or
removes it if the previous run added it, so every run sees a changed file of the same size
class. usage: toggle_edit.py FILE"""
import sys

MARK = b"tracklint-bench-edit"
path = sys.argv[1]
with open(path, "rb") as f:
    text = f.read()
comment = b"# " if path.endswith(".rb") else b"// "
line = comment + MARK + b"\n"
text = text[: -len(line)] if text.endswith(line) else text + (b"" if text.endswith(b"\n") else b"\n") + line
with open(path, "wb") as f:
    f.write(text)
