-- Cost by UTC day of the request (not of delivery: a record near midnight can sit in the next day's partition).
SELECT substr("timestamp", 1, 10) AS day,
       count(*) AS requests,
       round(sum(costUsd), 6) AS cost_usd
FROM usage_records
GROUP BY substr("timestamp", 1, 10)
ORDER BY day
