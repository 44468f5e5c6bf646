-- Tokens per UTC day: totals and the mean per request.
SELECT substr("timestamp", 1, 10) AS day,
       count(*) AS requests,
       sum(inputTokens) AS input_tokens,
       sum(outputTokens) AS output_tokens,
       sum(cacheReadTokens) AS cache_read_tokens,
       round(avg(inputTokens), 1) AS mean_input_tokens,
       round(avg(outputTokens), 1) AS mean_output_tokens
FROM usage_records
GROUP BY substr("timestamp", 1, 10)
ORDER BY day
