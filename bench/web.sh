#!/usr/bin/env bash
# The web application's benchmark (docs/benchmarks.md, "Web pages"): the
# server time of the episode page and of the start page at the
# 100 000-episode scale, and the page weight of the episode page
# (HTML + CSS + JavaScript).
#
#   bench/web.sh [--episodes N] [--db FILE] [--duration 15s] [--no-build]
#
# Uses the same data as bench/run.sh (bench_load_episodes; a database with N
# episodes loaded in the last 24 hours is reused). Requests come from
# logged-in browser sessions (the session cookie): "bench.web", a
# coordinator in every organisation of the data (so every episode is
# readable), and "bench.case", a case worker (saksbehandler) in the
# municipality with the most episodes, the start page's typical user.
# Every page's reads are access-checked and audited as in production.
# Needs: cmake, ninja, g++, wrk, curl, sqlite3, gzip.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
EPISODES=100000
DB=/tmp/samflyt-bench/bench.db
DURATION=15s
BUILD=1

die() { echo "bench/web.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --episodes) EPISODES=${2:?--episodes needs a number}; shift 2 ;;
    --db) DB=${2:?--db needs a file}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs e.g. 15s}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for tool in wrk curl sqlite3 gzip awk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

BIN_DIR="$ROOT/build/release"
if [[ $BUILD == 1 ]]; then
  say "building samflyt and bench_load_episodes"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target samflyt bench_load_episodes) \
    || die "the build failed"
fi
SAMFLYT="$BIN_DIR/samflyt"
LOADER="$BIN_DIR/bench_load_episodes"

mkdir -p "$(dirname "$DB")"
OUT="$(dirname "$DB")/web-results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
have=0
if [[ -f $DB && -f $DB.episode_ids && -f $DB.org_ids ]]; then have=$(wc -l < "$DB.episode_ids"); fi
recent=$(find "$DB.episode_ids" -mmin -1440 2>/dev/null || true)
if [[ $have == "$EPISODES" && -n $recent ]]; then
  say "reusing $DB ($have episodes)"
else
  say "loading $EPISODES episodes into $DB (this takes a few minutes)"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.episode_ids" "$DB.org_ids"
  (cd "$ROOT" && "$LOADER" --db "$DB" --episodes "$EPISODES" --pathways "$ROOT/pathways") | tee "$OUT/load.txt" \
    || die "loading failed"
fi

# The users (added once; the CLI refuses a second add, which is fine).
"$SAMFLYT" user add --db "$DB" --username bench.web --name "Benchmark (web)" --password bench-passord \
  >/dev/null 2>&1 || true
while read -r org; do
  "$SAMFLYT" user grant --db "$DB" --username bench.web --role koordinator --organisation "$org" >/dev/null 2>&1 || true
done < "$DB.org_ids"
MUNICIPALITY=$(sqlite3 "$DB" "SELECT municipality_id FROM episodes GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
"$SAMFLYT" user add --db "$DB" --username bench.case --name "Benchmark (case worker)" --password bench-passord \
  >/dev/null 2>&1 || true
"$SAMFLYT" user grant --db "$DB" --username bench.case --role saksbehandler --organisation "$MUNICIPALITY" \
  >/dev/null 2>&1 || true

PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT"
SERVER_THREADS=$(( $(nproc) > 2 ? $(nproc) : 2 ))
(cd "$ROOT" && exec "$SAMFLYT" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads "$SERVER_THREADS" \
  --pathways "$ROOT/pathways" --allow-test-identities) >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for i in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; die "the server stopped while starting"; }
  if curl -fsS -o /dev/null "$URL/api/v1/health" 2>/dev/null; then break; fi
  [[ $i == 600 ]] && die "the server did not start"
  sleep 0.1
done

login() {  # username -> the session cookie's value
  curl -sS -o /dev/null -D - --data-urlencode "username=$1" --data-urlencode "password=bench-passord" \
    "$URL/login" | awk -F'[=;]' 'tolower($0) ~ /^set-cookie: samflyt_session=/ { print $2 }'
}
COOKIE_ALL=$(login bench.web)
COOKIE_CASE=$(login bench.case)
[[ -n $COOKIE_ALL && -n $COOKIE_CASE ]] || die "cannot log in the benchmark users"

first_episode=$(head -n 1 "$DB.episode_ids")
code=$(curl -sS -o "$OUT/episode.html" -w '%{http_code}' -b "samflyt_session=$COOKIE_ALL" "$URL/episodes/$first_episode")
[[ $code == 200 ]] || die "GET /episodes/{id} answered $code"
code=$(curl -sS -o "$OUT/start.html" -w '%{http_code}' -b "samflyt_session=$COOKIE_CASE" "$URL/")
[[ $code == 200 ]] || die "GET / answered $code"

