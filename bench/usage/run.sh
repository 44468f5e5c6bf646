#!/usr/bin/env bash
# Times `llm-cost usage report` (every named query, DuckDB) over ROWS generated usage records (default 1,000,000) in
# the router's format: as JSON lines, as the same lines gzip-compressed, and as Parquet the way the delivery stream
# writes it (what `usage fetch` downloads). Reports wall seconds and peak resident memory of each run (/usr/bin/time -v;
# without it, the process tree's RSS sampled every 0.1 s), and what the Parquet conversion keeps (bytes per record,
# the share of them each named query reads: the basis of the forecast's Athena line). A benchmark, not a test: run it
# by hand. Files go to a temporary folder, removed afterwards. Usage: bench/usage/run.sh [ROWS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows="${1:-1000000}"
dir="$(mktemp -d /tmp/llm-cost-bench-usage.XXXXXX)"
trap 'rm -rf "$dir"' EXIT

echo "generating $rows records..." >&2
"$root/bench/usage/generate.sh" "$rows" "$dir/records.jsonl"
gzip -c "$dir/records.jsonl" > "$dir/records.jsonl.gz"
echo "records: $(du -h "$dir/records.jsonl" | cut -f1) JSON lines, $(du -h "$dir/records.jsonl.gz" | cut -f1) gzip" >&2

# Build both programs outside the timing (compile.sh builds only when sources changed), then time the built program
# itself, so that a source edited meanwhile cannot start a build inside a measurement.
"$root/llm-cost" --help > /dev/null
llm_cost="$root/.artifacts/compiler/llm-cost"
dotnet build -c Release "$root/bench/LlmCost.Benchmarks" --nologo -v quiet > /dev/null
dotnet "$root/bench/LlmCost.Benchmarks/bin/Release/net10.0/LlmCost.Benchmarks.dll" usage-parquet \
  "$dir/records.jsonl" "$dir/records.parquet" "$root/analytics/queries"

# One run: wall seconds and peak RSS (MB) of the command, its output to $dir/out.txt.
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$@" > "$dir/out.txt" 2> "$dir/time.txt"
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; e = s }
                /User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { k = $2 }
                /Maximum resident set size/ { kb = $2 } END { printf "%.2f s (cpu %.2f s), peak RSS %.0f MB", e, u + k, kb / 1024 }' "$dir/time.txt"
  else
    local start peak=0 rss pid
    start="$(date +%s.%N)"
    setsid "$@" > "$dir/out.txt" 2> "$dir/time.txt" &
    pid=$!
    while kill -0 "$pid" 2> /dev/null; do
      rss="$(ps -o rss= -g "$pid" 2> /dev/null | awk '{ s += $1 } END { print s + 0 }')"
      [ "$rss" -gt "$peak" ] && peak="$rss"
      sleep 0.1
    done
    wait "$pid"
    awk -v s="$start" -v e="$(date +%s.%N)" -v kb="$peak" 'BEGIN { printf "%.2f s, peak RSS %.0f MB (sampled)", e - s, kb / 1024 }'
  fi
}

for input in records.jsonl records.jsonl.gz records.parquet; do
  echo "usage report, every query, $rows records, $input: $(measure "$llm_cost" usage report --records "$dir/$input")"
done
echo "usage report --query cost_by_app, $rows records, records.jsonl: $(measure "$llm_cost" usage report --records "$dir/records.jsonl" --query cost_by_app)"
echo "usage report --query cost_by_app, $rows records, records.parquet: $(measure "$llm_cost" usage report --records "$dir/records.parquet" --query cost_by_app)"
head -n 5 "$dir/out.txt"
