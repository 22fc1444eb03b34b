-- How many hashes repeat (0: every entry id of the run is unique). Tables: entry_id_candidates.
-- Grain: one row.
SELECT count(*) AS n FROM entry_id_candidates;
