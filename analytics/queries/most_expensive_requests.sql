-- The 20 costliest requests.
SELECT "timestamp",
       requestId,
       app,
       "user",
       route,
       model,
       inputTokens AS input_tokens,
       outputTokens AS output_tokens,
       round(costUsd, 6) AS cost_usd
FROM usage_records
ORDER BY costUsd DESC, "timestamp", requestId
LIMIT 20
