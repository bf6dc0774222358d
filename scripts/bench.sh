#!/usr/bin/env bash
# Growth benchmark (issues 6 and 15): for each corpus size, every measure of issue 15's table,
# tidings side by side with newsboat where newsboat has an equivalent.
#
# For each size N the seed-1 corpus of ../shared/bench/gen_corpus.py (N feed items + N/10
# plain-text articles) is generated once under $BENCH_DIR (default /tmp/tidings-bench) and reused.
# Measured, with the release binary:
#   cold list        `tidings list FEEDS ARTICLES` into an empty cache and data folder
#                    (median time, peak RSS)      | newsboat `-x reload` into an empty cache
#   warm list        the same again, cache in place | newsboat `-x print-unread` on the full cache
#   list --search    `list --search quebec`: the first call builds search.sqlite (one-off, reported
#                    apart), then the median of warm calls
#   first frame      the real reader in tmux (scripts/first_frame.sh), ms until a headline row
#                    shows: warm (snapshot and head.bin in place) and cold (empty cache); and
#                    cold until the status bar counts every article (the whole library shown)
#   first frame,     `cargo bench --bench first_frame -- N`: head.bin to a drawn 200x60 frame
#     in process     (skipped with INPROC=0)
#   search           `cargo bench --bench search -- FEEDS ARTICLES`: first keystroke after loading,
#                    keystroke complete p50/p99/max (bodies included), and `A` (mark all read) to
#                    the frame; its index is kept in $BENCH_DIR/search-cache-<articles>
# newsboat has no equivalent of the reader rows ("—"); it runs under `timeout $NB_TIMEOUT`
# (default 600 s) per command and is reported as not finished if it is cut off.
#
# Usage: scripts/bench.sh [SIZES] [RUNS]   e.g. scripts/bench.sh "1000 10000 100000 300000" 5
# Runs: RUNS up to 10,000 items, min(RUNS, 3) up to 100,000, min(RUNS, $BIG_RUNS) above
# (BIG_RUNS default 2). newsboat: the same, but 1 run from 100,000 items (NB_RUNS overrides).
# STARTUP=1 also runs the older `cargo bench --bench startup` per size.
# Prints one line per measure per size, then a Markdown table (rows: measures, columns: sizes).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"1000 10000 100000 300000"}
runs=${2:-5}
base=${BENCH_DIR:-/tmp/tidings-bench}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
nb_timeout=${NB_TIMEOUT:-600}
big_runs=${BIG_RUNS:-2}
inproc=${INPROC:-1}
startup=${STARTUP:-0}
cargo build --release --quiet
cargo bench --bench search --bench first_frame --no-run --quiet 2>/dev/null
mkdir -p "$base"
work=$(mktemp -d)
# A copy, so that a rebuild in the same checkout during the run does not change the binary.
cp target/release/tidings "$work/tidings"
bin=$work/tidings
sessions=()
cleanup() {
  for s in "${sessions[@]}"; do tmux kill-session -t "$s" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

runs_for() {
  local n=$1
  if ((n <= 10000)); then echo "$runs"
  elif ((n <= 100000)); then echo $((runs < 3 ? runs : 3))
  else echo $((runs < big_runs ? runs : big_runs)); fi
}

# Runs "$@" once under /usr/bin/time; prints "SECONDS KB STATUS": wall seconds from the clock
# (time's own %e has only hundredths), the peak RSS, the exit status.
measure() {
  local out start end rc=0
  out=$(mktemp -p "$work")
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out" "$@" >/dev/null 2>&1 || rc=$?
  end=$(date +%s%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", (b - a) / 1e9}') $(tail -1 "$out") $rc"
  rm -f "$out"
}

# From lines "SECONDS KB STATUS": "median s, peak MiB"; "did not finish ..." if any run was
# cut off by timeout (status 124).
summarize() {
  sort -n | awk -v lim="$nb_timeout" '
    {t[NR]=$1; if ($2>m) m=$2; if ($3==124) cut=1}
    END {
      if (cut) printf "did not finish within %d min", lim/60
      else printf "%s s, %d MiB", t[int((NR+1)/2)], m/1024
    }'
}

# Waits (up to $2 seconds) for file $1 to exist.
wait_for() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do [ -e "$1" ] && return 0; sleep 0.1; done
  return 1
}

kilo() { if (($1 >= 1000)); then echo "$(($1 / 1000))k"; else echo "$1"; fi; }

declare -A res
rows=(cold_list nb_cold warm_list nb_warm ff_warm ff_cold ff_all ff_inproc key_first key_complete
  search_list search_build mark_all runs_used)
declare -A label=(
  [cold_list]="cold \`list\` (empty cache): time, peak RSS"
  [nb_cold]="newsboat \`-x reload\` (empty cache)"
  [warm_list]="warm \`list\`: time, peak RSS"
  [nb_warm]="newsboat \`-x print-unread\` (full cache)"
  [ff_warm]="reader first frame with headlines, warm (tmux)"
  [ff_cold]="reader first headlines, cold (tmux)"
  [ff_all]="reader whole library on screen, cold (tmux)"
  [ff_inproc]="first frame from head.bin, in process"
  [key_first]="search: first keystroke after loading"
  [key_complete]="search in bodies, complete per keystroke (p50 / p99 / max)"
  [search_list]="\`list --search quebec\` (index built): time, peak RSS"
  [search_build]="\`list --search\` first call (builds search.sqlite)"
  [mark_all]="\`A\` (mark all read) to the frame"
  [runs_used]="runs (tidings / newsboat)"
)

for n in $sizes; do
  corpus=$base/corpus-$n
  if [ ! -f "$corpus/manifest.json" ]; then
    echo "generating the $n-item corpus in $corpus ..." >&2
    python3 "$gen" --out "$corpus" --items "$n" --seed 1 >/dev/null 2>&1
  fi
  dirs=("$corpus/feeds" "$corpus/articles")
  r=$(runs_for "$n")
  if [ -n "${NB_RUNS:-}" ]; then nbr=$NB_RUNS; elif ((n >= 100000)); then nbr=1; else nbr=$r; fi
  d=$work/$n
  mkdir -p "$d"
  items=$("$bin" list "${dirs[@]}" --cache-dir "$d/probe" --data-dir "$d/probe.data" 2>/dev/null | wc -l)
  rm -rf "$d/probe" "$d/probe.data"
  echo "== $n feed items + $((n / 10)) articles ($items listed); $r runs, newsboat $nbr; load: $(cut -d' ' -f1-3 /proc/loadavg)"

  # list, cold then warm (the cold runs leave the cache the warm ones use).
  res[cold_list,$n]=$(for _ in $(seq "$r"); do
      rm -rf "$d/cache" "$d/data"
      measure "$bin" list "${dirs[@]}" --cache-dir "$d/cache" --data-dir "$d/data"
    done | summarize)
  "$bin" list "${dirs[@]}" --cache-dir "$d/cache" --data-dir "$d/data" >/dev/null 2>&1 || true
  res[warm_list,$n]=$(for _ in $(seq "$r"); do
      measure "$bin" list "${dirs[@]}" --cache-dir "$d/cache" --data-dir "$d/data"
    done | summarize)
  echo "cold list: tidings ${res[cold_list,$n]}"
  echo "warm list: tidings ${res[warm_list,$n]}"

  # list --search: the first call builds the index in this cache, later ones use it.
  res[search_build,$n]=$(measure "$bin" list "${dirs[@]}" --search quebec --cache-dir "$d/cache" --data-dir "$d/data" | summarize)
  res[search_list,$n]=$(for _ in $(seq "$r"); do
      measure "$bin" list "${dirs[@]}" --search quebec --cache-dir "$d/cache" --data-dir "$d/data"
    done | summarize)
  hits=$("$bin" list "${dirs[@]}" --search quebec --cache-dir "$d/cache" --data-dir "$d/data" 2>/dev/null | wc -l)
  echo "list --search quebec ($hits hits): tidings ${res[search_list,$n]} (first call, index build: ${res[search_build,$n]}); newsboat —"

  # Reader, warm: one run in tmux until the reader has written head.bin, then timed runs.
  s="bench$$-$n"
  sessions+=("$s")
  # tmux can fail when a server is exiting (the previous session was its last): retry.
  for _ in 1 2 3 4 5; do
    tmux new-session -d -s "$s" -x 120 -y 40 \
      "$bin ${dirs[*]} --cache-dir $d/cache --data-dir $d/cache.data; sleep 30" && break
    sleep 1
  done
  wait_for "$d/cache/head.bin" 600 || echo "warning: no head.bin after 10 min" >&2
  sleep 2
  tmux send-keys -t "$s" q 2>/dev/null || true
  sleep 1
  tmux kill-session -t "$s" 2>/dev/null || true
  sleep 1
  ffw=$(scripts/first_frame.sh "$bin" "$d/cache" "$r" "${dirs[@]}" || true)
  ffw=$(awk '/^median/ {print $2}' <<<"$ffw")
  res[ff_warm,$n]="${ffw:-?} ms"
  ffc=$(for i in $(seq "$r"); do
      sleep 1
      scripts/first_frame.sh "$bin" "$d/cold$i" 1 "${dirs[@]}" || true
      rm -rf "$d/cold$i" "$d/cold$i.data"
    done | awk '/^median/ {print $2}' | sort -n | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}')
  res[ff_cold,$n]="${ffc:-?} ms"
  # Cold, until the status bar counts every article ("N/<items> shown").
  ffa=$(for i in $(seq "$r"); do
      sleep 1
      UNTIL="/$items shown" scripts/first_frame.sh "$bin" "$d/cold$i" 1 "${dirs[@]}" || true
      rm -rf "$d/cold$i" "$d/cold$i.data"
    done | awk '/^median/ {print $2}' | sort -n | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}')
  res[ff_all,$n]="${ffa:-?} ms"
  echo "reader first frame with headlines: warm ${res[ff_warm,$n]}, cold ${res[ff_cold,$n]}; whole library, cold ${res[ff_all,$n]} (medians); newsboat —"

  if [ "$inproc" = 1 ]; then
    line=$(cargo bench --quiet --bench first_frame -- "$n" 2>/dev/null | grep "^$n:" || true)
    echo "in process: ${line:-no output}"
    res[ff_inproc,$n]=$(sed -nE 's/.*head ([0-9.]+ ms).*/\1/p' <<<"$line")
  fi

  out=$(cargo bench --quiet --bench search -- "${dirs[@]}" 2>&1 || true)
  echo "$out" | grep -E '^(index|first keystroke|keystroke|full-text|A )' | sed 's/^/search bench: /'
  res[key_first,$n]=$(sed -nE 's/^first keystroke after loading: (.*)/\1/p' <<<"$out")
  res[key_complete,$n]=$(sed -nE 's/^keystroke, complete: p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, max ([0-9.]+) ms.*/\1 \/ \2 \/ \3 ms/p' <<<"$out")
  res[mark_all,$n]=$(sed -nE 's/^A \(mark all read\), ([0-9]+) marks: ([0-9.]+ ms) to the frame.*/\2 (\1 marks)/p' <<<"$out")

  if ((nbr == 0)); then
    res[nb_cold,$n]="not run (NB_RUNS=0)"
    res[nb_warm,$n]="not run (NB_RUNS=0)"
    echo "newsboat: not run (NB_RUNS=0)"
  elif command -v newsboat >/dev/null; then
    nb=(newsboat -u "$corpus/newsboat/urls" -C "$corpus/newsboat/config" -c "$d/nb.db")
    res[nb_cold,$n]=$(for _ in $(seq "$nbr"); do
        rm -f "$d/nb.db" "$d/nb.db.lock"
        measure timeout "$nb_timeout" "${nb[@]}" -x reload
      done | summarize)
    if [ -f "$d/nb.db" ] && [[ ${res[nb_cold,$n]} != did* ]]; then
      res[nb_warm,$n]=$(for _ in $(seq "$nbr"); do
          measure timeout "$nb_timeout" "${nb[@]}" -x print-unread
        done | summarize)
    else
      res[nb_warm,$n]="not run (no full cache)"
    fi
    echo "newsboat: reload into an empty cache ${res[nb_cold,$n]}; print-unread on the full cache ${res[nb_warm,$n]}"
  else
    res[nb_cold,$n]="not installed"
    res[nb_warm,$n]="not installed"
    echo "newsboat is not installed: no peer column (apt-get install newsboat)"
  fi
  res[runs_used,$n]="$r / $nbr"

  if [ "$startup" = 1 ]; then
    echo "reader start-up, in process (cargo bench --bench startup):"
    cargo bench --quiet --bench startup -- "${dirs[@]}" 2>/dev/null | sed 's/^/  /'
  fi
  rm -rf "$d"
  echo
done

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
header="| measure |"
rule="| --- |"
for n in $sizes; do
  header+=" $(kilo "$n") (+$(kilo $((n / 10))) articles) |"
  rule+=" --- |"
done
echo "$header"
echo "$rule"
for k in "${rows[@]}"; do
  [ "$k" = ff_inproc ] && [ "$inproc" != 1 ] && continue
  line="| ${label[$k]} |"
  for n in $sizes; do
    v=${res[$k,$n]:-}
    [ -z "$v" ] && v="—"
    line+=" $v |"
  done
  echo "$line"
done
