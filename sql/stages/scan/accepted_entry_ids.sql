-- Entry ids of the accepted rows of the corrections task, with their file: what reaches the sums,
-- for the unique_entry_id assertion. Tables: classified_source (view).
-- Grain: one row per accepted row.
SELECT entry_id, filename AS file
FROM classified_source
WHERE reject_reason IS NULL
