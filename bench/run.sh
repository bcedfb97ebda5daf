#!/usr/bin/env bash
# The HTTP benchmark of docs/benchmarks.md: loads 100 000 STHF episodes into
# SQLite, serves them with `samflyt serve` on a free loopback port and drives
# it with wrk, then prints a table of throughput, p50/p99 latency, each
# endpoint's ratio to GET /api/v1/health (the HTTP limit of the same run) and
# the server's peak RSS.
#
#   bench/run.sh [--episodes N] [--db FILE] [--fresh] [--duration 15s]
#                [--connections 32] [--wrk-threads 2] [--server-threads N]
#                [--build-dir DIR | --no-build] [--no-light] [--samflyt BIN]
#                [--preload LIB]
#
# --fresh reloads the database even when one with N episodes, loaded in the
# last 24 hours, is there;
# --build-dir builds in DIR (configured as Release) instead of the release
# preset's build/release; --no-build uses what is in the build folder.
# After the loaded runs (wrk -c32, throughput and latency under saturation),
# each endpoint runs again with one connection (wrk -t1 -c1): the latency of
# one request with nothing queued before it, i.e. the service time.
# --no-light skips that.
# Requests log in with a bearer token of a user "bench" with the role
# koordinator in every municipality and hospital unit (so every read is
# access-checked and audited); --samflyt BIN measures another samflyt
# binary on the same data (e.g. one built before access control, which
# takes no token: the baseline of docs/benchmarks.md); --preload LIB runs
# the server (only) with LD_PRELOAD=LIB, e.g. jemalloc for a baseline built
# before ADR 0007.
# Needs: cmake, ninja, g++, wrk, curl. Everything listens on 127.0.0.1 only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

EPISODES=100000
DB=/tmp/samflyt-bench/bench.db
FRESH=0
DURATION=15s
WARMUP=5s
CONNECTIONS=32
WRK_THREADS=2
SERVER_THREADS=""
BUILD_DIR=""
BUILD=1
LIGHT=1
PRELOAD=""

die() { echo "bench/run.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --episodes) EPISODES=${2:?--episodes needs a number}; shift 2 ;;
    --db) DB=${2:?--db needs a file}; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    --duration) DURATION=${2:?--duration needs e.g. 15s}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a number}; shift 2 ;;
    --wrk-threads) WRK_THREADS=${2:?--wrk-threads needs a number}; shift 2 ;;
    --server-threads) SERVER_THREADS=${2:?--server-threads needs a number}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?--build-dir needs a folder}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-light) LIGHT=0; shift ;;
    --samflyt) SAMFLYT_BIN=${2:?--samflyt needs a binary}; shift 2 ;;
    --preload) PRELOAD=${2:?--preload needs a library}; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $EPISODES =~ ^[0-9]+$ && $EPISODES -gt 0 ]] || die "--episodes must be a positive number"
for tool in wrk curl awk; do command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install $tool)"; done

# HTTP worker threads: one per core leaves wrk (on the same machine) room to
# run; at least 2 so that a slow request does not stall the others.
CORES=$(nproc)
if [[ -z $SERVER_THREADS ]]; then SERVER_THREADS=$(( CORES > 2 ? CORES : 2 )); fi

# --- build -------------------------------------------------------------------
if [[ -z $BUILD_DIR ]]; then BIN_DIR="$ROOT/build/release"; else BIN_DIR=$BUILD_DIR; fi
if [[ $BUILD == 1 ]]; then
  say "building samflyt and bench_load_episodes in $BIN_DIR"
  if [[ -z $BUILD_DIR ]]; then
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target samflyt bench_load_episodes) \
      || die "the build failed"
  else
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null \
      && cmake --build "$BUILD_DIR" --target samflyt bench_load_episodes || die "the build failed"
  fi
fi
SAMFLYT=${SAMFLYT_BIN:-"$BIN_DIR/samflyt"}
LOADER="$BIN_DIR/bench_load_episodes"
[[ -x $SAMFLYT && -x $LOADER ]] || die "no samflyt or bench_load_episodes in $BIN_DIR (build first)"

