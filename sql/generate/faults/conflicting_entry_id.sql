-- conflicting_entry_id: the second row takes the first row's entry_id (different seq and content).
UPDATE seg SET entry_id = (SELECT entry_id FROM seg WHERE seq = (SELECT min(seq) FROM seg))
WHERE seq = (SELECT min(seq) + 1 FROM seg);
