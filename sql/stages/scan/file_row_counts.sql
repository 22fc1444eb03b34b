-- Rows per file, from Parquet footers. Splices: {{files}} quoted list. Grain: one row per file.
SELECT file_name AS file, sum(row_group_num_rows)::BIGINT AS rows
FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata({{files}}))
GROUP BY file_name;
