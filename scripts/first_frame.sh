#!/usr/bin/env bash
# Time from starting the reader in tmux (120x40) to the first screen that shows a headline.
# Usage: scripts/first_frame.sh BINARY CACHE_DIR RUNS DIR...
# With UNTIL set (an extended regex), the time to the first screen that matches it instead:
# UNTIL='/110000 shown' is the whole library of the 110k corpus in the status bar.
# The cache folder should hold a warm snapshot (run the reader or `list` once first). Prints
# each run's milliseconds, then the median. Polls `tmux capture-pane` every few milliseconds, so
# a number is accurate to about 5 ms.
set -euo pipefail
bin=$1 cache=$2 runs=$3
# A headline row: the unread dot (or blanks) and a date (or — when undated) in the headline
# pane.
headline='┃.{0,12}(20[0-9]{2}-[0-9]{2}|—) '
pattern=${UNTIL:-$headline}
shift 3
session="ff$$"
times=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    tmux new-session -d -s "$session" -x 120 -y 40 \
        "$bin $* --cache-dir $cache --data-dir $cache.data; sleep 30"
    while :; do
        if tmux capture-pane -p -t "$session" 2>/dev/null | grep -qE "$pattern"; then
            break
        fi
        now=$(date +%s%N)
        if (( (now - start) / 1000000 > 60000 )); then
            echo "no headline within 60 s" >&2
            break
        fi
        sleep "${POLL:-0.003}"
    done
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    echo "run: ${times[-1]} ms"
    tmux send-keys -t "$session" q
    sleep 1
    tmux kill-session -t "$session" 2>/dev/null || true
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[$(( ${#sorted[@]} / 2 ))]} ms over $runs runs"
