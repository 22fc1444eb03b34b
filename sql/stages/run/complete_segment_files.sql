-- The segments that count (complete), for the unique_entry_id assertion.
-- Params: $files JSON array of absolute paths. Grain: one row per file.
CREATE OR REPLACE TEMP TABLE complete_segment_files AS
SELECT unnest(from_json($files::JSON, '["VARCHAR"]')) AS file;
