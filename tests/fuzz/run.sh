#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target of build/fuzz (preset "fuzz") for
# FUZZ_SECONDS (default 60) over its corpus, one after the other, at
# nice 10. Seeds: tests/fuzz/corpus/<target>/ (read only) and the official
# examples when the standards folder is there (SAMFLYT_STANDARDS_DIR,
# default ../shared/standards). New inputs the fuzzer finds go to
# build/fuzz/corpus/<target>/; crashes, leaks, timeouts and out-of-memory
# inputs to build/fuzz/crashes/<target>/. Exits non-zero when any target
# found one. FUZZ_TARGETS="xml receive" runs only those.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-60}
build=build/fuzz
standards=${SAMFLYT_STANDARDS_DIR:-../shared/standards}
targets=${FUZZ_TARGETS:-xml read_plo read_dialogmelding read_apprec receive reception_answer}

failed=()
for target in $targets; do
  work=$build/corpus/$target
  crashes=$build/crashes/$target
  log=$build/fuzz-$target.log
  mkdir -p "$work" "$crashes"
  seeds=("tests/fuzz/corpus/$target")
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
           -artifact_prefix="$crashes/" -print_final_stats=1)
  if [[ $target != reception_answer ]]; then
    options+=(-dict=tests/fuzz/xml.dict)
    [[ -d $standards/examples ]] && seeds+=("$standards/examples")
  fi
  echo "fuzz: $target for ${seconds}s (log $log)"
  if nice -n 10 "$build/fuzz_$target" "${options[@]}" "$work" "${seeds[@]}" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | tr '\n' ' '
    echo
  else
    failed+=("$target")
    tail -n 60 "$log"
    echo "fuzz: $target FAILED; the input is in $crashes/:"
    ls -l "$crashes"
    echo "reproduce: $build/fuzz_$target $crashes/<file>"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: failures in ${failed[*]} (see build/fuzz/crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in $targets"
