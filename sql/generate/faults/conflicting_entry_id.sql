-- conflicting_entry_id: the second row takes the first row's entry_id (its seq and content differ).
-- Tables: seg (one segment). Grain: updates one row.
UPDATE seg SET entry_id = (SELECT entry_id FROM seg WHERE seq = (SELECT min(seq) FROM seg))
WHERE seq = (SELECT min(seq) + 1 FROM seg);
