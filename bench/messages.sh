#!/usr/bin/env bash
# The message benchmark of docs/benchmarks.md ("Messages"): PLO messages
# produced, validated, received (parsed, validated against the official
# schemas, stored durably with their audit rows, the episode updated, the
# AppRec queued) and answered (the AppRec handed to the file-drop outbox and
# marked sent) per second. See bench/messages.cpp for what a run does.
#
#   bench/messages.sh [--episodes N] [--runs R] [--batch B] [--db FILE]
#                     [--fresh] [--no-build] [--schemas DIR]
#
# --episodes: stays of six messages each per run (default 1000: 6000
# messages); --batch: messages per transaction (default the product's, 200;
# 1 shows what group commit buys). The database (5000 STHF episodes of the
# demo community, made by bench_load_episodes) is reused for 24 hours;
# --fresh reloads it. Every run works on a fresh copy of it in
# /tmp/samflyt-bench/messages-work. --schemas defaults to
# ../shared/standards/schemas beside the repository.
# Needs: cmake, ninja, g++.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EPISODES=1000
RUNS=3
BATCH=""
DB=/tmp/samflyt-bench/messages.db
FRESH=0
BUILD=1
SCHEMAS="$ROOT/../shared/standards/schemas"

die() { echo "bench/messages.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --episodes) EPISODES=${2:?--episodes needs a number}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --batch) BATCH=${2:?--batch needs a number}; shift 2 ;;
    --db) DB=${2:?--db needs a file}; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --schemas) SCHEMAS=${2:?--schemas needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ -f $SCHEMAS/all-v16.xsd ]] || die "no official schemas in $SCHEMAS (--schemas DIR)"
(( EPISODES <= 5000 )) || die "--episodes is at most 5000 (the episodes in the database)"

BIN="$ROOT/build/release"
if [[ $BUILD == 1 ]]; then
  say "building bench_load_episodes and bench_messages"
  (cd "$ROOT" && cmake --preset release >/dev/null &&
    cmake --build --preset release --target bench_load_episodes bench_messages) || die "the build failed"
fi
[[ -x $BIN/bench_messages && -x $BIN/bench_load_episodes ]] || die "build first (no --no-build)"

mkdir -p "$(dirname "$DB")"
if [[ $FRESH == 1 || ! -f $DB.episode_ids || -z $(find "$DB.episode_ids" -mmin -1440 2>/dev/null) ]]; then
  say "loading 5000 episodes into $DB"
  rm -f "$DB" "$DB"-* "$DB".* "${DB%.db}"-audit.db*
  (cd "$ROOT" && "$BIN/bench_load_episodes" --db "$DB" --episodes 5000 --pathways "$ROOT/pathways" >/dev/null) \
    || die "loading failed"
else
  say "reusing $DB (--fresh reloads)"
fi

say "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
"$BIN/bench_messages" --source "$DB" --schemas "$SCHEMAS" --work /tmp/samflyt-bench/messages-work \
  --episodes "$EPISODES" --runs "$RUNS" ${BATCH:+--batch "$BATCH"}
