#!/usr/bin/env bash
# Side by side: two tracklint binaries (say, the last release and this tree) on the same trees,
# mean wall time over hyperfine runs, and the ratio. Not a test.
#
#   bash bench/compare.sh OLD_BINARY NEW_BINARY DIR...
#
# For wrapper inference, DIR is a public app fetched for the purpose and a generated dense
# corpus (`python3 bench/gen_dense.py /tmp/dense5k 5k`).
set -euo pipefail
old="$1"; new="$2"; shift 2
command -v hyperfine >/dev/null 2>&1 || apt-get install -y hyperfine >/dev/null
out="$(mktemp)"
printf '%-34s %10s %10s %7s\n' tree old new ratio
for dir in "$@"; do
  hyperfine -N -w 1 -r "${RUNS:-5}" --export-json "$out" \
    "$old check --format json --exit-zero $dir" "$new check --format json --exit-zero $dir" >/dev/null 2>&1
  python3 - "$out" "$(basename "$dir")" <<'PY'
import json, sys
old, new = (r["mean"] for r in json.load(open(sys.argv[1]))["results"])
print(f"{sys.argv[2]:<34} {old*1000:8.1f}ms {new*1000:8.1f}ms {new/old:6.2f}x")
PY
done
rm -f "$out"
