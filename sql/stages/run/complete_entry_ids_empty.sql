-- No complete segment anywhere: no entry ids. Grain: no rows.
CREATE OR REPLACE TEMP VIEW complete_entry_ids AS
SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS entry_id
WHERE false;
