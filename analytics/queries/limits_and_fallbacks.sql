-- Requests that hit a limit (output capped, input trimmed or escalated), fell back to another route, or were
-- refused for budget or throttling, counted by what happened.
SELECT app,
       route,
       outcome,
       coalesce(fallbackFrom, '') AS fallback_from,
       sum(CASE WHEN cardinality(limitHits) > 0 THEN 1 ELSE 0 END) AS limit_hits,
       count(*) AS requests,
       round(sum(costUsd), 6) AS cost_usd
FROM usage_records
WHERE cardinality(limitHits) > 0
   OR fallbackFrom IS NOT NULL
   OR outcome IN ('budget_exceeded', 'throttled')
GROUP BY app, route, outcome, coalesce(fallbackFrom, '')
ORDER BY requests DESC, app, route, outcome, fallback_from
