-- A shard whose segments hold no exact duplicate rows: nothing to drop. Grain: no rows.
CREATE OR REPLACE TEMP TABLE scan_dup_keys (file VARCHAR, seq BIGINT, keep_row BIGINT);
