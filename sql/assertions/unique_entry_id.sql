-- severity: error
-- An entry_id in more than one complete segment (of any shard) would be counted twice.
-- entry_id_occurrences holds every occurrence of an id whose hash repeats (resolved exactly);
-- complete_segment_files lists the segments that count.
SELECT entry_id, count(DISTINCT file) AS segments, min(file) AS first_file, max(file) AS last_file
FROM entry_id_occurrences
WHERE file IN (SELECT file FROM complete_segment_files)
GROUP BY entry_id
HAVING count(DISTINCT file) > 1
ORDER BY entry_id;