# --- page weight of the episode page ---------------------------------------------
weigh() {  # url -> "bytes gzip-bytes"
  curl -sS -b "samflyt_session=$COOKIE_ALL" "$URL$1" > "$OUT/asset"
  echo "$(wc -c < "$OUT/asset") $(gzip -9c "$OUT/asset" | wc -c)"
}
read -r html html_gz < <(weigh "/episodes/$first_episode")
css_url=$(grep -o '/static/app\.[0-9a-f]*\.css' "$OUT/episode.html" | head -n 1)
js_url=$(grep -o '/static/htmx\.[0-9a-f]*\.min\.js' "$OUT/episode.html" | head -n 1)
read -r css css_gz < <(weigh "$css_url")
read -r js js_gz < <(weigh "$js_url")

# --- server time -------------------------------------------------------------------
declare -A RESULT
run() {  # name connections cookie args...
  local name=$1 connections=$2 cookie=$3; shift 3
  SAMFLYT_COOKIE=$cookie wrk -t1 -c"$connections" -d"$DURATION" --timeout 10s --latency -s "$BENCH/page.lua" "$URL" \
    -- "$@" > "$OUT/$name.txt" 2>&1 || { cat "$OUT/$name.txt" >&2; die "wrk failed for $name"; }
  RESULT[$name]=$(grep '^RESULT ' "$OUT/$name.txt") || die "no RESULT from wrk for $name"
}
field() { tr ' ' '\n' <<<"${RESULT[$1]}" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

say "warming up"
cat "$DB" > /dev/null 2>&1 || true
SAMFLYT_COOKIE=$COOKIE_ALL wrk -t1 -c4 -d5s -s "$BENCH/page.lua" "$URL" -- episode "$DB.episode_ids" >/dev/null 2>&1
SAMFLYT_COOKIE=$COOKIE_CASE wrk -t1 -c4 -d5s -s "$BENCH/page.lua" "$URL" -- start >/dev/null 2>&1

say "measuring: wrk -t1 -c1 (server time of one request at a time) and -c4, $DURATION each"
run episode-c1 1 "$COOKIE_ALL" episode "$DB.episode_ids"
run start-case-c1 1 "$COOKIE_CASE" start
run start-all-c1 1 "$COOKIE_ALL" start
run episode-c4 4 "$COOKIE_ALL" episode "$DB.episode_ids"
run start-case-c4 4 "$COOKIE_CASE" start

{
  echo "samflyt web benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "data: $(wc -l < "$DB.episode_ids") episodes in $DB; server: $SERVER_THREADS threads"
  echo
  printf "%-58s %8s %8s %8s %8s %7s\n" page "req/s" "p50 ms" "p90 ms" "p99 ms" errors
  for name in episode-c1 start-case-c1 start-all-c1 episode-c4 start-case-c4; do
    case $name in
      episode-c1) label="GET /episodes/{id}, coordinator, -c1" ;;
      start-case-c1) label="GET / (start page), case worker in one municipality, -c1" ;;
      start-all-c1) label="GET / (start page), coordinator in every org, -c1" ;;
      episode-c4) label="GET /episodes/{id}, coordinator, -c4" ;;
      start-case-c4) label="GET / (start page), case worker, -c4" ;;
    esac
    errs=$(( $(field "$name" errors_status) + $(field "$name" errors_connect) + $(field "$name" errors_read) + $(field "$name" errors_timeout) ))
    awk -v l="$label" -v rps="$(field "$name" rps)" -v p50="$(field "$name" p50_us)" -v p90="$(field "$name" p90_us)" \
        -v p99="$(field "$name" p99_us)" -v e="$errs" \
      'BEGIN { printf "%-58s %8.0f %8.2f %8.2f %8.2f %7d\n", l, rps, p50 / 1000, p90 / 1000, p99 / 1000, e }'
  done
  echo
  echo "episode page weight (bytes, uncompressed / gzip -9):"
  printf "  HTML %8d / %7d\n  CSS  %8d / %7d\n  JS   %8d / %7d   (htmx)\n  all  %8d / %7d   target < 150 KB: %s\n" \
    "$html" "$html_gz" "$css" "$css_gz" "$js" "$js_gz" $(( html + css + js )) $(( html_gz + css_gz + js_gz )) \
    "$([[ $(( html + css + js )) -lt 153600 ]] && echo met || echo MISSED)"
  echo
  echo "targets (server time p99 < 20 ms, one request at a time):"
  awk -v p="$(field episode-c1 p99_us)" 'BEGIN { printf "  episode page: %6.2f ms  %s\n", p / 1000, (p < 20000 ? "met" : "MISSED") }'
  awk -v p="$(field start-case-c1 p99_us)" 'BEGIN { printf "  start page:   %6.2f ms  %s\n", p / 1000, (p < 20000 ? "met" : "MISSED") }'
  echo "raw output: $OUT"
} | tee "$OUT/summary.txt"
