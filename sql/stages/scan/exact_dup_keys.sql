-- The exactly duplicated seqs of each file and the one row kept of each (by file_row_number).
-- Tables: exact_per_seq. Grain: one row per duplicated (file, seq).
SELECT file, seq, keep_row
FROM exact_per_seq
WHERE copies > 1 AND identical
ORDER BY file, seq
