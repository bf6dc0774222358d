#!/usr/bin/env bash
# Times `tidings list` over the articles/ folder of a generated corpus, as a whole process:
# median wall time of N runs and peak RSS. Usage: scripts/bench-list.sh [ITEMS] [RUNS]
# (ITEMS feed items; the generator writes ITEMS/10 plain-text articles.)
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-100000}
runs=${2:-11}
corpus=${CORPUS_DIR:-/tmp/tidings-corpus-$items}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
if [ ! -f "$corpus/manifest.json" ]; then
  python3 "$gen" --out "$corpus" --items "$items" --seed 1 >/dev/null 2>&1
fi
cargo build --release --quiet
bin=target/release/tidings
n=$(ls "$corpus/articles" | wc -l)
"$bin" list "$corpus/articles" >/dev/null   # warm the page cache
times=()
rss=0
for _ in $(seq "$runs"); do
  out=$( { /usr/bin/time -f "%e %M" "$bin" list "$corpus/articles" >/dev/null; } 2>&1 | tail -1)
  times+=("${out% *}")
  r=${out#* }; [ "$r" -gt "$rss" ] && rss=$r
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "tidings list over $n articles ($corpus/articles): median ${median}s of $runs runs, peak RSS $((rss / 1024)) MiB"