# --- data --------------------------------------------------------------------
mkdir -p "$(dirname "$DB")"
OUT="$(dirname "$DB")/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
# A database is reused when it has the same number of episodes and was
# loaded in the last 24 hours (the episodes' stages are relative to the load
# time: an older database has more overdue tasks than a fresh one).
have=0
if [[ -f $DB && -f $DB.episode_ids && -f $DB.org_ids ]]; then have=$(wc -l < "$DB.episode_ids"); fi
recent=$(find "$DB.episode_ids" -mmin -1440 2>/dev/null || true)
if [[ $FRESH == 0 && $have == "$EPISODES" && -n $recent ]]; then
  say "reusing $DB ($have episodes, loaded $(date -r "$DB.episode_ids" -u +%Y-%m-%dT%H:%MZ); --fresh reloads)"
else
  say "loading $EPISODES episodes into $DB (this takes a few minutes)"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.episode_ids" "$DB.org_ids"
  (cd "$ROOT" && "$LOADER" --db "$DB" --episodes "$EPISODES" --pathways "$ROOT/pathways") | tee "$OUT/load.txt" \
    || die "loading failed"
fi

# Every run starts with an empty audit log (the audit file beside the
# database), so that runs compare alike; the log a run writes stays there
# for a look afterwards.
AUDIT_DB="${DB%.db}-audit.db"
[[ $AUDIT_DB != "$DB" ]] || AUDIT_DB="$DB-audit"
rm -f "$AUDIT_DB" "$AUDIT_DB-wal" "$AUDIT_DB-shm"

# --- server ------------------------------------------------------------------
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
PORT=$(free_port) || die "found no free loopback port"
URL="http://127.0.0.1:$PORT"

SERVER_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

say "starting samflyt serve on $URL with $SERVER_THREADS threads"
(cd "$ROOT" && exec env ${PRELOAD:+LD_PRELOAD="$PRELOAD"} "$SAMFLYT" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads "$SERVER_THREADS" \
  --pathways "$ROOT/pathways" --allow-test-identities) >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
# Start-up applies pending migrations, which can take a while on 2.8 M tasks.
for i in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; die "the server stopped while starting"; }
  if curl -fsS -o /dev/null "$URL/api/v1/health" 2>/dev/null; then break; fi
  [[ $i == 600 ]] && die "the server did not answer $URL/api/v1/health within 60 s (see $OUT/server.log)"
  sleep 0.1
done

# The benchmark's user: a coordinator in every organisation of the data, so
# that every episode and worklist is readable (and each read audited).
export SAMFLYT_TOKEN=""
if "$SAMFLYT" --help 2>/dev/null | grep -q "^  token"; then
  "$SAMFLYT" user add --db "$DB" --username bench --name "Benchmark" >/dev/null 2>&1 || true
  while read -r org; do
    "$SAMFLYT" user grant --db "$DB" --username bench --role koordinator --organisation "$org" \
      || die "cannot grant the bench user a role in $org"
  done < "$DB.org_ids"
  SAMFLYT_TOKEN=$("$SAMFLYT" token create --db "$DB" --username bench --name benchmark) \
    || die "cannot create the bench user's token"
  say "requests log in as the user bench (bearer token); every read is audited"
else
  say "$SAMFLYT has no accounts: requests go without a login (the baseline)"
fi
AUTH=(-H "Authorization: Bearer $SAMFLYT_TOKEN")
[[ -n $SAMFLYT_TOKEN ]] || AUTH=()

# One request of each kind must succeed before we measure anything.
first_episode=$(head -n 1 "$DB.episode_ids")
first_org=$(head -n 1 "$DB.org_ids")
curl -fsS "${AUTH[@]}" -o /dev/null "$URL/api/v1/episodes/$first_episode" || die "GET /api/v1/episodes/{id} failed"
curl -fsS "${AUTH[@]}" -o "$OUT/worklist-sample.json" "$URL/api/v1/tasks?organisation_id=$first_org&overdue=true" \
  || die "GET /api/v1/tasks failed"
