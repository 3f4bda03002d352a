#!/usr/bin/env python3
"""Turns bench/run.sh's hyperfine exports into bench/RESULTS.md: medians, ratios to tracklint's
parse floor, peak RSS and the machine description."""
import json
import os
import platform
import subprocess
import sys


def medians(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        data = json.load(f)
    return {r["command"]: r["median"] for r in data["results"]}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main():
    results, corpora = sys.argv[1], sys.argv[2:]
    out = ["# Benchmark results", ""]
    ast_grep = os.environ.get("AST_GREP", "ast-grep")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    tools = ", ".join([sh("rg --version | head -1"), sh(ast_grep + " --version"),
                       "semgrep " + sh("semgrep --version"), sh("hyperfine --version")])
    out.append(f"Machine: {sh('nproc')} cores, {cpu}, {platform.system()} {platform.release()}; {tools}.")
    out.append("")
    runs = os.environ.get("RUNS", "5")
    out.append(f"Medians of `bash bench/run.sh` (hyperfine, 1 warm-up, {runs} runs; semgrep 1 run). "
               "Ratios are to tracklint's parse floor (`tracklint debug parse`: walk, read and "
               "tree-sitter-parse every candidate file, nothing else) at the same thread count. "
               "ast-grep and semgrep run one rule (a snake_case event name in a `.track(` call); "
               "tracklint `check` runs every rule.")
    out.append("")
    out.append("| corpus | files | MB | threads | rg -l | parse floor | check | check / floor | ast-grep | ast-grep / check | semgrep | semgrep / check |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    speedups = []
    for name in corpora:
        meta_path = os.path.join(results, f"{name}.meta.json")
        if not os.path.exists(meta_path):
            continue
        with open(meta_path) as f:
            meta = json.load(f)
        per_thread = {}
        for t in (1, 2):
            m = medians(os.path.join(results, f"{name}.t{t}.json"))
            m.update(medians(os.path.join(results, f"{name}.t{t}.semgrep.json")))
            per_thread[t] = m
            floor, check = m.get("tracklint parse floor"), m.get("tracklint check")
            sg, semgrep, rg = m.get("ast-grep (1 rule)"), m.get("semgrep (1 rule)"), m.get("rg -l")

            def fmt(x):
                return f"{x:.3f} s" if x is not None else "n/a"

            def ratio(a, b):
                return f"{a / b:.2f}x" if a is not None and b else "n/a"
            out.append(f"| {name} | {meta['files']} | {meta['bytes'] / 1e6:.1f} | {t} | {fmt(rg)} | {fmt(floor)} | "
                       f"{fmt(check)} | {ratio(check, floor)} | {fmt(sg)} | {ratio(sg, check)} | {fmt(semgrep)} | "
                       f"{ratio(semgrep, check)} |")
        c1, c2 = per_thread[1].get("tracklint check"), per_thread[2].get("tracklint check")
        if c1 and c2:
            speedups.append((name, c1 / c2))
    out.append("")
    out.append("## Repeated runs: the cache (`.tracklint_cache/`)")
    out.append("")
    out.append("`first run` writes the cache (none before it); `unchanged` runs again on the same tree; "
               "`one file edited` runs after a file with tracking calls changed. Ratios are to the first run.")
    out.append("")
    out.append("| corpus | threads | no cache | first run | unchanged | unchanged / first | one file edited | edited / first |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in corpora:
        for t in (1, 2):
            m = medians(os.path.join(results, f"{name}.t{t}.json"))
            m.update(medians(os.path.join(results, f"{name}.t{t}.cold.json")))
            m.update(medians(os.path.join(results, f"{name}.t{t}.edit.json")))
            plain, first = m.get("tracklint check"), m.get("tracklint check (cold cache)")
            warm, edit = m.get("tracklint check (warm cache)"), m.get("tracklint check (one file edited)")
            if first is None:
                continue

            def fmt(x):
                return f"{x:.3f} s" if x is not None else "n/a"

            def pct(a, b):
                return f"{100 * a / b:.0f}%" if a is not None and b else "n/a"
            out.append(f"| {name} | {t} | {fmt(plain)} | {fmt(first)} | {fmt(warm)} | {pct(warm, first)} | "
                       f"{fmt(edit)} | {pct(edit, first)} |")
    out.append("")
    out.append("## 2 threads vs 1 (tracklint check)")
    out.append("")
    for name, s in speedups:
        out.append(f"- {name}: {s:.2f}x")
    out.append("")
    out.append("## Peak RSS (2 threads, `/usr/bin/time -f %M`)")
    out.append("")
    out.append("| corpus | parse floor | check | check (warm cache) | ast-grep |")
    out.append("|---|---:|---:|---:|---:|")
    for name in corpora:
        path = os.path.join(results, f"{name}.rss.json")
        if os.path.exists(path):
            with open(path) as f:
                r = json.load(f)
            warm = f"{r['warm'] / 1024:.0f} MB" if r.get("warm") else "n/a"
            out.append(f"| {name} | {r['floor'] / 1024:.0f} MB | {r['check'] / 1024:.0f} MB | {warm} | {r['ast-grep'] / 1024:.0f} MB |")
    out.append("")
    # The hand-written reading of the numbers (targets, profiles, what would close a gap).
    analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
    if os.path.exists(analysis):
        with open(analysis) as f:
            out.append(f.read())
    print("\n".join(out))


if __name__ == "__main__":
    main()
