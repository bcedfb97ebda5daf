#!/usr/bin/env bash
# Compares two samflyt binaries on the database bench/run.sh loaded, in
# alternating rounds: on a shared VM identical runs differ by ±20 %, so a
# ratio means something only between runs made side by side.
#
#   bench/alternate.sh --baseline BIN [--preload-baseline LIB] [--rounds 4]
#                      [--duration 8s] [--db FILE] [--samflyt BIN]
#
# Each round starts a fresh server per binary and endpoint (episode read,
# worklist), warms it up 4 s, runs `wrk -t2 -c32` for the duration, and
# prints req/s, p99 and the server's CPU time per request, then the ratio
# now / baseline. Requests carry a bearer token of the user "bench" (the
# baseline may ignore it). The audit log is emptied before each run.
# --preload-baseline runs the baseline with LD_PRELOAD=LIB (e.g. jemalloc
# for a build older than ADR 0007). The baseline loads the pathway templates
# of its own checkout (BIN/../../pathways when there is one; a newer
# template may use keys it does not know), or --baseline-pathways DIR.
# Needs wrk and curl; loopback only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DB=/tmp/samflyt-bench/bench.db
NOW="$ROOT/build/release/samflyt"
BASE=""
BASE_PRELOAD=""
BASE_PATHWAYS=""
ROUNDS=4
DURATION=8s

die() { echo "bench/alternate.sh: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline) BASE=${2:?}; shift 2 ;;
    --preload-baseline) BASE_PRELOAD=${2:?}; shift 2 ;;
    --baseline-pathways) BASE_PATHWAYS=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --db) DB=${2:?}; shift 2 ;;
    --samflyt) NOW=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ -n $BASE ]] || die "give --baseline BIN"
[[ -x $BASE && -x $NOW ]] || die "no such binary: $BASE or $NOW"
if [[ -z $BASE_PATHWAYS ]]; then
  BASE_PATHWAYS="$(cd "$(dirname "$BASE")" && pwd)/../pathways"
  [[ -d $BASE_PATHWAYS ]] || BASE_PATHWAYS="$ROOT/pathways"
fi
[[ -f $DB && -f $DB.episode_ids && -f $DB.org_ids ]] || die "no benchmark database at $DB (run bench/run.sh first)"
for tool in wrk curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

AUDIT_DB="${DB%.db}-audit.db"
TOKEN=$("$NOW" token create --db "$DB" --username bench --name alternate)
export SAMFLYT_TOKEN=$TOKEN

# run BIN PRELOAD PATHWAYS SCRIPT ARGS_FILE -> "req/s p99_ms cpu_us_per_request"
run() {
  local bin=$1 preload=$2 pathways=$3 script=$4 args=$5 port pid t0 t1 n
  rm -f "$AUDIT_DB" "$AUDIT_DB-wal" "$AUDIT_DB-shm"
  port=$(( 20000 + RANDOM % 20000 ))
  (cd "$ROOT" && exec env ${preload:+LD_PRELOAD="$preload"} "$bin" serve --db "$DB" \
     --listen "127.0.0.1:$port" --threads 2 --pathways "$pathways" --allow-test-identities) \
     >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
  wrk -t2 -c32 -d4s -s "$ROOT/bench/$script" "http://127.0.0.1:$port" -- "$args" >/dev/null 2>&1 || true
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -s "$ROOT/bench/$script" "http://127.0.0.1:$port" -- "$args" 2>&1)
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  n=$(grep -o 'requests=[0-9]*' <<<"$out" | cut -d= -f2)
  awk -v rps="$(grep -o 'rps=[0-9.]*' <<<"$out" | cut -d= -f2)" \
      -v p99="$(grep -o 'p99_us=[0-9]*' <<<"$out" | cut -d= -f2)" \
      -v cpu="$(( (t1 - t0) * 10000 ))" -v n="$n" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f %.1f %.0f", rps, p99 / 1000, cpu * 100 / hz / n }'
}

printf "%-6s %-9s %26s %26s %7s\n" round endpoint "baseline: req/s p99 CPU" "now: req/s p99 CPU" ratio
for round in $(seq 1 "$ROUNDS"); do
  for pair in "episode:episode.lua:$DB.episode_ids" "worklist:worklist.lua:$DB.org_ids"; do
    IFS=: read -r name script args <<<"$pair"
    read -r b_rps b_p99 b_cpu <<<"$(run "$BASE" "$BASE_PRELOAD" "$BASE_PATHWAYS" "$script" "$args")"
    read -r n_rps n_p99 n_cpu <<<"$(run "$NOW" "" "$ROOT/pathways" "$script" "$args")"
    printf "%-6s %-9s %8s %6sms %5sµs %8s %6sms %5sµs %6s%%\n" "$round" "$name" \
      "$b_rps" "$b_p99" "$b_cpu" "$n_rps" "$n_p99" "$n_cpu" "$(( n_rps * 100 / b_rps ))"
  done
done
echo "(req/s, p99 in ms and server CPU µs per request; ratio = now / baseline)"
