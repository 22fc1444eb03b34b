-- severity: error
-- No entry_id reaches the sums twice: counted once per complete ledger segment that holds it
-- (entry_id_occurrences: every occurrence of an id whose hash repeats, resolved exactly;
-- complete_segment_files: the segments that count) plus once per accepted correction row
-- (correction_entry_ids). Corrections repeating a counted id are rejected as
-- duplicate_entry_id, so what is left here is double-counted money.
WITH ledger AS (
  SELECT entry_id, count(DISTINCT file) AS copies, min(file) AS first_file, max(file) AS last_file
  FROM entry_id_occurrences
  WHERE file IN (SELECT file FROM complete_segment_files)
  GROUP BY entry_id
),
corrections AS (
  SELECT entry_id, count(*) AS copies, min(file) AS first_file, max(file) AS last_file
  FROM correction_entry_ids
  GROUP BY entry_id
),
counted AS (SELECT * FROM ledger UNION ALL SELECT * FROM corrections)
SELECT entry_id, sum(copies) AS copies, min(first_file) AS first_file, max(last_file) AS last_file
FROM counted
GROUP BY entry_id
HAVING sum(copies) > 1
ORDER BY entry_id;
