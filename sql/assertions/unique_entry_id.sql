-- severity: error
-- An entry_id in more than one complete segment (of any shard) would be counted twice.
-- Candidates are ids whose 64-bit hash occurs more than once (cheap: one integer group-by);
-- only those are compared exactly. Exact duplicate rows inside one segment share a file and are
-- not violations.
WITH candidates AS (
  SELECT hash(entry_id) AS h
  FROM complete_entry_ids
  WHERE entry_id IS NOT NULL
  GROUP BY h
  HAVING count(*) > 1
)
SELECT entry_id, count(DISTINCT file) AS segments, min(file) AS first_file, max(file) AS last_file
FROM complete_entry_ids
WHERE hash(entry_id) IN (SELECT h FROM candidates)
GROUP BY entry_id
HAVING count(DISTINCT file) > 1
ORDER BY entry_id;
