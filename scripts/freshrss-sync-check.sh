#!/usr/bin/env bash
# End-to-end check of `tidings sync` and `tidings mark` against a REAL FreshRSS on loopback
# (not part of `cargo test`: CI has no FreshRSS). Start one first:
#   ../shared/sync/freshrss-up.sh MIRROR 8740 FEEDS_DIR
# then: scripts/freshrss-sync-check.sh /tmp/freshrss-up.8740.*/env.sh [TIDINGS_BINARY]
# It syncs into a fresh home, checks the article count against the server's, marks three
# articles read and starred and checks the server's sets with curl, changes state on the server
# and checks that a sync brings it back, and checks that a wrong password is named.
set -euo pipefail
env_file=${1:?usage: $0 ENV_SH [BINARY]}
# shellcheck disable=SC1090
. "$env_file"
cd "$(dirname "$0")/.."
bin=${2:-target/debug/tidings}
[ -x "$bin" ] || cargo build --quiet
home=$(mktemp -d /tmp/tidings-freshrss-check.XXXXXX)
trap 'rm -rf "$home"' EXIT
cat > "$home/config.toml" <<CONF
[[sources]]
name = "freshrss"
greader = "$FRESHRSS_GREADER"
user = "$FRESHRSS_USER"
password_env = "TIDINGS_CHECK_PASS"
CONF
export TIDINGS_CHECK_PASS="$FRESHRSS_API_PASS"
t() { "$bin" --config "$home/config.toml" --data-dir "$home/data" --cache-dir "$home/cache" "$@"; }
auth=${FRESHRSS_AUTH#*auth=}
api() { curl -sf -H "Authorization: GoogleLogin auth=$auth" "$FRESHRSS_GREADER/reader/api/0/$1"; }
count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)["itemRefs"] or []))'; }
fail() { echo "FAIL: $*"; exit 1; }

t sync --json
total=$(api "stream/items/ids?output=json&s=user/-/state/com.google/reading-list&n=10000" | count)
listed=$(t list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$total" = "$listed" ] || fail "server has $total items, tidings lists $listed"
echo "ok: $listed articles, as on the server"
t list | head -5
ids=$(t list --json | python3 -c 'import json,sys; print(" ".join(a["id"] for a in json.load(sys.stdin)[:3]))')
# shellcheck disable=SC2086
t mark $ids --unread --unstar >/dev/null
unread_before=$(api "stream/items/ids?output=json&s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read&n=10000" | count)
# shellcheck disable=SC2086
t mark $ids --read --star
unread_after=$(api "stream/items/ids?output=json&s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read&n=10000" | count)
starred=$(api "stream/items/ids?output=json&s=user/-/state/com.google/starred&n=10000" | count)
[ $((unread_before - unread_after)) = 3 ] || fail "unread on the server: $unread_before -> $unread_after"
[ "$starred" -ge 3 ] || fail "starred on the server: $starred"
echo "ok: 3 marked read and starred on the server"
# State changed on the server (another device): everything read there.
tok=$(api token)
all=$(api "stream/items/ids?output=json&s=user/-/state/com.google/reading-list&n=10000" |
  python3 -c 'import json,sys; print("&".join("i="+r["id"] for r in json.load(sys.stdin)["itemRefs"]))')
curl -sf -H "Authorization: GoogleLogin auth=$auth" -d "$all&a=user/-/state/com.google/read&T=$tok" \
  "$FRESHRSS_GREADER/reader/api/0/edit-tag" >/dev/null
t sync
left=$(t list --unread --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$left" = 0 ] || fail "$left unread after the server read everything"
echo "ok: state changed on the server is picked up"
rm -f "$home"/cache/greader/*.token
if TIDINGS_CHECK_PASS=wrong t sync 2>"$home/err"; then fail "a wrong password synced"; fi
grep -q "login refused" "$home/err" || fail "$(cat "$home/err")"
grep -q "wrong" "$home/err" && fail "the password was shown"
echo "ok: a wrong password is named: $(cat "$home/err")"
echo "all checks passed"