grep -q '"items":\[{' "$OUT/worklist-sample.json" \
  || die "the worklist of the first organisation in $DB.org_ids has no overdue tasks: the data is not as expected"

# --- load generator ----------------------------------------------------------
# server CPU time (user + system, in clock ticks) from /proc/PID/stat
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
TICKS=$(getconf CLK_TCK)

# busy ticks of the whole machine (user, nice, system, irq, softirq, steal)
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# CPU seconds used by this shell's finished children (wrk, mostly), into
# KIDS; `times` must run in this shell, not in a $(...) subshell.
children_seconds() {
  times > "$OUT/.times"
  KIDS=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \
    "$OUT/.times")
}
now_ms() { date +%s%3N; }

# For each run: wrk's RESULT line, the server's CPU ticks, and the shares of
# the machine's CPU used by the server, by wrk and by anything else (other
# processes on a shared machine make the figures unreliable).
declare -A RESULT CPU SHARE
run_wrk() {  # name threads connections script [args after --]
  local name=$1 threads=$2 connections=$3 script=$4; shift 4
  local cpu0 cpu1 busy0 busy1 kids0 kids1 t0 t1
  children_seconds; kids0=$KIDS
  cpu0=$(cpu_ticks); busy0=$(machine_ticks); t0=$(now_ms)
  wrk -t"$threads" -c"$connections" -d"$DURATION" --timeout 10s --latency -s "$BENCH/$script" "$URL" -- "$@" \
    > "$OUT/$name.txt" 2>&1 || { cat "$OUT/$name.txt" >&2; die "wrk failed for $name"; }
  cpu1=$(cpu_ticks); busy1=$(machine_ticks); t1=$(now_ms)
  children_seconds; kids1=$KIDS
  RESULT[$name]=$(grep '^RESULT ' "$OUT/$name.txt") || die "no RESULT line from wrk for $name (see $OUT/$name.txt)"
  CPU[$name]=$(( cpu1 - cpu0 ))
  SHARE[$name]=$(awk -v srv=$(( cpu1 - cpu0 )) -v busy=$(( busy1 - busy0 )) -v k0="$kids0" -v k1="$kids1" \
    -v ms=$(( t1 - t0 )) -v tck="$TICKS" -v cores="$CORES" 'BEGIN {
      cap = ms / 1000 * tck * cores; wrk = (k1 - k0) * tck; other = busy - srv - wrk; if (other < 0) other = 0
      printf "%.0f%% %.0f%% %.0f%%", 100 * srv / cap, 100 * wrk / cap, 100 * other / cap }')
}
field() { tr ' ' '\n' <<<"${RESULT[$1]}" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

say "warming up (reading the database into the page cache, then $WARMUP of each request)"
cat "$DB" "$DB-wal" > /dev/null 2>&1 || true
for pass in health:health.lua episode:episode.lua:"$DB.episode_ids" worklist:worklist.lua:"$DB.org_ids"; do
  IFS=: read -r name script arg <<<"$pass"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH/$script" "$URL" -- ${arg:+"$arg"} >/dev/null 2>&1 \
    || die "wrk failed while warming up ($name)"
done

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, one endpoint at a time"
run_wrk health "$WRK_THREADS" "$CONNECTIONS" health.lua
run_wrk episode "$WRK_THREADS" "$CONNECTIONS" episode.lua "$DB.episode_ids"
run_wrk worklist "$WRK_THREADS" "$CONNECTIONS" worklist.lua "$DB.org_ids"
if [[ $LIGHT == 1 ]]; then
  say "measuring the service time: wrk -t1 -c1 -d$DURATION --latency, one endpoint at a time"
  run_wrk health-c1 1 1 health.lua
  run_wrk episode-c1 1 1 episode.lua "$DB.episode_ids"
  run_wrk worklist-c1 1 1 worklist.lua "$DB.org_ids"
fi

PEAK_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")
stop_server

# --- report ------------------------------------------------------------------
errors_of() {  # name: failed requests (status >= 400, socket errors, timeouts)
  echo $(( $(field "$1" errors_status) + $(field "$1" errors_connect) + $(field "$1" errors_read) \
           + $(field "$1" errors_write) + $(field "$1" errors_timeout) ))
}
errors=0
for name in "${!RESULT[@]}"; do errors=$(( errors + $(errors_of "$name") )); done
table() {  # title name... (the first name is the health run the others are compared with)
  local title=$1; shift
  local base_rps label rps requests errs
  base_rps=$(field "$1" rps)
  echo "$title"
  printf "%-50s %8s %8s %8s %8s %9s %10s %17s %6s\n" endpoint "req/s" "p50 ms" "p90 ms" "p99 ms" "vs health" "CPU us/req" \
    "server/wrk/other" errors
  for name in "$@"; do
    case $name in
      health*) label="GET /api/v1/health" ;;
      episode*) label="GET /api/v1/episodes/{id}" ;;
      worklist*) label="GET /api/v1/tasks?organisation_id=...&overdue=true" ;;
    esac
    rps=$(field "$name" rps); requests=$(field "$name" requests)
    errs=$(errors_of "$name")
    awk -v l="$label" -v rps="$rps" -v h="$base_rps" -v p50="$(field "$name" p50_us)" -v p90="$(field "$name" p90_us)" \
        -v p99="$(field "$name" p99_us)" -v cpu="${CPU[$name]}" -v tck="$TICKS" -v n="$requests" -v e="$errs" \
        -v share="${SHARE[$name]}" \
      'BEGIN { split(share, sh, " ")
               printf "%-50s %8.0f %8.2f %8.2f %8.2f %8.1f%% %10.0f %5s/%4s/%4s %6d\n", l, rps, p50 / 1000, p90 / 1000,
                      p99 / 1000, 100 * rps / h, 1e6 * cpu / tck / n, sh[1], sh[2], sh[3], e }'
  done
}
health_rps=$(field health rps)
{
  echo "samflyt HTTP benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
  echo "machine: $CORES cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "data: $(wc -l < "$DB.episode_ids") episodes in $DB ($(du -m "$DB" | cut -f1) MB); server: $SERVER_THREADS threads; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION"
  echo
  table "wrk -t$WRK_THREADS -c$CONNECTIONS (saturation):" health episode worklist
  if [[ $LIGHT == 1 ]]; then
    echo
    table "wrk -t1 -c1 (one request at a time: service time):" health-c1 episode-c1 worklist-c1
  fi
  echo "(CPU us/req: the server's CPU time per request; server/wrk/other: shares of the machine's $CORES cores)"
  echo
  awk -v p="$PEAK_KB" -v r="$RSS_KB" 'BEGIN { printf "server peak RSS (VmHWM) %.1f MB, RSS at the end %.1f MB\n", p / 1024, r / 1024 }'
  echo
  echo "targets:"
  awk -v p99="$(field worklist p99_us)" 'BEGIN { printf "  worklist p99 < 10 ms:                  %6.2f ms  %s\n", p99 / 1000, (p99 < 10000 ? "met" : "MISSED") }'
  if [[ $LIGHT == 1 ]]; then
    awk -v p99="$(field worklist-c1 p99_us)" \
      'BEGIN { printf "    (with one connection:                %6.2f ms  %s)\n", p99 / 1000, (p99 < 10000 ? "met" : "MISSED") }'
  fi
  awk -v r="$(field episode rps)" -v h="$health_rps" \
    'BEGIN { printf "  episode read >= 40 %% of health req/s: %6.1f %%   %s\n", 100 * r / h, (r >= 0.4 * h ? "met" : "MISSED") }'
  awk -v p="$PEAK_KB" 'BEGIN { printf "  server peak RSS < 200 MB:              %6.1f MB  %s\n", p / 1024, (p < 200 * 1024 ? "met" : "MISSED") }'
  echo
  echo "raw wrk output, server log and load log: $OUT"
} | tee "$OUT/summary.txt"

[[ $errors == 0 ]] || die "$errors requests failed (non-2xx or socket errors): the figures above are not valid"
