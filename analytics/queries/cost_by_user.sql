-- Cost by user within each app (the body's `user`, else the app's client ID), costliest first.
SELECT app,
       "user",
       count(*) AS requests,
       sum(inputTokens) AS input_tokens,
       sum(outputTokens) AS output_tokens,
       round(sum(costUsd), 6) AS cost_usd
FROM usage_records
GROUP BY app, "user"
ORDER BY cost_usd DESC, app, "user"
LIMIT 100
