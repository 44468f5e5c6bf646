#!/usr/bin/env bash
# Writes ROWS usage records as the router writes them (one JSON line each, the EMF envelope first, then the schema's
# fields in its order: the shape of tests/LlmCost.Infra.Tests/Analytics/router-usage-record.jsonl, a line written by
# the router's own UsageRecordWriter), spread evenly over November 2026 in time order, for stack prod. Varied per
# record: times, request, Lambda and trace IDs, app (search 50%, support 30%, batch 20%), user (500 per app), route
# and model (small 60%, medium 30%, large 10%), score and reason, token counts and their estimate, cost, latency; 3%
# fell back from another route, 5% had their output capped, 1% were refused for budget. Usage: generate.sh ROWS OUT.jsonl
set -euo pipefail
rows="${1:?rows}"; out="${2:?output file}"
mawk -v rows="$rows" 'function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
function hex(n,   s) { s = ""; while (length(s) < n) s = s sprintf("%04x", int(rnd() * 65536)); return substr(s, 1, n) }
BEGIN {
  seed = 12345; start = 1793491200; span = 30 * 86400
  envelope = "{\"_aws\":{\"Timestamp\":%d%03d,\"CloudWatchMetrics\":[{\"Namespace\":\"LlmCost\",\"Dimensions\":[[\"stack\"],[\"stack\",\"model\"],[\"stack\",\"route\"],[\"stack\",\"app\"]],\"Metrics\":[{\"Name\":\"costUsd\",\"Unit\":\"None\"},{\"Name\":\"estimatedCostUsd\",\"Unit\":\"None\"},{\"Name\":\"inputTokens\",\"Unit\":\"Count\"},{\"Name\":\"outputTokens\",\"Unit\":\"Count\"},{\"Name\":\"cacheReadTokens\",\"Unit\":\"Count\"},{\"Name\":\"cacheWriteTokens\",\"Unit\":\"Count\"},{\"Name\":\"latencyMs\",\"Unit\":\"Milliseconds\"},{\"Name\":\"requests\",\"Unit\":\"Count\"}]}]},"
  for (i = 0; i < rows; i++) {
    t = start + i * span / rows; s = int(t); ms = int((t - s) * 1000)
    d = int((s - start) / 86400); r = s - start - d * 86400; h = int(r / 3600); m = int((r - h * 3600) / 60); sec = r - h * 3600 - m * 60
    a = rnd(); app = a < 0.5 ? "search" : a < 0.8 ? "support" : "batch"
    user = "u" (1 + int(rnd() * 500))
    score = int(rnd() * 100) / 100
    q = rnd()
    if (q < 0.6) { route = "small"; model = "amazon.nova-micro-v1:0"; pin = 0.035; pout = 0.14; tier = 0.4 }
    else if (q < 0.9) { route = "medium"; model = "amazon.nova-lite-v1:0"; pin = 0.06; pout = 0.24; tier = 0.8 }
    else { route = "large"; model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"; pin = 3.3; pout = 16.5; tier = 1 }
    counted = 100 + int(rnd() * 3900); ratio = 1 + int(rnd() * 600) / 10000; est = int(counted * ratio)
    input = est + int(rnd() * 40) - 20; if (input < 1) input = 1
    output = 20 + int(rnd() * 900); cap = route == "large" ? 4096 : 1024
    cost = (input * pin + output * pout) / 1000000; estcost = (est * pin + cap * pout) / 1000000
    latency = 150 + int(rnd() * 4000); backend = latency - 20 - int(rnd() * 40)
    f = rnd(); fallback = f < 0.03 ? ",\"fallbackFrom\":\"medium\"" : ""
    limits = rnd() < 0.05 ? "\"max_tokens_capped:4096->" cap "\"" : ""
    status = 200; outcome = "ok"; finish = "stop"
    if (rnd() < 0.01) { status = 429; outcome = "budget_exceeded"; input = 0; output = 0; cost = 0; finish = "" }
    printf envelope, s, ms
    printf "\"recordType\":\"llm-cost.usage\",\"schemaVersion\":1,\"timestamp\":\"2026-11-%02dT%02d:%02d:%02d.%03dZ\",\"stack\":\"prod\",", 1 + d, h, m, sec, ms
    printf "\"requestId\":\"%s-%s-4%s-8%s-%s\",\"lambdaRequestId\":\"%s-%s-4%s-9%s-%s\",", hex(8), hex(4), hex(3), hex(3), hex(12), hex(8), hex(4), hex(3), hex(3), hex(12)
    printf "\"traceId\":\"Root=1-%s-%s;Parent=%s;Sampled=0\",\"app\":\"%s\",\"user\":\"%s\",\"httpMethod\":\"POST\",\"path\":\"/v1/chat/completions\",\"requestedModel\":\"auto\",", hex(8), hex(24), hex(16), app, user
    printf "\"route\":\"%s\",\"model\":\"%s\",\"backend\":\"bedrock\",\"reason\":\"auto: score %s (length %s, code 0, reasoning %s) <= %s -> %s\",\"complexityScore\":%s%s,", route, model, score, int(score * 70) / 100, int(score * 30) / 100, tier, route, score, fallback
    printf "\"attempts\":1,\"backendFailures\":[],\"status\":%d,\"outcome\":\"%s\",\"countedInputTokens\":%d,\"calibrationRatio\":%s,\"estimatedInputTokens\":%d,\"maxOutputTokens\":%d,\"estimatedCostUsd\":%.6f,", status, outcome, counted, ratio, est, cap, estcost
    printf "\"inputTokens\":%d,\"outputTokens\":%d,\"cacheReadTokens\":0,\"cacheWriteTokens\":0,\"costUsd\":%.7f,", input, output, cost
    if (finish != "") printf "\"finishReason\":\"%s\",", finish
    printf "\"latencyMs\":%d,\"backendLatencyMs\":%d,\"limitHits\":[%s],\"requests\":1,\"priceSource\":\"snapshot\",\"priceAsOf\":\"2026-09-30\"}\n", latency, backend, limits
  }
}' > "$out"
