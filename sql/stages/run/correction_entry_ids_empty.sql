-- No correction files in this run. Grain: no rows.
CREATE OR REPLACE TEMP VIEW correction_entry_ids AS
SELECT NULL::VARCHAR AS entry_id, NULL::VARCHAR AS file
WHERE false;
