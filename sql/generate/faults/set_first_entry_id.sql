-- cross_segment_duplicate_entry_id: the first row reuses an entry_id of another segment.
-- Params: $entry_id. Tables: seg. Grain: updates one row.
UPDATE seg SET entry_id = $entry_id WHERE seq = (SELECT min(seq) FROM seg);
