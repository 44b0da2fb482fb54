#!/usr/bin/env bash
# Benchmark of the plan PDF in a fresh process (issue 11, point 8): what a
# user waits for after `sentinella plan answers.json --pdf plan.pdf`, from
# exec to exit, start-up and questionnaire loading included. The in-process
# (warm) times are `cargo bench --bench plan_pdf`.
#
# Usage: scripts/bench-plan.sh [RUNS]        (default: 30 runs per example)
#
# Needs pdfinfo (poppler-utils, installed by scripts/test.sh).
#
# Target: at most 60 ms for the largest plan (the struggling comune).
# Timings on a shared VM vary by 10-20 % from run to run: compare builds
# by running them alternately, on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-30}"
cargo build --release --quiet --bin sentinella
bin="$PWD/target/release/sentinella"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" demo --out "$work/demo" > /dev/null

# Prints min, median and max of `runs` wall times of a command, in ms.
time_runs() {
  local times=() start end
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    "$@" > /dev/null
    end=$EPOCHREALTIME
    times+=("$(echo "($end - $start) * 1000" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '
    { t[NR] = $1 }
    END { printf "%8.1f %8.1f %8.1f", t[1], t[int((NR + 1) / 2)], t[NR] }'
}

printf "%-44s %5s %8s | %-26s | %-26s\n" "" "" "" "plan --pdf (ms)" "plan, no PDF (ms)"
printf "%-44s %5s %8s | %8s %8s %8s | %8s %8s %8s\n" \
  "answers" "pages" "bytes" "min" "median" "max" "min" "median" "max"
for answers in "$work"/demo/*.answers.json; do
  stem="$(basename "$answers" .answers.json)"
  pdf="$work/$stem.pdf"
  with_pdf="$(time_runs "$bin" plan "$answers" --pdf "$pdf")"
  without="$(time_runs "$bin" plan "$answers")"
  pages="$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')"
  printf "%-44s %5s %8s | %s | %s\n" "$stem" "$pages" "$(stat -c %s "$pdf")" "$with_pdf" "$without"
done
