-- Cost by route and the model it served with, costliest first.
SELECT route,
       model,
       count(*) AS requests,
       sum(inputTokens) AS input_tokens,
       sum(outputTokens) AS output_tokens,
       round(sum(costUsd), 6) AS cost_usd
FROM usage_records
GROUP BY route, model
ORDER BY cost_usd DESC, route, model
