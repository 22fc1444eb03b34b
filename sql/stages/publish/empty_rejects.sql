-- The rejects table of a version with no rejected row: the same columns, no rows.
-- Splices: {{reject_columns}} rendered from the contract.
SELECT {{reject_columns}}
WHERE false
