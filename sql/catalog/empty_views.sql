-- Views of a warehouse with no published version yet: the same columns as after the first
-- publish (rendered from the contract), no rows, so a query that works later works now.
-- Splices: {{summary_columns}}, {{reject_columns}} rendered from the contract.
CREATE OR REPLACE VIEW merchant_settlement_summary_versions AS
SELECT NULL::VARCHAR AS version, {{summary_columns}}
WHERE false;
CREATE OR REPLACE VIEW merchant_settlement_summary AS
SELECT * EXCLUDE (version) FROM merchant_settlement_summary_versions;
CREATE OR REPLACE VIEW rejects AS
SELECT NULL::VARCHAR AS version, {{reject_columns}}
WHERE false;
CREATE OR REPLACE VIEW dq_results AS
SELECT NULL::VARCHAR AS version, NULL::DATE AS settlement_date, NULL::VARCHAR AS name,
       NULL::VARCHAR AS severity, NULL::VARCHAR AS status, NULL::BIGINT AS violating_rows
WHERE false;
CREATE OR REPLACE VIEW versions AS
SELECT NULL::VARCHAR AS version, NULL::DATE AS settlement_date, NULL::VARCHAR AS content_checksum,
       NULL::VARCHAR AS input_epoch, NULL::VARCHAR AS supersedes, NULL::VARCHAR AS opening_version,
       NULL::TIMESTAMPTZ AS created_at, NULL::BIGINT AS row_count, NULL::BOOLEAN AS is_current
WHERE false;
