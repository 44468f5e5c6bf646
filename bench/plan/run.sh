#!/usr/bin/env bash
# Plans prod from a generated 17-million-row, week-long history and reports rows per second and peak memory
# (/usr/bin/time -v). A benchmark, not a test: run it by hand. Usage: bench/plan/run.sh [ROWS] (default 17000000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows="${1:-17000000}"
dir="$(mktemp -d /tmp/llm-cost-bench-plan.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
history="$dir/history.csv"

echo "generating $rows rows..." >&2
"$root/bench/plan/generate.sh" "$rows" "$history"
echo "history: $(du -h "$history" | cut -f1)" >&2

# Build once outside the timing (compile.sh builds only when sources changed).
"$root/llm-cost" --help > /dev/null

/usr/bin/time -v "$root/llm-cost" plan --stack prod --project-dir "$root" --usage "$history" > "$dir/plan.txt" 2> "$dir/time.txt"
grep -E '^(history|advice rests on|WARNING)' "$dir/plan.txt"
elapsed="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$dir/time.txt")"
rss_kb="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.txt")"
awk -v rows="$rows" -v s="$elapsed" -v kb="$rss_kb" 'BEGIN {
  printf "rows %d, wall %.2f s, %.0f rows/s, peak RSS %.0f MB\n", rows, s, rows / s, kb / 1024
}'
