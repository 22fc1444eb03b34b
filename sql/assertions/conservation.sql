-- severity: error
-- Per currency, every column summed from accepted entries (contract/columns.ts) equals the same
-- total taken straight from the shard scan outputs (bypassing shuffle and reduce).
-- Splices: {{from_scan}}, {{from_published}} rendered from the contract.
WITH scanned AS (
  SELECT currency,
         {{from_scan}}
  FROM shard_sums
  WHERE n_all > 0
  GROUP BY currency
),
published AS (
  SELECT currency,
         {{from_published}}
  FROM summary
  GROUP BY currency
),
scanned_long AS (UNPIVOT scanned ON COLUMNS(* EXCLUDE currency) INTO NAME measure VALUE scanned_total),
published_long AS (UNPIVOT published ON COLUMNS(* EXCLUDE currency) INTO NAME measure VALUE published_total)
SELECT coalesce(s.currency, p.currency) AS currency, coalesce(s.measure, p.measure) AS measure,
       coalesce(s.scanned_total, 0) AS scanned_total, coalesce(p.published_total, 0) AS published_total
FROM scanned_long s
FULL OUTER JOIN published_long p ON p.currency = s.currency AND p.measure = s.measure
WHERE coalesce(s.scanned_total, 0) <> coalesce(p.published_total, 0)
ORDER BY currency, measure;
