-- The candidate table of one ids task, dropped so the next task of the same engine starts clean.
DROP TABLE IF EXISTS entry_id_candidates;
