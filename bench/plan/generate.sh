#!/usr/bin/env bash
# Writes a week-long request history in the Azure LLM inference trace's shape (TIMESTAMP,ContextTokens,GeneratedTokens,
# timestamps like 2026-11-02 10:00:00.1234567), ROWS rows spread over Monday 2026-11-02 to Sunday.
# Usage: generate.sh ROWS OUT.csv
set -euo pipefail
rows="${1:?rows}"; out="${2:?output file}"
mawk -v rows="$rows" 'BEGIN {
  print "TIMESTAMP,ContextTokens,GeneratedTokens"
  week = 7 * 86400; seed = 12345
  for (i = 0; i < rows; i++) {
    # Even spacing with a mild daily swing (about 5% either way), so hours differ a little.
    t = i * week / rows
    t = t + 0.2 * 3600 * sin(6.283185307 * t / 86400)
    if (t < 0) t = 0
    seed = (seed * 1103515245 + 12345) % 2147483648
    d = int(t / 86400); r = t - d * 86400; h = int(r / 3600); m = int((r - h * 3600) / 60); s = r - h * 3600 - m * 60
    printf "2026-11-%02d %02d:%02d:%010.7f,%d,%d\n", 2 + d, h, m, s, 200 + seed % 1800, 20 + (seed / 7) % 400
  }
}' > "$out"
