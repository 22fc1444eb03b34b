-- No entry id occurs twice anywhere: nothing to check. Grain: no rows.
CREATE OR REPLACE TEMP VIEW entry_id_occurrences AS
SELECT NULL::VARCHAR AS file, NULL::BIGINT AS seq, NULL::VARCHAR AS entry_id
WHERE false;
