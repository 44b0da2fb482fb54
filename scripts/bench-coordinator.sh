#!/usr/bin/env bash
# Benchmark of the coordinator side: generate N signed result files (one per
# comune of the ISTAT list, cycling with older assessments beyond 7,895), then
# time the real command line on them and record its peak memory.
#
# Usage: scripts/bench-coordinator.sh [N...]        (default: 1000 8000)
#        BENCH_DIR=/some/dir scripts/bench-coordinator.sh 80000
#
# Targets (issue 7): 8,000 files imported (collect) and aggregated in at most
# 5 s and 300 MB peak. The files are freshly written, so they are read from the page
# cache (a warm run).
set -euo pipefail
cd "$(dirname "$0")/.."

counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1000 8000)
cargo build --release --quiet --bin sentinella --example gen_results --example bench_dashboard
bin=target/release/sentinella
work="${BENCH_DIR:-$(mktemp -d)}"
echo "working in $work" >&2

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/.time" "$@" > /dev/null
  read -r secs kb < "$work/.time"
  printf "  %-34s %7.2f s %8.1f MB\n" "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
}

for n in "${counts[@]}"; do
  dir="$work/$n"
  rm -rf "$dir"
  target/release/examples/gen_results "$dir" "$n"
  q=(--questionnaires "$dir/questionnaires")
  echo "$n result files ($(du -sh "$dir/results" | cut -f1) on disk):"
  measure "verify" "$bin" verify "${q[@]}" "$dir/results"
  measure "aggregate (text, Italy)" "$bin" aggregate "${q[@]}" "$dir/results"
  measure "aggregate --json (Italy)" "$bin" aggregate "${q[@]}" --json "$dir/results"
  measure "aggregate --region Lombardia" "$bin" aggregate "${q[@]}" --region Lombardia "$dir/results"
  measure "aggregate + both CSV files" "$bin" aggregate "${q[@]}" "$dir/results" \
    --csv "$dir/comuni.csv" --csv-answers "$dir/answers.csv"
  rm -f "$dir/coordinator.db"*
  measure "collect into a new database" "$bin" collect "${q[@]}" --db "$dir/coordinator.db" "$dir/results"
  measure "collect the same files again" "$bin" collect "${q[@]}" --db "$dir/coordinator.db" "$dir/results"
  measure "aggregate --db --json" "$bin" aggregate "${q[@]}" --db "$dir/coordinator.db" --json
  echo "  database: $(du -h "$dir/coordinator.db" | cut -f1)"
  # The app's dashboard: every stored file verified again at each view
  # (before) or the records verified at import kept (now).
  target/release/examples/bench_dashboard "$dir" | sed 's/^/  /'
done
