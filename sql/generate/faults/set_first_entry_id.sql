-- cross_segment_duplicate_entry_id: the first row reuses an entry_id of another shard.
UPDATE seg SET entry_id = $entry_id WHERE seq = (SELECT min(seq) FROM seg);
