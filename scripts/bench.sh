#!/usr/bin/env bash
# Whole-process start-up benchmark (issue 6): for each corpus size, generates the seed-1 corpus of
# ../shared/bench/gen_corpus.py, then times `tidings list` over its feeds/ and articles/ folders
#   cold: with an empty cache and data folder,
#   warm: again, with what the previous run left in place,
# as the median of RUNS runs with the peak RSS; and, when newsboat is installed, newsboat on the
# same corpus's RSS and Atom feeds (`-x reload` into an empty cache, `-x print-unread` on the full
# cache), printing the ratios. Then the reader's start-up in process (`cargo bench --bench
# startup`): load through the snapshot, hand the articles to the state, draw the first 200x60
# frame, cold and warm.
#
# Usage: scripts/bench.sh [SIZES] [RUNS]     e.g. scripts/bench.sh "1000 10000 100000" 5
# Corpora go to $BENCH_DIR (default /tmp/tidings-bench); they are reused when present.
# NB_RUNS sets newsboat's runs apart (at 100,000 items one newsboat run takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10000 100000"}
runs=${2:-5}
nb_runs=${NB_RUNS:-$runs}
base=${BENCH_DIR:-/tmp/tidings-bench}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
cargo build --release --quiet
cargo bench --bench startup --no-run --quiet 2>/dev/null
bin=$PWD/target/release/tidings
mkdir -p "$base"

# Runs "$@" once under /usr/bin/time (for the peak RSS); prints "SECONDS KB", the seconds
# from the clock in milliseconds (time's own %e has only hundredths).
measure() {
  local out start end
  out=$(mktemp)
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out" "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", (b - a) / 1e9}') $(tail -1 "$out")"
  rm -f "$out"
}

# Median of the first fields, max of the second ones, from lines "SECONDS KB".
summarize() {
  sort -n | awk '{t[NR]=$1; if ($2>m) m=$2} END {printf "%s s, %d MiB", t[int((NR+1)/2)], m/1024}'
}

median_of() { sed 's/ s,.*//' <<<"$1"; }

for n in $sizes; do
  corpus=$base/corpus-$n
  if [ ! -f "$corpus/manifest.json" ]; then
    echo "generating the $n-item corpus in $corpus ..." >&2
    python3 "$gen" --out "$corpus" --items "$n" --seed 1 >/dev/null 2>&1
  fi
  items=$("$bin" list "$corpus/feeds" "$corpus/articles" 2>/dev/null | wc -l)
  work=$(mktemp -d)
  cold=$(for _ in $(seq "$runs"); do
      rm -rf "$work/cache" "$work/data"
      measure "$bin" list "$corpus/feeds" "$corpus/articles" --cache-dir "$work/cache" --data-dir "$work/data"
    done | summarize)
  "$bin" list "$corpus/feeds" "$corpus/articles" --cache-dir "$work/cache" --data-dir "$work/data" >/dev/null 2>&1 || true
  warm=$(for _ in $(seq "$runs"); do
      measure "$bin" list "$corpus/feeds" "$corpus/articles" --cache-dir "$work/cache" --data-dir "$work/data"
    done | summarize)
  echo "tidings, $n feed items + $((n / 10)) articles ($items listed): cold $cold; warm $warm"
  if command -v newsboat >/dev/null; then
    nb_cold=$(for _ in $(seq "$nb_runs"); do
        rm -f "$work/cache.db"
        measure newsboat -u "$corpus/newsboat/urls" -C "$corpus/newsboat/config" -c "$work/cache.db" -x reload
      done | summarize)
    nb_warm=$(for _ in $(seq "$nb_runs"); do
        measure newsboat -u "$corpus/newsboat/urls" -C "$corpus/newsboat/config" -c "$work/cache.db" -x print-unread
      done | summarize)
    echo "newsboat, same RSS + Atom feeds: reload into an empty cache $nb_cold; print-unread on the full cache $nb_warm"
    awk -v a="$(median_of "$nb_cold")" -v b="$(median_of "$cold")" -v c="$(median_of "$nb_warm")" -v d="$(median_of "$warm")" \
      'BEGIN {printf "ratios: cold newsboat/tidings %.1fx; warm newsboat/tidings %.1fx\n", a/(b>0?b:0.001), c/(d>0?d:0.001)}'
  else
    echo "newsboat is not installed: no peer column (apt-get install newsboat)"
  fi
  echo "reader start-up, in process (to the first frame with the articles):"
  cargo bench --quiet --bench startup -- "$corpus/feeds" "$corpus/articles" 2>/dev/null | sed 's/^/  /'
  rm -rf "$work"
done
