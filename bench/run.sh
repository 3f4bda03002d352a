#!/usr/bin/env bash
# tracklint benchmark: times tracklint side by side with its peers on real and generated corpora.
# Not a test. Needs: cargo, python3, apt-get + dpkg, npm, pip (installs hyperfine, ripgrep,
# ast-grep and semgrep if missing). Writes bench/RESULTS.md.
#
#   bash bench/run.sh                      # every corpus
#   CORPORA="rails dense-5k" bash bench/run.sh
#
# Work files go to $BENCH_DIR (default /tmp/tracklint-bench); corpora are downloaded once.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${BENCH_DIR:-/tmp/tracklint-bench}"
CORPORA="${CORPORA:-rails redmine ghost js-sdks dense-5k dense-10k dense-20k all}"
# semgrep needs minutes on the big dense trees; it runs where it finishes in reasonable time.
SEMGREP_CORPORA="${SEMGREP_CORPORA:-rails redmine ghost js-sdks dense-5k}"
RUNS="${RUNS:-5}"
mkdir -p "$WORK/corpora" "$WORK/results" "$WORK/tools"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need rg || ! [ -x /usr/bin/time ]; then
  apt-get install -y hyperfine ripgrep time >/dev/null
fi
AST_GREP="$WORK/tools/node_modules/.bin/ast-grep"
[ -x "$AST_GREP" ] || npm install --silent --prefix "$WORK/tools" @ast-grep/cli >/dev/null
need semgrep || pip install --quiet semgrep
# semgrep otherwise waits on network checks this machine cannot make.
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off

cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1
TL="$ROOT/target/release/tracklint"

corpus() {
  local name="$1" dir="$WORK/corpora/$1"
  if [ -d "$dir" ]; then echo "$dir"; return; fi
  mkdir -p "$dir.tmp" && cd "$dir.tmp"
  case "$name" in
    rails)  # Rails framework and common gems, Ruby sources from Debian
      apt-get download ruby-actionpack ruby-actionview ruby-activemodel ruby-activerecord \
        ruby-activesupport ruby-railties ruby-devise ruby-rack ruby-sidekiq >/dev/null 2>&1
      for deb in *.deb; do dpkg -x "$deb" src; done; rm -f ./*.deb ;;
    redmine)  # a whole Rails application (Ruby + JavaScript), from Debian
      apt-get download redmine >/dev/null 2>&1
      dpkg -x redmine_*.deb src; rm -f ./*.deb ;;
    ghost)  # a whole Node application with its built admin bundles, from npm
      npm pack --silent ghost >/dev/null; mkdir src; tar xzf ghost-*.tgz -C src; rm -f ./*.tgz ;;
    js-sdks)  # analytics SDK sources (TypeScript and bundled JavaScript), from npm
      for p in posthog-js @segment/analytics-next mixpanel mixpanel-browser react-mixpanel-browser; do
        npm pack --silent "$p" >/dev/null
      done
      mkdir src; for t in *.tgz; do mkdir "src/${t%.tgz}"; tar xzf "$t" -C "src/${t%.tgz}"; done; rm -f ./*.tgz ;;
    dense-*)  # generated: every file holds several tracking calls
      python3 "$ROOT/bench/gen_dense.py" src "${name#dense-}" ;;
    all)  # every corpus above side by side (hard links): one ~36,000-file tree
      mkdir src
      for c in rails redmine ghost js-sdks dense-10k dense-20k; do cp -al "$(corpus "$c")" "src/$c"; done ;;
  esac
  cd "$WORK" && mv "$dir.tmp/src" "$dir" && rm -rf "$dir.tmp"
  echo "$dir"
}

for name in $CORPORA; do
  dir="$(corpus "$name")"
  files=$(find "$dir" -type f \( -name '*.rb' -o -name '*.rake' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \
    -o -name '*.jsx' -o -name '*.ts' -o -name '*.tsx' \) -not -path '*/node_modules/*' | wc -l)
  bytes=$(du -sb "$dir" | cut -f1)
  echo "{\"files\": $files, \"bytes\": $bytes}" > "$WORK/results/$name.meta.json"
  cache="$WORK/cache/$name"
  for t in 1 2; do
    # "check" reads and parses every file (no cache): the first run on a tree, or CI.
    cmds=(
      -n "rg -l" "rg -l -j $t -e mixpanel -e track $dir"
      -n "tracklint parse floor" "$TL debug parse --threads $t $dir"
      -n "tracklint check" "$TL check --quiet --format json --no-cache --threads $t $dir"
      -n "tracklint check (warm cache)" "$TL check --quiet --format json --cache-dir $cache --threads $t $dir"
      -n "ast-grep (1 rule)" "$AST_GREP scan -c $ROOT/bench/rules/sgconfig.yml --threads $t $dir"
    )
    echo "== $name, $t thread(s)" >&2
    hyperfine -N -i -w 1 -r "$RUNS" --export-json "$WORK/results/$name.t$t.json" "${cmds[@]}" >/dev/null 2>&1
    # The first run that writes the cache, and a run after one file changed (a file with
    # tracking calls gets a comment line added or removed before each run).
    edited="$( { grep -rlE --include='*.rb' --include='*.js' --include='*.ts' '\.(track|capture)\(' "$dir" || true; } | sort | head -1 || true)"
    [ -n "$edited" ] || edited="$( { find "$dir" -type f -name '*.rb' -o -type f -name '*.js'; } | sort | head -1 || true)"
    hyperfine -N -i -r "$RUNS" --export-json "$WORK/results/$name.t$t.cold.json" \
      --prepare "rm -rf $cache" \
      -n "tracklint check (cold cache)" "$TL check --quiet --format json --cache-dir $cache --threads $t $dir" >/dev/null 2>&1
    if [ -n "$edited" ]; then
      "$TL" check --quiet --format json --cache-dir "$cache" --threads "$t" "$dir" >/dev/null 2>&1 || true
      hyperfine -N -i -r "$RUNS" --export-json "$WORK/results/$name.t$t.edit.json" \
        --prepare "python3 $ROOT/bench/toggle_edit.py $edited" \
        -n "tracklint check (one file edited)" "$TL check --quiet --format json --cache-dir $cache --threads $t $dir" >/dev/null 2>&1
    fi
    if [[ " $SEMGREP_CORPORA " == *" $name "* ]]; then
      hyperfine -N -i -r 1 --export-json "$WORK/results/$name.t$t.semgrep.json" \
        -n "semgrep (1 rule)" \
        "semgrep scan --config $ROOT/bench/rules/semgrep.yml --metrics=off --disable-version-check -q --jobs $t $dir" \
        >/dev/null 2>&1
    fi
  done
  # Peak RSS, 2 threads.
  rss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$WORK/results/rss.tmp" || true; tail -1 "$WORK/results/rss.tmp"; }
  echo "{\"floor\": $(rss "$TL" debug parse --threads 2 "$dir"), \"check\": $(rss "$TL" check -q --format json --no-cache --threads 2 "$dir"), \"warm\": $(rss "$TL" check -q --format json --cache-dir "$cache" --threads 2 "$dir"), \"ast-grep\": $(rss "$AST_GREP" scan -c "$ROOT/bench/rules/sgconfig.yml" --threads 2 "$dir")}" \
    > "$WORK/results/$name.rss.json"
done

RUNS="$RUNS" AST_GREP="$AST_GREP" python3 "$ROOT/bench/report.py" "$WORK/results" $CORPORA > "$ROOT/bench/RESULTS.md"
echo "wrote bench/RESULTS.md" >&2
