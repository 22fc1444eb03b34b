-- severity: error
-- An entry_id in more than one complete segment (of any shard) would be counted twice.
-- Candidates are found on a 64-bit hash (cheap), then confirmed on the id itself.
WITH candidates AS (
  SELECT hash(entry_id) AS h
  FROM complete_entry_ids
  WHERE entry_id IS NOT NULL
  GROUP BY h
  HAVING min(file) <> max(file)
)
SELECT entry_id, count(DISTINCT file) AS segments, min(file) AS first_file, max(file) AS last_file
FROM complete_entry_ids
WHERE hash(entry_id) IN (SELECT h FROM candidates)
GROUP BY entry_id
HAVING count(DISTINCT file) > 1
ORDER BY entry_id;
