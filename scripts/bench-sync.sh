#!/usr/bin/env bash
# The sync speed targets of issue 16 against the fake Google Reader server of tests/sync.rs on
# loopback, in a release build: a first sync of 10,000 items (<= 5 s) and a sync with nothing
# new (<= 0.3 s) are timed and checked by `speed_of_a_first_and_an_empty_sync`; marking 1,000
# articles read in <= 5 requests is checked in every `cargo test` (`many_marks_take_few_requests`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test sync -- --ignored speed_of_a_first_and_an_empty_sync --nocapture 2>&1 |
  grep -E "first sync|test result"
