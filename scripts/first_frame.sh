#!/usr/bin/env bash
# Time from starting the reader in tmux (120x40) to the first screen that shows a headline.
# Usage: scripts/first_frame.sh BINARY CACHE_DIR RUNS DIR...
# With UNTIL set (an extended regex), the time to the first screen that matches it instead:
# UNTIL='/110000 shown' is the whole library of the 110k corpus in the status bar.
# The cache folder should hold a warm snapshot (run the reader or `list` once first); an empty or
# missing one times a cold start. Prints each run's milliseconds, then the median. The screen is
# read every 5 ms (POLL overrides) through one tmux control-mode client (scripts/screen_time.py):
# a number is accurate to about 5 ms, and the polling takes little from the reader.
set -euo pipefail
bin=$1 cache=$2 runs=$3
# A headline row: the unread dot (or blanks) and a date (or — when undated) in the headline
# pane.
headline='┃.{0,12}(20[0-9]{2}-[0-9]{2}|—) '
pattern=${UNTIL:-$headline}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
session="ff$$"
times=()
for _ in $(seq "$runs"); do
    ms=$("$here/screen_time.py" "$session" 120 40 "$pattern" 60 \
        "$bin $* --cache-dir $cache --data-dir $cache.data; sleep 30")
    if ((ms < 0)); then
        echo "no match within 60 s" >&2
        ms=60000
    fi
    times+=("$ms")
    echo "run: ${times[-1]} ms"
    tmux send-keys -t "$session" q
    sleep 1
    tmux kill-session -t "$session" 2>/dev/null || true
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[$(( ${#sorted[@]} / 2 ))]} ms over $runs runs"
