-- Cost by app: requests, tokens and USD per configured app, costliest first.
SELECT app,
       count(*) AS requests,
       sum(inputTokens) AS input_tokens,
       sum(outputTokens) AS output_tokens,
       round(sum(costUsd), 6) AS cost_usd
FROM usage_records
GROUP BY app
ORDER BY cost_usd DESC, app
