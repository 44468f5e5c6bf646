-- Actual spend per UTC month against the plan's forecast for a 730-hour month. The program puts the plan's figures
-- in place of {{forecastP50Usd}} and {{forecastP90Usd}} when it creates the named query (and `usage report` when it runs
-- it); a month still under way is compared as it stands.
SELECT substr("timestamp", 1, 7) AS month,
       count(*) AS requests,
       round(sum(costUsd), 6) AS actual_usd,
       {{forecastP50Usd}} AS forecast_p50_usd,
       {{forecastP90Usd}} AS forecast_p90_usd,
       round(sum(costUsd) / nullif({{forecastP50Usd}}, 0), 4) AS share_of_p50
FROM usage_records
GROUP BY substr("timestamp", 1, 7)
ORDER BY month
